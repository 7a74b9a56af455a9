"""`python -m analytics bulletin --period P --out FILE.docx|FILE.xlsx|FILE.md`: the 督办通报 of a period."""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.config import database_path, settings_path
from analytics.db import MEMORY, connect
from analytics.errors import UsageError
from analytics.followup.bulletin import gather_bulletin
from analytics.followup.render import bulletin_docx, bulletin_markdown, bulletin_xlsx
from analytics.metrics.engine import window_of
from analytics.report.command import write_atomically
from analytics.settings import load_settings
from analytics.weeks import parse_period, today

FORMATS = (".docx", ".xlsx", ".md")


def run(args: argparse.Namespace) -> int:
    """Write the bulletin; a bad period, a period not begun or another file type is refused before any work."""
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"无法导出为 {out.name!r}：输出文件须以 .docx、.xlsx 或 .md 结尾")
    if out.exists() and out.is_dir():
        raise UsageError(f"{out} 是一个文件夹；请给出文件名，例如 {out / '督办通报.docx'}")
    period = parse_period(args.period)
    window_of(period)  # a period not begun: exit 2
    db_path = database_path(args.db)
    settings = load_settings(settings_path(db_path))
    with connect(db_path if db_path.exists() else MEMORY) as con:
        bulletin = gather_bulletin(con, period, settings)
    days = settings.warn_working_days
    if suffix == ".docx":
        payload = bulletin_docx(bulletin, days, today())
    elif suffix == ".xlsx":
        payload = bulletin_xlsx(bulletin, days)
    else:
        payload = bulletin_markdown(bulletin, days).encode("utf-8")
    write_atomically(out, payload)
    print(f"已导出 {period} 督办通报：{out}")
    print(bulletin.headline)
    return 0

"""`python -m analytics report`: check the request, then read the database and write the file."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from analytics.config import database_path, settings_path
from analytics.db import connect
from analytics.errors import UsageError
from analytics.metrics import latest_week_with_data
from analytics.report.markdown import build_markdown
from analytics.report.pdf import build_pdf, check_pdf_support
from analytics.report.word import build_docx
from analytics.report.xlsx import build_xlsx
from analytics.settings import load_settings
from analytics.weeks import Week

FORMATS = (".xlsx", ".md", ".pdf", ".docx")


def run(args: argparse.Namespace) -> int:
    """Write the report of one week to `--out`; the week defaults to the latest complete week with data.

    A bad week, an output of another type or an unreadable comment file is refused before the
    database is opened. `--comment`/`--comment-file` give the assistant's comment page (.pdf, .docx).
    """
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"无法导出为 {out.name!r}：输出文件须以 .xlsx、.md、.docx 或 .pdf 结尾")
    if out.exists() and out.is_dir():
        raise UsageError(f"{out} 是一个文件夹；请给出文件名，例如 {out / 'weekly.xlsx'}")
    week = Week.parse(args.week) if args.week else None
    lang = getattr(args, "lang", None) or "zh"
    comment = read_comment(args)
    if suffix == ".pdf":
        check_pdf_support()
    db_path = database_path(args.db)
    settings = load_settings(settings_path(db_path))

    with connect(db_path) as con:
        if week is None:
            week = latest_week_with_data(con)
            if week is None:
                raise UsageError(
                    "数据库中还没有任何台账数据：请先导入（python -m analytics ingest），或用 --week 指定周"
                )
        if suffix == ".xlsx":
            payload = build_xlsx(con, week, settings, lang=lang)
        elif suffix == ".pdf":
            payload = build_pdf(con, week, settings, lang=lang, comment=comment)
        elif suffix == ".docx":
            payload = build_docx(con, week, settings, lang=lang, comment=comment)
        else:
            payload = build_markdown(con, week, settings, lang=lang).encode("utf-8")
    write_atomically(out, payload)
    print(f"已导出 {week} 周报：{out}" if lang == "zh" else f"Wrote the {week} report to {out}")
    return 0


def read_comment(args: argparse.Namespace) -> str | None:
    """The assistant's comment: `--comment TEXT`, or `--comment-file FILE` (UTF-8, or `-` for standard input)."""
    text = getattr(args, "comment", None)
    source = getattr(args, "comment_file", None)
    if text is not None and source is not None:
        raise UsageError("--comment 与 --comment-file 只能给出一个")
    if source is None:
        return text
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"找不到意见文件：{path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"无法读取意见文件 {path}：须为 UTF-8 文本（{error.__class__.__name__}）") from None


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace the file in one step, so a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o666 & ~umask)  # an ordinary file, as any program would write it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""`python -m analytics sample`: a synthetic company's six ledger exports, as an OA system writes them.

    write_sample(Path("data/sample"), seed=7, weeks=52, scale=1.0)

writes 会议台账.xlsx, 决议督办台账.csv (GB18030), 办公用品台账.xlsx (several sheets, a 说明 sheet, 合计
rows), 收发文台账.csv (UTF-8 with BOM), 突发事件台账.csv (UTF-8) and 总经理日程.xlsx, covering `weeks`
ISO weeks that end with the last complete week before `today`. `scale` multiplies the company's size:
scale 1 is 1,000 employees (about 8,000 meetings and 31,000 resolutions a year). Files that would hold
more than XLSX_MAX_ROWS rows are written as CSV instead (XLSX writing is the slow part).

The same seed, weeks, scale and `today` give byte-identical files. Where the story falls (the department
that slips, the meeting-heavy month, the scrap week, the outage week) is `story(...)`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

from analytics.errors import UsageError
from analytics.sample.company import Company, Story, make_company
from analytics.sample.documents import documents_export, generate_documents
from analytics.sample.export import ExportFile, write_file
from analytics.sample.incidents import generate_incidents, incidents_export
from analytics.sample.meetings import decisions_export, generate_decisions, generate_meetings, meetings_export
from analytics.sample.schedule import generate_schedule, schedule_export
from analytics.sample.supplies import generate_supplies, supplies_export

__all__ = ["XLSX_MAX_ROWS", "Story", "exports", "run", "story", "write_sample"]

XLSX_MAX_ROWS = 60_000
MAX_WEEKS = 520
MAX_SCALE = 1_000.0


def _check(weeks: int, scale: float) -> None:
    if not isinstance(weeks, int) or weeks <= 0 or weeks > MAX_WEEKS:
        raise UsageError(f"--weeks 应为 1 到 {MAX_WEEKS} 之间的整数，而不是 {weeks!r}")
    if not scale > 0 or scale > MAX_SCALE:  # also refuses NaN
        raise UsageError(f"--scale 应为大于 0、不超过 {MAX_SCALE:g} 的数，而不是 {scale!r}")


def company(seed: int = 7, weeks: int = 52, scale: float = 1.0, today: date | None = None) -> Company:
    """The sample company for these arguments (checked: a bad `weeks` or `scale` is a UsageError)."""
    _check(weeks, scale)
    return make_company(seed, weeks, scale, today)


def story(weeks: int = 52, scale: float = 1.0, today: date | None = None, seed: int = 7) -> Story:
    """Where the story falls for these arguments."""
    return company(seed, weeks, scale, today).story


def exports(the_company: Company) -> list[ExportFile]:
    """The six files, generated (not yet written)."""
    meetings = generate_meetings(the_company)
    decisions = generate_decisions(the_company, meetings)
    supplies = generate_supplies(the_company)
    return [
        meetings_export(meetings, the_company, as_csv=len(meetings) > XLSX_MAX_ROWS),
        decisions_export(decisions),
        supplies_export(supplies, the_company, as_csv=len(supplies) > XLSX_MAX_ROWS),
        documents_export(generate_documents(the_company)),
        incidents_export(generate_incidents(the_company), the_company),
        schedule_export(generate_schedule(the_company), the_company),
    ]


def write_sample(
    out_dir: Path,
    seed: int = 7,
    weeks: int = 52,
    scale: float = 1.0,
    today: date | None = None,
    *,
    echo: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the sample company's ledger exports into `out_dir`; return their paths, in writing order.

    `echo` is given one line per file written (path, ledger, rows). A file of the same ledger left there
    in the other format (CSV/XLSX) by an earlier run is removed, so the folder holds one export per ledger.
    """
    the_company = company(seed, weeks, scale, today)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    created = datetime.combine(the_company.end, time(23, 0))
    paths = []
    for export in exports(the_company):
        path = write_file(export, out_dir, created)
        for stale in (path.with_suffix(".csv"), path.with_suffix(".xlsx")):
            if stale != path and stale.exists():
                stale.unlink()
        if echo:
            echo(f"{path}\t{export.ledger}\t{export.rows} 行")
        paths.append(path)
    return paths


def run(args: argparse.Namespace) -> int:
    """The `sample` command."""
    today = getattr(args, "today", None)
    write_sample(Path(args.out), args.seed, args.weeks, args.scale, today, echo=lambda line: print(line, flush=True))
    return 0

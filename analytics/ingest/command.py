"""`python -m analytics ingest FILE...` (shared/spec/cli.md).

Each file is its own transaction. Stdout: one line per loaded file and sheet. Stderr: for a file
that failed, the error and its row errors (at most 20, then how many more). Exit 0 when every file
loaded, 1 when any failed (or had rows refused under --load-valid), 2 for a request that is wrong:
a missing file (checked before anything loads), a file that is not a spreadsheet, an unknown ledger.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.config import database_path
from analytics.errors import AnalyticsError, RowError, UsageError
from analytics.ingest import LoadResult, check_ledger, ingest_file
from analytics.ingest.headers import check_mappings
from analytics.ledgers import LEDGERS

MAX_ROW_ERRORS_SHOWN = 20


def parse_map_options(options: list[str]) -> dict[str, str]:
    """`['OA列名=column', ...]` → `{'OA列名': 'column'}`; a malformed one is a UsageError."""
    mappings = {}
    for option in options:
        header, separator, column = option.rpartition("=")
        if not separator or not header.strip() or not column.strip():
            raise UsageError(f"--map {option!r}：应写成 '文件中的列名=标准列名'，例如 --map '经办部门=owner_dept'")
        mappings[header.strip()] = column.strip()
    return mappings


def _where(result: LoadResult) -> str:
    return result.file_name + (f" [{result.sheet}]" if result.sheet else "")


def describe_result(result: LoadResult) -> str:
    """One line: where, which ledger, the four counts, then the notes (footer rows, sheets skipped…)."""
    line = (
        f"{_where(result)}: {result.ledger} {LEDGERS[result.ledger].label_zh} — loaded {result.rows_loaded}, "
        f"replaced {result.rows_replaced}, rejected {result.rows_rejected}, skipped {result.rows_skipped}"
    )
    return line + "".join(f"；{note}" for note in result.notes)


def print_row_errors(errors: list[RowError]) -> None:
    for error in errors[:MAX_ROW_ERRORS_SHOWN]:
        print(f"  {error.describe()}", file=sys.stderr)
    if len(errors) > MAX_ROW_ERRORS_SHOWN:
        print(f"  …另有 {len(errors) - MAX_ROW_ERRORS_SHOWN} 处错误未列出", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Load every file given; return the exit status."""
    db_path = database_path(args.db)
    check_ledger(args.ledger)
    mappings = parse_map_options(args.map or [])
    check_mappings(mappings, args.ledger)
    missing = [name for name in args.files if not Path(name).is_file()]
    if missing:
        raise UsageError("文件不存在：" + "、".join(missing))
    status = 0
    for name in args.files:
        try:
            results = ingest_file(
                db_path,
                Path(name),
                ledger=args.ledger,
                load_valid=args.load_valid,
                mappings=mappings,
                encoding=args.encoding,
                user=args.user,
            )
        except UsageError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            status = 2
            continue
        except AnalyticsError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            print_row_errors(getattr(exc, "row_errors", []))
            status = max(status, exc.exit_status)
            continue
        for result in results:
            print(describe_result(result))
            if result.row_errors:
                rows = len({error.row for error in result.row_errors})
                print(
                    f"错误：{_where(result)}：{rows} 行有错误，未导入，已放入隔离表 quarantine（其余行已导入）",
                    file=sys.stderr,
                )
                print_row_errors(result.row_errors)
                status = max(status, 1)
    return status

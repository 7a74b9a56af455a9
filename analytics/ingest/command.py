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
from analytics.ingest import LoadResult, check_constants, check_ledger, ingest_file
from analytics.ingest.headers import check_mappings
from analytics.ingest.mappings import check_value_mappings
from analytics.ingest.read import check_encoding
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


def parse_set_options(options: list[str]) -> dict[str, str]:
    """`['column=value', ...]` → `{'column': 'value'}`; a malformed one is a UsageError."""
    constants = {}
    for option in options:
        column, separator, value = option.partition("=")
        if not separator or not column.strip() or not value.strip():
            raise UsageError(f"--set {option!r}：应写成 '标准列名=值'，例如 --set direction=incoming")
        constants[column.strip()] = value.strip()
    return constants


def parse_map_value_options(options: list[str]) -> list[tuple[str, str, str]]:
    """`['column:原值=value', ...]` → `[('column', '原值', 'value')]`; a malformed one is a UsageError."""
    mappings = []
    for option in options:
        column, colon, rest = option.partition(":")
        text, separator, value = rest.rpartition("=")
        if not colon or not separator or not column.strip() or not text.strip() or not value.strip():
            raise UsageError(
                f"--map-value {option!r}：应写成 '标准列名:原值=取值'，例如 --map-value 'status:推进中=open'"
            )
        mappings.append((column.strip(), text.strip(), value.strip()))
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
    if any(error.reason.startswith("不是可用的取值") for error in errors):
        print(
            "提示：文件自己的取值（如「推进中,有阶段性进展」、代码 0–5）可用 --map-value '标准列名:原值=取值' "
            "指定含义，例如 --map-value 'status:3=done'；会保存，下次自动使用。",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    """Load every file given; return the exit status."""
    db_path = database_path(args.db)
    check_ledger(args.ledger)
    mappings = parse_map_options(args.map or [])
    check_mappings(mappings, args.ledger)
    constants = check_constants(parse_set_options(args.set or []), args.ledger)
    value_mappings = parse_map_value_options(args.map_value or [])
    check_value_mappings(value_mappings, args.ledger)
    if args.encoding:
        check_encoding(args.encoding)
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
                constants=constants,
                value_mappings=value_mappings,
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

"""The command line: `python -m analytics COMMAND` (shared/spec/cli.md).

This module parses arguments and maps errors to exit statuses, in one place:
0 success, 1 the work failed (a file did not load, ...), 2 the request was wrong. No traceback
ever reaches the user; each command's work lives in its own module, called through `run(args)`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import duckdb

from analytics.errors import AnalyticsError, UsageError

COMMANDS: dict[str, str] = {
    "ingest": "analytics.ingest.command",
    "metrics": "analytics.metrics.command",
    "sample": "analytics.sample",
    "report": "analytics.report",
    "users": "analytics.auth.command",
    "push": "analytics.push",
    "bulletin": "analytics.followup.command",
}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe for a terminal: control characters (ESC, CR, C1, bidirectional overrides…) written as
    `\\u001b`, so a cell value cannot recolour, rewrite or hide what the command prints; tab and
    newline stay. Inside JSON strings the escape reads back as the character itself."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _PrintableStream:
    """A text stream that writes everything through `printable`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextmanager
def _printable_output() -> Iterator[None]:
    """Everything the command prints (file names, cell values, sheet names in messages) is printable."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _PrintableStream(stdout), _PrintableStream(stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}（用 --help 查看用法）")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description="总经理助理周度复盘工作台 — weekly review workbench")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", help="数据库文件（默认 OPS_DB 或 data/ops.duckdb）")
        return sub

    ingest = command("ingest", "导入台账文件（CSV/XLSX） — load ledger exports")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument("--ledger", help="台账名称：meetings, decisions, supplies, documents, incidents, schedule")
    ingest.add_argument("--load-valid", action="store_true", help="只导入有效行，无效行进入隔离表")
    ingest.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=column",
        help="把文件中的列名映射到标准列（会保存，下次自动使用）",
    )
    ingest.add_argument(
        "--map-value",
        action="append",
        default=[],
        metavar="column:原值=value",
        help="把文件中的取值映射到标准取值，如 'status:推进中=open'（会保存，下次自动使用）",
    )
    ingest.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="column=value",
        help="文件缺少的列，整个文件取同一个值，如 direction=incoming（会按表头记住）",
    )
    ingest.add_argument("--encoding", help="强制指定 CSV 编码（一般无需指定，会自动识别）")
    ingest.add_argument("--user", help="记录在导入日志中的操作人（默认当前系统用户）")

    metrics = command("metrics", "一周（或一月、一季度、一年）的指标 — one period's metrics")
    metrics.add_argument("--week", help="YYYY-Www；默认为最近一个有数据的完整周；进行中的周截至今天计算")
    metrics.add_argument("--period", help="周 2026-W47、月 2026-11、季度 2026-Q4 或年 2026；进行中的截至今天计算")
    metrics.add_argument("--format", choices=("json", "table"), default="table")
    metrics.add_argument("--lang", choices=("zh", "en"), default="zh")
    metrics.add_argument(
        "--show-sql", metavar="NAME", help="打印一个指标的 SQL（及其参数）而不计算 — print one metric's SQL"
    )

    sample = command("sample", "生成示例公司台账 — write a synthetic company's exports")
    sample.add_argument("--out", required=True, help="输出目录")
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument("--weeks", type=int, default=52)
    sample.add_argument("--scale", type=float, default=1.0)

    report = command("report", "导出周报 — export the weekly report")
    report.add_argument("--week", help="YYYY-Www；默认为最近一个有数据的完整周")
    report.add_argument("--out", required=True, help="FILE.xlsx、FILE.md、FILE.docx 或 FILE.pdf")
    report.add_argument("--lang", choices=("zh", "en"), default="zh")
    report.add_argument("--comment", help="总经理助理意见（.docx、.pdf 的最后一页）")
    report.add_argument("--comment-file", help="从 UTF-8 文本文件读取助理意见（- 为标准输入）")

    bulletin = command("bulletin", "督办通报：按部门排名 — the follow-up bulletin of a period, departments ranked")
    bulletin.add_argument("--period", required=True, help="周 2026-W47、月 2026-11、季度 2026-Q4 或年 2026")
    bulletin.add_argument("--out", required=True, help="FILE.docx、FILE.xlsx 或 FILE.md")

    push = command("push", "把周度复盘推送到群机器人（企业微信/钉钉/飞书） — send the week's summary to a group robot")
    push.add_argument("--week", help="YYYY-Www；默认为最近一个有数据的完整周")
    push.add_argument("--to", required=True, metavar="NAME", help="设置文件中 [push.NAME] 的机器人")
    push.add_argument("--dry-run", action="store_true", help="只打印将要发送的请求（JSON，密钥已隐去），不发送")

    from analytics.auth.command import add_arguments

    users_help = "账号与角色（管理员工具） — accounts and roles (administrator tool)"
    users = commands.add_parser("users", help=users_help, description=users_help)
    add_arguments(users)  # --db on each action: argparse would let a sub-command's default overwrite it
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status.

    Files this process creates (reports, the database's write-ahead log) are its owner's only.
    """
    os.umask(os.umask(0o077) | 0o077)
    with _printable_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command != "sample":
            from analytics.config import database_path
            from analytics.db import check_database_path

            given = getattr(args, "db", None)
            option = "--db" if given else "OPS_DB" if os.environ.get("OPS_DB") else "数据库"
            check_database_path(Path(database_path(given)), option)
        module = importlib.import_module(COMMANDS[args.command])
        return int(module.run(args) or 0)
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_status
    except AnalyticsError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_status
    except duckdb.Error as exc:
        print(f"数据库错误：{str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except Exception as exc:  # noqa: BLE001 — the last guard: never a traceback for a user
        print(f"内部错误：{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1

"""`python -m analytics users add|list|disable|enable|passwd|role`: accounts, for the administrator.

The command line works on the database file directly: whoever can run it there is the administrator
(the file is readable by its owner only). Every change is written to the audit log as
`cli:<operating-system user>`. Passwords are read with getpass at a terminal, or as one line from
standard input with `--password-stdin`; never from the command line, where `ps` would show them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import unicodedata

from analytics.auth import accounts
from analytics.auth.identity import ROLES, check_role, role_label
from analytics.config import database_path
from analytics.errors import UsageError


def add_arguments(users: argparse.ArgumentParser, db_option: str = "--db") -> None:
    """The `users` sub-commands (called by analytics.cli.build_parser)."""
    actions = users.add_subparsers(dest="action", required=True, parser_class=type(users))

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(db_option, dest="db", help="数据库文件（默认 OPS_DB 或 data/ops.duckdb）")
        return sub

    add = action("add", "新增账号 — add an account")
    add.add_argument("name", metavar="NAME", help="账号名；统一身份认证用户填其邮箱或 sub")
    add.add_argument("--role", required=True, choices=ROLES, help="assistant, gm, dept_head 或 viewer")
    add.add_argument("--dept", action="append", default=[], metavar="D", help="部门（dept_head 必填，可多次）")
    add.add_argument("--display-name", help="显示名（默认为账号名）")
    add.add_argument("--oidc", action="store_true", help="统一身份认证（OIDC）用户：只分配角色，不设密码")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")

    action("list", "列出账号 — list accounts")

    for name, help_text in (("disable", "停用账号 — disable an account"), ("enable", "重新启用账号 — enable again")):
        sub = action(name, help_text)
        sub.add_argument("name", metavar="NAME")

    passwd = action("passwd", "重设密码（并解除锁定） — set a new password (and unlock)")
    passwd.add_argument("name", metavar="NAME")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")

    role = action("role", "修改角色和部门 — change role and departments")
    role.add_argument("name", metavar="NAME")
    role.add_argument("--role", required=True, choices=ROLES)
    role.add_argument("--dept", action="append", default=[], metavar="D")


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 — no user name in this environment
        return "cli"


def read_password(from_stdin: bool) -> str:
    """One password: a line of standard input, or typed twice at a terminal (not echoed)."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise UsageError("标准输入中没有密码")
        return password
    if not sys.stdin.isatty():
        raise UsageError("没有终端可输入密码：请用 --password-stdin 从标准输入提供")
    first = getpass.getpass("新密码：")
    second = getpass.getpass("再输入一次：")
    if first != second:
        raise UsageError("两次输入的密码不一致")
    return first


def run(args: argparse.Namespace) -> int:
    db = database_path(getattr(args, "db", None))
    who = actor()
    if args.action == "add":
        if args.oidc and args.password_stdin:
            raise UsageError("--oidc 账号不设密码，不能与 --password-stdin 同用")
        accounts.check_name(args.name)
        check_role(args.role, args.dept)
        if accounts.get_account(db, args.name) is not None:
            raise UsageError(f"账号已存在：{accounts.normalize_name(args.name)}")
        password = None if args.oidc else read_password(args.password_stdin)
        account = accounts.add_account(
            db,
            args.name,
            args.role,
            args.dept,
            password=password,
            display_name=args.display_name,
            source="oidc" if args.oidc else "local",
            actor=who,
        )
        print(f"已新增账号 {account.name}（{role_label(account.role)}{_depts(account.departments)}）")
    elif args.action == "list":
        print_accounts(accounts.list_accounts(db))
    elif args.action in ("disable", "enable"):
        accounts.set_disabled(db, args.name, args.action == "disable", actor=who)
        print(f"已{'停用' if args.action == 'disable' else '启用'}账号 {accounts.normalize_name(args.name)}")
    elif args.action == "passwd":
        account = accounts.get_account(db, args.name)
        if account is None:
            raise UsageError(f"没有这个账号：{accounts.normalize_name(args.name)}")
        accounts.set_password(db, args.name, read_password(args.password_stdin), actor=who)
        print(f"已为 {account.name} 设置新密码")
    elif args.action == "role":
        accounts.set_role(db, args.name, args.role, args.dept, actor=who)
        print(f"已将 {accounts.normalize_name(args.name)} 的角色改为 {role_label(args.role)}{_depts(args.dept)}")
    return 0


def _depts(departments: object) -> str:
    names = [d for d in (departments or []) if d]  # type: ignore[union-attr]
    return f"：{'、'.join(names)}" if names else ""


def print_accounts(rows: list[accounts.Account]) -> None:
    if not rows:
        print("还没有账号。新增：python -m analytics users add NAME --role assistant")
        return
    header = ("账号", "显示名", "角色", "部门", "登录方式", "状态", "最近登录")
    lines = [header]
    for account in rows:
        if account.disabled:
            state = "停用"
        elif account.locked_until is not None:
            state = f"锁定至 {account.locked_until:%H:%M}"
        else:
            state = "启用"
        lines.append(
            (
                account.name,
                account.display_name,
                role_label(account.role),
                "、".join(account.departments) or "—",
                "本地密码" if account.source == "local" else "统一身份认证",
                state,
                f"{account.last_sign_in_at:%Y-%m-%d %H:%M}" if account.last_sign_in_at else "—",
            )
        )
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(line)).rstrip())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

"""`python -m analytics users …` in a subprocess: add, list, disable, enable, passwd, role; usage errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from analytics.auth import accounts, audit
from analytics.errors import AccessError
from tests.conftest import PYTHON

PASSWORD = "Cli-password-2026"


def users(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYTHON), "-m", "analytics", "users", *args, "--db", str(db)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_account_added_from_the_command_line_can_sign_in_and_is_listed(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    added = users(
        db, "add", "caiwu", "--role", "dept_head", "--dept", "财务部", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert added.returncode == 0, added.stderr
    assert "caiwu" in added.stdout and PASSWORD not in added.stdout + added.stderr
    assert accounts.authenticate_local(db, "caiwu", PASSWORD, sleep=lambda _: None).departments == ("财务部",)
    assert users(db, "add", "boss@corp.example", "--role", "gm", "--oidc").returncode == 0
    listed = users(db, "list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:3] == ["账号", "显示名", "角色"]
    assert any(line.startswith("caiwu") and "部门负责人" in line and "财务部" in line for line in lines)
    assert any(line.startswith("boss@corp.example") and "统一身份认证" in line for line in lines)
    assert (tmp_path / "ops.duckdb").stat().st_mode & 0o777 == 0o600


def test_disable_enable_passwd_and_role_change_the_account_and_are_audited(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    users(db, "add", "zhuli", "--role", "assistant", "--password-stdin", stdin=PASSWORD)
    assert users(db, "disable", "ZHULI").returncode == 0
    with pytest.raises(AccessError):
        accounts.authenticate_local(db, "zhuli", PASSWORD, sleep=lambda _: None)
    assert "停用" in users(db, "list").stdout
    assert users(db, "enable", "zhuli").returncode == 0
    assert users(db, "passwd", "zhuli", "--password-stdin", stdin="New-password-99\n").returncode == 0
    assert accounts.authenticate_local(db, "zhuli", "New-password-99", sleep=lambda _: None).role == "assistant"
    assert users(db, "role", "zhuli", "--role", "viewer").returncode == 0
    assert accounts.get_account(db, "zhuli").role == "viewer"
    actions = list(audit.entries(db)["action"].iloc[::-1])
    assert actions == [
        "account_add",
        "account_disable",
        "sign_in",
        "account_enable",
        "account_password",
        "sign_in",
        "account_change",
    ]
    assert set(audit.entries(db, action="account_add")["actor"]) == {f"cli:{__import__('getpass').getuser()}"}


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (("add", "x", "--role", "boss", "--password-stdin"), "Passw0rd-long", "invalid choice"),
        (("add", "x", "--role", "dept_head", "--password-stdin"), "Passw0rd-long", "至少要指定一个部门"),
        (("add", "x", "--role", "gm", "--password-stdin"), "short", "至少 10 个字符"),
        (("add", "x", "--role", "gm", "--password-stdin"), "", "没有密码"),
        (("add", "x", "--role", "gm"), "Passw0rd-long", "没有终端"),
        (("add", "x", "--role", "gm", "--oidc", "--password-stdin"), "Passw0rd-long", "不设密码"),
        (("disable", "nobody"), None, "没有这个账号"),
        (("passwd", "nobody", "--password-stdin"), "Passw0rd-long", "没有这个账号"),
        (("frobnicate",), None, "invalid choice"),
    ],
    ids=[
        "bad-role",
        "no-dept",
        "short",
        "empty-stdin",
        "no-tty",
        "oidc-password",
        "disable-unknown",
        "passwd-unknown",
        "bad-action",
    ],
)
def test_a_wrong_request_is_one_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    result = users(tmp_path / "ops.duckdb", *args, stdin=stdin)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "Passw0rd-long" not in result.stderr


def test_an_existing_account_is_refused_before_a_password_is_asked_for(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    users(db, "add", "zhuli", "--role", "assistant", "--password-stdin", stdin=PASSWORD)
    result = users(db, "add", "zhuli", "--role", "gm")  # no stdin password: would fail on it otherwise
    assert result.returncode == 2 and "已存在" in result.stderr

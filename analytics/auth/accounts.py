"""Accounts: local accounts with passwords, and entries that give a role to an identity-provider user.

The `users` table holds both. A `local` row has an Argon2id password hash; an `oidc` row has none
and maps a subject or e-mail address from the company's identity provider to a role and
departments (see `analytics.auth.oidc`). Names are compared case-insensitively (NFKC, casefold).

Sign-in failures are counted per typed name and per client address (the browser's) in
`sign_in_throttle` — for names that exist and names that do not alike, so neither the answer, its
timing nor a block tells whether an account exists. Each failure is answered more slowly
(`failure_delay`); from the MAX_FAILURES-th failure in a row, that address is blocked for that name for
1, 2, 4 … up to MAX_BLOCK_MINUTES minutes. Nobody can lock an owner out: a block holds only for the
address that failed, and the name-wide limit (NAME_WIDE_FAILURES failures in an hour from all
addresses together) spares addresses from which the name has signed in before. (The table
`sign_in_attempts` of earlier versions, which locked the name itself, is no longer written.)
Every attempt is written to the audit log.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from analytics.auth import audit
from analytics.auth.identity import DEPT_HEAD, SOURCES, Identity, check_role, clean_departments
from analytics.auth.passwords import (
    check_strength,
    hash_password,
    needs_rehash,
    spend_verification_time,
    verify_password,
)
from analytics.db import connect, transaction, writer
from analytics.errors import AccessError, UsageError

MAX_FAILURES = 5
MAX_BLOCK_MINUTES = 60
NAME_WIDE_FAILURES = 50
NAME_WIDE_WINDOW = timedelta(hours=1)
LOCAL_CLIENT = "local"
MAX_NAME_LENGTH = 128
WRONG_CREDENTIALS = "账号或密码不正确。 Wrong account name or password."


@dataclass(frozen=True)
class Account:
    """One row of `users`, without its password hash."""

    name: str
    display_name: str
    role: str
    departments: tuple[str, ...]
    source: str
    disabled: bool
    has_password: bool
    created_at: datetime | None
    updated_at: datetime | None
    last_sign_in_at: datetime | None
    locked_until: datetime | None = None

    def identity(self) -> Identity:
        return Identity(self.name, self.display_name or self.name, self.role, self.departments, self.source)


def normalize_name(name: str) -> str:
    """The stored form of an account name: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def check_name(name: str) -> str:
    normal = normalize_name(name)
    if not normal:
        raise UsageError("账号名不能为空")
    if len(normal) > MAX_NAME_LENGTH:
        raise UsageError(f"账号名最多 {MAX_NAME_LENGTH} 个字符")
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in normal):
        raise UsageError("账号名不能包含空格或控制字符")
    return normal


def failure_delay(failures: int) -> float:
    """Seconds to wait before answering the n-th failure in a row: 0.5, 1, 2, 4, then 4."""
    return min(4.0, 0.5 * 2 ** max(0, failures - 1))


_SELECT = (
    "select u.name, u.display_name, u.role, u.departments, u.source, u.disabled, u.password_hash is not null, "
    "u.created_at, u.updated_at, u.last_sign_in_at, a.locked_until "
    "from users u left join (select name, max(blocked_until) as locked_until from sign_in_throttle group by name) a "
    "on a.name = u.name"
)


def _account(row: Sequence[object], now: datetime | None = None) -> Account:
    locked = row[10]
    if locked is not None and now is not None and locked <= now:
        locked = None
    return Account(
        name=str(row[0]),
        display_name=str(row[1] or row[0]),
        role=str(row[2]),
        departments=tuple(row[3] or ()),
        source=str(row[4]),
        disabled=bool(row[5]),
        has_password=bool(row[6]),
        created_at=row[7],  # type: ignore[arg-type]
        updated_at=row[8],  # type: ignore[arg-type]
        last_sign_in_at=row[9],  # type: ignore[arg-type]
        locked_until=locked,  # type: ignore[arg-type]
    )


def _find(con: duckdb.DuckDBPyConnection, name: str, now: datetime | None = None) -> Account | None:
    rows = con.execute(_SELECT + " where u.name = ?", [name]).fetchall()
    return _account(rows[0], now or datetime.now()) if rows else None


def list_accounts(db: Path | str) -> list[Account]:
    """Every account, local and identity-provider entries, by name."""
    with connect(db) as con:
        now = datetime.now()
        return [_account(row, now) for row in con.execute(_SELECT + " order by u.source, u.name").fetchall()]


def get_account(db: Path | str, name: str, now: datetime | None = None) -> Account | None:
    """The account as of `now` (default: the clock), a lock that has run out shown as none."""
    with connect(db) as con:
        return _find(con, normalize_name(name), now)


def accounts_configured(db: Path | str) -> bool:
    """True once any account (local or identity-provider entry) exists, enabled or not."""
    with connect(db) as con:
        return bool(con.execute("select count(*) from users").fetchall()[0][0])


def local_accounts_exist(db: Path | str) -> bool:
    """True when at least one enabled local account can sign in (the app then shows its form)."""
    with connect(db) as con:
        rows = con.execute("select count(*) from users where source = 'local' and not disabled").fetchall()
        return bool(rows[0][0])


def add_account(
    db: Path | str,
    name: str,
    role: str,
    departments: Sequence[str] = (),
    *,
    password: str | None = None,
    display_name: str | None = None,
    source: str = "local",
    actor: Identity | str | None = None,
) -> Account:
    """Create an account. A local account needs a password; an `oidc` entry must not have one."""
    normal = check_name(name)
    departments = clean_departments(departments)
    check_role(role, departments)
    if role != DEPT_HEAD:
        departments = ()
    if source not in SOURCES:
        raise UsageError(f"未知的账号来源：{source!r}（local 或 oidc）")
    if source == "local":
        if password is None:
            raise UsageError("本地账号需要密码")
        check_strength(password, normal)
        password_hash: str | None = hash_password(password)
    else:
        if password is not None:
            raise UsageError("统一身份认证（oidc）账号不设密码：密码由公司的身份提供方管理")
        password_hash = None
    now = datetime.now()
    with writer(db) as con:
        if _find(con, normal) is not None:
            raise UsageError(f"账号已存在：{normal}")
        with transaction(con):
            con.execute(
                "insert into users (name, display_name, role, departments, source, password_hash, disabled, "
                "created_at, updated_at) values (?, ?, ?, ?, ?, ?, false, ?, ?)",
                [
                    normal,
                    (display_name or "").strip() or normal,
                    role,
                    list(departments),
                    source,
                    password_hash,
                    now,
                    now,
                ],
            )
            con.execute("delete from sign_in_throttle where name = ?", [normal])
            audit.record(
                con,
                "account_add",
                actor,
                target=normal,
                detail={"role": role, "departments": list(departments), "source": source},
            )
        account = _find(con, normal)
    assert account is not None
    return account


def _require(con: duckdb.DuckDBPyConnection, name: str) -> Account:
    account = _find(con, normalize_name(name))
    if account is None:
        raise UsageError(f"没有这个账号：{normalize_name(name)}")
    return account


def set_password(db: Path | str, name: str, password: str, *, actor: Identity | str | None = None) -> None:
    """Give a local account a new password; clears its failure count and lock."""
    with writer(db) as con:
        account = _require(con, name)
        if account.source != "local":
            raise UsageError(f"{account.name} 通过统一身份认证登录，没有本地密码")
        check_strength(password, account.name)
        password_hash = hash_password(password)
        with transaction(con):
            con.execute(
                "update users set password_hash = ?, updated_at = ? where name = ?",
                [password_hash, datetime.now(), account.name],
            )
            con.execute("delete from sign_in_throttle where name = ?", [account.name])
            audit.record(con, "account_password", actor, target=account.name)


def set_disabled(db: Path | str, name: str, disabled: bool = True, *, actor: Identity | str | None = None) -> None:
    """Disable (or enable again) an account; a disabled account cannot sign in, and an open session
    of it ends at its next click."""
    with writer(db) as con:
        account = _require(con, name)
        with transaction(con):
            con.execute(
                "update users set disabled = ?, updated_at = ? where name = ?",
                [disabled, datetime.now(), account.name],
            )
            con.execute("delete from sign_in_throttle where name = ?", [account.name])
            audit.record(con, "account_disable" if disabled else "account_enable", actor, target=account.name)


def set_role(
    db: Path | str,
    name: str,
    role: str,
    departments: Sequence[str] = (),
    *,
    actor: Identity | str | None = None,
) -> None:
    """Change an account's role and departments."""
    departments = clean_departments(departments)
    check_role(role, departments)
    if role != DEPT_HEAD:
        departments = ()
    with writer(db) as con:
        account = _require(con, name)
        with transaction(con):
            con.execute(
                "update users set role = ?, departments = ?, updated_at = ? where name = ?",
                [role, list(departments), datetime.now(), account.name],
            )
            audit.record(
                con,
                "account_change",
                actor,
                target=account.name,
                detail={"role": role, "departments": list(departments)},
            )


def current_identity(db: Path | str, identity: Identity) -> Identity | None:
    """The identity as the accounts table says now (role, departments, still enabled), or None when
    the account is gone or disabled. Sessions call this on every run, so a change applies at once."""
    with connect(db) as con:
        account = _find(con, identity.name)
    if account is None or account.disabled or account.source != identity.source:
        return None
    return account.identity()


def block_minutes(failures: int) -> int:
    """How long one address is blocked for a name after its n-th failure in a row: from the
    MAX_FAILURES-th on, 1, 2, 4 … minutes, at most MAX_BLOCK_MINUTES; 0 before."""
    if failures < MAX_FAILURES:
        return 0
    return min(MAX_BLOCK_MINUTES, 2 ** min(failures - MAX_FAILURES, 10))


def _blocked(minutes: int) -> AccessError:
    return AccessError(f"尝试次数过多，请 {minutes} 分钟后再试。 Too many failed attempts: try again in {minutes} min.")


def authenticate_local(
    db: Path | str,
    name: str,
    password: str,
    *,
    client: str = LOCAL_CLIENT,
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Identity:
    """The Identity of a local account whose password matches; otherwise AccessError.

    Wrong name, wrong password and a disabled account read the same. `client` is where the attempt
    comes from (the browser's address): an address blocked for this name, or any address new to it
    while the name has had NAME_WIDE_FAILURES failures in the last hour, is refused without a look at
    the password. The attempt is audited either way, and a failure is answered after `failure_delay`.
    """
    now = now or datetime.now()
    normal = normalize_name(name)
    if not normal or len(normal) > MAX_NAME_LENGTH:
        spend_verification_time(password)
        sleep(failure_delay(1))
        raise AccessError(WRONG_CREDENTIALS)
    client = str(client or LOCAL_CLIENT)[:MAX_NAME_LENGTH]
    with writer(db) as con:
        attempts = con.execute(
            "select failures, blocked_until, last_success_at from sign_in_throttle where name = ? and client = ?",
            [normal, client],
        ).fetchall()
        failures, blocked_until, last_success_at = attempts[0] if attempts else (0, None, None)
        if blocked_until is not None and blocked_until > now:
            audit.record(con, "sign_in", normal, source="local", outcome="refused", detail="blocked", when=now)
            raise _blocked(max(1, int((blocked_until - now).total_seconds() // 60) + 1))
        if last_success_at is None:
            ((recent,),) = con.execute(
                "select coalesce(sum(failures), 0) from sign_in_throttle where name = ? and last_failure_at > ?",
                [normal, now - NAME_WIDE_WINDOW],
            ).fetchall()
            if recent >= NAME_WIDE_FAILURES:
                audit.record(con, "sign_in", normal, source="local", outcome="refused", detail="name_wide", when=now)
                raise _blocked(int(NAME_WIDE_WINDOW.total_seconds() // 60))
        rows = con.execute("select password_hash, disabled, source from users where name = ?", [normal]).fetchall()
        stored_hash, disabled, source = rows[0] if rows else (None, True, None)
        matched = verify_password(stored_hash, password) if source == "local" else False
        if source != "local":
            spend_verification_time(password)
        if matched and not disabled:
            with transaction(con):
                if needs_rehash(stored_hash):
                    con.execute("update users set password_hash = ? where name = ?", [hash_password(password), normal])
                con.execute("update users set last_sign_in_at = ? where name = ?", [now, normal])
                con.execute(
                    "insert or replace into sign_in_throttle (name, client, failures, last_failure_at, blocked_until, "
                    "last_success_at) values (?, ?, 0, null, null, ?)",
                    [normal, client, now],
                )
                account = _find(con, normal)
                assert account is not None
                identity = account.identity()
                audit.record(con, "sign_in", identity, when=now)
            return identity
        failures = int(failures or 0) + 1
        minutes = block_minutes(failures)
        blocked = now + timedelta(minutes=minutes) if minutes else None
        reason = "unknown" if not rows else "disabled" if disabled else "not_local" if source != "local" else "password"
        with transaction(con):
            con.execute(
                "insert or replace into sign_in_throttle (name, client, failures, last_failure_at, blocked_until, "
                "last_success_at) values (?, ?, ?, ?, ?, ?)",
                [normal, client, failures, now, blocked, last_success_at],
            )
            con.execute(
                "delete from sign_in_throttle where last_success_at is null and last_failure_at < ? "
                "and (blocked_until is null or blocked_until < ?)",
                [now - timedelta(days=1), now],
            )
            audit.record(
                con,
                "sign_in",
                normal,
                source="local",
                outcome="refused",
                detail={"reason": reason, "failures": failures, "client": client, "blocked_minutes": minutes},
                when=now,
            )
    sleep(failure_delay(failures))
    if blocked is not None:
        raise _blocked(minutes)
    raise AccessError(WRONG_CREDENTIALS)

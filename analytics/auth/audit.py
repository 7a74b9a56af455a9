"""The audit log: who did what, when — sign-ins (and refusals), uploads, exports, settings, accounts.

One row per action in the database's `audit_log` table. Details are short words and names (a file
name, a week, a role), never a password or a row of ledger data. Visible to the assistant and the
GM in the app (`audit` page) and to the administrator through the database file.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.auth.identity import Identity
from analytics.db import connect, writer

# The actions the log knows, with their labels.
ACTIONS: dict[str, tuple[str, str]] = {
    "sign_in": ("登录", "Sign-in"),
    "sign_out": ("退出", "Sign-out"),
    "upload": ("导入数据", "Upload"),
    "export": ("导出/下载", "Export / download"),
    "settings": ("修改阈值设置", "Settings change"),
    "account_add": ("新增账号", "Account added"),
    "account_change": ("修改账号", "Account changed"),
    "account_disable": ("停用账号", "Account disabled"),
    "account_enable": ("启用账号", "Account enabled"),
    "account_password": ("重设密码", "Password set"),
    "page_refused": ("拒绝访问页面", "Page refused"),
    "push": ("群机器人推送", "Group robot message"),
}
OUTCOMES = ("ok", "refused", "failed")
COLUMNS = ["audit_id", "occurred_at", "actor", "source", "role", "action", "target", "outcome", "detail"]
MAX_TEXT = 500


def _text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return value[:MAX_TEXT]


def record(
    con: duckdb.DuckDBPyConnection,
    action: str,
    actor: Identity | str | None,
    *,
    target: str | None = None,
    outcome: str = "ok",
    detail: Any = None,
    source: str | None = None,
    role: str | None = None,
    when: datetime | None = None,
) -> None:
    """Add one row to the log on an open connection (inside the caller's transaction, if any)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    if isinstance(actor, Identity):
        source = source or actor.source
        role = role or actor.role
        actor = actor.name
    con.execute(
        "insert into audit_log (occurred_at, actor, source, role, action, target, outcome, detail) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        [when or datetime.now(), _text(actor), source, role, action, _text(target), outcome, _text(detail)],
    )


def log(db: Path | str, action: str, actor: Identity | str | None, **fields: Any) -> None:
    """Add one row to the log of the database at `db` (its own short write)."""
    with writer(db) as con:
        record(con, action, actor, **fields)


def entries(
    db: Path | str,
    limit: int = 500,
    *,
    actor: str | None = None,
    action: str | None = None,
) -> pd.DataFrame:
    """The latest entries, newest first (optionally one actor's or one action's)."""
    where, params = [], {"limit": int(limit)}
    if actor:
        where.append("actor = $actor")
        params["actor"] = actor
    if action:
        where.append("action = $action")
        params["action"] = action
    sql = (
        f"select {', '.join(COLUMNS)} from audit_log "
        + (f"where {' and '.join(where)} " if where else "")
        + "order by audit_id desc limit $limit"
    )
    with connect(db) as con:
        return con.execute(sql, params).df()

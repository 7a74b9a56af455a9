"""The weekly fixture's company (tests/weekly_fixture.py) with secrecy levels and accounts on it.

Documents: F1 公开 (研发部), F2 内部 (财务部), F3 机密 (财务部, overdue at W47's end: it is on the
attention list and the report's documents sheet). Accounts, all with password PASSWORD:
assistant `zhuli`, GM `zongjingli`, 财务部 head `caiwu`, 研发部 head `yanfa`, viewer `guest`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from analytics.auth import accounts, passwords
from analytics.db import writer
from tests.weekly_fixture import build_weekly_fixture

REAL_HASHER = passwords._hasher  # before any test swaps it for a fast one
PASSWORD = "Week-review-2026"
SECRET_TITLE = "费用报销请示"  # F3's title, 机密
SECRECY = {"F1": "public", "F2": "internal", "F3": "confidential"}
ACCOUNTS = {
    "zhuli": ("assistant", ()),
    "zongjingli": ("gm", ()),
    "caiwu": ("dept_head", ("财务部",)),
    "yanfa": ("dept_head", ("研发部",)),
    "guest": ("viewer", ()),
}


def build_secret_company(db_path: Path, *, with_accounts: bool = True) -> Path:
    """The weekly fixture, its documents given 密级, and (by default) one account per role."""
    build_weekly_fixture(db_path)
    with writer(db_path) as con:
        for doc_id, level in SECRECY.items():
            con.execute("update documents set secrecy = ? where doc_id = ?", [level, doc_id])
    if with_accounts:
        for name, (role, departments) in ACCOUNTS.items():
            accounts.add_account(db_path, name, role, departments, password=PASSWORD, actor="test")
    return db_path


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Argon2id with the smallest parameters: the tests check behaviour, not cost (one test checks
    the real parameters)."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()

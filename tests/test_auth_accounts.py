"""Local accounts: Argon2id hashes, refused passwords, lockout, disabling, and the audit rows they leave."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from analytics.auth import accounts, audit, passwords
from analytics.auth.identity import Identity
from analytics.db import connect
from analytics.errors import AccessError, UsageError
from tests.auth_fixture import REAL_HASHER, fast_hashing  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("fast_hashing")
PASSWORD = "Correct-horse-9"
NOW = datetime(2026, 11, 24, 9, 0)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ops.duckdb"
    accounts.add_account(path, "Zhuli", "assistant", password=PASSWORD, display_name="王助理", actor="test")
    return path


def sign_in(db: Path, name: str, password: str, now: datetime = NOW, delays: list[float] | None = None) -> Identity:
    return accounts.authenticate_local(db, name, password, now=now, sleep=(delays if delays is not None else []).append)


def all_text(db: Path) -> str:
    """Every value of every table that can hold text, as one string."""
    with connect(db) as con:
        parts = []
        for table in ("users", "sign_in_throttle", "audit_log"):
            parts += [repr(row) for row in con.execute(f"select * from {table}").fetchall()]
    return "\n".join(parts)


def test_a_password_is_stored_as_an_argon2id_hash_and_never_in_clear(db: Path) -> None:
    with connect(db) as con:
        (stored,) = con.execute("select password_hash from users where name = 'zhuli'").fetchone()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert passwords.verify_password(stored, PASSWORD)
    assert not passwords.verify_password(stored, PASSWORD + "x")
    # two hashes of one password differ (salted)
    assert passwords.hash_password(PASSWORD) != passwords.hash_password(PASSWORD)
    with pytest.raises(AccessError):
        sign_in(db, "zhuli", "a-wrong-guess-42")
    text = all_text(db)
    assert PASSWORD not in text and "a-wrong-guess-42" not in text
    assert PASSWORD.encode() not in db.read_bytes()


def test_the_real_hasher_meets_owasp_argon2id_minimums() -> None:
    real = REAL_HASHER  # what analytics.auth.passwords uses outside these tests
    assert real.type.name == "ID"
    assert real.memory_cost >= 19 * 1024 and real.time_cost >= 2


def test_the_right_password_signs_in_with_name_role_and_source(db: Path) -> None:
    identity = sign_in(db, "  ZHULI ", PASSWORD)  # names are trimmed and case-insensitive
    assert identity == Identity("zhuli", "王助理", "assistant", (), "local")
    assert accounts.get_account(db, "zhuli").last_sign_in_at == NOW


@pytest.mark.parametrize(
    "name, password",
    [("zhuli", "Correct-horse-8"), ("nobody", PASSWORD), ("", PASSWORD), ("zhuli", "")],
    ids=["wrong-password", "unknown-name", "empty-name", "empty-password"],
)
def test_a_wrong_name_or_password_is_refused_with_one_message(db: Path, name: str, password: str) -> None:
    with pytest.raises(AccessError) as refused:
        sign_in(db, name, password)
    assert str(refused.value) == accounts.WRONG_CREDENTIALS


ATTACKER, OWNER = "10.0.0.66", "10.0.0.5"


def guess(db: Path, name: str, when: datetime, client: str = ATTACKER, delays: list[float] | None = None) -> str:
    """One wrong password from `client`; the refusal's message."""
    with pytest.raises(AccessError) as refused:
        accounts.authenticate_local(
            db,
            name,
            f"guess-{when:%H%M%S}-x",
            client=client,
            now=when,
            sleep=(delays if delays is not None else []).append,
        )
    return str(refused.value)


def test_failures_from_one_address_slow_it_down_and_block_that_address_for_ever_longer(db: Path) -> None:
    delays: list[float] = []
    for attempt in range(4):
        assert guess(db, "zhuli", NOW + timedelta(seconds=attempt), delays=delays) == accounts.WRONG_CREDENTIALS
    assert "请 1 分钟后再试" in guess(db, "zhuli", NOW + timedelta(seconds=5), delays=delays)
    assert delays == [0.5, 1.0, 2.0, 4.0, 4.0]
    # blocked: even the right password from that address is refused, without a look at it
    with pytest.raises(AccessError, match="请 1 分钟后再试"):
        accounts.authenticate_local(db, "zhuli", PASSWORD, client=ATTACKER, now=NOW + timedelta(seconds=10))
    assert accounts.get_account(db, "zhuli", NOW + timedelta(seconds=10)).locked_until is not None
    # each failure after a block doubles the next one: 2, 4 … minutes, at most an hour
    assert "请 2 分钟后再试" in guess(db, "zhuli", NOW + timedelta(minutes=2))
    assert "请 4 分钟后再试" in guess(db, "zhuli", NOW + timedelta(minutes=5))
    assert [accounts.block_minutes(n) for n in (4, 5, 6, 7, 10, 11, 30)] == [0, 1, 2, 4, 32, 60, 60]
    # the block runs out: the right password works, and the count starts again
    assert sign_in_from(db, PASSWORD, ATTACKER, NOW + timedelta(minutes=10)).role == "assistant"
    assert guess(db, "zhuli", NOW + timedelta(minutes=11)) == accounts.WRONG_CREDENTIALS


def sign_in_from(db: Path, password: str, client: str, when: datetime) -> Identity:
    return accounts.authenticate_local(db, "zhuli", password, client=client, now=when, sleep=lambda _: None)


def test_someone_failing_elsewhere_never_locks_the_owner_out(db: Path) -> None:
    """Five failures every 15 minutes used to keep the account locked for good; now they block only
    the address they come from."""
    for minute in range(0, 60, 15):
        for attempt in range(5):
            guess(db, "zhuli", NOW + timedelta(minutes=minute, seconds=attempt))
        assert sign_in_from(db, PASSWORD, OWNER, NOW + timedelta(minutes=minute, seconds=10)).name == "zhuli"


def test_many_addresses_together_are_stopped_but_not_the_owners_usual_place(db: Path) -> None:
    sign_in_from(db, PASSWORD, OWNER, NOW - timedelta(days=3))  # the owner's usual place
    for number in range(accounts.NAME_WIDE_FAILURES):
        guess(db, "zhuli", NOW + timedelta(seconds=number), client=f"10.1.{number // 200}.{number % 200}")
    with pytest.raises(AccessError, match="请 60 分钟后再试"):
        sign_in_from(db, PASSWORD, "10.2.0.1", NOW + timedelta(minutes=1))  # a new place waits
    assert sign_in_from(db, PASSWORD, OWNER, NOW + timedelta(minutes=1)).name == "zhuli"
    assert sign_in_from(db, PASSWORD, "10.2.0.1", NOW + timedelta(minutes=61)).name == "zhuli"


def test_an_unknown_name_is_slowed_down_the_same_way_so_blocks_do_not_tell_which_names_exist(db: Path) -> None:
    for attempt in range(4):
        assert guess(db, "ghost", NOW + timedelta(seconds=attempt)) == accounts.WRONG_CREDENTIALS
    assert "请 1 分钟后再试" in guess(db, "ghost", NOW + timedelta(seconds=5))


def test_a_new_password_clears_every_block(db: Path) -> None:
    for attempt in range(5):
        guess(db, "zhuli", NOW + timedelta(seconds=attempt))
    accounts.set_password(db, "zhuli", "Another-horse-7", actor="test")
    assert sign_in_from(db, "Another-horse-7", ATTACKER, NOW + timedelta(seconds=6)).name == "zhuli"
    with pytest.raises(AccessError):
        sign_in_from(db, PASSWORD, ATTACKER, NOW + timedelta(seconds=7))


def test_a_disabled_account_is_refused_like_a_wrong_password_and_its_session_ends(db: Path) -> None:
    identity = sign_in(db, "zhuli", PASSWORD)
    accounts.set_disabled(db, "zhuli", actor="test")
    with pytest.raises(AccessError) as refused:
        sign_in(db, "zhuli", PASSWORD)
    assert str(refused.value) == accounts.WRONG_CREDENTIALS
    assert accounts.current_identity(db, identity) is None
    accounts.set_disabled(db, "zhuli", False, actor="test")
    assert accounts.current_identity(db, identity) == identity


def test_a_role_change_applies_to_an_open_session(db: Path) -> None:
    identity = sign_in(db, "zhuli", PASSWORD)
    accounts.set_role(db, "zhuli", "dept_head", ["财务部"], actor="test")
    assert accounts.current_identity(db, identity) == Identity("zhuli", "王助理", "dept_head", ("财务部",), "local")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "x", "role": "boss", "password": PASSWORD}, "未知角色"),
        ({"name": "x", "role": "dept_head", "password": PASSWORD}, "至少要指定一个部门"),
        ({"name": "x", "role": "gm", "password": "short"}, "至少 10 个字符"),
        ({"name": "longname12", "role": "gm", "password": "LONGNAME12"}, "不能与账号名相同"),
        ({"name": "x", "role": "gm"}, "需要密码"),
        ({"name": "x y", "role": "gm", "password": PASSWORD}, "空格"),
        ({"name": "zhuli", "role": "gm", "password": PASSWORD}, "已存在"),
        ({"name": "a@b.c", "role": "gm", "password": PASSWORD, "source": "oidc"}, "不设密码"),
    ],
    ids=[
        "unknown-role",
        "dept-head-without-department",
        "short",
        "same-as-name",
        "no-password",
        "space",
        "dup",
        "oidc",
    ],
)
def test_an_account_that_breaks_a_rule_is_refused(db: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        accounts.add_account(db, **kwargs)


def test_every_account_change_and_sign_in_leaves_an_audit_row(db: Path) -> None:
    accounts.add_account(db, "caiwu", "dept_head", ["财务部"], password=PASSWORD, actor="cli:root")
    sign_in(db, "caiwu", PASSWORD)
    with pytest.raises(AccessError):
        sign_in(db, "caiwu", "not-the-password")
    accounts.set_password(db, "caiwu", "Brand-new-pass-1", actor="cli:root")
    accounts.set_role(db, "caiwu", "viewer", actor="cli:root")
    accounts.set_disabled(db, "caiwu", actor="cli:root")
    log = audit.entries(db).iloc[::-1]  # oldest first
    rows = list(zip(log["actor"], log["action"], log["target"].fillna(""), log["outcome"], strict=True))
    assert rows == [
        ("test", "account_add", "zhuli", "ok"),
        ("cli:root", "account_add", "caiwu", "ok"),
        ("caiwu", "sign_in", "", "ok"),
        ("caiwu", "sign_in", "", "refused"),
        ("cli:root", "account_password", "caiwu", "ok"),
        ("cli:root", "account_change", "caiwu", "ok"),
        ("cli:root", "account_disable", "caiwu", "ok"),
    ]
    signed_in = log[(log["action"] == "sign_in") & (log["outcome"] == "ok")].iloc[0]
    assert (signed_in["role"], signed_in["source"]) == ("dept_head", "local")
    assert '"reason": "password"' in log[log["outcome"] == "refused"].iloc[0]["detail"]


def test_accounts_configured_and_local_accounts_exist(tmp_path: Path) -> None:
    path = tmp_path / "ops.duckdb"
    assert not accounts.accounts_configured(path) and not accounts.local_accounts_exist(path)
    accounts.add_account(path, "boss@corp.example", "gm", source="oidc")
    assert accounts.accounts_configured(path) and not accounts.local_accounts_exist(path)
    accounts.add_account(path, "zhuli", "assistant", password=PASSWORD)
    assert accounts.local_accounts_exist(path)

"""Identity from an identity provider's claims: the accounts table first, then claims, else refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.auth import accounts, audit
from analytics.auth.identity import Identity
from analytics.auth.oidc import OidcSettings, identity_from_oidc, role_from_claims
from analytics.errors import AccessError, UsageError

ISSUER = "https://login.corp.example"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ops.duckdb"
    accounts.add_account(path, "Boss@Corp.example", "gm", source="oidc", display_name="总经理")
    accounts.add_account(path, f"{ISSUER}#sub-123", "dept_head", ["财务部"], source="oidc")
    return path


def test_an_entry_of_the_accounts_table_gives_the_role_by_email(db: Path) -> None:
    claims = {
        "sub": "abc",
        "email": "boss@corp.example",
        "email_verified": True,
        "name": "张总",
        "workbench_role": "viewer",
    }
    assert identity_from_oidc(claims, db) == Identity("boss@corp.example", "张总", "gm", (), "oidc")


def test_an_entry_by_subject_wins_over_one_by_email(db: Path) -> None:
    claims = {"iss": ISSUER, "sub": "SUB-123", "email": "boss@corp.example", "email_verified": True}
    identity = identity_from_oidc(claims, db)
    assert (identity.name, identity.role, identity.departments) == (f"{ISSUER}#sub-123", "dept_head", ("财务部",))


def test_an_unverified_email_is_not_matched(db: Path) -> None:
    claims = {"sub": "abc", "email": "boss@corp.example", "email_verified": False}
    with pytest.raises(AccessError, match="尚未分配角色"):
        identity_from_oidc(claims, db)


def test_a_disabled_entry_is_refused(db: Path) -> None:
    accounts.set_disabled(db, "boss@corp.example")
    with pytest.raises(AccessError, match="已停用"):
        identity_from_oidc({"sub": "abc", "email": "boss@corp.example", "email_verified": True}, db)


def test_without_an_entry_the_claims_give_role_and_departments(db: Path) -> None:
    claims = {
        "sub": "u1",
        "email": "li@corp.example",
        "email_verified": "true",
        "workbench_role": "dept_head",
        "workbench_departments": "研发部、财务部",
    }
    assert identity_from_oidc(claims, db) == Identity(
        "li@corp.example", "li@corp.example", "dept_head", ("研发部", "财务部"), "oidc"
    )


def test_claim_names_and_the_providers_words_are_configurable(db: Path) -> None:
    settings = OidcSettings.from_mapping(
        {"role_claim": "groups", "departments_claim": "dept", "role_values": {"总经办": "assistant", "管理层": "gm"}}
    )
    claims = {"sub": "u2", "groups": ["员工", "管理层", "总经办"], "dept": ["行政部"]}
    identity = identity_from_oidc(claims, db, settings)
    assert identity.role == "assistant"  # the most trusted of the groups
    assert identity.departments == ()  # only a department head carries departments


def test_no_role_is_refused_unless_a_default_role_is_set(db: Path) -> None:
    with pytest.raises(AccessError, match="尚未分配角色"):
        identity_from_oidc({"sub": "u3"}, db)
    assert identity_from_oidc({"sub": "u3"}, db, OidcSettings(default_role="viewer")).role == "viewer"
    with pytest.raises(AccessError, match="缺少部门"):
        identity_from_oidc({"sub": "u4", "workbench_role": "dept_head"}, db)
    with pytest.raises(AccessError, match="sub"):
        identity_from_oidc({"email": "x@corp.example"}, db)


def test_an_unknown_role_in_the_settings_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        OidcSettings.from_mapping({"default_role": "admin"})
    assert role_from_claims({"workbench_role": "superuser"}, OidcSettings()) is None


def test_sign_ins_and_refusals_are_audited_once_when_asked(db: Path) -> None:
    boss = {"sub": "abc", "email": "boss@corp.example", "email_verified": True}
    identity_from_oidc(boss, db)
    identity_from_oidc(boss, db, record=False)
    with pytest.raises(AccessError):
        identity_from_oidc({"iss": ISSUER, "sub": "nobody"}, db)
    log = audit.entries(db, action="sign_in").iloc[::-1]
    assert list(zip(log["actor"], log["source"], log["outcome"], strict=True)) == [
        ("boss@corp.example", "oidc", "ok"),
        (f"{ISSUER}#nobody", "oidc", "refused"),
    ]


def test_an_email_without_email_verified_is_not_matched_unless_the_administrator_trusts_the_provider(db: Path) -> None:
    """A missing `email_verified` used to count as verified: anyone able to set their e-mail at the
    provider could become the GM."""
    claims = {"iss": ISSUER, "sub": "abc", "email": "boss@corp.example"}
    with pytest.raises(AccessError, match="尚未分配角色"):
        identity_from_oidc(claims, db)
    with pytest.raises(AccessError, match="尚未分配角色"):
        identity_from_oidc({**claims, "email_verified": "false"}, db)
    trusting = OidcSettings.from_mapping({"trust_unverified_email": True})
    assert identity_from_oidc(claims, db, trusting).role == "gm"


def test_a_subject_matches_only_with_its_issuer(db: Path) -> None:
    """Another provider (or a test tenant) may issue the same `sub`: it is not the same person."""
    with pytest.raises(AccessError, match="尚未分配角色"):
        identity_from_oidc({"iss": "https://other-idp.example", "sub": "sub-123"}, db)
    with pytest.raises(AccessError, match="尚未分配角色"):
        identity_from_oidc({"sub": "sub-123"}, db)
    assert identity_from_oidc({"iss": ISSUER, "sub": "sub-123"}, db).departments == ("财务部",)

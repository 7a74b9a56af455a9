"""Identity from the company's identity provider (OIDC: Feishu, DingTalk, WeCom, Keycloak, Azure AD…).

Streamlit's `st.login` does the OpenID Connect sign-in and hands the ID token's claims over as
`st.user`; this module turns those claims into an Identity, in this order:

1. an `oidc` entry of the accounts table whose name is the user's issuer and subject
   (`ISSUER#SUB`, e.g. `https://login.corp.example#8f3a…`: a subject is unique only within its
   issuer), or their e-mail address when the provider vouches for it (`email_verified: true`; a
   missing claim is not a yes, unless `[access] trust_unverified_email = true` for a provider that
   only ever hands out the company's own addresses) — the administrator's explicit word
   (`python -m analytics users add alice@corp.example --oidc --role gm`); a disabled entry refuses;
2. otherwise the claims the provider sends: the role from `role_claim` (a string or a list, e.g.
   groups; values translated by `role_values`, the most trusted role wins) and the departments from
   `departments_claim` (a list, or one string separated by commas or 、);
3. otherwise `default_role`, if the administrator set one; else the sign-in is refused.

The claim names and the translation live in `.streamlit/secrets.toml` under `[access]`, beside
Streamlit's own `[auth]` section (see the README).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analytics.auth import audit
from analytics.auth.accounts import normalize_name
from analytics.auth.identity import DEPT_HEAD, ROLES, Identity, clean_departments
from analytics.db import connect
from analytics.errors import AccessError, UsageError

_SEPARATORS = re.compile(r"[,，、;；]")


@dataclass(frozen=True)
class OidcSettings:
    """Which claims carry the role and departments, and how the provider's words map to roles."""

    role_claim: str = "workbench_role"
    departments_claim: str = "workbench_departments"
    role_values: Mapping[str, str] = field(default_factory=dict)
    default_role: str | None = None
    match_email: bool = True
    trust_unverified_email: bool = False

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any] | None) -> OidcSettings:
        """From the `[access]` section of secrets.toml (missing keys keep their defaults)."""
        section = dict(section or {})
        role_values = {str(k): str(v) for k, v in dict(section.get("role_values") or {}).items()}
        default_role = section.get("default_role") or None
        for role in [*role_values.values(), *([default_role] if default_role else [])]:
            if role not in ROLES:
                raise UsageError(f"[access] 中的角色 {role!r} 不存在（可用：{', '.join(ROLES)}）")
        return cls(
            role_claim=str(section.get("role_claim") or cls.role_claim),
            departments_claim=str(section.get("departments_claim") or cls.departments_claim),
            role_values=role_values,
            default_role=default_role,
            match_email=bool(section.get("match_email", True)),
            trust_unverified_email=section.get("trust_unverified_email") is True,
        )


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in _SEPARATORS.split(value) if part.strip()]
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def role_from_claims(claims: Mapping[str, Any], settings: OidcSettings) -> str | None:
    """The most trusted role the claims name (through `role_values`), or the default role."""
    found = set()
    for value in _as_list(claims.get(settings.role_claim)):
        role = settings.role_values.get(value, value)
        if role in ROLES:
            found.add(role)
    for role in ROLES:  # most trusted first
        if role in found:
            return role
    return settings.default_role


def subject_key(claims: Mapping[str, Any]) -> str:
    """`ISSUER#SUB`: the user's subject qualified by its issuer (two providers may use the same `sub`)."""
    return f"{str(claims.get('iss') or '').strip()}#{str(claims.get('sub') or '').strip()}"


def email_verified(claims: Mapping[str, Any], settings: OidcSettings) -> bool:
    """True only when the provider says so (`true`, or the text `"true"` some providers send)."""
    verified = claims.get("email_verified")
    return verified is True or str(verified).strip().lower() == "true" or settings.trust_unverified_email


def _refuse(db: Path | str, subject: str, reason: str, record: bool, message: str) -> AccessError:
    if record:
        audit.log(db, "sign_in", subject, source="oidc", outcome="refused", detail={"reason": reason})
    return AccessError(message)


def identity_from_oidc(
    claims: Mapping[str, Any],
    db: Path | str,
    settings: OidcSettings | None = None,
    *,
    record: bool = True,
) -> Identity:
    """The Identity of an identity-provider user (see the module docstring); AccessError if none.

    With `record`, the sign-in (or its refusal) goes to the audit log: the app records it once per
    session and re-checks quietly on later runs, so a disabled entry ends the session at once.
    """
    settings = settings or OidcSettings()
    subject = str(claims.get("sub") or "").strip()
    email = str(claims.get("email") or "").strip()
    email_trusted = bool(email) and settings.match_email and email_verified(claims, settings)
    who = email if email_trusted else subject_key(claims)
    if not subject:
        raise _refuse(db, who or "?", "no_subject", record, "身份提供方没有给出用户标识（sub），无法登录。")
    candidates = [normalize_name(subject_key(claims))] + ([normalize_name(email)] if email_trusted else [])
    with connect(db) as con:
        rows = con.execute(
            "select name, display_name, role, departments, disabled from users "
            "where source = 'oidc' and list_contains(cast($names as varchar[]), name)",
            {"names": candidates},
        ).fetchall()
    by_name = {row[0]: row for row in rows}
    entry = next((by_name[name] for name in candidates if name in by_name), None)
    display = str(claims.get("name") or email or subject)
    if entry is not None:
        name, display_name, role, departments, disabled = entry
        if disabled:
            raise _refuse(db, name, "disabled", record, "该账号已停用，请联系总经理助理。 This account is disabled.")
        identity = Identity(name, display or display_name or name, role, tuple(departments or ()), "oidc")
    else:
        role = role_from_claims(claims, settings)
        if role is None:
            raise _refuse(
                db,
                who,
                "no_role",
                record,
                "已通过公司身份认证，但尚未分配角色：请联系总经理助理开通。"
                " Signed in, but no role has been granted to you yet: ask the assistant.",
            )
        departments = clean_departments(_as_list(claims.get(settings.departments_claim))) if role == DEPT_HEAD else ()
        try:
            identity = Identity(normalize_name(who), display, role, departments, "oidc")
        except UsageError:
            raise _refuse(
                db, who, "no_department", record, "部门负责人角色缺少部门信息，无法登录。 No department for the role."
            ) from None
    if record:
        audit.log(db, "sign_in", identity, detail={"via": "mapping" if entry else "claims"})
    return identity

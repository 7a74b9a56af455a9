"""Who the user is (`Identity`) and what that lets them see (`Scope`), whichever way they signed in.

Roles (issue 6):
- `assistant` — everything: every page, uploads, settings, accounts, the audit log;
- `gm` — everything, read-only (no uploads, no settings, no accounts), the audit log included;
- `dept_head` — only the rows of their departments and the numbers computed on them; no GM calendar
  details; the titles of documents above 内部 masked; no data-quality, upload or audit pages;
- `viewer` — the company-level overview only: numbers, no rows behind them.

The query layer (`analytics.auth.queries`) takes a Scope, never a role: the metrics engine gets the
scope's departments, and rows pass through `analytics.auth.masking` before anyone sees them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analytics.errors import UsageError
from analytics.pages import PAGE_KEYS

ASSISTANT, GM, DEPT_HEAD, VIEWER = "assistant", "gm", "dept_head", "viewer"
ROLES: tuple[str, ...] = (ASSISTANT, GM, DEPT_HEAD, VIEWER)  # most trusted first
ROLE_LABELS: dict[str, tuple[str, str]] = {
    ASSISTANT: ("总经理助理", "Assistant"),
    GM: ("总经理", "General Manager"),
    DEPT_HEAD: ("部门负责人", "Department head"),
    VIEWER: ("查看者", "Viewer"),
}
SOURCES = ("local", "oidc")

# Every page of the app by key (analytics/pages.py); a page no role lists here is open to nobody.
LEDGER_PAGES = ("meetings", "decisions", "supplies", "documents", "incidents")
ALL_PAGES: frozenset[str] = frozenset(PAGE_KEYS)
ROLE_PAGES: dict[str, frozenset[str]] = {
    ASSISTANT: ALL_PAGES,
    GM: ALL_PAGES - {"upload"},
    DEPT_HEAD: frozenset({"overview", *LEDGER_PAGES, "definitions"}),
    VIEWER: frozenset({"overview"}),
}

# 密级, least secret first (the documents ledger's enum). A department head sees the titles of the
# first two; above 内部 the title reads as the level's mask.
SECRECY_LEVELS: tuple[str, ...] = ("public", "internal", "secret", "confidential", "top_secret")
OPEN_SECRECY: frozenset[str] = frozenset({"public", "internal"})


@dataclass(frozen=True)
class Identity:
    """A signed-in user: account name, name to show, role, departments (dept_head only), and how they
    signed in (`local` account or the company's identity provider, `oidc`)."""

    name: str
    display_name: str
    role: str
    departments: tuple[str, ...] = ()
    source: str = "local"

    def __post_init__(self) -> None:
        check_role(self.role, self.departments)
        if self.source not in SOURCES:
            raise UsageError(f"未知的登录来源：{self.source!r}")


def check_role(role: str, departments: Sequence[str]) -> None:
    """A known role; a department head names at least one department (an empty list would read as
    "the whole company" further down)."""
    if role not in ROLES:
        raise UsageError(f"未知角色：{role!r}（可用：{', '.join(ROLES)}）")
    if role == DEPT_HEAD and not [d for d in departments if d.strip()]:
        raise UsageError("部门负责人（dept_head）至少要指定一个部门：--dept 部门名")


# Who the app runs as on this computer while no account and no identity provider is configured.
LOCAL_ADMINISTRATOR = Identity("localhost", "本机管理员", ASSISTANT, (), "local")


def clean_departments(departments: Iterable[str]) -> tuple[str, ...]:
    """Department names as stored: trimmed, blanks dropped, duplicates once, in the order given."""
    seen: dict[str, None] = {}
    for department in departments:
        name = str(department).strip()
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


@dataclass(frozen=True)
class Scope:
    """What one user may see, as the query layer needs it.

    `departments` is None for the whole company, else the only departments whose rows (and numbers)
    exist for this user. `key` identifies the scope in cache keys: two users with the same key see
    exactly the same rows.
    """

    role: str
    departments: tuple[str, ...] | None
    calendar_details: bool
    open_secrecy: frozenset[str]
    pages: frozenset[str]
    row_detail: bool
    department_filter: bool
    can_upload: bool
    can_edit_settings: bool
    can_manage_accounts: bool
    can_view_audit: bool

    @property
    def key(self) -> tuple[object, ...]:
        return (
            self.role,
            self.departments,
            self.calendar_details,
            tuple(sorted(self.open_secrecy)),
            self.row_detail,
            self.department_filter,
        )

    def may_open(self, page: str) -> bool:
        return page in self.pages

    def engine_departments(self, chosen: Sequence[str] = ()) -> list[str] | None:
        """The `departments=` argument of every engine call: the user's pick within the scope.

        Never an empty list for a scoped user (callers read empty as "whole company"): a pick outside
        the scope is ignored and the whole scope is used instead.
        """
        picked = list(clean_departments(chosen)) if self.department_filter else []
        if self.departments is None:
            return picked or None
        inside = [d for d in picked if d in self.departments]
        return inside or list(self.departments)

    def visible_departments(self, known: Iterable[str]) -> list[str]:
        """The departments this user may pick in the department filter."""
        known = list(known)
        if not self.department_filter:
            return []
        if self.departments is None:
            return known
        return [d for d in known if d in self.departments] + [d for d in self.departments if d not in known]


def scope_for(identity: Identity) -> Scope:
    """The Scope that follows from an Identity's role and departments."""
    role = identity.role
    check_role(role, identity.departments)
    return Scope(
        role=role,
        departments=clean_departments(identity.departments) if role == DEPT_HEAD else None,
        calendar_details=role in (ASSISTANT, GM),
        open_secrecy=frozenset(SECRECY_LEVELS) if role in (ASSISTANT, GM) else OPEN_SECRECY,
        pages=ROLE_PAGES[role],
        row_detail=role != VIEWER,
        department_filter=role != VIEWER,
        can_upload=role == ASSISTANT,
        can_edit_settings=role == ASSISTANT,
        can_manage_accounts=role == ASSISTANT,
        can_view_audit=role in (ASSISTANT, GM),
    )


def role_label(role: str, lang: str = "zh") -> str:
    zh, en = ROLE_LABELS.get(role, (role, role))
    return zh if lang == "zh" else en

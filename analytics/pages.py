"""Every page of the app, once: its key (`app_pages/<key>.py` and its URL path), menu section, icon and
the ledger it shows. The frame builds the menu from it (analytics/ui/frame.py); roles grant pages by
these keys (analytics/auth/identity.py). No streamlit here: the auth layer reads it too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analytics.config import PROJECT_ROOT

PAGES_DIR = PROJECT_ROOT / "app_pages"


@dataclass(frozen=True)
class PageSpec:
    """One page of the menu: its file in app_pages/, menu section, icon and URL path."""

    key: str
    section: str
    icon: str
    ledger: str | None = None

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.key}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "nav_review", ":material/dashboard:"),
    PageSpec("meetings", "nav_ledgers", ":material/groups:", "meetings"),
    PageSpec("decisions", "nav_ledgers", ":material/task_alt:", "decisions"),
    PageSpec("supplies", "nav_ledgers", ":material/inventory_2:", "supplies"),
    PageSpec("documents", "nav_ledgers", ":material/description:", "documents"),
    PageSpec("incidents", "nav_ledgers", ":material/e911_emergency:", "incidents"),
    PageSpec("schedule", "nav_ledgers", ":material/calendar_month:", "schedule"),
    PageSpec("upload", "nav_data", ":material/upload_file:"),
    PageSpec("quality", "nav_data", ":material/fact_check:"),
    PageSpec("definitions", "nav_data", ":material/menu_book:"),
    PageSpec("audit", "nav_data", ":material/policy:"),
)
PAGE_KEYS: tuple[str, ...] = tuple(spec.key for spec in PAGES)
PAGE_BY_KEY = {spec.key: spec for spec in PAGES}
PAGE_FOR_LEDGER = {spec.ledger: spec for spec in PAGES if spec.ledger}

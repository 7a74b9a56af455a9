"""What a scope may not read in the rows behind the numbers, taken out before anything shows them.

Applied by the query layer to every frame of ledger rows — the rows behind a number, the attention
list's sources, the report's sheets — so the dashboard, its downloads and the exported report show
the same thing; no widget decides what is hidden.

- Documents above 内部 (秘密, 机密, 绝密) keep their number, dates and department, but their title
  reads `【机密文件】` and their proposed handling (拟办意见, often a summary) is blanked, unless the
  scope opens that level. A document whose level cannot be found is masked (fail closed).
- The GM's calendar (the schedule ledger) has no rows for a scope without calendar details.
- A scope without row detail (viewer) gets no rows at all.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from analytics.auth.identity import Scope
from analytics.ledgers import LEDGERS

RowMask = Callable[[str, pd.DataFrame], pd.DataFrame]

SECRECY_MASKS: dict[str, str] = {
    "secret": "【秘密文件】",
    "confidential": "【机密文件】",
    "top_secret": "【绝密文件】",
}
UNKNOWN_MASK = "【密级不明】"
# Text columns of a document row that may give its content away.
DOCUMENT_TEXT_COLUMNS = ("title", "proposed_handling", "extra")
_DECLARED_SECRECY = next(c.default for c in LEDGERS["documents"].columns if c.name == "secrecy") or "internal"


def document_secrecy(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, str]:
    """The 密级 of each document by number (blank as the ledger's default, 内部)."""
    if not doc_ids:
        return {}
    rows = con.execute(
        "select doc_id, coalesce(nullif(trim(secrecy), ''), $fallback) from main.documents "
        "where list_contains(cast($ids as varchar[]), doc_id)",
        {"ids": sorted(set(doc_ids)), "fallback": _DECLARED_SECRECY},
    ).fetchall()
    levels: dict[str, str] = {}
    for doc_id, level in rows:
        # one number twice (a re-used number in different years): the stricter level wins
        previous = levels.get(doc_id)
        levels[doc_id] = level if previous is None else max(previous, level, key=_rank)
    return levels


def _rank(level: str) -> int:
    order = ("public", "internal", "secret", "confidential", "top_secret")
    return order.index(level) if level in order else len(order)


def mask_documents(con: duckdb.DuckDBPyConnection, scope: Scope, rows: pd.DataFrame) -> pd.DataFrame:
    """Document rows with the titles of levels the scope does not open masked."""
    if rows.empty or not any(c in rows for c in DOCUMENT_TEXT_COLUMNS):
        return rows
    if "secrecy" in rows:
        levels = rows["secrecy"].fillna(_DECLARED_SECRECY).astype(str)
    elif "doc_id" in rows:
        found = document_secrecy(con, [str(d) for d in rows["doc_id"].dropna()])
        levels = rows["doc_id"].map(lambda d: found.get(str(d), "unknown"))
    else:
        levels = pd.Series("unknown", index=rows.index)
    hidden = ~levels.isin(scope.open_secrecy)
    if not hidden.any():
        return rows
    masked = rows.copy()
    if "title" in masked:
        masked["title"] = masked["title"].astype("object")
        masked.loc[hidden, "title"] = levels[hidden].map(lambda level: SECRECY_MASKS.get(level, UNKNOWN_MASK))
    for column in DOCUMENT_TEXT_COLUMNS[1:]:
        if column in masked:
            masked[column] = masked[column].astype("object")
            masked.loc[hidden, column] = None
    return masked


def mask_rows(con: duckdb.DuckDBPyConnection, scope: Scope, ledger: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of `ledger` as `scope` may see them (see the module docstring)."""
    if not scope.row_detail:
        return rows.iloc[0:0]
    if ledger == "schedule" and not scope.calendar_details:
        return rows.iloc[0:0]
    if ledger == "documents":
        return mask_documents(con, scope, rows)
    return rows


def row_mask(con: duckdb.DuckDBPyConnection, scope: Scope) -> RowMask:
    """`mask_rows` bound to a connection and a scope, for builders that take `mask=`."""

    def mask(ledger: str, rows: pd.DataFrame) -> pd.DataFrame:
        return mask_rows(con, scope, ledger, rows)

    return mask

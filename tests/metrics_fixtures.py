"""Small helpers for the metrics tests: insert literal ledger rows with readable defaults."""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.ledgers import LEDGERS
from analytics.weeks import Week

W47 = Week(2026, 47)  # Mon 2026-11-16 … Sun 2026-11-22
W46 = Week(2026, 46)  # Mon 2026-11-09 … Sun 2026-11-15

DEFAULTS: dict[str, dict[str, Any]] = {
    "decisions": {"item": "事项", "owner_dept": "行政部", "created_date": "2026-11-02"},
    "meetings": {"title": "例会", "organizer_dept": "行政部", "attendees": 1, "has_agenda": True},
    "supplies": {"department": "行政部"},
    "documents": {"title": "文件", "handler_dept": "行政部"},
    "incidents": {"incident_type": "系统故障", "lead_dept": "信息部"},
    "schedule": {"title": "日程", "requested_by": "行政部"},
}


def insert(con: duckdb.DuckDBPyConnection, ledger: str, *rows: dict[str, Any]) -> None:
    """Insert rows into a ledger table; columns not given take DEFAULTS, then null."""
    known = {column.name for column in LEDGERS[ledger].columns}
    for given in rows:
        row = {**DEFAULTS[ledger], **given}
        unknown = set(row) - known
        assert not unknown, f"not columns of {ledger}: {unknown}"
        names = ", ".join(f'"{name}"' for name in row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"insert into {ledger} ({names}) values ({marks})", list(row.values()))


def decision(decision_id: str, due: str, completed: str | None = None, **more: Any) -> dict[str, Any]:
    return {"decision_id": decision_id, "due_date": due, "completed_date": completed, **more}


def meeting(meeting_id: str, start: str, end: str, **more: Any) -> dict[str, Any]:
    return {"meeting_id": meeting_id, "scheduled_start": start, "scheduled_end": end, **more}


def supply(txn_id: str, day: str, item: str, txn_type: str, quantity: float, price: float | None = None, **more: Any):
    return {
        "txn_id": txn_id,
        "txn_date": day,
        "item": item,
        "txn_type": txn_type,
        "quantity": quantity,
        "unit_price": price,
        **more,
    }


def document(doc_id: str, direction: str = "incoming", **more: Any) -> dict[str, Any]:
    return {"doc_id": doc_id, "direction": direction, **more}


def incident(incident_id: str, reported: str, **more: Any) -> dict[str, Any]:
    return {"incident_id": incident_id, "reported_at": reported, **more}


def entry(event_id: str, start: str, end: str, **more: Any) -> dict[str, Any]:
    return {"event_id": event_id, "start": start, "end": end, **more}

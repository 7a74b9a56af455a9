"""An independent reference: every metric of shared/spec/metrics.md, written again in plain pandas.

It shares no code with analytics/metrics (not even the working-day table: it asks `holidays`
directly) so that a slip in either reading of the definitions shows up as a difference. Slow and
simple on purpose: loops over rows where that is the clearest way to say the definition.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from datetime import date, datetime, timedelta

import holidays
import pandas as pd

DEFAULTS = {
    "overrun_factor": 1.25,
    "low_rating_max": 2,
    "minutes_sla_hours": 24,
    "idle_days": 90,
    "shortage_cover_days": 7,
    "response_sla_minutes": 5,
    "update_interval_minutes": 30,
    "report_sla_hours": 24,
    "warn_working_days": 3,
}
DEPARTMENT_COLUMNS = {
    "decisions": "owner_dept",
    "meetings": "organizer_dept",
    "supplies": "department",
    "documents": "handler_dept",
    "incidents": "lead_dept",
    "schedule": "requested_by",
}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _day(value: object) -> date | None:
    if _missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value  # type: ignore[return-value]


def _stamp(value: object) -> datetime | None:
    return None if _missing(value) else pd.Timestamp(value).to_pydatetime()


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _next_working_day(day: date) -> date:
    calendar = holidays.China(years=[day.year, day.year + 1])
    candidate = day + timedelta(days=1)
    while not calendar.is_working_day(candidate):
        candidate += timedelta(days=1)
    return candidate


def _nth_working_day_after(day: date, n: int) -> date:
    for _ in range(int(n)):
        day = _next_working_day(day)
    return day


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def reference_values(
    tables: dict[str, pd.DataFrame],
    monday: date,
    settings: dict[str, float] | None = None,
    departments: Collection[str] | None = None,
) -> dict[str, float | int | None]:
    """Every metric for the week starting `monday`, unrounded."""
    s = {**DEFAULTS, **(settings or {})}
    sunday = monday + timedelta(days=6)

    def in_week(value: object) -> bool:
        day = _day(value)
        return day is not None and monday <= day <= sunday

    whole = {name: _records(frame) for name, frame in tables.items()}
    rows = dict(whole)
    if departments is not None:
        for name, column in DEPARTMENT_COLUMNS.items():
            rows[name] = [r for r in whole[name] if ((r.get(column) or "").strip() or "（未填）") in departments]
    out: dict[str, float | int | None] = {}

    # Decisions
    decisions = [r for r in rows["decisions"] if r.get("status") != "cancelled"]
    due = [r for r in decisions if in_week(r["due_date"])]
    out["decisions_due"] = len(due)
    out["decision_completion_rate"] = _share(
        [r["completed_date"] is not None and _day(r["completed_date"]) <= sunday for r in due]
    )
    out["decision_on_time_rate"] = _share(
        [r["completed_date"] is not None and _day(r["completed_date"]) <= _day(r["due_date"]) for r in due]
    )
    out["decisions_overdue"] = sum(
        1
        for r in decisions
        if _day(r["due_date"]) <= sunday and (r["completed_date"] is None or _day(r["completed_date"]) > sunday)
    )
    out["decision_avg_cycle_days"] = _mean(
        [(_day(r["completed_date"]) - _day(r["created_date"])).days for r in decisions if in_week(r["completed_date"])]
    )

    # Meetings
    held = [r for r in rows["meetings"] if (r.get("status") or "held") == "held" and in_week(r["scheduled_start"])]
    has_decisions = len(whole["decisions"]) > 0
    with_outcome = {
        r["meeting_id"] for r in whole["decisions"] if r.get("status") != "cancelled" and r.get("meeting_id")
    }
    low_flags, hours, low_hours, minutes_ok = [], [], [], []
    for r in held:
        planned = (_stamp(r["scheduled_end"]) - _stamp(r["scheduled_start"])).total_seconds() / 60
        both = r.get("actual_start") is not None and r.get("actual_end") is not None
        actual = (_stamp(r["actual_end"]) - _stamp(r["actual_start"])).total_seconds() / 60 if both else planned
        low = (
            r["has_agenda"] is False
            or r["has_agenda"] == 0
            or (has_decisions and r["meeting_id"] not in with_outcome)
            or (both and actual > planned * s["overrun_factor"])
            or (r.get("rating") is not None and r["rating"] <= s["low_rating_max"])
        )
        person_hours = r["attendees"] * actual / 60
        low_flags.append(bool(low))
        hours.append(person_hours)
        low_hours.append(person_hours if low else 0.0)
        end = _stamp(r["actual_end"]) or _stamp(r["scheduled_end"])
        issued = _stamp(r.get("minutes_issued_at"))
        minutes_ok.append(issued is not None and issued <= end + timedelta(hours=s["minutes_sla_hours"]))
    out["meetings_held"] = len(held)
    out["low_efficiency_meeting_share"] = _share(low_flags)
    out["low_efficiency_hours_share"] = math.fsum(low_hours) / math.fsum(hours) if math.fsum(hours) else None
    out["meeting_person_hours"] = math.fsum(hours)
    out["minutes_on_time_rate"] = _share(minutes_ok)

    # Supplies
    priced = [r for r in whole["supplies"] if r.get("unit_price") is not None]

    def order(r: dict[str, object]) -> tuple[date, str]:
        return (_day(r["txn_date"]), str(r["txn_id"]))

    def price_of(r: dict[str, object]) -> float | None:
        if r.get("unit_price") is not None:
            return r["unit_price"]  # type: ignore[return-value]
        same = [p for p in priced if p["item"] == r["item"]]
        before = [p for p in same if _day(p["txn_date"]) <= _day(r["txn_date"])]
        if before:
            return max(before, key=order)["unit_price"]  # type: ignore[return-value]
        after = [p for p in same if _day(p["txn_date"]) > _day(r["txn_date"])]
        return min(after, key=order)["unit_price"] if after else None  # type: ignore[return-value]

    week_rows = [r for r in rows["supplies"] if in_week(r["txn_date"])]
    total: dict[str, list[float]] = {"issue": [], "return": [], "waste": []}
    for r in week_rows:
        price = price_of(r)
        if price is None:
            continue
        kind = "waste" if r["txn_type"] in ("scrap", "loss") else r["txn_type"]
        if kind in total:
            total[kind].append(r["quantity"] * price)
    waste = math.fsum(total["waste"])
    out["supply_waste_value"] = waste
    denominator = math.fsum(total["issue"] + [-v for v in total["return"]] + total["waste"])
    out["supply_waste_rate"] = waste / denominator if denominator > 0 else None
    idle_values, shortage = [], 0
    # stock is the store's: the whole ledger; a department filter only picks the items
    items = {r["item"] for r in rows["supplies"] if _day(r["txn_date"]) <= sunday}
    idle_start = sunday - timedelta(days=s["idle_days"] - 1)
    for item in items:
        history = [r for r in whole["supplies"] if r["item"] == item and _day(r["txn_date"]) <= sunday]
        on_hand = sum(
            r["quantity"] if r["txn_type"] in ("opening", "purchase", "return") else -r["quantity"] for r in history
        )
        issues = [r for r in history if r["txn_type"] == "issue"]
        issued_lately = any(_day(r["txn_date"]) >= idle_start for r in issues)
        if on_hand > 0 and not issued_lately:
            written = [p for p in priced if p["item"] == item and _day(p["txn_date"]) <= sunday]
            if written:
                idle_values.append(on_hand * max(written, key=order)["unit_price"])
        demand = sum(r["quantity"] for r in issues if _day(r["txn_date"]) >= sunday - timedelta(days=29)) / 30
        if issued_lately and demand > 0 and on_hand < s["shortage_cover_days"] * demand:
            shortage += 1
    out["supply_idle_value"] = math.fsum(idle_values)
    out["supply_shortage_items"] = shortage

    # Documents
    documents = rows["documents"]
    received = [r for r in documents if r["direction"] == "incoming" and in_week(r.get("received_date"))]
    out["docs_received"] = len(received)
    out["doc_registration_on_time_rate"] = _share(
        [
            r.get("registered_date") is not None
            and _day(r["registered_date"]) <= _next_working_day(_day(r["received_date"]))
            for r in received
        ]
    )
    out["docs_overdue"] = sum(
        1
        for r in documents
        if r.get("due_date") is not None
        and _day(r["due_date"]) <= sunday
        and (r.get("closed_date") is None or _day(r["closed_date"]) > sunday)
    )
    out["doc_on_time_close_rate"] = _share(
        [
            r.get("closed_date") is not None and _day(r["closed_date"]) <= _day(r["due_date"])
            for r in documents
            if in_week(r.get("due_date"))
        ]
    )
    out["doc_avg_handling_days"] = _mean(
        [
            (_day(r["closed_date"]) - _day(r["registered_date"])).days
            for r in documents
            if in_week(r.get("closed_date")) and r.get("registered_date") is not None
        ]
    )

    # Incidents
    incidents = [r for r in rows["incidents"] if in_week(r["reported_at"])]
    resolved = [r for r in incidents if r.get("resolved_at") is not None]
    out["incidents"] = len(incidents)
    out["incident_response_on_time_rate"] = _share(
        [
            r.get("responded_at") is not None
            and _stamp(r["responded_at"]) - _stamp(r["reported_at"]) <= timedelta(minutes=s["response_sla_minutes"])
            for r in incidents
        ]
    )
    out["incident_update_compliance_rate"] = _share(
        [
            (r.get("progress_updates") or 0)
            >= math.floor(
                (_stamp(r["resolved_at"]) - (_stamp(r.get("responded_at")) or _stamp(r["reported_at"])))
                / timedelta(minutes=s["update_interval_minutes"])
            )
            for r in resolved
        ]
    )
    out["incident_report_on_time_rate"] = _share(
        [
            r.get("report_issued_at") is not None
            and _stamp(r["report_issued_at"]) <= _stamp(r["resolved_at"]) + timedelta(hours=s["report_sla_hours"])
            for r in resolved
        ]
    )

    # Schedule
    starting = [r for r in rows["schedule"] if in_week(r["start"])]
    entries = [r for r in starting if (r.get("status") or "planned") != "cancelled"]

    def hours_of(r: dict[str, object]) -> float:
        return (_stamp(r["end"]) - _stamp(r["start"])).total_seconds() / 3600

    schedule_hours = math.fsum(hours_of(r) for r in entries)
    out["schedule_hours"] = schedule_hours
    strategic = math.fsum(hours_of(r) for r in entries if r.get("priority") == "strategic")
    out["strategic_time_share"] = strategic / schedule_hours if schedule_hours else None
    # A pair belongs to the department of the entry that starts later (ties: the greater event_id), and
    # under a department filter the earlier entry may be anyone's: the GM has one calendar (README).
    calendar = [r for r in whole["schedule"] if in_week(r["start"]) and (r.get("status") or "planned") != "cancelled"]
    kept = {id(r) for r in entries}
    out["schedule_conflicts"] = sum(
        1
        for i, a in enumerate(calendar)
        for b in calendar[i + 1 :]
        if _stamp(a["start"]) < _stamp(b["end"])
        and _stamp(b["start"]) < _stamp(a["end"])
        and id(max((a, b), key=lambda r: (_stamp(r["start"]), str(r["event_id"])))) in kept
    )
    out["schedule_change_rate"] = _share([r.get("status") in ("rescheduled", "cancelled") for r in starting])

    # Follow-up on resolutions: a row without the follow-up columns has the current deadline as its original
    def original(r: dict[str, object]) -> date:
        return _day(r.get("original_due_date")) or _day(r["due_date"])

    def open_at(r: dict[str, object], day: date) -> bool:
        return r["completed_date"] is None or _day(r["completed_date"]) > day

    originally_due = [r for r in decisions if in_week(original(r))]
    out["decisions_extended"] = sum(1 for r in originally_due if _day(r["due_date"]) > original(r))
    out["decision_original_on_time_rate"] = _share(
        [r["completed_date"] is not None and _day(r["completed_date"]) <= original(r) for r in originally_due]
    )
    warn_until = _nth_working_day_after(sunday, s["warn_working_days"])
    out["decisions_due_soon"] = sum(
        1 for r in decisions if open_at(r, sunday) and sunday < _day(r["due_date"]) <= warn_until
    )
    out["decisions_reminded"] = sum(1 for r in decisions if in_week(r.get("last_reminder_date")))
    return out

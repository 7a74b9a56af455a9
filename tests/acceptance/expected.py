"""An independent computation of every metric of shared/spec/metrics.md, from the canonical rows of generator.py.

Exact arithmetic throughout (Fraction; datetimes differ by whole seconds), then rounding half up (四舍五入) to the
number of decimals metrics.md names. Written from the spec alone; the readings taken where it leaves room:

1. "X in W" compares the date part of a timestamp with Monday..Sunday of the ISO week.
2. A meeting with no status is held (ledgers.md default); a schedule entry with no status is planned; a decision
   with no status is done when it has a completed_date, else open (ledgers.md consistency rule).
3. no_outcome is applied when the decisions ledger has at least one row of any status (the spec says "at least one
   row"); a meeting "has a decision" when a non-cancelled decision carries exactly its meeting_id.
4. Filling a missing price: "the item's latest unit price on or before the row's date" is read by date: every row of
   the item with a written price dated on or before the row's date is a candidate (same-date rows too, whatever
   their txn_id); the latest candidate is the greatest (txn_date, txn_id). Else the earliest later written price:
   the smallest (txn_date, txn_id) after the row's date. Only written prices are candidates (a filled price never
   feeds another fill).
5. txn_id ordering is plain text ordering (the generator uses same-length ids, so it is also numeric ordering).
6. An idle item without a current price (no written price on or before Sun(W)) contributes no value (0); an item
   without any price contributes nothing to waste / issue / return values (ledgers.md: quantities only).
7. On-hand and demand count every row of the item (all departments); "issue quantity" for demand counts issue rows
   only (returns are not netted out of demand).
8. The registration deadline is the next working day after received_date; registering on or before it (also
   on the same day, or on a holiday before it) is on time. A received incoming document without registered_date
   stays in the denominator.
9. Durations are wall-clock differences without time zones; ≤ / ≥ comparisons are inclusive as written.
10. schedule_conflicts counts pairs with a.start < b.end and b.start < a.end (touching intervals do not overlap).
11. Means (cycle days, handling days) are means of whole-day differences, then rounded to 2 decimals;
    shares divide unrounded sums.
12. Missing inputs: an incident from a file without a progress-update column is left out of
    incident_update_compliance_rate (an empty cell in a file that has the column counts as 0).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta
from fractions import Fraction

from .generator import is_working_day

RATE_METRICS = {
    "decision_completion_rate",
    "decision_on_time_rate",
    "low_efficiency_meeting_share",
    "low_efficiency_hours_share",
    "minutes_on_time_rate",
    "supply_waste_rate",
    "doc_registration_on_time_rate",
    "doc_on_time_close_rate",
    "incident_response_on_time_rate",
    "incident_update_compliance_rate",
    "incident_report_on_time_rate",
    "strategic_time_share",
    "schedule_change_rate",
}
TWO_DECIMALS = {
    "decision_avg_cycle_days",
    "meeting_person_hours",
    "supply_waste_value",
    "supply_idle_value",
    "doc_avg_handling_days",
    "schedule_hours",
}
COUNTS = {
    "decisions_due",
    "decisions_overdue",
    "meetings_held",
    "supply_shortage_items",
    "docs_received",
    "docs_overdue",
    "incidents",
    "schedule_conflicts",
}
METRIC_ORDER = [
    "decisions_due",
    "decision_completion_rate",
    "decision_on_time_rate",
    "decisions_overdue",
    "decision_avg_cycle_days",
    "meetings_held",
    "low_efficiency_meeting_share",
    "low_efficiency_hours_share",
    "meeting_person_hours",
    "minutes_on_time_rate",
    "supply_waste_value",
    "supply_waste_rate",
    "supply_idle_value",
    "supply_shortage_items",
    "docs_received",
    "doc_registration_on_time_rate",
    "docs_overdue",
    "doc_on_time_close_rate",
    "doc_avg_handling_days",
    "incidents",
    "incident_response_on_time_rate",
    "incident_update_compliance_rate",
    "incident_report_on_time_rate",
    "schedule_hours",
    "strategic_time_share",
    "schedule_conflicts",
    "schedule_change_rate",
]

OVERRUN_FACTOR = Fraction(5, 4)
LOW_RATING_MAX = 2
MINUTES_SLA = timedelta(hours=24)
IDLE_DAYS = 90
SHORTAGE_COVER_DAYS = 7
RESPONSE_SLA = timedelta(minutes=5)
UPDATE_INTERVAL_S = 30 * 60
REPORT_SLA = timedelta(hours=24)

INFLOW = {"opening", "purchase", "return"}
OUTFLOW = {"issue", "scrap", "loss"}


def week_days(week: str) -> tuple[date, date]:
    y, w = week.split("-W")
    mon = date.fromisocalendar(int(y), int(w), 1)
    return mon, mon + timedelta(days=6)


def round_half_up(x: Fraction, places: int) -> Fraction:
    q = 10**places
    return Fraction(math.floor(x * q + Fraction(1, 2)), q)


def ratio(num: int | Fraction, den: int | Fraction) -> Fraction | None:
    return None if den == 0 else Fraction(num) / Fraction(den)


def mean(values: list[int | Fraction]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def day_of(v: date | datetime) -> date:
    return v.date() if isinstance(v, datetime) else v


def minutes(a: datetime, b: datetime) -> Fraction:
    return Fraction(int((b - a).total_seconds()), 60)


def frac(v) -> Fraction:
    return Fraction(str(v))


# ------------------------------------------------------------------------------------------- decisions
def decision_status(d: dict) -> str:
    if d["status"]:
        return d["status"]
    return "done" if d["completed_date"] else "open"


def decisions(rows: list[dict], mon: date, sun: date) -> dict:
    live = [d for d in rows if decision_status(d) != "cancelled"]
    due = [d for d in live if mon <= d["due_date"] <= sun]
    done_by_sun = [d for d in due if d["completed_date"] and d["completed_date"] <= sun]
    on_time = [d for d in due if d["completed_date"] and d["completed_date"] <= d["due_date"]]
    overdue = [d for d in live if d["due_date"] <= sun and (d["completed_date"] is None or d["completed_date"] > sun)]
    cycles = [
        (d["completed_date"] - d["created_date"]).days
        for d in live
        if d["completed_date"] and mon <= d["completed_date"] <= sun
    ]
    return {
        "decisions_due": len(due),
        "decision_completion_rate": ratio(len(done_by_sun), len(due)),
        "decision_on_time_rate": ratio(len(on_time), len(due)),
        "decisions_overdue": len(overdue),
        "decision_avg_cycle_days": mean(cycles),
        "_rows": {
            "due": [d["decision_id"] for d in due],
            "overdue": [d["decision_id"] for d in overdue],
            "cycles": cycles,
        },
    }


# ------------------------------------------------------------------------------------------- meetings
def meeting_reasons(m: dict, decision_rows: list[dict]) -> list[str]:
    planned = minutes(m["scheduled_start"], m["scheduled_end"])
    both = m["actual_start"] is not None and m["actual_end"] is not None
    actual = minutes(m["actual_start"], m["actual_end"]) if both else planned
    reasons = []
    if not m["has_agenda"]:
        reasons.append("no_agenda")
    if decision_rows:
        with_outcome = {d["meeting_id"] for d in decision_rows if decision_status(d) != "cancelled"}
        if m["meeting_id"] not in with_outcome:
            reasons.append("no_outcome")
    if both and actual > planned * OVERRUN_FACTOR:
        reasons.append("overrun")
    if m["rating"] is not None and frac(m["rating"]) <= LOW_RATING_MAX:
        reasons.append("low_rating")
    return reasons


def person_hours(m: dict) -> Fraction:
    both = m["actual_start"] is not None and m["actual_end"] is not None
    mins = minutes(m["actual_start"], m["actual_end"]) if both else minutes(m["scheduled_start"], m["scheduled_end"])
    return m["attendees"] * mins / 60


def meetings(rows: list[dict], decision_rows: list[dict], mon: date, sun: date) -> dict:
    held = [m for m in rows if (m["status"] or "held") == "held" and mon <= m["scheduled_start"].date() <= sun]
    low = {m["meeting_id"]: r for m in held if (r := meeting_reasons(m, decision_rows))}
    ph_all = sum((person_hours(m) for m in held), Fraction(0))
    ph_low = sum((person_hours(m) for m in held if m["meeting_id"] in low), Fraction(0))
    on_time = [
        m
        for m in held
        if m["minutes_issued_at"] is not None
        and m["minutes_issued_at"] <= (m["actual_end"] or m["scheduled_end"]) + MINUTES_SLA
    ]
    return {
        "meetings_held": len(held),
        "low_efficiency_meeting_share": ratio(len(low), len(held)),
        "low_efficiency_hours_share": ratio(ph_low, ph_all),
        "meeting_person_hours": ph_all,
        "minutes_on_time_rate": ratio(len(on_time), len(held)),
        "_rows": {
            "held": [m["meeting_id"] for m in held],
            "low": low,
            "minutes_on_time": [m["meeting_id"] for m in on_time],
        },
    }


# ------------------------------------------------------------------------------------------- supplies
def filled_prices(rows: list[dict]) -> dict[str, Fraction | None]:
    """txn_id -> the price used for the row's value (written, else filled), or None."""
    priced = defaultdict(list)
    for r in rows:
        if r["unit_price"] is not None:
            priced[r["item"]].append(r)
    out: dict[str, Fraction | None] = {}
    for r in rows:
        if r["unit_price"] is not None:
            out[r["txn_id"]] = frac(r["unit_price"])
            continue
        cands = priced[r["item"]]
        before = [c for c in cands if c["txn_date"] <= r["txn_date"]]
        after = [c for c in cands if c["txn_date"] > r["txn_date"]]
        if before:
            out[r["txn_id"]] = frac(max(before, key=lambda c: (c["txn_date"], c["txn_id"]))["unit_price"])
        elif after:
            out[r["txn_id"]] = frac(min(after, key=lambda c: (c["txn_date"], c["txn_id"]))["unit_price"])
        else:
            out[r["txn_id"]] = None
    return out


def on_hand(rows: list[dict], item: str, d: date) -> Fraction:
    total = Fraction(0)
    for r in rows:
        if r["item"] == item and r["txn_date"] <= d:
            q = frac(r["quantity"])
            total += q if r["txn_type"] in INFLOW else -q
    return total


def current_price(rows: list[dict], item: str, d: date) -> Fraction | None:
    cands = [r for r in rows if r["item"] == item and r["txn_date"] <= d and r["unit_price"] is not None]
    if not cands:
        return None
    return frac(max(cands, key=lambda r: (r["txn_date"], r["txn_id"]))["unit_price"])


def supplies(rows: list[dict], mon: date, sun: date) -> dict:
    price = filled_prices(rows)

    def value(r):
        p = price[r["txn_id"]]
        return None if p is None else frac(r["quantity"]) * p

    def total(types):
        return sum(
            (v for r in rows if r["txn_type"] in types and mon <= r["txn_date"] <= sun if (v := value(r)) is not None),
            Fraction(0),
        )

    waste = total({"scrap", "loss"})
    den = total({"issue"}) - total({"return"}) + waste
    items = sorted({r["item"] for r in rows})
    idle_from = sun - timedelta(days=IDLE_DAYS - 1)
    demand_from = sun - timedelta(days=29)
    idle_value = Fraction(0)
    idle_items, short_items = {}, {}
    for it in items:
        oh = on_hand(rows, it, sun)
        issues_idle = [
            r for r in rows if r["item"] == it and r["txn_type"] == "issue" and idle_from <= r["txn_date"] <= sun
        ]
        if oh > 0 and not issues_idle:
            p = current_price(rows, it, sun)
            idle_items[it] = (oh, p)
            if p is not None:
                idle_value += oh * p
        demand = sum(
            (
                frac(r["quantity"])
                for r in rows
                if r["item"] == it and r["txn_type"] == "issue" and demand_from <= r["txn_date"] <= sun
            ),
            Fraction(0),
        )
        if issues_idle and demand > 0 and oh < SHORTAGE_COVER_DAYS * demand / 30:
            short_items[it] = (oh, SHORTAGE_COVER_DAYS * demand / 30)
    return {
        "supply_waste_value": waste,
        "supply_waste_rate": waste / den if den > 0 else None,
        "supply_idle_value": idle_value,
        "supply_shortage_items": len(short_items),
        "_rows": {"idle": idle_items, "short": short_items, "denominator": den},
    }


# ------------------------------------------------------------------------------------------- documents
def next_working_day(d: date) -> date:
    d += timedelta(days=1)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def documents(rows: list[dict], mon: date, sun: date) -> dict:
    received = [
        d for d in rows if d["direction"] == "incoming" and d["received_date"] and mon <= d["received_date"] <= sun
    ]
    reg_ok = [
        d for d in received if d["registered_date"] and d["registered_date"] <= next_working_day(d["received_date"])
    ]
    overdue = [
        d
        for d in rows
        if d["due_date"] and d["due_date"] <= sun and (d["closed_date"] is None or d["closed_date"] > sun)
    ]
    due = [d for d in rows if d["due_date"] and mon <= d["due_date"] <= sun]
    closed_ok = [d for d in due if d["closed_date"] and d["closed_date"] <= d["due_date"]]
    handling = [
        (d["closed_date"] - d["registered_date"]).days
        for d in rows
        if d["closed_date"] and mon <= d["closed_date"] <= sun and d["registered_date"]
    ]
    return {
        "docs_received": len(received),
        "doc_registration_on_time_rate": ratio(len(reg_ok), len(received)),
        "docs_overdue": len(overdue),
        "doc_on_time_close_rate": ratio(len(closed_ok), len(due)),
        "doc_avg_handling_days": mean(handling),
        "_rows": {
            "received": [d["doc_id"] for d in received],
            "reg_ok": [d["doc_id"] for d in reg_ok],
            "overdue": [d["doc_id"] for d in overdue],
            "handling": handling,
        },
    }


# ------------------------------------------------------------------------------------------- incidents
def incidents(rows: list[dict], mon: date, sun: date, no_updates_column: set[str] = frozenset()) -> dict:
    inc = [x for x in rows if mon <= x["reported_at"].date() <= sun]
    resolved = [x for x in inc if x["resolved_at"] is not None]
    with_updates = [x for x in resolved if x["incident_id"] not in no_updates_column]
    resp_ok = [x for x in inc if x["responded_at"] is not None and x["responded_at"] - x["reported_at"] <= RESPONSE_SLA]

    def updates_ok(x):
        start = x["responded_at"] or x["reported_at"]
        need = int((x["resolved_at"] - start).total_seconds()) // UPDATE_INTERVAL_S
        return (x["progress_updates"] or 0) >= need

    upd_ok = [x for x in with_updates if updates_ok(x)]
    rep_ok = [
        x
        for x in resolved
        if x["report_issued_at"] is not None and x["report_issued_at"] <= x["resolved_at"] + REPORT_SLA
    ]
    return {
        "incidents": len(inc),
        "incident_response_on_time_rate": ratio(len(resp_ok), len(inc)),
        "incident_update_compliance_rate": ratio(len(upd_ok), len(with_updates)),
        "incident_report_on_time_rate": ratio(len(rep_ok), len(resolved)),
        "_rows": {
            "inc": [x["incident_id"] for x in inc],
            "resp_ok": [x["incident_id"] for x in resp_ok],
            "upd_ok": [x["incident_id"] for x in upd_ok],
            "rep_ok": [x["incident_id"] for x in rep_ok],
        },
    }


# ------------------------------------------------------------------------------------------- schedule
def schedule(rows: list[dict], mon: date, sun: date) -> dict:
    in_w = [e for e in rows if mon <= e["start"].date() <= sun]
    ev = [e for e in in_w if (e["status"] or "planned") != "cancelled"]
    hours = sum((minutes(e["start"], e["end"]) / 60 for e in ev), Fraction(0))
    strategic = sum((minutes(e["start"], e["end"]) / 60 for e in ev if e["priority"] == "strategic"), Fraction(0))
    pairs = []
    for i, a in enumerate(ev):
        for b in ev[i + 1 :]:
            if a["start"] < b["end"] and b["start"] < a["end"]:
                pairs.append((a["event_id"], b["event_id"]))
    changed = [e for e in in_w if e["status"] in ("rescheduled", "cancelled")]
    return {
        "schedule_hours": hours,
        "strategic_time_share": ratio(strategic, hours),
        "schedule_conflicts": len(pairs),
        "schedule_change_rate": ratio(len(changed), len(in_w)),
        "_rows": {"pairs": pairs, "changed": [e["event_id"] for e in changed]},
    }


# ------------------------------------------------------------------------------------------- all
def _not_supplied(records: dict[str, list[dict]], ledger: str, column: str) -> set[str]:
    """Keys of the rows of a ledger whose file had no column for `column`."""
    return {x["key"] for x in records.get("_not_supplied", []) if x["ledger"] == ledger and x["column"] == column}


def exact_metrics(records: dict[str, list[dict]], week: str) -> dict:
    mon, sun = week_days(week)
    out: dict = {}
    details: dict = {}
    for name, part in (
        ("decisions", decisions(records["decisions"], mon, sun)),
        ("meetings", meetings(records["meetings"], records["decisions"], mon, sun)),
        ("supplies", supplies(records["supplies"], mon, sun)),
        ("documents", documents(records["documents"], mon, sun)),
        (
            "incidents",
            incidents(records["incidents"], mon, sun, _not_supplied(records, "incidents", "progress_updates")),
        ),
        ("schedule", schedule(records["schedule"], mon, sun)),
    ):
        details[name] = part.pop("_rows")
        out.update(part)
    out["_details"] = details
    return out


def expected_metrics(records: dict[str, list[dict]], week: str) -> dict[str, int | float | None]:
    """metrics.md's JSON numbers: counts as int, rates to 4 decimals and money/hours/days to 2, rounded half up."""
    exact = exact_metrics(records, week)
    out: dict[str, int | float | None] = {}
    for name in METRIC_ORDER:
        v = exact[name]
        if v is None:
            out[name] = None
        elif name in COUNTS:
            out[name] = int(v)
        elif name in RATE_METRICS:
            out[name] = float(round_half_up(v, 4))
        else:
            out[name] = float(round_half_up(v, 2))
    return out

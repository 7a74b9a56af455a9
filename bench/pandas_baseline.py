"""The benchmark's baseline for metrics: every metric of shared/spec/metrics.md in straightforward pandas.

What a competent analyst would write instead of the product: the ledgers as DataFrames in memory,
boolean masks, `groupby`, `merge_asof` for "the latest price on or before", no Python loop per row.
It is the fair opponent for the speed goal "≥ 2× faster than pandas" (tests/reference_metrics.py is
deliberately slow — a loop per row, for checking correctness — and would flatter the product).

The benchmark checks, in the same run, that this computes the same numbers as the product (to 4
decimals) before it compares their speed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import duckdb
import holidays
import numpy as np
import pandas as pd

DEFAULTS: dict[str, float] = {
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
COLUMNS = {
    "decisions": [
        "decision_id",
        "meeting_id",
        "owner_dept",
        "created_date",
        "due_date",
        "completed_date",
        "status",
        "original_due_date",
        "last_reminder_date",
    ],
    "meetings": [
        "meeting_id",
        "organizer_dept",
        "scheduled_start",
        "scheduled_end",
        "actual_start",
        "actual_end",
        "attendees",
        "has_agenda",
        "minutes_issued_at",
        "status",
        "rating",
    ],
    "supplies": ["txn_id", "txn_date", "item", "txn_type", "quantity", "unit_price", "department"],
    "documents": ["doc_id", "direction", "received_date", "registered_date", "handler_dept", "due_date", "closed_date"],
    "incidents": [
        "incident_id",
        "reported_at",
        "responded_at",
        "resolved_at",
        "progress_updates",
        "report_issued_at",
        "lead_dept",
    ],
    "schedule": ["event_id", "priority", "start", "end", "requested_by", "status"],
}
INFLOW = ("opening", "purchase", "return")
OUTFLOW = ("issue", "scrap", "loss")
WASTE = ("scrap", "loss")


def load_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The six ledgers as pandas DataFrames (dates and timestamps as datetime64), what pandas starts from."""
    frames = {}
    for table, columns in COLUMNS.items():
        quoted = ", ".join(f'"{c}"' for c in columns)
        frame = con.execute(f"select {quoted} from {table}").df()
        for column in frame.columns:
            if frame[column].dtype == object and column.endswith(("_date", "_at")):
                frame[column] = pd.to_datetime(frame[column])
        frames[table] = frame
    return frames


def _share(flags: pd.Series) -> float | None:
    return float(flags.mean()) if len(flags) else None


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.China(years=[year, year + 1])


def _next_working_day(day: pd.Timestamp) -> pd.Timestamp:
    candidate = day.date() + timedelta(days=1)
    calendar = _calendar(day.year)
    while not calendar.is_working_day(candidate):
        candidate += timedelta(days=1)
    return pd.Timestamp(candidate)


def _nth_working_day_after(day: pd.Timestamp, n: int) -> pd.Timestamp:
    for _ in range(n):
        day = _next_working_day(day)
    return day


def week_metrics(
    frames: dict[str, pd.DataFrame], monday: date, settings: dict[str, float] | None = None
) -> dict[str, float | int | None]:
    """Every metric of metrics.md for the week starting `monday`, unrounded."""
    s = {**DEFAULTS, **(settings or {})}
    start = pd.Timestamp(monday)
    sunday = start + pd.Timedelta(days=6)
    end = start + pd.Timedelta(days=7)  # timestamps: [Monday 00:00, next Monday 00:00)

    def in_week(column: pd.Series) -> pd.Series:
        return (column >= start) & (column < end)

    out: dict[str, float | int | None] = {}

    # Decisions
    decisions = frames["decisions"]
    live = decisions[decisions["status"].fillna("") != "cancelled"]
    due = live[in_week(live["due_date"])]
    out["decisions_due"] = len(due)
    out["decision_completion_rate"] = _share(due["completed_date"] <= sunday)
    out["decision_on_time_rate"] = _share(due["completed_date"] <= due["due_date"])
    open_at_end = live["completed_date"].isna() | (live["completed_date"] > sunday)
    out["decisions_overdue"] = int(((live["due_date"] <= sunday) & open_at_end).sum())
    completed = live[in_week(live["completed_date"])]
    cycle = (completed["completed_date"] - completed["created_date"]).dt.days
    out["decision_avg_cycle_days"] = float(cycle.mean()) if len(cycle) else None

    # Follow-up on resolutions: a row without an original deadline has kept its current one
    original = live["original_due_date"].fillna(live["due_date"])
    originally_due = live[in_week(original)]
    original_due = original[originally_due.index]
    out["decisions_extended"] = int((originally_due["due_date"] > original_due).sum())
    out["decision_original_on_time_rate"] = _share(originally_due["completed_date"] <= original_due)
    warn_until = _nth_working_day_after(sunday, int(s["warn_working_days"]))
    due_soon = open_at_end & (live["due_date"] > sunday) & (live["due_date"] <= warn_until)
    out["decisions_due_soon"] = int(due_soon.sum())
    out["decisions_reminded"] = int(in_week(live["last_reminder_date"]).sum())

    # Meetings
    meetings = frames["meetings"]
    held = meetings[(meetings["status"].fillna("held") == "held") & in_week(meetings["scheduled_start"])]
    planned = (held["scheduled_end"] - held["scheduled_start"]).dt.total_seconds() / 60
    both = held["actual_start"].notna() & held["actual_end"].notna()
    actual = ((held["actual_end"] - held["actual_start"]).dt.total_seconds() / 60).where(both, planned)
    with_outcome = set(live["meeting_id"].dropna())
    no_outcome = ~held["meeting_id"].isin(with_outcome) if len(decisions) else pd.Series(False, index=held.index)
    low = (
        held["has_agenda"].eq(False)
        | no_outcome
        | (both & (actual > planned * s["overrun_factor"]))
        | (held["rating"].notna() & (held["rating"] <= s["low_rating_max"]))
    )
    person_hours = held["attendees"] * actual / 60
    total_hours = float(np.sum(person_hours))
    out["meetings_held"] = len(held)
    out["low_efficiency_meeting_share"] = _share(low)
    out["low_efficiency_hours_share"] = _ratio(float(np.sum(person_hours[low])), total_hours)
    out["meeting_person_hours"] = total_hours
    meeting_end = held["actual_end"].fillna(held["scheduled_end"])
    deadline = meeting_end + pd.Timedelta(hours=s["minutes_sla_hours"])
    out["minutes_on_time_rate"] = _share(held["minutes_issued_at"].notna() & (held["minutes_issued_at"] <= deadline))

    # Supplies
    supplies = frames["supplies"]
    week_rows = _priced_from(supplies, supplies[in_week(supplies["txn_date"])])  # prices from the whole ledger
    value = week_rows["quantity"] * week_rows["price"]
    kind = week_rows["txn_type"]
    waste = float(value[kind.isin(WASTE)].sum())
    issued = float(value[kind == "issue"].sum())
    returned = float(value[kind == "return"].sum())
    out["supply_waste_value"] = waste
    denominator = issued - returned + waste
    out["supply_waste_rate"] = waste / denominator if denominator > 0 else None
    history = supplies[supplies["txn_date"] <= sunday]
    signed = history["quantity"].where(history["txn_type"].isin(INFLOW), -history["quantity"])
    on_hand = signed.groupby(history["item"]).sum()
    issues = history[history["txn_type"] == "issue"]
    idle_start = sunday - pd.Timedelta(days=int(s["idle_days"]) - 1)
    issued_lately = issues[issues["txn_date"] >= idle_start].groupby("item").size().reindex(on_hand.index).fillna(0) > 0
    written = history[history["unit_price"].notna()].sort_values(["txn_date", "txn_id"])
    current_price = written.groupby("item")["unit_price"].last().reindex(on_hand.index)
    idle = (on_hand > 0) & ~issued_lately & current_price.notna()
    out["supply_idle_value"] = float((on_hand[idle] * current_price[idle]).sum())
    recent = issues[issues["txn_date"] >= sunday - pd.Timedelta(days=29)]
    demand = (recent.groupby("item")["quantity"].sum() / 30).reindex(on_hand.index).fillna(0)
    out["supply_shortage_items"] = int(
        (issued_lately & (demand > 0) & (on_hand < s["shortage_cover_days"] * demand)).sum()
    )

    # Documents
    documents = frames["documents"]
    received = documents[(documents["direction"] == "incoming") & in_week(documents["received_date"])]
    next_day = received["received_date"].map(
        {day: _next_working_day(day) for day in received["received_date"].dropna().unique()}
    )
    out["docs_received"] = len(received)
    out["doc_registration_on_time_rate"] = _share(
        received["registered_date"].notna() & (received["registered_date"] <= next_day)
    )
    doc_open = documents["closed_date"].isna() | (documents["closed_date"] > sunday)
    out["docs_overdue"] = int(((documents["due_date"] <= sunday) & doc_open).sum())
    docs_due = documents[in_week(documents["due_date"])]
    out["doc_on_time_close_rate"] = _share(docs_due["closed_date"] <= docs_due["due_date"])
    closed = documents[in_week(documents["closed_date"]) & documents["registered_date"].notna()]
    handling = (closed["closed_date"] - closed["registered_date"]).dt.days
    out["doc_avg_handling_days"] = float(handling.mean()) if len(handling) else None

    # Incidents
    incidents = frames["incidents"]
    inc = incidents[in_week(incidents["reported_at"])]
    resolved = inc[inc["resolved_at"].notna()]
    out["incidents"] = len(inc)
    response = inc["responded_at"] - inc["reported_at"]
    out["incident_response_on_time_rate"] = _share(
        inc["responded_at"].notna() & (response <= pd.Timedelta(minutes=s["response_sla_minutes"]))
    )
    since = resolved["responded_at"].fillna(resolved["reported_at"])
    required = np.floor((resolved["resolved_at"] - since) / pd.Timedelta(minutes=s["update_interval_minutes"]))
    out["incident_update_compliance_rate"] = _share(resolved["progress_updates"].fillna(0) >= required)
    report_deadline = resolved["resolved_at"] + pd.Timedelta(hours=s["report_sla_hours"])
    out["incident_report_on_time_rate"] = _share(
        resolved["report_issued_at"].notna() & (resolved["report_issued_at"] <= report_deadline)
    )

    # Schedule
    schedule = frames["schedule"]
    starting = schedule[in_week(schedule["start"])]
    entries = starting[starting["status"].fillna("planned") != "cancelled"]
    hours = (entries["end"] - entries["start"]).dt.total_seconds() / 3600
    schedule_hours = float(hours.sum())
    out["schedule_hours"] = schedule_hours
    out["strategic_time_share"] = _ratio(float(hours[entries["priority"] == "strategic"].sum()), schedule_hours)
    pairs = entries[["start", "end"]].reset_index(drop=True)
    pairs["_n"] = np.arange(len(pairs))
    cross = pairs.merge(pairs, how="cross", suffixes=("_a", "_b"))
    cross = cross[cross["_n_a"] < cross["_n_b"]]
    out["schedule_conflicts"] = int(((cross["start_a"] < cross["end_b"]) & (cross["start_b"] < cross["end_a"])).sum())
    out["schedule_change_rate"] = _share(starting["status"].isin(["rescheduled", "cancelled"]))
    return out


def _priced_from(ledger: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` (a subset of `ledger`) with `price` filled from the whole ledger's written prices."""
    if rows.empty:
        return rows.assign(price=pd.Series(dtype=float))
    written = ledger.loc[ledger["unit_price"].notna(), ["item", "txn_date", "txn_id", "unit_price"]]
    written = written.sort_values(["txn_date", "txn_id"])
    last_of_day = written.groupby(["item", "txn_date"], as_index=False)["unit_price"].last().sort_values("txn_date")
    first_of_day = written.groupby(["item", "txn_date"], as_index=False)["unit_price"].first().sort_values("txn_date")
    missing = rows[rows["unit_price"].isna()].reset_index().sort_values("txn_date")
    before = pd.merge_asof(missing, last_of_day.rename(columns={"unit_price": "_before"}), on="txn_date", by="item")
    after = pd.merge_asof(
        missing,
        first_of_day.rename(columns={"unit_price": "_after"}),
        on="txn_date",
        by="item",
        direction="forward",
        allow_exact_matches=False,
    )
    fill = pd.Series(before["_before"].fillna(after["_after"]).to_numpy(), index=before["index"].to_numpy())
    return rows.assign(price=rows["unit_price"].fillna(fill))


def headline_trend(frames: dict[str, pd.DataFrame], first_monday: date, last_monday: date) -> pd.DataFrame:
    """The three headline metrics for every week from `first_monday` to `last_monday`, by `groupby` week."""
    first = pd.Timestamp(first_monday)
    stop = pd.Timestamp(last_monday) + pd.Timedelta(days=7)
    weeks = pd.date_range(first, pd.Timestamp(last_monday), freq="7D")

    def week_of(column: pd.Series) -> pd.Series:
        return column.dt.normalize() - pd.to_timedelta(column.dt.weekday, unit="D")

    decisions = frames["decisions"]
    live = decisions[decisions["status"].fillna("") != "cancelled"]
    due = live[(live["due_date"] >= first) & (live["due_date"] < stop)]
    due_week = week_of(due["due_date"])
    completion = (due["completed_date"] <= due_week + pd.Timedelta(days=6)).groupby(due_week).mean()

    meetings = frames["meetings"]
    held = meetings[
        (meetings["status"].fillna("held") == "held")
        & (meetings["scheduled_start"] >= first)
        & (meetings["scheduled_start"] < stop)
    ]
    planned = (held["scheduled_end"] - held["scheduled_start"]).dt.total_seconds() / 60
    both = held["actual_start"].notna() & held["actual_end"].notna()
    actual = ((held["actual_end"] - held["actual_start"]).dt.total_seconds() / 60).where(both, planned)
    no_outcome = (
        ~held["meeting_id"].isin(set(live["meeting_id"].dropna()))
        if len(decisions)
        else pd.Series(False, index=held.index)
    )
    low = (
        held["has_agenda"].eq(False)
        | no_outcome
        | (both & (actual > planned * DEFAULTS["overrun_factor"]))
        | (held["rating"].notna() & (held["rating"] <= DEFAULTS["low_rating_max"]))
    )
    low_share = low.groupby(week_of(held["scheduled_start"])).mean()

    supplies = frames["supplies"]
    rows = _priced_from(supplies, supplies[(supplies["txn_date"] >= first) & (supplies["txn_date"] < stop)])
    value = rows["quantity"] * rows["price"]
    by_kind = value.groupby([week_of(rows["txn_date"]), rows["txn_type"]]).sum().unstack(fill_value=0.0)
    by_kind = by_kind.reindex(columns=[*OUTFLOW, "return"], fill_value=0.0)
    waste = by_kind["scrap"] + by_kind["loss"]
    denominator = by_kind["issue"] - by_kind["return"] + waste
    waste_rate = (waste / denominator).where(denominator > 0)

    frame = pd.DataFrame(
        {
            "decision_completion_rate": completion.reindex(weeks),
            "low_efficiency_meeting_share": low_share.reindex(weeks),
            "supply_waste_rate": waste_rate.reindex(weeks),
        },
        index=weeks,
    )
    frame.index.name = "week_start"
    return frame

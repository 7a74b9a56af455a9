"""The engine against tests/reference_metrics.py on a seeded random company: four weeks, to 4 decimals.

The random rows lean on the boundaries metrics.md names (exactly 24 h, exactly 1.25 × planned,
rating 2, five minutes, National Day and its working Saturday, prices tied on one date, items never
priced), so a slip in either reading of a definition shows up here as a difference.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from analytics.db import connect
from analytics.metrics import METRICS, week_values
from analytics.settings import Settings
from analytics.weeks import Week, weeks_between
from tests.metrics_fixtures import insert
from tests.reference_metrics import reference_values

WEEKS = weeks_between(Week(2026, 39), Week(2026, 42))  # 09-21 … 10-18, across National Day
DEPARTMENTS = ["行政部", "财务部", "人力资源部", "市场部", "信息部", "", None]
FIRST = date(2026, 9, 7)


def _day(rng: random.Random, first: date = FIRST, days: int = 49) -> date:
    return first + timedelta(days=rng.randrange(days))


def _stamp(rng: random.Random, first: date = FIRST, days: int = 49) -> datetime:
    day = _day(rng, first, days)
    return datetime(
        day.year, day.month, day.day, rng.randrange(7, 20), rng.choice([0, 15, 30, 45]), rng.choice([0, 0, 7])
    )


def company(seed: int = 20261001, size: int = 300) -> dict[str, list[dict]]:
    """A few hundred rows per ledger, every one of them plausible, many of them on a boundary."""
    rng = random.Random(seed)
    dept = lambda: rng.choice(DEPARTMENTS)  # noqa: E731
    maybe = lambda p, value: value if rng.random() < p else None  # noqa: E731

    meetings = []
    for i in range(size):
        start = _stamp(rng)
        planned = rng.choice([30, 45, 60, 90, 120])
        row = {
            "meeting_id": f"M{i:03d}",
            "title": "会议",
            "organizer_dept": dept() or "行政部",
            "scheduled_start": start,
            "scheduled_end": start + timedelta(minutes=planned),
            "attendees": rng.randint(1, 20),
            "has_agenda": rng.random() < 0.8,
            "rating": maybe(0.7, rng.choice([1, 2, 2, 2.5, 3, 4, 5])),
            "status": rng.choice(["held"] * 8 + ["cancelled", None]),
        }
        shape = rng.random()
        if shape < 0.6:
            row["actual_start"] = start + timedelta(minutes=rng.choice([0, 0, 5, -5]))
            minutes = planned * rng.choice([0.8, 1.0, 1.25, 1.25, 1.5]) + rng.choice([0, 0, 1])
            row["actual_end"] = row["actual_start"] + timedelta(minutes=minutes)
        elif shape < 0.7:
            row["actual_start"] = start + timedelta(minutes=3)
        end = row.get("actual_end") or row["scheduled_end"]
        row["minutes_issued_at"] = maybe(
            0.8,
            end
            + rng.choice(
                [timedelta(hours=2), timedelta(hours=24), timedelta(hours=24, seconds=1), timedelta(hours=30)]
            ),
        )
        meetings.append(row)

    decisions = []
    follow_up = random.Random(seed + 1)  # its own stream: the other ledgers' rows stay as they were
    for i in range(size):
        created = _day(rng)
        due = created + timedelta(days=rng.randrange(0, 22))
        completed = maybe(0.75, max(created, due + timedelta(days=rng.randrange(-6, 10))))
        status = "cancelled" if rng.random() < 0.07 else ("done" if completed else "open")
        row = {
            "decision_id": f"D{i:03d}",
            "meeting_id": maybe(0.5, f"M{rng.randrange(size):03d}"),
            "item": "事项",
            "owner_dept": dept() or "行政部",
            "created_date": created,
            "due_date": due,
            "completed_date": completed,
            "status": status,
        }
        shape = follow_up.random()
        if shape < 0.3:  # extended: the original deadline 1–12 days earlier (some across National Day)
            row["original_due_date"] = max(created, due - timedelta(days=follow_up.randrange(1, 13)))
            row["extension_count"] = follow_up.choice([None, 1, 2])
        elif shape < 0.4:  # the original deadline written and kept
            row["original_due_date"] = due
        if follow_up.random() < 0.4:
            row["reminder_count"] = follow_up.randint(1, 3)
            row["last_reminder_date"] = created + timedelta(days=follow_up.randrange(0, 20))
        decisions.append(row)

    supplies, items = [], [f"物品{k}" for k in range(12)]
    prices = {item: [round(rng.uniform(1, 60), 2) for _ in range(3)] for item in items}
    ids = rng.sample(range(10000), 2 * size)
    for n, item in enumerate(items):
        written = None if item == "物品11" or n % 4 == 1 else prices[item][0]
        supplies.append(
            {
                "txn_date": date(2026, 6, 1),
                "item": item,
                "txn_type": "opening",
                "quantity": rng.randint(20, 80),
                "unit_price": written,
            }
        )
    for _ in range(size):
        txn_type = rng.choice(["issue"] * 10 + ["purchase"] * 3 + ["return"] * 2 + ["scrap"] * 2 + ["loss"])
        item = rng.choice(items[:9] if txn_type == "issue" else items)  # 物品9–11 are never issued: idle
        written = rng.random() < (0.7 if txn_type == "purchase" else 0.15)
        supplies.append(
            {
                "txn_date": _day(rng, date(2026, 6, 2), 140) if rng.random() < 0.4 else _day(rng),
                "item": item,
                "txn_type": txn_type,
                "quantity": rng.choice([1, 2, 3, 5, 8, 10, 2.5]),
                "unit_price": rng.choice(prices[item]) if written and item != "物品11" else None,
                "department": dept(),
                "note": maybe(0.3, "备注"),
            }
        )
    for row, number in zip(supplies, ids, strict=False):
        row["txn_id"] = f"T{number:04d}"
    supplies += boundary_supplies()

    documents = []
    for i in range(size):
        incoming = rng.random() < 0.7
        received = _day(rng) if incoming else None
        base = received or _day(rng)
        registered = maybe(0.9, base + timedelta(days=rng.choice([0, 1, 1, 2, 3, 8, 9])))
        due = maybe(0.8, base + timedelta(days=rng.randrange(0, 15)))
        closed = None
        if rng.random() < 0.7:
            closed = max(registered or base, (due or base) + timedelta(days=rng.randrange(-5, 6)))
        documents.append(
            {
                "doc_id": f"W{i:03d}",
                "direction": "incoming" if incoming else "outgoing",
                "title": "文件",
                "received_date": received,
                "registered_date": registered,
                "handler_dept": dept(),
                "due_date": due,
                "closed_date": closed,
            }
        )

    incidents = []
    for i in range(size):
        reported = _stamp(rng)
        responded = maybe(0.85, reported + timedelta(seconds=rng.choice([0, 60, 299, 300, 301, 600])))
        resolved = maybe(0.8, (responded or reported) + timedelta(minutes=rng.choice([0, 29, 30, 59, 60, 90, 95, 240])))
        incidents.append(
            {
                "incident_id": f"I{i:03d}",
                "incident_type": "故障",
                "reported_at": reported,
                "responded_at": responded,
                "resolved_at": resolved,
                "progress_updates": maybe(0.85, rng.randint(0, 6)),
                "report_issued_at": maybe(
                    0.8,
                    (resolved or reported) + timedelta(seconds=rng.choice([3600, 86399, 86400, 86401, 172800])),
                ),
                "lead_dept": dept(),
            }
        )

    schedule = []
    for i in range(size):
        start = _stamp(rng)
        schedule.append(
            {
                "event_id": f"E{i:03d}",
                "title": "日程",
                "priority": rng.choice(["strategic", "important", "normal", None]),
                "start": start,
                "end": start + timedelta(minutes=rng.choice([15, 30, 60, 90, 120])),
                "requested_by": dept(),
                "status": rng.choice(["planned", "done", "done", "cancelled", "rescheduled", None]),
            }
        )
    return {
        "meetings": meetings,
        "decisions": decisions,
        "supplies": supplies,
        "documents": documents,
        "incidents": incidents,
        "schedule": schedule,
    }


def boundary_supplies() -> list[dict]:
    """Per week: issues exactly idle_days and idle_days − 1 before Sunday, stock exactly at the cover,
    a demand row exactly 29 and 30 days before Sunday, and two prices written on one date."""
    rows: list[dict] = []

    def add(key: str, day: date, item: str, txn_type: str, quantity: float, price: float | None = None) -> None:
        rows.append(
            {
                "txn_id": key,
                "txn_date": day,
                "item": item,
                "txn_type": txn_type,
                "quantity": quantity,
                "unit_price": price,
                "department": "行政部",
            }
        )

    for week in WEEKS:
        sunday, tag = week.end, f"{week.number}"
        for offset in (90, 89):
            add(f"B{tag}-{offset}o", date(2026, 6, 1), f"闲置{tag}-{offset}", "opening", 10, 3.0)
            add(f"B{tag}-{offset}i", sunday - timedelta(days=offset), f"闲置{tag}-{offset}", "issue", 1)
        add(f"C{tag}o", date(2026, 6, 1), f"覆盖{tag}", "opening", 37, 2.0)
        add(f"C{tag}i", sunday - timedelta(days=29), f"覆盖{tag}", "issue", 30)
        add(f"D{tag}o", date(2026, 6, 1), f"需求{tag}", "opening", 37, 2.0)
        add(f"D{tag}i", sunday - timedelta(days=30), f"需求{tag}", "issue", 30)
        add(f"D{tag}j", sunday - timedelta(days=5), f"需求{tag}", "issue", 1)
        add(f"P{tag}1", sunday - timedelta(days=3), f"同日{tag}", "purchase", 10, 5.0)
        add(f"P{tag}2", sunday - timedelta(days=3), f"同日{tag}", "purchase", 10, 7.0)
        add(f"P{tag}0", sunday - timedelta(days=3), f"同日{tag}", "purchase", 10, 6.0)
        add(f"P{tag}3", sunday - timedelta(days=2), f"同日{tag}", "scrap", 1)
    return rows


@pytest.fixture(scope="module")
def loaded():
    with connect(":memory:") as con:
        for ledger, rows in company().items():
            insert(con, ledger, *rows)
        tables = {ledger: con.execute(f"select * from {ledger}").df() for ledger in company()}
        yield con, tables


def mismatches(got: dict, expected: dict) -> list[str]:
    problems = []
    for name, metric in METRICS.items():
        want = expected[name]
        value = got[name]
        # The engine's value must be the reference's, correctly rounded (a tie may go either way).
        if (want is None) != (value is None) or (
            want is not None and abs(value - want) > 10**-metric.decimals / 2 + 1e-9
        ):
            problems.append(f"{name}: engine {value!r}, reference {want!r}")
    return problems


CHANGED = {
    "overrun_factor": 1.1,
    "low_rating_max": 3,
    "minutes_sla_hours": 30,
    "idle_days": 30,
    "shortage_cover_days": 10,
    "response_sla_minutes": 1,
    "update_interval_minutes": 45,
    "report_sla_hours": 12,
    "warn_working_days": 5,
}


@pytest.mark.parametrize("week", WEEKS, ids=str)
@pytest.mark.parametrize(
    ("settings", "departments"),
    [({}, None), (CHANGED, None), ({}, {"财务部", "（未填）"})],
    ids=["defaults", "changed-settings", "department-filter"],
)
def test_the_engine_agrees_with_the_reference(loaded, week: Week, settings: dict, departments) -> None:
    con, tables = loaded
    got = week_values(con, week, Settings(**settings), departments)
    expected = reference_values(tables, week.start, settings, departments)
    assert mismatches(got, expected) == []


def test_the_random_company_is_not_trivial(loaded) -> None:
    con, _ = loaded
    for week in WEEKS:
        values = week_values(con, week)
        assert all(values[name] not in (None, 0) for name in METRICS if name != "supply_shortage_items"), (
            week,
            {k: v for k, v in values.items() if v in (None, 0)},
        )

"""An iCalendar file (.ics: Outlook, Google, 钉钉, 飞书, 企业微信 calendars) → a sheet for the `schedule` ledger.

Each VEVENT is a row (a single event whenever it is); recurring ones are expanded (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, by
`recurring-ical-events` on `icalendar`) over the weeks the database covers, or the 52 weeks before and
after the load date when it is empty. Times with a TZID or in UTC become local wall-clock time in
Asia/Shanghai; a floating time stays as written; an all-day event (VALUE=DATE) spans its days (start
00:00, end 00:00 of the day after). The sheet's headers are the schedule ledger's Chinese aliases, so
the rest of the pipeline (header matching, typing, validation, keys) is the one every file takes:

  日程编号  UID and the occurrence's start (RECURRENCE-ID for an occurrence of a series)
  日程事项  SUMMARY          开始时间 / 结束时间  DTSTART / DTEND (or DTSTART + DURATION)
  地点      LOCATION         日程类型  CATEGORIES
  优先级    PRIORITY 1–4 重要, 5–9 一般 (0 or none: not given)
  状态      STATUS:CANCELLED 已取消, TENTATIVE 计划 (otherwise not given: planned by default)
  组织者    ORGANIZER's name (kept as an extra column)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb
import icalendar
import pyarrow as pa
import recurring_ical_events
import x_wr_timezone

from analytics.errors import IngestError
from analytics.ingest.guards import MAX_CALENDAR_BYTES, MAX_CALENDAR_OCCURRENCES
from analytics.ingest.sheets import HEAD_ROWS, Build, ColumnsSheet, SourceFile
from analytics.weeks import today

LOCAL = ZoneInfo("Asia/Shanghai")
WINDOW_WEEKS = 52
HEADERS = ["日程编号", "日程事项", "日程类型", "优先级", "开始时间", "结束时间", "地点", "状态", "组织者"]
_STATUS = {"CANCELLED": "已取消", "TENTATIVE": "计划"}


def is_calendar(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    return head.startswith(b"BEGIN:VCALENDAR")


def read_calendar(source: SourceFile) -> list[CalendarSheet]:
    if len(source.data) > MAX_CALENDAR_BYTES:
        raise IngestError(
            f"{source.name}：日历文件有 {len(source.data) / 1024 / 1024:.0f} MB，超过上限 "
            f"{MAX_CALENDAR_BYTES // 1024 // 1024} MB，未导入。请只导出需要的时间段再导入。"
        )
    try:
        calendar = icalendar.Calendar.from_ical(source.data.decode("utf-8-sig", errors="replace"))
    except (ValueError, KeyError, IndexError) as exc:
        raise IngestError(f"{source.name}：不是有效的 iCalendar 日历文件（{exc}），未导入。") from None
    try:
        calendar = x_wr_timezone.to_standard(calendar)  # Google's X-WR-TIMEZONE: floating times in that zone
        series, singles = _split(calendar)
        single_rows = [_row(event) for event in singles]
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise IngestError(f"{source.name}：日历中的时间无法读取（{exc}），未导入。") from None
    if len(single_rows) > MAX_CALENDAR_OCCURRENCES:
        raise IngestError(
            f"{source.name}：日历有 {len(single_rows):,} 个日程，超过上限 {MAX_CALENDAR_OCCURRENCES:,} 个，未导入。"
        )
    sheet = CalendarSheet(
        None, [], 1, ["格式：iCalendar 日历"], file_name=source.name, calendar=series, singles=single_rows
    )
    sheet.expand(*default_window())
    return [sheet]


def _split(calendar: icalendar.Calendar) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    """The recurring series (with their moved occurrences and the time zones) as a calendar of their
    own, and the single events: those load whatever the window, only series are expanded over it."""
    events = list(calendar.walk("VEVENT"))
    repeating = {str(e["UID"]) for e in events if e.get("UID") is not None and (e.get("RRULE") or e.get("RDATE"))}

    def in_series(event: icalendar.Event) -> bool:
        uid = event.get("UID")
        return bool(event.get("RRULE") or event.get("RDATE")) or (uid is not None and str(uid) in repeating)

    series = icalendar.Calendar()
    for name, value in calendar.property_items(recursive=False)[1:-1]:
        series.add(name, value)
    for component in calendar.subcomponents:
        if component.name != "VEVENT" or in_series(component):
            series.add_component(component)
    return series, [event for event in events if not in_series(event)]


def default_window() -> tuple[date, date]:
    """The 52 weeks before and after the load date."""
    day = today()
    return day - timedelta(weeks=WINDOW_WEEKS), day + timedelta(weeks=WINDOW_WEEKS)


def database_window(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """The first and last day of the data already loaded (every ledger's dates), from Monday to Sunday."""
    from analytics.ledgers import LEDGERS

    bounds = []
    for ledger in LEDGERS.values():
        for column in ledger.columns:
            if column.type in ("date", "datetime"):
                bounds.append(f'(select min("{column.name}")::date, max("{column.name}")::date from {ledger.name})')
    try:
        rows = [row for bound in bounds for row in con.execute(f"select * from {bound}").fetchall()]
    except duckdb.Error:  # a connection without the ledgers (a preview)
        return None
    firsts = [r[0] for r in rows if r and r[0] is not None]
    lasts = [r[1] for r in rows if r and r[1] is not None]
    if not firsts:
        return None
    first, last = min(firsts), max(lasts)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


@dataclass
class CalendarSheet(ColumnsSheet):
    """The events of a calendar, expanded over a window: re-expanded over the database's weeks when loaded."""

    file_name: str = ""
    calendar: icalendar.Calendar | None = field(default=None, repr=False)
    """The recurring series, expanded over a window."""
    singles: list[list[str | None]] = field(default_factory=list, repr=False)
    """The rows of the single events, which load whatever the window."""

    def expand(self, first: date, last: date) -> None:
        rows = _occurrences(self.file_name, self.calendar, first, last, self.singles)
        columns = [pa.array([row[i] for row in rows], type=pa.string()) for i in range(len(HEADERS))]
        header = pa.RecordBatch.from_arrays(
            [pa.array([h]) for h in HEADERS], names=[f"c{i}" for i in range(len(HEADERS))]
        )
        body = pa.RecordBatch.from_arrays(columns, names=header.schema.names)
        self.cells = pa.Table.from_batches([header, body]).combine_chunks().to_batches()[0]
        self.head = [list(HEADERS)] + [list(row) for row in rows[: HEAD_ROWS - 1]]

    def run(self, con: duckdb.DuckDBPyConnection, header_index: int, build: Build) -> None:
        window = database_window(con)
        if window is not None:
            self.expand(*window)
        super().run(con, header_index, build)


def _occurrences(
    file_name: str, calendar: icalendar.Calendar, first: date, last: date, singles: list[list[str | None]]
) -> list[list[str | None]]:
    rows = list(singles)
    end = datetime.combine(last + timedelta(days=1), time())
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        for event in query.after(first):  # in order of start, generated one at a time
            row = _row(event)
            if row[4] is not None and row[4] >= f"{end:%Y-%m-%d %H:%M:%S}":
                break
            rows.append(row)
            if len(rows) - len(singles) > MAX_CALENDAR_OCCURRENCES:
                raise IngestError(
                    f"{file_name}：{first} 至 {last} 之间的日程超过 {MAX_CALENDAR_OCCURRENCES:,} 次，未导入"
                    "（重复规则可能有误，例如每分钟重复）。"
                )
    except (ValueError, TypeError, KeyError) as exc:
        raise IngestError(f"{file_name}：日历中的重复规则或时间无法读取（{exc}），未导入。") from None
    rows.sort(key=lambda row: (row[4] or "", row[0] or ""))
    return rows


def _row(event: icalendar.Event) -> list[str | None]:
    start = event.get("DTSTART")
    end = event.get("DTEND")
    start_value = start.dt if start is not None else None
    if end is not None:
        end_value = end.dt
    elif event.get("DURATION") is not None and start_value is not None:
        end_value = start_value + event["DURATION"].dt
    elif isinstance(start_value, date) and not isinstance(start_value, datetime):
        end_value = start_value + timedelta(days=1)  # an all-day event without an end: that day
    else:
        end_value = None
    recurrence = event.get("RECURRENCE-ID")
    occurrence = _local(recurrence.dt) if recurrence is not None else _local(start_value)
    uid = str(event.get("UID") or "").strip() or None
    identity = uid or _text(event.get("SUMMARY"))  # no UID (rare): the title, as the ledger's identity
    key = f"{identity}@{occurrence:%Y%m%dT%H%M%S}" if identity and occurrence else None
    priority = _priority(event.get("PRIORITY"))
    status = _STATUS.get(str(event.get("STATUS") or "").strip().upper())
    categories = event.get("CATEGORIES")
    return [
        key,
        _text(event.get("SUMMARY")),
        _categories(categories),
        priority,
        _stamp(_local(start_value)),
        _stamp(_local(end_value)),
        _text(event.get("LOCATION")),
        status,
        _organizer(event.get("ORGANIZER")),
    ]


def _local(value: date | datetime | None) -> datetime | None:
    """Local wall-clock time: aware times converted to Asia/Shanghai; a date is its midnight."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(LOCAL).replace(tzinfo=None) if value.tzinfo is not None else value
    return datetime.combine(value, time())


def _stamp(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else None


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _priority(value: object) -> str | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    if 1 <= number <= 4:
        return "重要"
    if 5 <= number <= 9:
        return "一般"
    return None


def _categories(value: object) -> str | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    names = [str(c) for item in items for c in getattr(item, "cats", [item])]
    return "、".join(names) or None


def _organizer(value: object) -> str | None:
    if value is None:
        return None
    name = getattr(value, "params", {}).get("CN")
    return _text(name) or _text(str(value).removeprefix("mailto:").removeprefix("MAILTO:"))

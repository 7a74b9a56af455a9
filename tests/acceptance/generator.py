"""Realistic OA ledger exports for the acceptance check, written from canonical rows kept for expected.py.

Two companies:
- company A: ~6 weeks around National Day 2026 (2026-W37 … W43, supplies from the end of June), every ledger split
  over CSV (UTF-8, UTF-8-BOM, GB18030, CRLF/LF, title lines, 合计/总计/小计 footers, empty rows) and XLSX (merged
  title, blank row before the header, several sheets incl. non-ledger ones, native Excel dates/datetimes, dates as
  text in every style ledgers.md lists, numbers stored as text), Chinese / English / snake_case / full-width /
  padded headers, every enum alias, money as '¥1,234.50', '12元', '￥12', booleans 是/否/Y/N/√/×/有/无/…
- company B: October–November 2026, one openpyxl workbook with snake_case and full-width headers plus CSVs in other
  encodings; no decisions ledger (so the no_outcome rule does not apply) and a week without any incidents.

The canonical rows use plain Python values: datetime, date, bool, Decimal, int, str, None (None = empty cell).
An enum column holds the canonical value (or None = cell left empty). Each record is written to exactly one file.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import holidays

CHINA = holidays.China(years=range(2025, 2028))


def is_working_day(d: date) -> bool:
    return CHINA.is_working_day(d)


def T(s: str) -> datetime:
    return datetime.fromisoformat(s)


def D(s: str) -> date:
    return date.fromisoformat(s)


def M(s: str) -> Decimal:
    return Decimal(s)


# --------------------------------------------------------------------------------------------------
# enum aliases, exactly as ledgers.md lists them (the canonical value is a listed value too)
# --------------------------------------------------------------------------------------------------
ENUMS: dict[tuple[str, str], dict[str, list[str]]] = {
    ("meetings", "status"): {
        "held": ["已召开", "已完成", "召开", "完成", "held", "done"],
        "cancelled": ["已取消", "取消", "cancelled", "canceled"],
    },
    ("meetings", "mode"): {
        "onsite": ["线下", "现场", "onsite"],
        "online": ["线上", "视频", "网络", "online"],
        "hybrid": ["混合", "线上+线下", "hybrid"],
    },
    ("decisions", "status"): {
        "open": ["未开始", "进行中", "办理中", "逾期", "延期", "未完成", "open", "in progress"],
        "done": ["已办结", "已完成", "完成", "办结", "done", "closed"],
        "cancelled": ["已取消", "取消", "撤销", "cancelled", "canceled"],
    },
    ("supplies", "txn_type"): {
        "opening": ["期初", "期初库存", "opening"],
        "purchase": ["采购", "入库", "采购入库", "purchase"],
        "issue": ["领用", "出库", "领用出库", "issue"],
        "return": ["退库", "退还", "归还", "return"],
        "scrap": ["报废", "损坏", "过期", "损耗", "scrap"],
        "loss": ["盘亏", "丢失", "遗失", "loss"],
    },
    ("documents", "direction"): {
        "incoming": ["收文", "来文", "incoming"],
        "outgoing": ["发文", "去文", "outgoing"],
    },
    ("documents", "urgency"): {
        "urgent": ["特急", "urgent"],
        "expedited": ["加急", "急件", "expedited"],
        "normal": ["平件", "普通", "一般", "normal"],
    },
    ("documents", "secrecy"): {
        "public": ["公开", "public"],
        "internal": ["内部", "非密", "internal"],
        "secret": ["秘密", "secret"],
        "confidential": ["机密", "confidential"],
        "top_secret": ["绝密", "top_secret"],
    },
    ("incidents", "severity"): {
        "low": ["一般", "低", "low"],
        "medium": ["较大", "中", "medium"],
        "high": ["重大", "高", "high"],
        "critical": ["特别重大", "紧急", "critical"],
    },
    ("schedule", "priority"): {
        "strategic": ["战略级", "战略", "strategic"],
        "important": ["重要", "important"],
        "normal": ["一般", "普通", "normal"],
    },
    ("schedule", "status"): {
        "done": ["已完成", "完成", "done"],
        "cancelled": ["已取消", "取消", "cancelled"],
        "rescheduled": ["已改期", "改期", "rescheduled"],
        "planned": ["计划", "待办", "未开始", "planned"],
    },
}

BOOL_STYLES = [
    ("是", "否"),
    ("Y", "N"),
    ("有", "无"),
    ("√", "×"),
    ("yes", "no"),
    ("true", "false"),
    ("1", "0"),
    ("YES", "No"),
    ("True", "FALSE"),
    ("y", "n"),
]

DATE_STYLES = ["iso", "slash", "dot", "cn", "iso_nz", "slash_nz", "dot_nz", "cn_nz"]
DT_STYLES = ["iso_min", "iso_sec", "slash_min", "cn_min", "slash_nz", "cn_hm", "cn_hm_nz", "cn_nz_min", "iso_nz"]


def fmt_date(d: date, style: str) -> str:
    y, m, dd = d.year, d.month, d.day
    return {
        "iso": f"{y:04d}-{m:02d}-{dd:02d}",
        "slash": f"{y:04d}/{m:02d}/{dd:02d}",
        "dot": f"{y:04d}.{m:02d}.{dd:02d}",
        "cn": f"{y:04d}年{m:02d}月{dd:02d}日",
        "iso_nz": f"{y}-{m}-{dd}",
        "slash_nz": f"{y}/{m}/{dd}",
        "dot_nz": f"{y}.{m}.{dd}",
        "cn_nz": f"{y}年{m}月{dd}日",
    }[style]


def fmt_datetime(t: datetime, style: str) -> str:
    if t.second and style not in ("iso_sec",):
        style = "iso_sec"
    y, mo, d, h, mi, s = t.year, t.month, t.day, t.hour, t.minute, t.second
    return {
        "iso_min": f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}",
        "iso_sec": f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}",
        "slash_min": f"{y:04d}/{mo:02d}/{d:02d} {h:02d}:{mi:02d}",
        "cn_min": f"{y:04d}年{mo:02d}月{d:02d}日 {h:02d}:{mi:02d}",
        "slash_nz": f"{y}/{mo}/{d} {h}:{mi:02d}",
        "cn_hm": f"{y:04d}年{mo:02d}月{d:02d}日{h:02d}时{mi:02d}分",
        "cn_hm_nz": f"{y}年{mo}月{d}日{h}时{mi}分",
        "cn_nz_min": f"{y}年{mo}月{d}日 {h}:{mi:02d}",
        "iso_nz": f"{y}-{mo}-{d} {h}:{mi:02d}",
    }[style]


def fmt_plain(v: Decimal) -> str:
    s = format(v, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def fmt_money(v: Decimal, style: str) -> str:
    return {
        "plain": fmt_plain(v),
        "plain2": f"{v:.2f}",
        "yen": f"¥{v:,.2f}",
        "yuan": f"{fmt_plain(v)}元",
        "fwyen": f"￥{fmt_plain(v)}",
        "comma": f"{v:,}",
    }[style]


# --------------------------------------------------------------------------------------------------
# export description
# --------------------------------------------------------------------------------------------------
@dataclass
class Col:
    header: str
    canon: str | None = None  # None: an extra (unknown) column
    kind: str = "text"  # text int number money date datetime bool enum extra
    styles: tuple[str, ...] = ("plain",)
    extra: Any = None  # for extra columns: callable(record, index) -> value

    def styled(self, i: int) -> str:
        return self.styles[i % len(self.styles)]


@dataclass
class Sheet:
    ledger: str
    records: list[dict]
    cols: list[Col]
    name: str = "Sheet1"
    title_rows: list[str] = field(default_factory=list)  # rows above the header (first cell only)
    merge_title: bool = False
    blank_before_header: int = 0
    blank_after: tuple[int, ...] = ()  # an entirely empty row after record i
    footer: dict[str, Any] | None = None  # header -> value of a summary row
    header_row: int = 0  # filled in when written: 1-based row (Excel) / line (CSV) of the header


@dataclass
class Export:
    name: str
    sheets: list[Sheet]
    encoding: str = "utf-8"  # CSV only
    newline: str = "\r\n"  # CSV only
    writer: str = "xlsxwriter"  # XLSX only: xlsxwriter or openpyxl
    other_sheets: list[tuple[str, list[list[Any]]]] = field(default_factory=list)  # non-ledger sheets (XLSX)
    empty_line_style: str = "commas"  # CSV empty row: "commas" (Excel) or "bare"

    @property
    def is_xlsx(self) -> bool:
        return self.name.endswith(".xlsx")


def cell_value(col: Col, rec: dict, i: int, xlsx: bool, ledger: str) -> Any:
    """The cell as the OA system writes it: a str, or for XLSX a native number/datetime."""
    if col.canon is None:
        return col.extra(rec, i) if col.extra else None
    v = rec.get(col.canon)
    if v is None:
        return None
    style = col.styled(i)
    k = col.kind
    if k == "text":
        return str(v)
    if k in ("int", "number"):
        if xlsx and style == "native":
            return int(v) if k == "int" else float(v)
        return str(v) if k == "int" else fmt_plain(Decimal(v))
    if k == "money":
        if xlsx and style == "native":
            return float(v)
        return fmt_money(Decimal(v), style if style != "native" else "plain")
    if k == "date":
        if xlsx and style == "native":
            return datetime(v.year, v.month, v.day)
        return fmt_date(v, style if style != "native" else "iso")
    if k == "datetime":
        if xlsx and style == "native":
            return v
        return fmt_datetime(v, style if style != "native" else "iso_sec")
    if k == "bool":
        if xlsx and style == "native01":
            return 1 if v else 0
        # "cycle": every spelling in turn, for true and for false separately
        n = _turn(("bool", bool(v))) if style == "cycle" else int(style)
        pair = BOOL_STYLES[n % len(BOOL_STYLES)]
        return pair[0] if v else pair[1]
    if k == "enum":  # every alias of the value in turn, across all files of a company
        aliases = ENUMS[(ledger, col.canon)][v]
        return aliases[_turn((ledger, col.canon, v)) % len(aliases)]
    raise ValueError(k)


_TURNS: dict[tuple, int] = {}


def _turn(key: tuple) -> int:
    """A counter per key, reset when a company is written (so the same seed writes the same files)."""
    _TURNS[key] = _TURNS.get(key, -1) + 1
    return _TURNS[key]


def sheet_rows(sheet: Sheet, xlsx: bool) -> tuple[list[list[Any]], int]:
    """All rows of a sheet as cell lists; returns rows and the 0-based index of the header row."""
    n = len(sheet.cols)
    rows: list[list[Any]] = []
    for t in sheet.title_rows:
        rows.append([t] + [None] * (n - 1))
    for _ in range(sheet.blank_before_header):
        rows.append([None] * n)
    header_idx = len(rows)
    rows.append([c.header for c in sheet.cols])
    for i, rec in enumerate(sheet.records):
        rows.append([cell_value(c, rec, i, xlsx, sheet.ledger) for c in sheet.cols])
        if i in sheet.blank_after:
            rows.append([None] * n)
    if sheet.footer:
        rows.append([sheet.footer.get(c.header) for c in sheet.cols])
    return rows, header_idx


def write_export(exp: Export, outdir: Path) -> Path:
    path = outdir / exp.name
    if not exp.is_xlsx:
        (sheet,) = exp.sheets
        rows, hdr = sheet_rows(sheet, xlsx=False)
        sheet.header_row = hdr + 1
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator=exp.newline)
        for r in rows:
            if all(c is None for c in r) and exp.empty_line_style == "bare":
                buf.write(exp.newline)
            else:
                w.writerow(["" if c is None else c for c in r])
        path.write_bytes(buf.getvalue().encode(exp.encoding))
        return path
    if exp.writer == "xlsxwriter":
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(path))
        f_dt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        f_dt2 = wb.add_format({"num_format": "yyyy/m/d h:mm"})
        f_d = wb.add_format({"num_format": "yyyy/m/d"})
        f_d2 = wb.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
        f_title = wb.add_format({"bold": True, "align": "center", "font_size": 14})
        for name, rows in exp.other_sheets:
            ws = wb.add_worksheet(name)
            for r, row in enumerate(rows):
                for c, v in enumerate(row):
                    if v is not None:
                        ws.write(r, c, v)
        for sheet in exp.sheets:
            ws = wb.add_worksheet(sheet.name)
            rows, hdr = sheet_rows(sheet, xlsx=True)
            sheet.header_row = hdr + 1
            kinds = [c.kind for c in sheet.cols]
            for r, row in enumerate(rows):
                if r < len(sheet.title_rows) and sheet.merge_title and row[0] is not None:
                    ws.merge_range(r, 0, r, len(row) - 1, row[0], f_title)
                    continue
                for c, v in enumerate(row):
                    if v is None:
                        continue
                    if isinstance(v, datetime):
                        if kinds[c] == "date":
                            ws.write_datetime(r, c, v, f_d if (r % 2) else f_d2)
                        else:
                            ws.write_datetime(r, c, v, f_dt if (r % 2) else f_dt2)
                    elif isinstance(v, int | float):
                        ws.write_number(r, c, v)
                    else:
                        ws.write_string(r, c, str(v))
        wb.close()
        return path
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in exp.other_sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for sheet in exp.sheets:
        ws = wb.create_sheet(sheet.name)
        rows, hdr = sheet_rows(sheet, xlsx=True)
        sheet.header_row = hdr + 1
        kinds = [c.kind for c in sheet.cols]
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None:
                    continue
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, datetime):
                    cell.number_format = "yyyy-mm-dd" if kinds[c - 1] == "date" else "yyyy-mm-dd hh:mm:ss"
            if r <= len(sheet.title_rows) and sheet.merge_title:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(row))
                ws.cell(row=r, column=1).font = Font(bold=True, size=14)
                ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
    wb.save(path)
    return path


NOT_SUPPLIED = "_not_supplied"
"""Key in Company.records of the rows whose file had no column for an input: {ledger, key, column}."""


@dataclass
class Company:
    name: str
    records: dict[str, list[dict]]
    exports: list[Export]
    weeks: list[str]
    files: list[Path] = field(default_factory=list)

    def write(self, outdir: Path) -> list[Path]:
        outdir.mkdir(parents=True, exist_ok=True)
        _TURNS.clear()
        self.files = [write_export(e, outdir) for e in self.exports]
        return self.files


def daterange(a: date, b: date):
    d = a
    while d <= b:
        yield d
        d += timedelta(days=1)


# --------------------------------------------------------------------------------------------------
# company A: canonical rows
# --------------------------------------------------------------------------------------------------
DEPTS = ["总经办", "行政部", "财务部", "人力资源部", "市场部", "技术部", "采购部"]
PEOPLE = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴昊"]


def meeting(
    mid,
    title,
    dept,
    s,
    e,
    att,
    agenda,
    *,
    a_s=None,
    a_e=None,
    minutes=None,
    status="held",
    mode=None,
    rating=None,
    category="例会",
    organizer=None,
):
    return {
        "meeting_id": mid,
        "title": title,
        "category": category,
        "organizer_dept": dept,
        "organizer": organizer,
        "scheduled_start": T(s),
        "scheduled_end": T(e),
        "actual_start": T(a_s) if a_s else None,
        "actual_end": T(a_e) if a_e else None,
        "attendees": att,
        "has_agenda": agenda,
        "minutes_issued_at": T(minutes) if minutes else None,
        "status": status,
        "mode": mode,
        "rating": M(rating) if rating is not None else None,
    }


def decision(did, mid, item, dept, created, due, completed=None, status=None, owner=None, criteria=None):
    return {
        "decision_id": did,
        "meeting_id": mid,
        "item": item,
        "owner_dept": dept,
        "owner": owner,
        "created_date": D(created),
        "due_date": D(due),
        "completed_date": D(completed) if completed else None,
        "status": status,
        "acceptance_criteria": criteria,
    }


def company_a_meetings_decisions(rng: random.Random) -> tuple[list[dict], list[dict]]:
    ms = [
        # W39 — boundaries: exactly 1.25× (not overrun), rating exactly 2 (low), minutes exactly 24 h (on time)
        meeting(
            "HY-0101",
            "总经理办公会",
            "总经办",
            "2026-09-21 09:00",
            "2026-09-21 10:00",
            8,
            True,
            a_s="2026-09-21 09:00",
            a_e="2026-09-21 10:15",
            minutes="2026-09-22 10:15",
            status="held",
            mode="onsite",
            rating="2",
            organizer="张伟",
        ),
        # 76 min of 60 planned: overrun; minutes 24 h 1 min late
        meeting(
            "HY-0102",
            "市场周例会",
            "市场部",
            "2026-09-21 14:00",
            "2026-09-21 15:00",
            6,
            True,
            a_s="2026-09-21 14:00",
            a_e="2026-09-21 15:16",
            minutes="2026-09-22 15:17",
            mode="online",
            rating="4",
        ),
        # no agenda
        meeting(
            "HY-0103",
            "预算评审会",
            "财务部",
            "2026-09-22 10:00",
            "2026-09-22 11:30",
            12,
            False,
            minutes="2026-09-22 16:00",
            rating="3.5",
            category="专题会",
        ),
        # actual_end missing: planned minutes; minutes exactly 24 h after the scheduled end; rating 2.5 not low
        meeting(
            "HY-0104",
            "招聘进度会",
            "人力资源部",
            "2026-09-23 09:30",
            "2026-09-23 10:30",
            5,
            True,
            a_s="2026-09-23 09:40",
            minutes="2026-09-24 10:30",
            rating="2.5",
        ),
        # cancelled, no agenda, no decisions: left out
        meeting(
            "HY-0105", "供应商沟通会", "采购部", "2026-09-23 15:00", "2026-09-23 16:00", 4, False, status="cancelled"
        ),
        # held, its only decisions are cancelled: no_outcome
        meeting(
            "HY-0106",
            "信息化项目协调会",
            "技术部",
            "2026-09-24 09:00",
            "2026-09-24 10:00",
            9,
            True,
            minutes="2026-09-24 12:00",
            rating="5",
            mode="hybrid",
        ),
        # status empty -> held; only actual_end present: planned minutes, but the minutes deadline counts from actual_end
        meeting(
            "HY-0107",
            "安全生产检查布置会",
            "行政部",
            "2026-09-24 14:00",
            "2026-09-24 15:00",
            10,
            True,
            a_e="2026-09-24 17:00",
            minutes="2026-09-25 16:30",
            status=None,
        ),
        # starts Sunday 23:30 of W39, ends in W40: belongs to W39
        meeting("HY-0108", "海外项目视频会", "市场部", "2026-09-27 23:30", "2026-09-28 00:30", 3, True, mode="online"),
        # starts Monday 00:00 of W40
        meeting(
            "HY-0109",
            "节前安全值班部署会",
            "行政部",
            "2026-09-28 00:00",
            "2026-09-28 01:00",
            4,
            True,
            minutes="2026-09-29 01:00",
        ),
        meeting(
            "HY-0110", "国庆值班协调会", "行政部", "2026-09-30 15:00", "2026-09-30 16:00", 6, True, status="cancelled"
        ),
        # shorter than planned; minutes exactly 24 h after actual_end
        meeting(
            "HY-0111",
            "节后复工部署会",
            "总经办",
            "2026-10-09 09:00",
            "2026-10-09 11:00",
            10,
            True,
            a_s="2026-10-09 09:10",
            a_e="2026-10-09 10:30",
            minutes="2026-10-10 10:30",
            rating="4",
        ),
        # on the adjusted working Saturday: every rule fires (no agenda, no decision, overrun 120 > 112.5, rating 1)
        meeting(
            "HY-0112",
            "四季度营销策划会",
            "市场部",
            "2026-10-10 14:00",
            "2026-10-10 15:30",
            7,
            False,
            a_s="2026-10-10 14:00",
            a_e="2026-10-10 16:00",
            rating="1",
        ),
        # 7 × 50 min = 5.8333 person-hours
        meeting(
            "HY-0113",
            "党支部学习会",
            "总经办",
            "2026-09-21 16:00",
            "2026-09-21 16:50",
            7,
            True,
            minutes="2026-09-21 18:00",
            rating="3",
            category="学习会",
        ),
        meeting(
            "HY-0114",
            "月度经营分析会",
            "财务部",
            "2026-10-12 09:00",
            "2026-10-12 11:00",
            15,
            True,
            a_s="2026-10-12 09:05",
            a_e="2026-10-12 11:35",
            minutes="2026-10-13 11:00",
            status="held",
            rating="2.0",
        ),
    ]
    ds = [
        decision(
            "DB-0001",
            "HY-0101",
            "完成三季度经营数据汇总",
            "财务部",
            "2026-09-21",
            "2026-09-27",
            "2026-09-27",
            "done",
            owner="王芳",
            criteria="报表报总经理",
        ),
        decision("DB-0002", "HY-0102", "提交国庆促销方案", "市场部", "2026-09-21", "2026-09-25", "2026-09-28"),
        decision("DB-0003", "HY-0103", "修订差旅费标准", "财务部", "2026-09-22", "2026-09-24", "2026-09-26", "done"),
        decision("DB-0004", "HY-0103", "压降会议费预算10%", "财务部", "2026-09-22", "2026-09-23", "2026-09-22"),
        decision("DB-0005", "HY-0104", "完成校园招聘宣讲安排", "人力资源部", "2026-09-23", "2026-10-16", None, "open"),
        decision("DB-0006", "HY-0106", "OA升级上线", "技术部", "2026-09-24", "2026-09-30", None, "cancelled"),
        decision("DB-0007", "HY-0106", "机房搬迁", "技术部", "2026-09-24", "2026-10-09", None, "cancelled"),
        decision("DB-0008", "HY-0107", "完成消防器材检查", "行政部", "2026-09-24", "2026-09-30", None, None),
        decision(
            "DB-0009", "HY-0108", "确认海外代理合同条款", "市场部", "2026-09-28", "2026-10-09", "2026-10-09", None
        ),
        decision("DB-0010", "HY-0109", "排定国庆值班表", "行政部", "2026-09-28", "2026-09-28", "2026-09-28", "done"),
        # due on Sunday of W42, completed Monday of W43
        decision("DB-0011", "HY-0111", "节后设备巡检", "技术部", "2026-10-09", "2026-10-18", "2026-10-19", "done"),
        decision("DB-0012", "HY-0113", "学习心得提交", "总经办", "2026-09-21", "2026-09-21", "2026-09-21", "done"),
        decision("DB-0013", None, "撤销的临时事项", "行政部", "2026-09-10", "2026-09-22", None, "cancelled"),
        decision("DB-0014", None, "清理历史欠款", "财务部", "2026-08-20", "2026-09-11", None, "open"),
        decision("DB-0015", None, "档案室整理", "行政部", "2026-08-26", "2026-09-15", "2026-10-08", "done"),
        decision("DB-0016", "HY-9999", "外部会议交办事项", "总经办", "2026-09-15", "2026-09-24", "2026-09-24", "done"),
        # due on Sunday 10-04 (a holiday), completed after the holiday
        decision("DB-0017", None, "国庆期间舆情监测", "市场部", "2026-09-30", "2026-10-04", "2026-10-08", "done"),
        decision("DB-0018", None, "年度体检安排", "人力资源部", "2026-09-29", "2026-10-10", None, "open"),
        decision("DB-0019", None, "会议室改造", "行政部", "2026-09-29", "2026-10-12", None, "open"),
        decision("DB-0020", "HY-0114", "应收账款清收", "财务部", "2026-10-12", "2026-10-15", "2026-10-12", "done"),
        decision("DB-0021", "HY-0114", "成本分析报告", "财务部", "2026-10-12", "2026-10-16", "2026-10-16", "done"),
    ]
    titles = [
        "部门例会",
        "项目推进会",
        "专题协调会",
        "周工作例会",
        "客户需求评审会",
        "质量分析会",
        "培训会",
        "合同评审会",
        "安全例会",
        "预算执行分析会",
    ]
    items = [
        "整改落实",
        "方案报批",
        "数据核对",
        "流程优化",
        "人员调配",
        "采购申请",
        "制度修订",
        "客户回访",
        "系统测试",
        "费用报销清理",
    ]
    n = 200
    dn = 100
    for day in daterange(D("2026-09-07"), D("2026-10-23")):
        if not is_working_day(day):
            continue
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            n += 1
            mid = f"HY-{n:04d}"
            dept = rng.choice(DEPTS)
            s = datetime(day.year, day.month, day.day, rng.choice([8, 9, 10, 14, 15, 16]), rng.choice([0, 30]))
            planned = rng.choice([30, 45, 60, 60, 90, 120])
            e = s + timedelta(minutes=planned)
            a_s = a_e = None
            if rng.random() < 0.7:
                a_s = s + timedelta(minutes=rng.choice([-5, 0, 0, 5, 10]))
                a_e = a_s + timedelta(minutes=round(planned * rng.choice([0.8, 1, 1, 1.1, 1.2, 1.25, 1.3, 1.5])))
                r = rng.random()
                if r < 0.05:
                    a_s = None
                elif r < 0.1:
                    a_e = None
            end = a_e or e
            minutes = None
            if rng.random() < 0.75:
                minutes = end + timedelta(
                    hours=rng.choice([1, 3, 20, 23, 24, 24, 25, 30, 48]), minutes=rng.choice([0, 0, 0, 1, 15])
                )
            status = "cancelled" if rng.random() < 0.1 else rng.choice(["held", "held", "held", None])
            rating = rng.choice([None, None, "1", "2", "2", "2.5", "3", "3.5", "4", "4.5", "5"])
            ms.append(
                {
                    "meeting_id": mid,
                    "title": rng.choice(titles),
                    "category": rng.choice(["例会", "专题会", None]),
                    "organizer_dept": dept,
                    "organizer": rng.choice(PEOPLE + [None]),
                    "scheduled_start": s,
                    "scheduled_end": e,
                    "actual_start": a_s,
                    "actual_end": a_e,
                    "attendees": rng.randint(1, 20),
                    "has_agenda": rng.random() < 0.8,
                    "minutes_issued_at": minutes,
                    "status": status,
                    "mode": rng.choice(["onsite", "online", "hybrid", None]),
                    "rating": M(rating) if rating else None,
                }
            )
            if status == "cancelled":
                continue
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                dn += 1
                created = day + timedelta(days=rng.choice([0, 0, 1]))
                due = created + timedelta(days=rng.randint(1, 20))
                r = rng.random()
                comp = None
                if r < 0.65:
                    comp = max(created, due + timedelta(days=rng.choice([-4, -2, -1, 0, 0, 1, 3, 7])))
                    st = rng.choice(["done", "done", None])
                elif r < 0.88:
                    st = rng.choice(["open", "open", None])
                else:
                    st = "cancelled"
                ds.append(
                    {
                        "decision_id": f"DB-{dn:04d}",
                        "meeting_id": mid,
                        "item": f"{rng.choice(items)}（{dept}）",
                        "owner_dept": rng.choice([dept, dept, rng.choice(DEPTS)]),
                        "owner": rng.choice(PEOPLE + [None]),
                        "created_date": created,
                        "due_date": due,
                        "completed_date": comp,
                        "status": st,
                        "acceptance_criteria": rng.choice([None, "按期报送", "形成书面材料"]),
                    }
                )
    return ms, ds


def supply(date_s, typ, item, qty, price=None, dept=None, person=None, note=None, category=None, unit=None):
    return {
        "txn_date": D(date_s),
        "txn_type": typ,
        "item": item,
        "quantity": M(str(qty)),
        "unit_price": M(price) if price is not None else None,
        "department": dept,
        "person": person,
        "note": note,
        "category": category,
        "unit": unit,
    }


ITEMS = {
    "A4打印纸": ("办公纸品", "包"),
    "中性签字笔": ("书写工具", "支"),
    "硒鼓HP88A": ("打印耗材", "个"),
    "文件夹": ("文件管理", "个"),
    "档案盒": ("文件管理", "个"),
    "U盘32G": ("电子耗材", "个"),
    "订书机": ("办公器具", "个"),
    "笔记本": ("本册", "本"),
    "墨盒": ("打印耗材", "个"),
    "茶叶": ("接待用品", "斤"),
    "信封": ("办公纸品", "个"),
    "长尾夹": ("办公器具", "盒"),
    "咖啡豆": ("接待用品", "公斤"),
    "洗手液": ("清洁用品", "升"),
    "便利贴": ("办公纸品", "本"),
}


def company_a_supplies() -> list[dict]:
    s = supply
    rows = [
        # openings (期初) at the end of June
        s("2026-06-30", "opening", "A4打印纸", 100, "25"),
        s("2026-06-30", "opening", "中性签字笔", 200, "2.50"),
        s("2026-06-30", "opening", "硒鼓HP88A", 6, "480"),
        s("2026-06-30", "opening", "文件夹", 50),  # no price anywhere
        s("2026-06-30", "opening", "档案盒", 30),  # no price anywhere, never issued: idle with no value
        s("2026-06-30", "opening", "U盘32G", 10),  # priced only by a later purchase
        s("2026-06-30", "opening", "订书机", 5),  # first price only in W42
        s("2026-06-30", "opening", "笔记本", 100, "5"),
        s("2026-06-30", "opening", "墨盒", 10, "120"),
        s("2026-06-30", "opening", "茶叶", 10, "168"),
        s("2026-06-30", "opening", "信封", 20, "0.5"),
        s("2026-06-30", "opening", "长尾夹", 20, "6"),
        s("2026-06-30", "opening", "咖啡豆", "2.5", "80.07"),  # idle: 2.5 × 80.07 = 200.175 (a tie; float is below)
        s("2026-06-30", "opening", "洗手液", 30, "15"),
        s("2026-06-30", "opening", "便利贴", 10, "3"),
        s("2026-07-13", "issue", "硒鼓HP88A", 1, "480", "技术部", "黄强"),  # last toner issue: idle from W41
        s("2026-07-15", "purchase", "U盘32G", 5, "45"),
        s("2026-07-20", "purchase", "中性签字笔", 100, "2.80"),
        s("2026-08-03", "purchase", "笔记本", 50, "5.50"),
        s("2026-08-10", "issue", "长尾夹", 2, None, "市场部", "周婷"),  # in the 90-day window, not in the 30-day one
        s("2026-08-20", "purchase", "硒鼓HP88A", 2, "495"),
        s("2026-08-20", "issue", "洗手液", "4.1", None, "行政部", "赵敏"),
        s("2026-09-22", "issue", "洗手液", "10.5", None, "行政部", "赵敏"),
        s("2026-10-13", "issue", "洗手液", "10.5", None, "行政部", "赵敏"),  # W42: on-hand 4.9 = 7 × 21 / 30
        s("2026-09-01", "purchase", "墨盒", 30, "120"),
        s("2026-09-01", "purchase", "A4打印纸", 100, "26"),
        # W38
        s("2026-09-15", "issue", "中性签字笔", 20, "2.80", "人力资源部", "王芳"),
        s("2026-09-16", "scrap", "笔记本", 2, None, note="损坏"),  # filled 5.50
        s("2026-09-18", "issue", "信封", 25, None, "行政部", "赵敏"),  # on-hand −5: negative, short
        s("2026-09-18", "purchase", "茶叶", 2, "172"),
        s("2026-09-19", "loss", "茶叶", "0.5", None, note="遗失"),  # filled 172 (bought 09-18)
        s("2026-09-20", "loss", "长尾夹", 1, None, note="盘点短少"),  # filled 6
        # W39
        s("2026-09-21", "issue", "A4打印纸", 8, None, "财务部", "刘洋"),
        s("2026-09-21", "issue", "墨盒", 10, "120", "技术部", "黄强"),
        s("2026-09-21", "issue", "便利贴", 9, None, "市场部", "周婷"),  # on-hand 1 < 7 × 9 / 30: short
        s("2026-09-22", "issue", "中性签字笔", 30, None, "市场部", "周婷"),  # filled from the same day's latest: 3.20
        s("2026-09-22", "purchase", "中性签字笔", 100, "3.00"),
        s("2026-09-22", "purchase", "中性签字笔", 50, "3.20"),  # greater txn_id of that date
        s("2026-09-22", "issue", "文件夹", 5, None, "总经办", "张伟"),
        s("2026-09-23", "scrap", "订书机", 1, None, note="损坏"),  # no earlier price: earliest later 18
        s("2026-09-24", "scrap", "U盘32G", 1, None, note="损坏"),  # filled 45
        s("2026-09-24", "issue", "茶叶", "1.5", None, "总经办", "张伟", "接待"),  # filled 172
        s("2026-09-26", "return", "A4打印纸", 2, None, "财务部", "刘洋", "多领"),  # filled 26
        s("2026-09-27", "scrap", "文件夹", 3, None, note="报废"),  # no price anywhere: no value
        # W40 — issue and return cancel out, no waste: denominator 0 -> null
        s("2026-09-28", "issue", "A4打印纸", 2, "25", "行政部", "赵敏"),
        s("2026-09-29", "issue", "墨盒", 10, "120", "市场部", "周婷"),
        s("2026-09-30", "return", "墨盒", 10, None, "市场部", "周婷", "退回"),
        s("2026-09-30", "return", "A4打印纸", 2, "25", "行政部", "赵敏"),
        # W41
        s("2026-10-08", "issue", "A4打印纸", 10, None, "技术部", "黄强"),  # filled 25 (written on 09-30)
        s("2026-10-09", "issue", "笔记本", 10, None, "人力资源部", "王芳"),  # same day, greater id priced 6.00
        s("2026-10-09", "purchase", "笔记本", 40, "6.00"),
        s("2026-10-10", "scrap", "茶叶", "0.5", "80.05", note="过期"),  # 40.025: a tie at 2 decimals (float below)
        s("2026-10-10", "issue", "信封", 5, "0.5", "行政部", "赵敏"),
        # W42
        s("2026-10-12", "purchase", "订书机", 3, "18"),
        s("2026-10-12", "purchase", "便利贴", 20, "3.5"),
        s("2026-10-12", "issue", "墨盒", 10, "120", "技术部", "黄强"),
        s("2026-10-12", "issue", "A4打印纸", 12, "26", "市场部", "周婷"),
        s("2026-10-13", "loss", "中性签字笔", 5, None, note="丢失"),  # filled 3.20
        s("2026-10-14", "return", "中性签字笔", 10, None, "市场部", "周婷", "归还"),
        s("2026-10-16", "loss", "墨盒", 13, None, note="盘亏"),  # on-hand 7 = 7 days of 30/30 demand: not short
        s("2026-10-16", "scrap", "A4打印纸", 1, "26", note="受潮"),
        # W43
        s("2026-10-19", "issue", "A4打印纸", 10, "26", "财务部", "刘洋"),
        s("2026-10-20", "purchase", "订书机", 2, "20"),
    ]
    # weekly paper issues from July (keeps paper busy) and monthly paper purchases
    for k, d0 in enumerate(daterange(D("2026-07-06"), D("2026-09-14"))):
        if d0.weekday() == 0 and is_working_day(d0):
            rows.append(
                s(
                    d0.isoformat(),
                    "issue",
                    "A4打印纸",
                    5 + (k % 4),
                    None if k % 3 else "25",
                    DEPTS[k % len(DEPTS)],
                    PEOPLE[k % len(PEOPLE)],
                )
            )
    for d0 in ("2026-07-08", "2026-08-12", "2026-09-09"):
        rows.append(s(d0, "purchase", "A4打印纸", 30, "25.5"))
    rows.sort(key=lambda r: r["txn_date"])
    # txn_id: same-length ids in listed order within a date
    per_day: dict[date, int] = {}
    for r in rows:
        per_day[r["txn_date"]] = per_day.get(r["txn_date"], 0) + 1
        r["txn_id"] = f"CK{r['txn_date']:%Y%m%d}-{per_day[r['txn_date']]:02d}"
        cat, unit = ITEMS[r["item"]]
        r["category"] = r["category"] or cat
        r["unit"] = r["unit"] or unit
    return rows


def doc(
    did,
    direction,
    title,
    received=None,
    registered=None,
    due=None,
    closed=None,
    *,
    urgency=None,
    secrecy=None,
    handler=None,
    counterparty=None,
    doc_type=None,
    proposed=None,
):
    return {
        "doc_id": did,
        "direction": direction,
        "title": title,
        "counterparty": counterparty,
        "doc_type": doc_type,
        "urgency": urgency,
        "secrecy": secrecy,
        "received_date": D(received) if received else None,
        "registered_date": D(registered) if registered else None,
        "handler_dept": handler,
        "proposed_handling": proposed,
        "due_date": D(due) if due else None,
        "closed_date": D(closed) if closed else None,
    }


def nth_working_day_after(d: date, k: int) -> date:
    if k == 0:
        return d
    while k:
        d += timedelta(days=1)
        if is_working_day(d):
            k -= 1
    return d


def company_a_documents(rng: random.Random) -> list[dict]:
    docs = [
        doc(
            "SW-E01", "incoming", "关于开展安全检查的通知", "2026-09-18", "2026-09-20", handler="行政部"
        ),  # Sun 09-20 works
        doc("SW-E02", "incoming", "关于报送统计数据的函", "2026-09-19", "2026-09-20", handler="财务部"),
        doc("SW-E03", "incoming", "关于节能降耗的通知", "2026-09-18", "2026-09-21", handler="行政部"),  # late
        doc("SW-E04", "incoming", "中秋国庆值班通知", "2026-09-24", "2026-09-28", handler="行政部"),  # 09-25 holiday
        doc("SW-E05", "incoming", "关于征求意见的函", "2026-09-24", "2026-09-29", handler="总经办"),  # late
        doc(
            "SW-E06",
            "incoming",
            "关于防汛工作的紧急通知",
            "2026-09-30",
            "2026-10-08",
            handler="行政部",
            urgency="urgent",
        ),
        doc("SW-E07", "incoming", "关于培训报名的通知", "2026-09-30", "2026-10-09", handler="人力资源部"),  # late
        doc("SW-E08", "incoming", "节日期间来函", "2026-10-04", "2026-10-08", handler="总经办"),
        doc("SW-E09", "incoming", "关于审计整改的通知", "2026-10-09", "2026-10-10", handler="财务部"),  # Sat works
        doc("SW-E10", "incoming", "关于客户投诉的函", "2026-10-09", "2026-10-12", handler="市场部"),  # late
        doc("SW-E11", "incoming", "关于年检的通知", "2026-10-10", "2026-10-12", handler="行政部"),  # on time
        doc("SW-E12", "incoming", "假期来文（未登记）", "2026-10-02", None, handler="总经办"),
        doc("SW-E13", "incoming", "假期当天登记", "2026-10-07", "2026-10-07", handler="行政部"),
        doc(
            "SW-E14",
            "incoming",
            "关于报送三季度报表的通知",
            "2026-09-14",
            "2026-09-14",
            "2026-09-23",
            "2026-10-12",
            handler="财务部",
        ),
        doc(
            "SW-E15",
            "incoming",
            "关于周末加班审批的函",
            "2026-09-21",
            "2026-09-21",
            "2026-09-27",
            "2026-09-27",
            handler="人力资源部",
        ),
        doc("SW-E16", "incoming", "当日办结来文", "2026-09-22", "2026-09-22", None, "2026-09-22", handler="总经办"),
        doc("SW-E17", "incoming", "涉密来文一", "2026-09-15", "2026-09-15", secrecy="secret", urgency="expedited"),
        doc("SW-E18", "incoming", "涉密来文二", "2026-09-16", "2026-09-17", secrecy="secret", urgency="expedited"),
        doc("SW-E19", "incoming", "机密来文一", "2026-09-16", "2026-09-16", secrecy="confidential"),
        doc("SW-E20", "incoming", "机密来文二", "2026-09-17", "2026-09-18", secrecy="confidential"),
        doc(
            "FW-E01",
            "outgoing",
            "关于国庆放假安排的通知",
            None,
            "2026-09-21",
            "2026-09-25",
            "2026-09-25",
            handler="行政部",
        ),
        doc("FW-E02", "outgoing", "关于四季度重点工作的报告", None, None, "2026-09-30", "2026-10-09", handler="总经办"),
    ]
    units = ["市国资委", "区应急管理局", "集团公司办公室", "市税务局", "合作银行", "行业协会", "客户单位"]
    titles = [
        "关于报送材料的通知",
        "关于召开会议的通知",
        "关于开展自查的函",
        "工作联系函",
        "关于征求意见的函",
        "情况通报",
        "关于做好安全生产工作的通知",
    ]
    n = 100
    for day in daterange(D("2026-09-07"), D("2026-10-23")):
        count = rng.choice([0, 1, 1, 2]) if is_working_day(day) else (1 if rng.random() < 0.2 else 0)
        for _ in range(count):
            n += 1
            reg = None
            if rng.random() < 0.85:
                reg = nth_working_day_after(day, rng.choice([0, 0, 1, 1, 1, 2]))
            due = day + timedelta(days=rng.randint(3, 15)) if rng.random() < 0.6 else None
            closed = None
            if rng.random() < 0.7:
                closed = (reg or day) + timedelta(days=rng.randint(0, 14))
            docs.append(
                {
                    "doc_id": f"SW-{n:03d}",
                    "direction": "incoming",
                    "title": rng.choice(titles),
                    "counterparty": rng.choice(units),
                    "doc_type": rng.choice(["通知", "函", "通报", None]),
                    "urgency": rng.choice(["urgent", "expedited", "normal", None, None]),
                    "secrecy": rng.choice(["public", "internal", "secret", "confidential", "top_secret", None, None]),
                    "received_date": day,
                    "registered_date": reg,
                    "handler_dept": rng.choice(DEPTS + [None]),
                    "proposed_handling": rng.choice(["请阅示", "拟由行政部办理", None]),
                    "due_date": due,
                    "closed_date": closed,
                }
            )
        if is_working_day(day) and rng.random() < 0.5:
            n += 1
            due = day + timedelta(days=rng.randint(2, 10)) if rng.random() < 0.5 else None
            closed = day + timedelta(days=rng.randint(0, 12)) if rng.random() < 0.6 else None
            docs.append(
                {
                    "doc_id": f"FW-{n:03d}",
                    "direction": "outgoing",
                    "title": rng.choice(titles),
                    "counterparty": rng.choice(units),
                    "doc_type": rng.choice(["报告", "请示", "函"]),
                    "urgency": rng.choice(["expedited", "normal", None]),
                    "secrecy": rng.choice(["internal", None]),
                    "received_date": None,
                    "registered_date": day if rng.random() < 0.8 else None,
                    "handler_dept": rng.choice(DEPTS),
                    "proposed_handling": None,
                    "due_date": due,
                    "closed_date": closed,
                }
            )
    return docs


def incident(
    iid, typ, reported, responded=None, resolved=None, updates=None, report=None, severity=None, dept=None, summary=None
):
    return {
        "incident_id": iid,
        "incident_type": typ,
        "severity": severity,
        "summary": summary,
        "reported_at": T(reported),
        "responded_at": T(responded) if responded else None,
        "resolved_at": T(resolved) if resolved else None,
        "progress_updates": updates,
        "report_issued_at": T(report) if report else None,
        "lead_dept": dept,
    }


def company_a_incidents(rng: random.Random) -> list[dict]:
    inc = [
        incident(
            "SJ-E01",
            "设备故障",
            "2026-09-21 09:00:00",
            "2026-09-21 09:05:00",
            "2026-09-21 10:05:00",
            2,
            "2026-09-22 10:05:00",
            "medium",
            "技术部",
            "机房空调停机",
        ),  # 5 min, 60 min -> 2, report 24 h
        incident(
            "SJ-E02",
            "网络中断",
            "2026-09-22 14:00:00",
            "2026-09-22 14:05:01",
            "2026-09-22 14:35:00",
            None,
            "2026-09-23 14:36:00",
            "high",
            "技术部",
        ),  # 5:01 late; 29:59 -> 0 updates needed
        incident(
            "SJ-E03", "停电", "2026-09-23 08:10:00", None, "2026-09-23 09:10:00", 1, None, "critical", "行政部"
        ),  # no response; 60 min from reported -> 2 > 1
        incident(
            "SJ-E04",
            "安保事件",
            "2026-09-27 23:50:00",
            "2026-09-27 23:54:00",
            "2026-09-28 02:00:00",
            4,
            "2026-09-29 01:00:00",
            "low",
            "行政部",
        ),  # Sunday night of W39
        incident("SJ-E05", "舆情", "2026-09-28 00:00:00", "2026-09-28 00:04:59", None, None, None, "medium", "市场部"),
        incident(
            "SJ-E06",
            "电梯困人",
            "2026-10-02 10:00:00",
            "2026-10-02 10:06:00",
            "2026-10-03 10:00:00",
            47,
            "2026-10-04 10:00:00",
            "high",
            "行政部",
        ),  # 1434 min -> 47; report exactly 24 h
        incident(
            "SJ-E07",
            "漏水",
            "2026-10-08 09:00:00",
            "2026-10-08 09:03:00",
            "2026-10-08 10:32:59",
            2,
            None,
            "low",
            "行政部",
        ),  # 89:59 -> 2
        incident(
            "SJ-E08",
            "系统宕机",
            "2026-10-09 16:00:00",
            "2026-10-09 16:02:00",
            "2026-10-09 17:32:00",
            2,
            "2026-10-10 09:00:00",
            "critical",
            "技术部",
        ),  # 90 min -> 3 > 2
    ]
    types = ["设备故障", "网络中断", "停电", "安保事件", "车辆事故", "客户投诉升级", "消防报警"]
    for k in range(1, 31):
        day = D("2026-09-07") + timedelta(days=rng.randint(0, 46))
        rep = datetime(
            day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), rng.choice([0, 0, 0, 17, 42])
        )
        resp = None
        if rng.random() < 0.85:
            resp = rep + timedelta(
                minutes=rng.choice([1, 2, 3, 4, 5, 5, 6, 8, 15]), seconds=rng.choice([0, 0, 0, 1, 30])
            )
        res = None
        if rng.random() < 0.8:
            res = (resp or rep) + timedelta(minutes=rng.randint(10, 600), seconds=rng.choice([0, 0, 59]))
        upd = None
        if res is not None and rng.random() < 0.85:
            need = int((res - (resp or rep)).total_seconds() // 1800)
            upd = max(0, need + rng.choice([-1, 0, 0, 1]))
        report = None
        if res is not None and rng.random() < 0.7:
            report = res + timedelta(hours=rng.choice([2, 10, 23, 24, 24, 25, 48]), minutes=rng.choice([0, 0, 1]))
        inc.append(
            {
                "incident_id": f"SJ-{k:03d}",
                "incident_type": rng.choice(types),
                "severity": rng.choice(["low", "medium", "high", "critical", None]),
                "summary": rng.choice(["已处置", "现场处置完毕", None]),
                "reported_at": rep,
                "responded_at": resp,
                "resolved_at": res,
                "progress_updates": upd,
                "report_issued_at": report,
                "lead_dept": rng.choice(DEPTS + [None]),
            }
        )
    return inc


def event(eid, title, start, end, priority=None, status=None, *, category=None, location=None, requested_by=None):
    return {
        "event_id": eid,
        "title": title,
        "category": category,
        "priority": priority,
        "start": T(start),
        "end": T(end),
        "location": location,
        "requested_by": requested_by,
        "status": status,
    }


def company_a_schedule(rng: random.Random) -> list[dict]:
    ev = [
        # W39: touching (no conflict), one entry overlapping both -> 2 pairs
        event(
            "RC-E01", "战略规划研讨", "2026-09-21 09:00", "2026-09-21 10:00", "strategic", "done", requested_by="总经办"
        ),
        event(
            "RC-E02", "听取财务汇报", "2026-09-21 10:00", "2026-09-21 11:00", "important", "done", requested_by="财务部"
        ),
        event("RC-E03", "接待来访", "2026-09-21 09:30", "2026-09-21 10:30", "normal", "done", requested_by="行政部"),
        # a rescheduled entry still counts at the listed times -> 1 pair; the cancelled one is out
        event("RC-E04", "项目调度会", "2026-09-22 14:00", "2026-09-22 15:00", "important", "rescheduled"),
        event("RC-E05", "客户拜访", "2026-09-22 14:30", "2026-09-22 15:30", None, "planned", requested_by="市场部"),
        event("RC-E06", "外出调研", "2026-09-22 14:00", "2026-09-22 17:00", "strategic", "cancelled"),
        # nested -> 1 pair; identical -> 1 pair
        event("RC-E07", "干部考察", "2026-09-23 16:00", "2026-09-23 18:00", "strategic", "done"),
        event("RC-E08", "签批文件", "2026-09-23 16:30", "2026-09-23 17:00", "normal", None),
        event("RC-E09", "视频会议", "2026-09-24 10:00", "2026-09-24 11:00", "normal", "done"),
        event("RC-E10", "电话会议", "2026-09-24 10:00", "2026-09-24 11:00", "important", "done"),
        event("RC-E13", "周末值班巡查", "2026-09-27 09:00", "2026-09-27 09:20", "normal", "done"),
        # W40: only cancelled entries -> no hours, share null, change rate 1
        event("RC-E14", "节前慰问", "2026-09-28 15:00", "2026-09-28 16:00", "important", "cancelled"),
        event("RC-E15", "节日值班检查", "2026-10-03 10:00", "2026-10-03 11:00", "normal", "cancelled"),
        # W41 Sunday night into W42, and a W42 entry overlapping it: different weeks, no pair
        event("RC-E11", "海外连线", "2026-10-11 23:00", "2026-10-12 01:00", "strategic", "done"),
        event("RC-E12", "凌晨应急调度", "2026-10-12 00:00", "2026-10-12 00:30", "normal", "done"),
        # W42: 16 h in all, 0.5 h strategic -> 0.03125 (a tie at 4 decimals)
        event("RC-T01", "战略合作签约", "2026-10-12 09:00", "2026-10-12 09:30", "strategic", "done"),
        event("RC-T10", "取消的出访", "2026-10-14 09:00", "2026-10-14 18:00", "strategic", "cancelled"),
        event("RC-T11", "改期的座谈", "2026-10-16 14:00", "2026-10-16 15:00", "normal", "rescheduled"),
    ]
    # the rest of W42: 15 h of normal / important work minus the rescheduled hour above -> 14 h
    k = 20
    for day, spans in (
        ("2026-10-12", [("10:00", "12:00"), ("14:00", "16:00")]),
        ("2026-10-13", [("09:00", "12:00")]),
        ("2026-10-14", [("14:00", "15:30"), ("15:30", "17:00")]),
        ("2026-10-15", [("09:00", "11:00"), ("10:00", "11:00")]),
        ("2026-10-17", [("09:00", "10:00")]),
    ):
        for a, b in spans:
            k += 1
            ev.append(
                event(
                    f"RC-T{k:02d}",
                    "日常工作",
                    f"{day} {a}",
                    f"{day} {b}",
                    rng.choice(["important", "normal", None]),
                    rng.choice(["done", "planned", None]),
                )
            )
    titles = ["审阅文件", "部门汇报", "客户接待", "外部会议", "项目检查", "约谈", "签批", "调研"]
    n = 100
    for day in daterange(D("2026-09-07"), D("2026-10-25")):
        if (
            not is_working_day(day)
            or D("2026-09-28") <= day <= D("2026-10-04")
            or D("2026-10-12") <= day <= D("2026-10-18")
        ):
            continue
        for _ in range(rng.choice([1, 2, 3, 3])):
            n += 1
            s = datetime(
                day.year, day.month, day.day, rng.choice([8, 9, 10, 11, 14, 15, 16]), rng.choice([0, 0, 20, 30])
            )
            e = s + timedelta(minutes=rng.choice([20, 30, 40, 45, 60, 90, 120]))
            ev.append(
                {
                    "event_id": f"RC-{n:03d}",
                    "title": rng.choice(titles),
                    "category": rng.choice(["会议", "接待", None]),
                    "priority": rng.choice(["strategic", "important", "normal", None]),
                    "start": s,
                    "end": e,
                    "location": rng.choice(["总部", "会议室A", None]),
                    "requested_by": rng.choice(DEPTS + [None]),
                    "status": rng.choice(["done", "done", "planned", None, "rescheduled", "cancelled"]),
                }
            )
    return ev


# --------------------------------------------------------------------------------------------------
# company A: how the OA systems exported it
# --------------------------------------------------------------------------------------------------
def serial_extra(rec: dict, i: int) -> str:
    return str(i + 1)


def company_a(seed: int = 20261001) -> Company:
    rng = random.Random(seed)
    meetings, decisions = company_a_meetings_decisions(rng)
    supplies = company_a_supplies()
    documents = company_a_documents(rng)
    incidents = company_a_incidents(rng)
    schedule = company_a_schedule(rng)
    records = {
        "meetings": meetings,
        "decisions": decisions,
        "supplies": supplies,
        "documents": documents,
        "incidents": incidents,
        "schedule": schedule,
    }
    cut = datetime(2026, 10, 1)
    m1 = [m for m in meetings if m["scheduled_start"] < cut]
    m2 = [m for m in meetings if m["scheduled_start"] >= cut]
    d1 = [d for d in decisions if d["created_date"] < D("2026-09-28")]
    d2 = [d for d in decisions if d["created_date"] >= D("2026-09-28")]
    s1 = [s for s in supplies if s["txn_date"] < cut.date()]
    s2 = [s for s in supplies if s["txn_date"] >= cut.date()]
    docs_key = [(d, d["received_date"] or d["registered_date"] or d["due_date"] or D("2026-09-01")) for d in documents]
    doc1 = [d for d, k in docs_key if k < cut.date()]
    doc2 = [d for d, k in docs_key if k >= cut.date()]
    i1 = [x for x in incidents if x["reported_at"] < cut]
    i2 = [x for x in incidents if x["reported_at"] >= cut]
    e1 = [x for x in schedule if x["start"] < cut]
    e2 = [x for x in schedule if x["start"] >= cut]

    meet_sheet = Sheet(
        "meetings",
        m1,
        name="会议台账",
        title_rows=["2026年9月会议台账（行政部导出）"],
        merge_title=True,
        blank_before_header=1,
        blank_after=(4, 17),
        cols=[
            Col("序号", kind="extra", extra=serial_extra),
            Col("会议编号", "meeting_id"),
            Col(" 会议名称 ", "title"),
            Col("会议类型", "category"),
            Col("组织部门", "organizer_dept"),
            Col("主持人", "organizer"),
            Col("计划开始时间", "scheduled_start", "datetime", ("native",)),
            Col("计划结束时间", "scheduled_end", "datetime", ("native", "native", "cn_hm")),
            Col("实际开始时间", "actual_start", "datetime", DT_STYLES),
            Col("实际结束时间", "actual_end", "datetime", ("native", "slash_nz", "cn_nz_min", "iso_sec")),
            Col("参会人数", "attendees", "int", ("native", "native", "plain")),
            Col("是否有议程", "has_agenda", "bool", ("0", "2", "3", "0")),
            Col("纪要发布时间", "minutes_issued_at", "datetime", ("native", "cn_hm", "slash_nz", "iso_min")),
            Col("会议状态", "status", "enum"),
            Col("会议形式", "mode", "enum"),
            Col("会议评分", "rating", "number", ("native", "plain")),
            Col("会议室", kind="extra", extra=lambda r, i: ["一号会议室", "二号会议室", "视频会议室"][i % 3]),
        ],
        footer={"序号": "合计", "参会人数": sum(m["attendees"] for m in m1)},
    )
    dec_sheet = Sheet(
        "decisions",
        d1,
        name="督办事项",
        cols=[
            Col("督办编号", "decision_id"),
            Col("所属会议", "meeting_id"),
            Col("督办事项", "item"),
            Col("牵头部门", "owner_dept"),
            Col("责任人", "owner"),
            Col("交办日期", "created_date", "date", ("native", "cn_nz", "native", "dot")),
            Col("完成时限", "due_date", "date", ("native", "iso", "slash_nz")),
            Col("实际完成时间", "completed_date", "date", ("native", "cn", "iso_nz", "dot_nz")),
            Col("执行状态", "status", "enum"),
            Col("验收标准", "acceptance_criteria"),
        ],
    )
    meet_csv = Sheet(
        "meetings",
        m2,
        blank_after=(3,),
        cols=[
            Col("Meeting ID", "meeting_id"),
            Col("Subject ", "title"),
            Col("category", "category"),
            Col("ORGANIZER DEPARTMENT", "organizer_dept"),
            Col("Host", "organizer"),
            Col("scheduled_start", "scheduled_start", "datetime", ("slash_nz", "iso_min", "cn_min")),
            Col("Scheduled_End", "scheduled_end", "datetime", ("slash_nz", "iso_sec", "cn_hm_nz")),
            Col("Actual Start", "actual_start", "datetime", DT_STYLES[::-1]),
            Col("actual_end ", "actual_end", "datetime", ("iso_min", "slash_min", "iso_nz")),
            Col("Attendees", "attendees", "int"),
            Col("Agenda", "has_agenda", "bool", ("cycle",)),
            Col("Minutes Issued", "minutes_issued_at", "datetime", ("iso_min", "cn_hm", "slash_nz")),
            Col("Status", "status", "enum"),
            Col("Mode", "mode", "enum"),
            Col("Rating", "rating", "number"),
            Col("Room", kind="extra", extra=lambda r, i: "Room 30" + str(i % 4)),
        ],
        footer={"Subject ": "总计", "Attendees": str(sum(m["attendees"] for m in m2))},
    )
    dec_csv = Sheet(
        "decisions",
        d2,
        title_rows=["决议督办台账（2026年10月）"],
        blank_after=(2,),
        cols=[
            Col("事项编号", "decision_id"),
            Col("来源会议", "meeting_id"),
            Col("决议内容", "item"),
            Col("责任部门", "owner_dept"),
            Col("承办人", "owner"),
            Col("下达日期", "created_date", "date", ("dot", "cn_nz", "slash_nz", "iso_nz", "dot_nz")),
            Col("要求完成时间", "due_date", "date", ("cn", "iso", "dot_nz", "slash")),
            Col("办结日期", "completed_date", "date", ("iso", "cn_nz", "slash")),
            Col("办理状态", "status", "enum"),
            Col("验收标准", "acceptance_criteria"),
            Col("督办人", kind="extra", extra=lambda r, i: "督办室"),
        ],
        footer={"事项编号": None, "决议内容": "小计：" + str(len(d2)) + "项"},
    )
    sup_sheet = Sheet(
        "supplies",
        s1,
        name="出入库明细",
        title_rows=["办公用品出入库台账", "单位：元"],
        cols=[
            Col("单号", "txn_id"),
            Col("业务日期", "txn_date", "date", ("native", "native", "cn", "slash_nz")),
            Col("品名", "item"),
            Col("物品类别", "category"),
            Col("出入库类型", "txn_type", "enum"),
            Col("数量", "quantity", "number", ("native", "plain")),
            Col("单位", "unit"),
            Col("单价（元）", "unit_price", "money", ("native", "yen", "yuan", "fwyen", "plain2")),
            Col("领用部门", "department"),
            Col("经办人", "person"),
            Col("备注", "note"),
        ],
        footer={"单号": None, "品名": "合计", "数量": float(sum(s["quantity"] for s in s1))},
    )
    sup_csv = Sheet(
        "supplies",
        s2,
        cols=[
            Col("txn_id", "txn_id"),
            Col("Date", "txn_date", "date", ("slash_nz", "iso", "dot")),
            Col("Item", "item"),
            Col("Category", "category"),
            Col("Type", "txn_type", "enum"),
            Col("Qty", "quantity", "number"),
            Col("Unit", "unit"),
            Col("Unit Price", "unit_price", "money", ("yen", "comma", "yuan", "plain", "fwyen")),
            Col("Department", "department"),
            Col("Person", "person"),
            Col("Reason", "note"),
            Col("Approved By", kind="extra", extra=lambda r, i: "行政部"),
        ],
    )
    doc_csv = Sheet(
        "documents",
        doc1,
        title_rows=["2026年收发文登记簿"],
        blank_after=(10,),
        cols=[
            Col("登记编号", "doc_id"),
            Col("收/发", "direction", "enum"),
            Col("文件标题", "title"),
            Col("来文单位", "counterparty"),
            Col("文种", "doc_type"),
            Col("缓急", "urgency", "enum"),
            Col("密级", "secrecy", "enum"),
            Col("收文日期", "received_date", "date", ("cn", "cn_nz", "iso", "slash")),
            Col("登记日期", "registered_date", "date", ("cn_nz", "dot", "iso_nz")),
            Col("承办部门", "handler_dept"),
            Col("拟办意见", "proposed_handling"),
            Col("办理时限", "due_date", "date", ("iso", "dot_nz", "cn")),
            Col("办结日期", "closed_date", "date", ("slash", "cn", "iso")),
        ],
        footer={"文件标题": "合计 " + str(len(doc1)) + " 件"},
    )
    doc_xlsx = Sheet(
        "documents",
        doc2,
        name="收发文",
        cols=[
            Col("Doc ID", "doc_id"),
            Col("Direction", "direction", "enum"),
            Col("Title", "title"),
            Col("Counterparty", "counterparty"),
            Col("Doc Type", "doc_type"),
            Col("Urgency", "urgency", "enum"),
            Col("Received", "received_date", "date", ("native", "native", "cn")),
            Col("Registered", "registered_date", "date", ("native", "slash_nz")),
            Col("Handler Department", "handler_dept"),
            Col("Due", "due_date", "date", ("native", "iso")),
            Col("Closed", "closed_date", "date", ("native", "dot")),
        ],
    )
    # no secrecy / proposed handling columns in the October export: defaults apply
    for d in doc2:
        d["secrecy"] = None
        d["proposed_handling"] = None
    inc_sheet = Sheet(
        "incidents",
        i1,
        name="突发事件",
        title_rows=["突发事件处置台账"],
        merge_title=True,
        cols=[
            Col("事件编号", "incident_id"),
            Col("事件类型", "incident_type"),
            Col("级别", "severity", "enum"),
            Col("事件描述", "summary"),
            Col("接报时间", "reported_at", "datetime", ("native", "iso_sec")),
            Col("响应时间", "responded_at", "datetime", ("native", "iso_sec", "native")),
            Col("处置完成时间", "resolved_at", "datetime", ("iso_sec", "native")),
            Col("进展通报次数", "progress_updates", "int", ("native", "plain")),
            Col("总结报告时间", "report_issued_at", "datetime", ("native", "cn_hm", "iso_sec")),
            Col("牵头部门", "lead_dept"),
        ],
    )
    sch_sheet = Sheet(
        "schedule",
        e1,
        name="总经理日程",
        blank_before_header=1,
        cols=[
            Col("Event ID", "event_id"),
            Col("Title", "title"),
            Col("Category", "category"),
            Col("Priority", "priority", "enum"),
            Col("Start", "start", "datetime", ("native",)),
            Col("End", "end", "datetime", ("native", "slash_nz")),
            Col("Location", "location"),
            Col("Requested By", "requested_by"),
            Col("Status", "status", "enum"),
        ],
    )
    # the October incidents export has no progress-update column: its rows lack that input (metrics.md,
    # "Missing inputs"), so they are left out of incident_update_compliance_rate
    for x in i2:
        x["progress_updates"] = None
    records[NOT_SUPPLIED] = [{"ledger": "incidents", "key": x["incident_id"], "column": "progress_updates"} for x in i2]
    inc_csv = Sheet(
        "incidents",
        i2,
        cols=[
            Col("Incident ID", "incident_id"),
            Col("Type", "incident_type"),
            Col("Severity", "severity", "enum"),
            Col("Summary", "summary"),
            Col("Reported", "reported_at", "datetime", ("iso_sec", "iso_min", "slash_nz")),
            Col("Responded", "responded_at", "datetime", ("iso_sec", "cn_hm")),
            Col("Resolved", "resolved_at", "datetime", ("iso_sec", "cn_nz_min")),
            Col("Report Issued", "report_issued_at", "datetime", ("iso_min", "cn_hm_nz")),
            Col("Lead Department", "lead_dept"),
        ],
    )
    sch_csv = Sheet(
        "schedule",
        e2,
        title_rows=["总经理日程安排（10月）"],
        cols=[
            Col("日程编号", "event_id"),
            Col("日程事项", "title"),
            Col("日程类型", "category"),
            Col("重要程度", "priority", "enum"),
            Col("开始时间", "start", "datetime", ("cn_hm", "slash_nz", "iso_min", "cn_hm_nz", "cn_min")),
            Col("结束时间", "end", "datetime", ("cn_hm", "iso_min", "slash_nz")),
            Col("地点", "location"),
            Col("申请部门", "requested_by"),
            Col("状态", "status", "enum"),
        ],
    )
    notes = [["填表说明"], ["1. 本台账由OA系统导出"], ["2. 时间为北京时间"], [None], ["导出人：行政部"]]
    stats = [["统计项", "数值"], ["事件总数", len(i1)], ["日程条数", len(e1)]]
    exports = [
        Export("2026年9月会议及督办台账.xlsx", [meet_sheet, dec_sheet], other_sheets=[("填表说明", notes)]),
        Export("meetings_2026-10.csv", [meet_csv], encoding="utf-8-sig"),
        Export("决议督办台账_10月.csv", [dec_csv], encoding="gb18030"),
        Export("办公用品出入库台账_Q3.xlsx", [sup_sheet], writer="openpyxl"),
        Export("supplies_2026-10.csv", [sup_csv], encoding="utf-8", newline="\n", empty_line_style="bare"),
        Export("收发文登记簿_9月.csv", [doc_csv], encoding="gb18030"),
        Export("documents_2026-10.xlsx", [doc_xlsx]),
        Export("综合台账_9月.xlsx", [inc_sheet, sch_sheet], other_sheets=[("统计", stats)]),
        Export("incidents_2026-10.csv", [inc_csv], encoding="utf-8", newline="\n"),
        Export("总经理日程_10月.csv", [sch_csv], encoding="utf-8-sig"),
    ]
    return Company("A", records, exports, ["2026-W38", "2026-W39", "2026-W40", "2026-W41", "2026-W42"])


# --------------------------------------------------------------------------------------------------
# company B: a different OA system (openpyxl workbook with snake_case / full-width headers, other encodings)
# --------------------------------------------------------------------------------------------------
def company_b(seed: int = 7) -> Company:
    rng = random.Random(seed)
    meetings = []
    n = 0
    for day in daterange(D("2026-10-08"), D("2026-11-06")):
        if not is_working_day(day):
            continue
        for _ in range(rng.choice([0, 1, 1, 2])):
            n += 1
            s = datetime(day.year, day.month, day.day, rng.choice([9, 10, 14]), rng.choice([0, 15, 30, 45]))
            planned = rng.choice([25, 40, 60, 80])
            e = s + timedelta(minutes=planned)
            a_s = s + timedelta(minutes=rng.choice([0, 3, 7])) if rng.random() < 0.6 else None
            a_e = (
                a_s + timedelta(minutes=rng.choice([planned, planned + 10, int(planned * 1.25), planned * 2]))
                if a_s
                else None
            )
            end = a_e or e
            meetings.append(
                {
                    "meeting_id": f"MTG{n:03d}",
                    "title": rng.choice(["Weekly sync", "部门周会", "评审会"]),
                    "category": None,
                    "organizer_dept": rng.choice(["销售中心", "研发中心", "综合管理部"]),
                    "organizer": None,
                    "scheduled_start": s,
                    "scheduled_end": e,
                    "actual_start": a_s,
                    "actual_end": a_e,
                    "attendees": rng.randint(2, 30),
                    "has_agenda": rng.random() < 0.7,
                    "minutes_issued_at": end + timedelta(hours=rng.choice([2, 24, 26])) if rng.random() < 0.8 else None,
                    "status": rng.choice(["held", "held", "cancelled", None]),
                    "mode": rng.choice(["online", "hybrid"]),
                    "rating": rng.choice([None, M("1.5"), M("2"), M("3"), M("4.5")]),
                }
            )
    supplies = []
    k = 0

    def sup(d0, typ, item, qty, price=None, dept=None):
        nonlocal k
        k += 1
        supplies.append(
            {
                "txn_id": f"B{k:05d}",
                "txn_date": D(d0),
                "txn_type": typ,
                "item": item,
                "quantity": M(str(qty)),
                "unit_price": M(price) if price else None,
                "department": dept,
                "person": None,
                "note": None,
                "category": None,
                "unit": None,
            }
        )

    sup("2026-07-01", "opening", "Paper A4", 50, "1234.50")
    sup("2026-07-01", "opening", "Toner", 4, "560")
    sup("2026-07-01", "opening", "Pens", 100)
    sup("2026-07-01", "opening", "Stapler", 2, "30")
    sup("2026-09-15", "scrap", "Stapler", 2, None)  # on-hand 0: not idle
    sup("2026-07-20", "issue", "Toner", 1, None, "研发中心")
    sup("2026-07-21", "issue", "Toner", 1, None, "研发中心")  # 89 days before Sun(W42): not idle; idle from W43
    for i, d0 in enumerate(["2026-10-12", "2026-10-14", "2026-10-20", "2026-10-27", "2026-11-02"]):
        sup(d0, "issue", "Paper A4", 3 + i, None, "销售中心")
        sup(d0, "issue", "Pens", 5, "1.2" if i == 2 else None, "综合管理部")
    sup("2026-10-15", "scrap", "Pens", 2)
    sup("2026-10-22", "loss", "Paper A4", 1, "1250")
    sup("2026-10-23", "return", "Paper A4", 2, None, "销售中心")
    sup("2026-10-30", "purchase", "Paper A4", 20, "1240")
    sup("2026-11-03", "return", "Paper A4", 10, None, "销售中心")  # W45: returns exceed issues -> rate null
    schedule = []
    for j, day in enumerate(daterange(D("2026-10-12"), D("2026-11-08"))):
        if not is_working_day(day) or D("2026-10-19") <= day <= D("2026-10-25"):
            continue
        s = datetime(day.year, day.month, day.day, 9, 0)
        schedule.append(
            {
                "event_id": f"E{j:03d}a",
                "title": "Review",
                "category": None,
                "priority": rng.choice(["strategic", "important", "normal"]),
                "start": s,
                "end": s + timedelta(minutes=rng.choice([40, 60, 100])),
                "location": None,
                "requested_by": rng.choice(["销售中心", None]),
                "status": rng.choice(["done", "planned", "rescheduled", "cancelled", None]),
            }
        )
        s2 = s + timedelta(minutes=rng.choice([30, 60, 100]))
        schedule.append(
            {
                "event_id": f"E{j:03d}b",
                "title": "Visit",
                "category": None,
                "priority": None,
                "start": s2,
                "end": s2 + timedelta(minutes=50),
                "location": "HQ",
                "requested_by": None,
                "status": rng.choice(["done", None]),
            }
        )
    # W43: 40 h in all, 4.25 h strategic -> 0.10625 (a tie at 4 decimals whose double is just below it)
    for eid, a, b, pri, st in (
        ("W43-1", "2026-10-19 08:00", "2026-10-19 12:15", "strategic", "done"),
        ("W43-2", "2026-10-19 12:15", "2026-10-19 16:00", "normal", "done"),
        ("W43-3", "2026-10-20 08:00", "2026-10-20 12:00", "important", "rescheduled"),
        ("W43-4", "2026-10-20 12:00", "2026-10-20 16:00", "normal", "done"),
        ("W43-5", "2026-10-21 08:00", "2026-10-21 16:00", None, "planned"),
        ("W43-6", "2026-10-22 08:00", "2026-10-22 11:00", "normal", None),
        ("W43-7", "2026-10-22 11:00", "2026-10-22 16:00", "important", "done"),
        ("W43-8", "2026-10-23 08:00", "2026-10-23 16:00", "normal", None),
        ("W43-9", "2026-10-23 09:00", "2026-10-23 10:00", "strategic", "cancelled"),
    ):
        schedule.append(event(eid, "Work", a, b, pri, st))
    documents = []
    for j, day in enumerate(daterange(D("2026-10-09"), D("2026-11-06"))):
        if rng.random() < 0.6:
            reg = nth_working_day_after(day, rng.choice([0, 1, 2])) if rng.random() < 0.9 else None
            due = day + timedelta(days=rng.choice([3, 7])) if rng.random() < 0.7 else None
            closed = (reg or day) + timedelta(days=rng.randint(0, 9)) if rng.random() < 0.7 else None
            documents.append(
                {
                    "doc_id": f"IN-{j:03d}",
                    "direction": "incoming",
                    "title": "来文",
                    "counterparty": None,
                    "doc_type": None,
                    "urgency": rng.choice(["urgent", "expedited", None]),
                    "secrecy": None,
                    "received_date": day,
                    "registered_date": reg,
                    "handler_dept": None,
                    "proposed_handling": None,
                    "due_date": due,
                    "closed_date": closed,
                }
            )
    documents.append(doc("OUT-1", "outgoing", "复函", "2026-10-13", "2026-10-13", "2026-10-16", "2026-10-15"))
    incidents = []
    for j in range(12):
        day = D("2026-10-12") + timedelta(days=rng.choice([0, 1, 3, 9, 10, 22, 23]))  # none in W44: zero denominators
        rep = datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59))
        resp = rep + timedelta(minutes=rng.choice([2, 5, 7])) if rng.random() < 0.8 else None
        res = (resp or rep) + timedelta(minutes=rng.choice([30, 59, 61, 200])) if rng.random() < 0.8 else None
        incidents.append(
            {
                "incident_id": f"INC-{j:02d}",
                "incident_type": "故障",
                "severity": None,
                "summary": None,
                "reported_at": rep,
                "responded_at": resp,
                "resolved_at": res,
                "progress_updates": rng.choice([0, 1, 2, 6]) if res else None,
                "report_issued_at": res + timedelta(hours=rng.choice([3, 24, 30])) if res else None,
                "lead_dept": None,
            }
        )
    incidents.append(
        incident(
            "INC-99",
            "故障",
            "2026-10-25 23:59:59",
            "2026-10-26 00:04:59",
            "2026-10-26 00:35:00",
            1,
            "2026-10-27 00:35:00",
        )
    )  # Sunday 23:59:59 of W43; 30:01 -> 1 update; 24 h
    records = {
        "meetings": meetings,
        "decisions": [],
        "supplies": supplies,
        "documents": documents,
        "incidents": incidents,
        "schedule": schedule,
    }
    meet = Sheet(
        "meetings",
        meetings,
        name="meetings",
        blank_before_header=1,
        cols=[
            Col("Ｍｅｅｔｉｎｇ ＩＤ", "meeting_id"),
            Col("title", "title"),
            Col("organizer_dept", "organizer_dept"),
            Col("Scheduled_Start", "scheduled_start", "datetime", ("native", "cn_hm")),
            Col("SCHEDULED END", "scheduled_end", "datetime", ("native",)),
            Col("actual_start", "actual_start", "datetime", ("native", "iso_min")),
            Col("actual_end", "actual_end", "datetime", ("native", "slash_nz")),
            Col("  attendees", "attendees", "int", ("native", "plain")),
            Col("has_agenda", "has_agenda", "bool", ("native01", "0", "6")),
            Col("minutes_issued_at", "minutes_issued_at", "datetime", ("native", "cn_nz_min")),
            Col("status", "status", "enum"),
            Col("mode", "mode", "enum"),
            Col("rating", "rating", "number", ("native",)),
        ],
    )
    sup_s = Sheet(
        "supplies",
        supplies,
        name="supplies",
        cols=[
            Col("Txn ID", "txn_id"),
            Col("Date", "txn_date", "date", ("native", "slash_nz")),
            Col("Item", "item"),
            Col("Type", "txn_type", "enum"),
            Col("Qty", "quantity", "number", ("native",)),
            Col("Price", "unit_price", "money", ("yen", "native", "comma")),
            Col("Department", "department"),
        ],
    )
    sch = Sheet(
        "schedule",
        schedule,
        name="GM calendar",
        title_rows=["GM calendar export"],
        merge_title=True,
        cols=[
            Col("event_id", "event_id"),
            Col("TITLE", "title"),
            Col("priority ", "priority", "enum"),
            Col("start", "start", "datetime", ("native", "iso_min")),
            Col("end", "end", "datetime", ("native",)),
            Col("Location", "location"),
            Col("requested_by", "requested_by"),
            Col("Status", "status", "enum"),
        ],
    )
    docs = Sheet(
        "documents",
        documents,
        blank_after=(5,),
        cols=[
            Col("收文编号", "doc_id"),
            Col("收发", "direction", "enum"),
            Col("标题", "title"),
            Col("紧急程度", "urgency", "enum"),
            Col("来文日期", "received_date", "date", ("cn_nz", "dot_nz", "iso_nz")),
            Col("登记日期", "registered_date", "date", ("slash_nz", "cn")),
            Col("办结时限", "due_date", "date", ("dot", "iso")),
            Col("归档日期", "closed_date", "date", ("cn_nz", "iso")),
        ],
    )
    incs = Sheet(
        "incidents",
        incidents,
        title_rows=["突发事件台账"],
        cols=[
            Col("事件编号", "incident_id"),
            Col("类型", "incident_type"),
            Col("发生时间", "reported_at", "datetime", ("cn_hm_nz", "slash_nz", "cn_min")),
            Col("确认时间", "responded_at", "datetime", ("slash_nz", "cn_hm")),
            Col("解决时间", "resolved_at", "datetime", ("cn_nz_min", "iso_min")),
            Col("汇报次数", "progress_updates", "int"),
            Col("报告提交时间", "report_issued_at", "datetime", ("iso_min", "cn_hm_nz")),
        ],
        footer={"类型": "总计"},
    )
    exports = [
        Export(
            "OA导出_2026-10.xlsx",
            [meet, sup_s, sch],
            writer="openpyxl",
            other_sheets=[("Cover", [["OA export"], ["generated 2026-11-09"]])],
        ),
        Export("公文登记.csv", [docs], encoding="utf-8-sig", newline="\n"),
        Export("事件台账.csv", [incs], encoding="gb18030"),
    ]
    return Company("B", records, exports, ["2026-W42", "2026-W43", "2026-W44", "2026-W45"])

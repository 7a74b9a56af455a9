"""A small company, two departments, two weeks (2026-W46 and 2026-W47): few enough rows to check by hand.

Hand-computed numbers (metrics.md definitions), used by the app and browser tests:

| metric                         | W47 all       | W47 研发部 | W47 财务部 | W46 all |
| ---                            | ---           | ---        | ---        | ---     |
| decision_completion_rate       | 3/5 = 60.0%   | 3/3 100.0% | 0/2 0.0%   | 1/2 50.0% |
| decisions_overdue              | 2 (D3, D4)    | 0          | 2          | 1 (D7)  |
| low_efficiency_meeting_share   | 2/3 = 66.7%   | 1/2 50.0%  | 1/1 100.0% | 0/1 0.0% |
| minutes_on_time_rate           | 1/3 = 33.3%   | 1/2 50.0%  | 0/1 0.0%   | 1/1 100.0% |
| supply_waste_rate              | 50/700 = 7.1% | 0/400 0.0% | 50/300 16.7% | 0/100 0.0% |
| supply_waste_value             | ¥50.00        | ¥0.00      | ¥50.00     | ¥0.00   |
| doc_registration_on_time_rate  | 2/3 = 66.7%   | 1/1 100.0% | 1/2 50.0%  | —       |
| docs_overdue                   | 1 (F3)        | 0          | 1          | 0       |
| incident_response_on_time_rate | 1/2 = 50.0%   | 1/1        | 0/1        | —       |
| incident_report_on_time_rate   | 1/2 = 50.0%   |            |            | —       |
| schedule_conflicts             | 1 (E1 × E2)   | 0          | 0          | 0       |

Week over week (all departments): completion +10.0个百分点, low-efficiency share +66.7个百分点,
waste rate +7.1个百分点.
"""

from __future__ import annotations

from pathlib import Path

from analytics.db import bump_data_version, writer

WEEK = "2026-W47"
PREVIOUS_WEEK = "2026-W46"

ROWS: dict[str, tuple[str, list[tuple[object, ...]]]] = {
    "decisions": (
        "decision_id, meeting_id, item, owner_dept, owner, created_date, due_date, completed_date, status",
        [
            ("D1", "M1", "完成接口联调", "研发部", "李明", "2026-11-10", "2026-11-18", "2026-11-17", "done"),
            ("D2", "M1", "提交测试报告", "研发部", "王芳", "2026-11-10", "2026-11-19", "2026-11-20", "done"),
            ("D3", "M2", "核对三季度费用", "财务部", "赵强", "2026-11-11", "2026-11-20", None, "open"),
            ("D4", "M2", "更新报销制度", "财务部", "钱静", "2026-11-11", "2026-11-21", "2026-11-23", "done"),
            ("D5", "M1", "发布版本说明", "研发部", "李明", "2026-11-12", "2026-11-22", "2026-11-22", "done"),
            ("D6", "M5", "确定需求范围", "研发部", "王芳", "2026-11-03", "2026-11-12", "2026-11-11", "done"),
            ("D7", "M5", "预算初稿", "财务部", "赵强", "2026-11-03", "2026-11-13", "2026-11-16", "done"),
        ],
    ),
    "meetings": (
        "meeting_id, title, organizer_dept, scheduled_start, scheduled_end, actual_start, actual_end, attendees, "
        "has_agenda, minutes_issued_at, status, rating",
        [
            (
                "M1",
                "研发周例会",
                "研发部",
                "2026-11-17 10:00",
                "2026-11-17 11:00",
                "2026-11-17 10:00",
                "2026-11-17 11:00",
                6,
                True,
                "2026-11-17 15:00",
                "held",
                4,
            ),
            (
                "M2",
                "费用分析会",
                "财务部",
                "2026-11-18 14:00",
                "2026-11-18 15:00",
                "2026-11-18 14:00",
                "2026-11-18 16:00",
                4,
                True,
                "2026-11-20 09:00",
                "held",
                3,
            ),
            (
                "M3",
                "技术分享",
                "研发部",
                "2026-11-19 09:00",
                "2026-11-19 09:30",
                None,
                None,
                3,
                False,
                None,
                "held",
                None,
            ),
            (
                "M4",
                "预算沟通会",
                "财务部",
                "2026-11-20 10:00",
                "2026-11-20 11:00",
                None,
                None,
                5,
                True,
                None,
                "cancelled",
                None,
            ),
            (
                "M5",
                "项目启动会",
                "研发部",
                "2026-11-10 10:00",
                "2026-11-10 11:00",
                None,
                None,
                8,
                True,
                "2026-11-10 12:00",
                "held",
                5,
            ),
        ],
    ),
    "supplies": (
        "txn_id, txn_date, item, txn_type, quantity, unit_price, department, note",
        [
            ("S1", "2026-11-01", "A4纸", "opening", 100, 25.0, None, None),
            ("S7", "2026-11-01", "签字笔", "opening", 200, 2.0, None, None),
            ("S6", "2026-11-10", "签字笔", "issue", 50, 2.0, "研发部", None),
            ("S2", "2026-11-17", "A4纸", "issue", 20, 25.0, "研发部", None),
            ("S3", "2026-11-18", "A4纸", "issue", 10, None, "财务部", None),
            ("S4", "2026-11-19", "A4纸", "scrap", 2, 25.0, "财务部", "受潮"),
            ("S5", "2026-11-20", "A4纸", "return", 4, 25.0, "研发部", None),
        ],
    ),
    "documents": (
        "doc_id, direction, title, received_date, registered_date, handler_dept, due_date, closed_date",
        [
            ("F1", "incoming", "关于年度审计的通知", "2026-11-16", "2026-11-17", "研发部", "2026-11-20", "2026-11-19"),
            ("F2", "incoming", "供应商合作函", "2026-11-20", "2026-11-23", "财务部", "2026-11-27", None),
            ("F3", "incoming", "费用报销请示", "2026-11-18", "2026-11-20", "财务部", "2026-11-21", None),
        ],
    ),
    "incidents": (
        "incident_id, incident_type, reported_at, responded_at, resolved_at, progress_updates, report_issued_at, "
        "lead_dept",
        [
            (
                "I1",
                "系统故障",
                "2026-11-18 09:00",
                "2026-11-18 09:03",
                "2026-11-18 10:00",
                2,
                "2026-11-18 15:00",
                "研发部",
            ),
            (
                "I2",
                "客户投诉升级",
                "2026-11-19 14:00",
                "2026-11-19 14:10",
                "2026-11-19 16:00",
                1,
                "2026-11-21 09:00",
                "财务部",
            ),
        ],
    ),
    "schedule": (
        'event_id, title, priority, start, "end", requested_by, status',
        [
            ("E1", "战略规划会", "strategic", "2026-11-17 09:00", "2026-11-17 10:00", "研发部", "done"),
            ("E2", "供应商接待", "normal", "2026-11-17 09:30", "2026-11-17 10:30", "财务部", "done"),
            ("E3", "预算评审", "important", "2026-11-18 14:00", "2026-11-18 16:00", "财务部", "planned"),
            ("E4", "媒体采访", "normal", "2026-11-19 10:00", "2026-11-19 11:00", "财务部", "cancelled"),
        ],
    ),
}


def build_weekly_fixture(db_path: Path) -> Path:
    """Write the fixture's rows into a new database file; returns its path."""
    with writer(db_path) as con:
        for table, (columns, rows) in ROWS.items():
            marks = ", ".join("?" for _ in columns.split(","))
            con.executemany(f"insert into {table} ({columns}) values ({marks})", rows)
        bump_data_version(con)
    return db_path

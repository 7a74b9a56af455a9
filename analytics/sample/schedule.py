"""The GM's calendar (总经理日程): XLSX with a title row and a blank row above the header.

One person's day does not grow with the company, so the calendar keeps the same size at any scale above 1.
Strategic items hold a fair share of the GM's time, except in the meeting-heavy month, when internal
meetings crowd them out and entries collide more often.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.sample.company import (
    DEPARTMENTS,
    Company,
    daily_counts,
    minutes,
    pick,
    pick_from_groups,
    sequence_within,
    table,
)
from analytics.sample.export import Col, ExportFile, Sheet, numbered

ENTRIES_PER_WORKING_DAY = 8.0
ENTRIES_PER_DAY_OFF = 0.5

# category, priority, minutes, location
CATEGORIES: tuple[tuple[str, str, int, str], ...] = (
    ("战略研讨", "战略级", 90, "总经理会议室"),
    ("董事会", "战略级", 180, "集团总部"),
    ("投资项目评审", "战略级", 60, "总经理会议室"),
    ("经营分析会", "重要", 90, "3楼大会议室"),
    ("客户会见", "重要", 45, "贵宾接待室"),
    ("政府接待", "重要", 60, "贵宾接待室"),
    ("外出调研", "重要", 150, "生产基地"),
    ("部门汇报", "普通", 30, "总经理办公室"),
    ("内部会议", "一般", 45, "18楼小会议室"),
    ("审批签字", "一般", 15, "总经理办公室"),
    ("商务宴请", "一般", 120, "市区酒店"),
)
DINNER = len(CATEGORIES) - 1
SUBJECTS: dict[int, tuple[str, ...]] = {
    0: ("年度战略", "数字化转型", "新基地建设", "组织架构调整"),
    1: ("季度董事会", "股东会"),
    2: ("新基地建设", "并购项目", "技改投资"),
    3: ("月度经营分析", "预算执行"),
    4: ("重点客户合作", "大客户续约", "新客户洽谈"),
    5: ("市经信局调研", "区领导走访"),
    6: ("生产基地", "重点客户现场", "子公司"),
    8: ("周例会", "专题协调会", "项目推进会"),
    9: ("合同审批", "费用审批", "公文签发"),
    10: ("客户宴请", "合作伙伴晚宴"),
}
SHARE = np.array([0.08, 0.02, 0.06, 0.08, 0.12, 0.04, 0.04, 0.18, 0.18, 0.16, 0.04])
HEAVY_SHARE = np.array([0.02, 0.01, 0.02, 0.1, 0.08, 0.03, 0.01, 0.22, 0.33, 0.15, 0.03])
DAY_OFF_SHARE = np.array([0.05, 0.0, 0.0, 0.0, 0.25, 0.05, 0.35, 0.0, 0.0, 0.0, 0.3])
REQUESTERS = (*DEPARTMENTS, "集团公司", "董事会办公室")


def generate_schedule(company: Company) -> pd.DataFrame:
    """One row per calendar entry, canonical columns plus whether a reminder was sent."""
    rng = company.rng("schedule")
    size = min(company.scale, 1.0)
    working = company.window_days(working=True)
    boost = np.where(company.in_heavy_month(working), 1.3, 1.0)
    work_day = daily_counts(rng, working, ENTRIES_PER_WORKING_DAY * size * boost)
    off_day = daily_counts(rng, company.window_days(working=False), ENTRIES_PER_DAY_OFF * size)
    day = np.concatenate([work_day, off_day])
    n = len(day)
    heavy = company.in_heavy_month(day)
    category = np.select(
        [np.arange(n) >= len(work_day), heavy],
        [rng.choice(len(SHARE), size=n, p=DAY_OFF_SHARE), rng.choice(len(SHARE), size=n, p=HEAVY_SHARE)],
        rng.choice(len(SHARE), size=n, p=SHARE),
    )
    order = np.lexsort((rng.random(n), day))
    day, category, heavy = day[order], category[order], heavy[order]

    # Entries follow one another from 8:30 with short gaps, some colliding with the one before; dinners
    # are at 18:30; what would start after 18:00 does not fit the day and is declined (not listed).
    length = np.array([c[2] for c in CATEGORIES])[category]
    dinner = category == DINNER
    gap = rng.choice(np.array([0, 0, 15, 15, 30]), size=n)
    step = np.where(dinner, 0, length + gap)
    before = np.cumsum(step) - step
    _, first, inverse = np.unique(day, return_index=True, return_inverse=True)
    offset = before - before[first[inverse]]
    minute_of_day = 8.5 * 60 + offset
    minute_of_day = np.where(minute_of_day >= 12 * 60, minute_of_day + 90, minute_of_day)  # lunch
    start = day.astype("datetime64[m]") + minutes(minute_of_day)
    conflict = (sequence_within(day) > 1) & (rng.random(n) < np.where(heavy, 0.15, 0.04))
    start = start - minutes(np.where(conflict & ~dinner, gap + rng.choice(np.array([15, 30, 45]), size=n), 0))
    start = np.where(dinner, day.astype("datetime64[m]") + minutes(18.5 * 60), start)
    fits = dinner | (start <= day.astype("datetime64[m]") + minutes(18 * 60))
    day, category, start, length = day[fits], category[fits], start[fits], length[fits]
    n = len(day)
    end = start + minutes(length)
    reporting = category == CATEGORIES.index(("部门汇报", "普通", 30, "总经理办公室"))
    dept = np.array(DEPARTMENTS, dtype=object)[rng.integers(0, len(DEPARTMENTS), n)]
    subject = np.where(reporting, dept + "工作汇报", pick_from_groups(rng, SUBJECTS, category, fallback=("",)))

    status = pick(rng, ("已完成", "完成", "已改期", "已取消"), n, p=(0.83, 0.05, 0.07, 0.05))
    frame = table(
        {
            "title": np.array([c[0] for c in CATEGORIES], dtype=object)[category] + "：" + subject,
            "category": np.array([c[0] for c in CATEGORIES], dtype=object)[category],
            "priority": np.array([c[1] for c in CATEGORIES], dtype=object)[category],
            "start": start,
            "end": end,
            "location": np.array([c[3] for c in CATEGORIES], dtype=object)[category],
            "requested_by": np.where(reporting, dept, pick(rng, REQUESTERS, n)),
            "status": status,
            "reminded": np.where(rng.random(n) < 0.92, "是", "否"),
        }
    )
    frame = frame.iloc[np.argsort(start, kind="stable")].reset_index(drop=True)
    start_day = frame["start"].to_numpy().astype("datetime64[D]")
    frame.insert(0, "event_id", numbered("RC", start_day, sequence_within(start_day), lambda d: f"{d:%Y%m%d}", 2))
    return frame


def schedule_export(schedule: pd.DataFrame, company: Company) -> ExportFile:
    frame = schedule
    stamp = "yyyy-mm-dd hh:mm"
    columns = [
        Col("日程编号", frame["event_id"].to_numpy(dtype=object), width=14),
        Col("日程事项", frame["title"].to_numpy(dtype=object), width=26),
        Col("日程类型", frame["category"].to_numpy(dtype=object)),
        Col("重要程度", frame["priority"].to_numpy(dtype=object), width=8),
        Col("开始时间", frame["start"].to_numpy(), "datetime", excel_format=stamp, width=17),
        Col("结束时间", frame["end"].to_numpy(), "datetime", excel_format=stamp, width=17),
        Col("地点", frame["location"].to_numpy(dtype=object)),
        Col("发起方", frame["requested_by"].to_numpy(dtype=object)),
        Col("状态", frame["status"].to_numpy(dtype=object), width=8),
        Col("已提前提醒", frame["reminded"].to_numpy(dtype=object), width=10),
    ]
    title = f"总经理日程安排表（{company.start:%Y年%m月%d日}—{company.end:%Y年%m月%d日}）"
    return ExportFile(
        name="总经理日程.xlsx",
        ledger="schedule",
        sheets=[Sheet("总经理日程", columns, title=title, blank_row_after_title=True)],
    )

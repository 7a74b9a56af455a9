"""Meetings (会议台账, XLSX) and the resolutions they produce (决议督办台账, CSV in GB18030).

Story: one month is meeting-heavy — more meetings, and many of them without an agenda, overrunning,
rated low and producing nothing; minutes are mostly issued within 24 hours; the finance department lets
its resolutions slip (late far more often, and worse as the year goes on), while the others' completion
cycle shortens by about a fifth over the window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.sample.company import (
    DEPARTMENTS,
    DEPT,
    Company,
    daily_counts,
    minutes,
    pick,
    pick_from_groups,
    sequence_within,
    table,
)
from analytics.sample.export import Col, ExportFile, Sheet, format_dates, numbered

MEETINGS_PER_WORKING_DAY = 31.0
HEAVY_MONTH_FACTOR = 1.6
GM_ASSIGNMENTS_PER_WORKING_DAY = 12.0
DECISIONS_PER_PRODUCTIVE_MEETING = 3.5  # plus one: every meeting with an outcome has at least one

MEETING_SHARE = np.array([0.13, 0.08, 0.09, 0.08, 0.18, 0.10, 0.13, 0.12, 0.06, 0.03])
CATEGORIES = ("部门例会", "专题会", "评审会", "协调会", "培训会", "总经理办公会")
CATEGORY_SHARE = (0.34, 0.22, 0.14, 0.16, 0.08, 0.06)
HEAVY_CATEGORY_SHARE = (0.20, 0.25, 0.12, 0.30, 0.05, 0.08)

TOPICS: dict[int, tuple[str, ...]] = {
    DEPT["总经理办公室"]: ("年度经营计划", "重点工作督办", "战略规划", "董事会筹备", "经营分析"),
    DEPT["行政部"]: ("办公区改造", "办公用品采购", "车辆管理", "安全检查", "年会筹备"),
    DEPT["财务部"]: ("年度预算", "资金计划", "成本核算", "税务筹划", "应收账款清理", "费用报销制度"),
    DEPT["人力资源部"]: ("校园招聘", "绩效考核", "薪酬调整", "干部任用", "员工培训计划"),
    DEPT["研发部"]: ("新产品立项", "版本发布", "技术方案", "研发进度", "质量问题复盘", "专利申报"),
    DEPT["市场部"]: ("品牌推广", "展会筹备", "新媒体运营", "市场调研", "宣传物料"),
    DEPT["销售部"]: ("季度销售目标", "重点客户攻关", "渠道政策", "回款催收", "投标准备"),
    DEPT["生产部"]: ("生产排程", "设备检修", "安全生产", "质量改进", "产能提升"),
    DEPT["采购部"]: ("供应商评审", "集中采购", "采购合同", "物资储备"),
    DEPT["法务部"]: ("合同审查", "诉讼案件", "合规培训", "知识产权保护"),
}
TRAININGS = ("保密制度", "信息安全", "公文写作", "OA系统操作", "消防安全", "合规")
ROOMS = ("1号会议室", "2号会议室", "3楼大会议室", "18楼小会议室", "总经理会议室", "培训室")

VERBS = ("牵头完成", "组织修订", "制定", "落实", "跟进", "梳理", "完成", "推动", "核实", "整改")
OBJECTS: dict[int, tuple[str, ...]] = {
    DEPT["总经理办公室"]: ("重点工作督办清单", "总经理办公会议题汇总", "年度目标分解方案", "董事会汇报材料"),
    DEPT["行政部"]: ("办公区改造方案", "会议室预订规则", "办公用品领用制度", "车辆调度方案", "消防隐患整改"),
    DEPT["财务部"]: (
        "季度预算执行分析",
        "费用报销流程优化",
        "应收账款清理",
        "资金使用计划",
        "税务自查报告",
        "成本分摊方案",
    ),
    DEPT["人力资源部"]: ("招聘计划", "绩效考核方案", "培训计划", "岗位说明书", "薪酬调研报告"),
    DEPT["研发部"]: ("技术方案评审意见", "版本缺陷修复", "研发项目进度计划", "测试报告", "专利申报材料"),
    DEPT["市场部"]: ("品牌推广方案", "展会参展计划", "宣传物料设计", "市场调研报告"),
    DEPT["销售部"]: ("重点客户拜访计划", "回款计划", "渠道政策调整方案", "投标文件"),
    DEPT["生产部"]: ("设备检修计划", "安全生产检查", "质量改进措施", "产能提升方案"),
    DEPT["采购部"]: ("供应商评审报告", "集中采购方案", "采购合同续签"),
    DEPT["法务部"]: ("合同模板修订", "诉讼案件应对方案", "合规风险排查"),
}
CRITERIA = (
    "方案经总经理办公会审议通过",
    "提交书面报告，经分管领导签字确认",
    "制度发布并在OA公示",
    "完成率100%，相关资料归档",
    "系统上线并稳定运行一周",
    "整改完成并通过复查",
    "形成会议纪要并抄送相关部门",
    "",
)


def generate_meetings(company: Company) -> pd.DataFrame:
    """One row per meeting: canonical columns, plus hidden `_dept`, `_bad` and `_no_outcome` columns."""
    rng = company.rng("meetings")
    days = company.window_days(working=True)
    boost = np.where(company.in_heavy_month(days), HEAVY_MONTH_FACTOR, 1.0)
    day = daily_counts(rng, days, MEETINGS_PER_WORKING_DAY * company.scale * boost)
    n = len(day)
    heavy = company.in_heavy_month(day)

    dept = rng.choice(len(DEPARTMENTS), size=n, p=MEETING_SHARE)
    category = np.where(
        heavy,
        rng.choice(len(CATEGORIES), size=n, p=HEAVY_CATEGORY_SHARE),
        rng.choice(len(CATEGORIES), size=n, p=CATEGORY_SHARE),
    )
    gm_office_meeting = CATEGORIES.index("总经理办公会")
    category[(category == gm_office_meeting) & (dept != DEPT["总经理办公室"])] = CATEGORIES.index("专题会")
    dept_names = np.array(DEPARTMENTS, dtype=object)[dept]
    topic = pick_from_groups(rng, TOPICS, dept, fallback=("工作",))
    title = np.select(
        [category == 0, category == 1, category == 2, category == 3, category == 4],
        [dept_names + "周例会", topic + "专题会", topic + "评审会", topic + "协调会", pick(rng, TRAININGS, n) + "培训"],
        "总经理办公会",
    )

    slot = rng.choice(np.array([540, 570, 600, 630, 660, 840, 870, 900, 930, 960, 990]), size=n)
    planned = rng.choice(np.array([30, 45, 60, 90, 120]), size=n, p=[0.2, 0.1, 0.4, 0.2, 0.1])
    planned = np.where(category == gm_office_meeting, 120, planned)
    scheduled_start = day.astype("datetime64[m]") + minutes(slot)
    scheduled_end = scheduled_start + minutes(planned)

    held = rng.random(n) >= 0.03
    # A meeting is "bad" with some propensity (far higher in the heavy month); bad meetings tend to
    # lack an agenda, overrun, rate low and decide nothing, each with its own chance.
    bad = rng.random(n) < np.where(heavy, 0.55, 0.10)
    no_agenda = rng.random(n) < np.where(bad, 0.60, 0.03)
    overrun = rng.random(n) < np.where(bad, 0.50, 0.03)
    low_rating = rng.random(n) < np.where(bad, 0.50, 0.02)
    no_outcome = (rng.random(n) < np.where(bad, 0.45, 0.05)) | (category == CATEGORIES.index("培训会"))

    has_actuals = held & (rng.random(n) < 0.85)
    delay = rng.choice(np.array([0, 0, 0, 2, 5, 10]), size=n) + np.where(bad, rng.integers(0, 15, n), 0)
    factor = np.where(overrun, rng.uniform(1.35, 2.0, n), rng.uniform(0.75, 1.15, n))
    actual_start = scheduled_start + minutes(delay)
    actual_end = actual_start + minutes(planned * factor)
    end_reference = np.where(has_actuals, actual_end, scheduled_end)

    late_minutes = rng.random(n) < np.where(bad, 0.25, 0.07)
    delay_hours = np.where(late_minutes, rng.uniform(25, 72, n), rng.gamma(2.0, 3.0, n).clip(0.3, 23.5))
    minutes_at = end_reference + minutes(delay_hours * 60)
    has_minutes = held & (rng.random(n) < 0.96) & company.known_by_export(minutes_at)

    rating = np.where(low_rating, rng.uniform(1.0, 2.0, n), np.clip(rng.normal(4.2, 0.45, n), 2.5, 5.0)).round(1)
    attendees = 3 + rng.poisson(6, n) + np.where(category == gm_office_meeting, 8, 0) + np.where(category == 4, 15, 0)
    mode = pick(rng, ("线下", "线上", "线上+线下"), n, p=(0.6, 0.25, 0.15))
    room = np.where(mode == "线上", pick(rng, ("腾讯会议", "钉钉视频会议"), n), pick(rng, ROOMS, n))
    not_a_time = np.datetime64("NaT", "m")

    frame = table(
        {
            "title": title,
            "category": np.array(CATEGORIES, dtype=object)[category],
            "organizer_dept": dept_names,
            "organizer": company.people_of(dept, rng),
            "scheduled_start": scheduled_start,
            "scheduled_end": scheduled_end,
            "actual_start": np.where(has_actuals, actual_start, not_a_time),
            "actual_end": np.where(has_actuals, actual_end, not_a_time),
            "attendees": attendees,
            "has_agenda": ~no_agenda,
            "minutes_issued_at": np.where(has_minutes, minutes_at, not_a_time),
            "status": np.where(held, "held", "cancelled").astype(object),
            "mode": mode,
            "rating": np.where(held & (rng.random(n) < 0.88), rating, np.nan),
            "room": room,
            "_dept": dept,
            "_bad": bad,
            "_no_outcome": no_outcome,
        }
    )
    frame = frame.iloc[np.lexsort((dept, scheduled_start))].reset_index(drop=True)
    meeting_day = frame["scheduled_start"].to_numpy().astype("datetime64[D]")
    keys = numbered("HY", meeting_day, sequence_within(meeting_day), lambda d: f"{d:%Y%m%d}", 3)
    frame.insert(0, "meeting_id", keys)
    return frame


def generate_decisions(company: Company, meetings: pd.DataFrame) -> pd.DataFrame:
    """One row per resolution: those of productive meetings, and the GM's own assignments (no meeting)."""
    rng = company.rng("decisions")
    productive = meetings[(meetings["status"] == "held") & ~meetings["_no_outcome"]]
    source = productive.loc[productive.index.repeat(1 + rng.poisson(DECISIONS_PER_PRODUCTIVE_MEETING, len(productive)))]
    minutes_day = source["minutes_issued_at"].to_numpy().astype("datetime64[D]")
    meeting_day = source["scheduled_start"].to_numpy().astype("datetime64[D]")
    organizer = source["_dept"].to_numpy()
    from_meetings = len(source)
    assigned_day = daily_counts(rng, company.window_days(working=True), GM_ASSIGNMENTS_PER_WORKING_DAY * company.scale)

    created = np.concatenate([np.where(np.isnat(minutes_day), meeting_day, minutes_day), assigned_day])
    meeting_id = np.concatenate([source["meeting_id"].to_numpy(dtype=object), np.full(len(assigned_day), "", object)])
    n = len(created)
    other = rng.choice(len(DEPARTMENTS), size=n, p=MEETING_SHARE)
    own = np.zeros(n, dtype=bool)
    own[:from_meetings] = rng.random(from_meetings) < 0.6
    dept = np.where(own, np.pad(organizer, (0, n - from_meetings)), other)

    due_in = rng.choice(
        np.array([3, 5, 7, 10, 14, 21, 30, 45]), size=n, p=[0.1, 0.15, 0.25, 0.15, 0.15, 0.1, 0.07, 0.03]
    )
    due = company.working_day_on_or_after(created + due_in.astype("timedelta64[D]"))

    # The slipping department is late far more often, and more so as the window goes on; the others
    # finish most items on time, and their cycle shortens by about a fifth over the window.
    window_days = max(1, int((company.end64 - company.start64).astype(np.int64)))
    progress = (created - company.start64).astype(np.int64) / window_days
    slipping = dept == DEPT[company.story.slipping_dept]
    on_time = rng.random(n) < np.where(slipping, 0.62 - 0.30 * progress, 0.88)
    span = (due - created).astype(np.int64)
    fraction = rng.uniform(0.35, 1.0, n) * np.where(slipping, 1.0, 1.0 - 0.2 * progress)
    late_by = np.where(slipping, 3 + rng.geometric(0.06, n), rng.geometric(0.18, n))
    completed = np.where(
        on_time,
        created + np.ceil(fraction * span).astype(np.int64).astype("timedelta64[D]"),
        due + late_by.astype("timedelta64[D]"),
    )
    completed = company.working_day_on_or_after(completed)  # on time stays on time: due is a working day
    due, original_due, extensions, completed, chased_before = _extensions(company, dept, due, completed)

    cancelled = rng.random(n) < 0.02
    finished = ~cancelled & company.known_by_export(completed)
    status = np.select(
        [cancelled, finished, due < company.export_day],
        [
            pick(rng, ("已取消", "撤销"), n, p=(0.8, 0.2)),
            pick(rng, ("已办结", "已完成", ""), n, p=(0.75, 0.22, 0.03)),
            pick(rng, ("逾期", "办理中", ""), n, p=(0.7, 0.27, 0.03)),
        ],
        pick(rng, ("进行中", "未开始"), n, p=(0.8, 0.2)),
    )
    reminders = np.where(~finished & ~cancelled & (due < company.export_day), rng.integers(1, 4, n), 0)
    reminders, last_reminder = _reminders(company, due, original_due, reminders, chased_before & ~cancelled)

    frame = table(
        {
            "meeting_id": meeting_id,
            "item": pick(rng, VERBS, n) + pick_from_groups(rng, OBJECTS, dept, fallback=("相关工作",)),
            "owner_dept": np.array(DEPARTMENTS, dtype=object)[dept],
            "owner": company.people_of(dept, rng),
            "created_date": created,
            "due_date": due,
            "original_due_date": original_due,
            "extension_count": np.where(cancelled, 0, extensions),
            "last_reminder_date": last_reminder,
            "completed_date": np.where(finished, completed, np.datetime64("NaT", "D")),
            "status": status,
            "acceptance_criteria": pick(rng, CRITERIA, n),
            "reminders": reminders,
        }
    )
    frame = frame.iloc[np.argsort(created, kind="stable")].reset_index(drop=True)
    created_sorted = frame["created_date"].to_numpy()
    year = created_sorted.astype("datetime64[Y]")
    frame.insert(0, "decision_id", numbered("DB", created_sorted, sequence_within(year), lambda d: f"{d.year}", 5))
    return frame


def _extensions(
    company: Company, dept: np.ndarray, due: np.ndarray, completed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Deadlines moved (its own random stream, so the other columns stay as they were): the extending
    department asks to extend nearly every item, once or twice, and finishes just before the new
    deadline; the others extend one item in twenty. Returns the current deadline, the original one,
    the number of extensions, the completion date and whether the item was chased before its original
    deadline (the chase that brought the request to extend)."""
    follow = company.rng("decisions-follow-up")
    n = len(due)
    extending = dept == DEPT[company.story.extending_dept]
    extended = follow.random(n) < np.where(extending, 0.85, 0.05)
    twice = follow.random(n) < np.where(extending, 0.35, 0.1)
    extensions = np.where(extended, 1 + twice, 0)
    moved_by = follow.choice(np.array([3, 5, 7, 10, 14]), size=n) * extensions
    current = np.where(extended, company.working_day_on_or_after(due + moved_by.astype("timedelta64[D]")), due)
    just_before = current - follow.integers(0, 3, n).astype("timedelta64[D]")
    just_before = company.working_day_on_or_after(np.maximum(just_before, due + np.timedelta64(1, "D")))
    completed = np.where(extended & extending, np.minimum(just_before, current), completed)
    return current, due, extensions, completed, extended & extending


def _reminders(
    company: Company,
    due: np.ndarray,
    original_due: np.ndarray,
    overdue_reminders: np.ndarray,
    chased_before: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """催办: the reminders of open overdue items (the latest one to seven working days after the
    deadline), plus one a few days before the original deadline of each item the extending department
    moved. Only reminders sent by the window's end count. Returns the count and the latest date."""
    follow = company.rng("decisions-reminders")
    n = len(due)
    after_due = company.working_day_after(due, follow.integers(1, 8, n))
    after_due = np.maximum(due, np.minimum(after_due, company.end64 - np.timedelta64(2, "D")))
    before_original = company.working_day_on_or_after(original_due - np.timedelta64(3, "D"))
    chased = chased_before & (before_original <= company.end64)
    latest = np.where(overdue_reminders > 0, after_due, np.where(chased, before_original, np.datetime64("NaT", "D")))
    return overdue_reminders + chased.astype(int), latest


def meetings_export(meetings: pd.DataFrame, company: Company, as_csv: bool) -> ExportFile:
    """The meetings ledger as an OA system exports it: XLSX with a merged title row (CSV when large)."""
    frame = meetings
    columns = [
        Col("会议编号", frame["meeting_id"].to_numpy(dtype=object), width=16),
        Col("会议主题", frame["title"].to_numpy(dtype=object), width=24),
        Col("会议类型", frame["category"].to_numpy(dtype=object)),
        Col("主办部门", frame["organizer_dept"].to_numpy(dtype=object)),
        Col("主持人", frame["organizer"].to_numpy(dtype=object), width=8),
        Col("开始时间", frame["scheduled_start"].to_numpy(), "datetime", width=16),
        Col("结束时间", frame["scheduled_end"].to_numpy(), "datetime", width=16),
        Col("实际开始时间", frame["actual_start"].to_numpy(), "datetime", width=16),
        Col("实际结束时间", frame["actual_end"].to_numpy(), "datetime", width=16),
        Col("与会人数", frame["attendees"].to_numpy(dtype=float), "number", decimals=0, width=8),
        Col("有无议程", np.where(frame["has_agenda"].to_numpy(), "是", "否").astype(object), width=8),
        Col("纪要下发时间", frame["minutes_issued_at"].to_numpy(), "datetime", width=16),
        Col("会议状态", np.where(frame["status"].to_numpy() == "held", "已召开", "已取消").astype(object), width=8),
        Col("会议形式", frame["mode"].to_numpy(dtype=object), width=10),
        Col("会议评分", frame["rating"].to_numpy(dtype=float), "number", decimals=1, width=8),
        Col("会议室", frame["room"].to_numpy(dtype=object)),
        Col("流程状态", np.where(frame["status"].to_numpy() == "held", "已归档", "已撤回").astype(object), width=8),
    ]
    first, last = company.start, company.end
    title = (
        f"{last.year}年会议台账"
        if first.year == last.year
        else f"会议台账（{first.year}年{first.month}月—{last.year}年{last.month}月）"
    )
    return ExportFile(
        name="会议台账.csv" if as_csv else "会议台账.xlsx",
        ledger="meetings",
        sheets=[Sheet("会议台账", columns, title=None if as_csv else title)],
        encoding="utf-8-sig",
    )


def decisions_export(decisions: pd.DataFrame) -> ExportFile:
    """The resolutions ledger: CSV in GB18030 (Excel on a Chinese Windows), dates as 2026年11月23日."""
    frame = decisions
    reminders = frame["reminders"].to_numpy()
    note = np.where(reminders > 0, "已催办" + reminders.astype(str).astype(object) + "次", "")
    columns = [
        Col("督办编号", frame["decision_id"].to_numpy(dtype=object)),
        Col("来源会议", frame["meeting_id"].to_numpy(dtype=object)),
        Col("督办事项", frame["item"].to_numpy(dtype=object)),
        Col("承办部门", frame["owner_dept"].to_numpy(dtype=object)),
        Col("承办人", frame["owner"].to_numpy(dtype=object)),
        Col("交办日期", format_dates(frame["created_date"].to_numpy(), "cn")),
        Col("原定时限", format_dates(frame["original_due_date"].to_numpy(), "cn")),
        Col("办结时限", format_dates(frame["due_date"].to_numpy(), "cn")),
        Col("延期次数", frame["extension_count"].to_numpy().astype(float), "number", decimals=0),
        Col("办结日期", format_dates(frame["completed_date"].to_numpy(), "cn")),
        Col("办理状态", frame["status"].to_numpy(dtype=object)),
        Col("催办次数", reminders.astype(float), "number", decimals=0),
        Col("最近催办日期", format_dates(frame["last_reminder_date"].to_numpy(), "cn")),
        Col("验收标准", frame["acceptance_criteria"].to_numpy(dtype=object)),
        Col("备注2", note.astype(object)),
    ]
    return ExportFile(
        name="决议督办台账.csv", ledger="decisions", sheets=[Sheet("决议督办台账", columns)], encoding="gb18030"
    )

"""Emergencies (突发事件台账): CSV, UTF-8, datetimes typed as `2026/11/23 14:05` or `2026年11月23日14时05分`.

Four kinds, as the seed names them. The type and impact are mostly confirmed within 5 minutes, the GM is
updated every 30 minutes and a summary follows within 24 hours — except in the outage week, when
repeated system failures are met slowly.
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
from analytics.sample.export import Col, ExportFile, Sheet, format_datetimes, numbered

INCIDENTS_PER_DAY = 4.2
OUTAGES_IN_OUTAGE_WEEK = 9.0

KINDS = ("客户投诉升级", "系统故障", "重要客户来访", "舆情危机")
KIND_SHARE = (0.40, 0.30, 0.22, 0.08)
# Minutes from response to resolution: lognormal (median, spread) per kind.
DURATION = {0: (240.0, 0.7), 1: (110.0, 0.8), 2: (240.0, 0.35), 3: (600.0, 0.6)}
LEAD = {
    0: (DEPT["销售部"], DEPT["销售部"], DEPT["总经理办公室"]),
    1: (DEPT["研发部"], DEPT["研发部"], DEPT["行政部"]),
    2: (DEPT["总经理办公室"], DEPT["销售部"], DEPT["行政部"]),
    3: (DEPT["市场部"], DEPT["市场部"], DEPT["法务部"]),
}
SUMMARIES = {
    0: ("重点客户对交付延期投诉，要求总经理出面", "客户对产品质量问题投诉升级", "客户就售后响应慢投诉至集团"),
    1: ("OA系统无法登录", "ERP系统数据库故障", "机房断电导致邮件系统中断", "财务系统接口异常", "网络中断"),
    2: ("集团领导莅临检查", "重要客户考察生产基地", "外资合作方来访洽谈", "政府部门调研"),
    3: ("网络出现针对公司产品的负面帖子", "媒体报道安全生产问题", "员工在社交平台发布不当言论"),
}
SEVERITY = ("一般", "较大", "重大", "特别重大")


def generate_incidents(company: Company) -> pd.DataFrame:
    """One row per incident, canonical columns plus the handling person."""
    rng = company.rng("incidents")
    day = daily_counts(rng, company.window_days(), INCIDENTS_PER_DAY * company.scale)
    kind = rng.choice(len(KINDS), size=len(day), p=KIND_SHARE)
    outage_days = np.arange(
        np.datetime64(company.story.outage_week.start, "D"), np.datetime64(company.story.outage_week.end, "D") + 1
    )
    outage_day = daily_counts(rng, outage_days, OUTAGES_IN_OUTAGE_WEEK * max(company.scale, 0.5) / 7)
    day = np.concatenate([day, outage_day])
    kind = np.concatenate([kind, np.full(len(outage_day), KINDS.index("系统故障"))])
    n = len(day)
    in_outage_week = np.isin(day, outage_days) & (kind == KINDS.index("系统故障"))

    # Visits happen in office hours; the rest mostly by day, some at night.
    daytime = rng.normal(14 * 60, 150, n).clip(8 * 60, 20 * 60)
    anytime = rng.uniform(0, 24 * 60, n)
    minute_of_day = np.where((kind == 2) | (rng.random(n) < 0.8), daytime, anytime)
    reported = day.astype("datetime64[m]") + minutes(minute_of_day)

    slow = rng.random(n) < np.where(in_outage_week, 0.45, 0.07)
    response = np.where(slow, rng.integers(6, 40, n), rng.integers(0, 6, n))
    responded = reported + minutes(response)
    has_response = rng.random(n) < 0.98

    median = np.array([DURATION[k][0] for k in range(len(KINDS))])[kind]
    spread = np.array([DURATION[k][1] for k in range(len(KINDS))])[kind]
    duration = np.clip(rng.lognormal(np.log(median), spread), 20, 3 * 24 * 60)
    resolved = np.where(has_response, responded, reported) + minutes(duration)

    required = np.floor(duration / 30).astype(np.int64)
    compliant = rng.random(n) < np.where(in_outage_week, 0.5, 0.88)
    short = np.floor(rng.random(n) * np.maximum(required, 1)).astype(np.int64)
    updates = np.where(compliant, required + rng.integers(0, 2, n), np.minimum(short, np.maximum(required - 1, 0)))

    late_report = rng.random(n) < 0.1
    report_delay = np.where(late_report, rng.uniform(25, 72, n), rng.uniform(2, 23, n)) * 60
    report = resolved + minutes(report_delay)

    is_resolved = company.known_by_export(resolved)
    has_report = is_resolved & company.known_by_export(report) & (rng.random(n) < 0.97)
    not_a_time = np.datetime64("NaT", "m")
    lead = np.array([LEAD[k] for k in range(len(KINDS))])[kind, rng.integers(0, 3, n)]
    severity = np.where(
        kind == 2,
        pick(rng, SEVERITY[:2], n, p=(0.7, 0.3)),
        pick(rng, SEVERITY, n, p=(0.45, 0.35, 0.16, 0.04)),
    )
    frame = table(
        {
            "incident_type": np.array(KINDS, dtype=object)[kind],
            "severity": np.where(in_outage_week, "重大", severity),
            "summary": pick_from_groups(rng, SUMMARIES, kind, fallback=("",)),
            "reported_at": reported,
            "responded_at": np.where(has_response, responded, not_a_time),
            "resolved_at": np.where(is_resolved, resolved, not_a_time),
            "progress_updates": np.where(is_resolved, updates, -1),
            "report_issued_at": np.where(has_report, report, not_a_time),
            "lead_dept": np.array(DEPARTMENTS, dtype=object)[lead],
            "handler": company.people_of(lead, rng),
        }
    )
    frame = frame.iloc[np.argsort(reported, kind="stable")].reset_index(drop=True)
    reported_day = frame["reported_at"].to_numpy().astype("datetime64[D]")
    keys = numbered("SJ", reported_day, sequence_within(reported_day), lambda d: f"{d:%Y%m%d}", 2)
    frame.insert(0, "incident_id", keys)
    return frame


def incidents_export(incidents: pd.DataFrame, company: Company) -> ExportFile:
    """Datetimes typed by different people: some `2026/11/23 14:05`, some `2026年11月23日14时05分`."""
    rng = company.rng("incidents-export")
    frame = incidents

    def stamps(column: str) -> np.ndarray:
        values = frame[column].to_numpy()
        chinese = rng.random(len(values)) < 0.35
        return np.where(chinese, format_datetimes(values, "cn"), format_datetimes(values, "slash"))

    updates = frame["progress_updates"].to_numpy()
    columns = [
        Col("事件编号", frame["incident_id"].to_numpy(dtype=object)),
        Col("事件类型", frame["incident_type"].to_numpy(dtype=object)),
        Col("严重程度", frame["severity"].to_numpy(dtype=object)),
        Col("事件概要", frame["summary"].to_numpy(dtype=object)),
        Col("接报时间", stamps("reported_at")),
        Col("响应时间", stamps("responded_at")),
        Col("解决时间", stamps("resolved_at")),
        Col("通报次数", np.where(updates >= 0, updates, np.nan), "number", decimals=0),
        Col("总结报告时间", stamps("report_issued_at")),
        Col("牵头部门", frame["lead_dept"].to_numpy(dtype=object)),
        Col("现场负责人", frame["handler"].to_numpy(dtype=object)),
    ]
    return ExportFile(
        name="突发事件台账.csv",
        ledger="incidents",
        sheets=[Sheet("突发事件台账", columns)],
        encoding="utf-8",
        line_terminator="\n",
    )

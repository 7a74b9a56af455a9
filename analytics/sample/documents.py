"""Incoming and outgoing documents (收发文台账): CSV, UTF-8 with BOM, dates like 2026/1/5.

Incoming documents are mostly registered the day they arrive or the next working day (PRC calendar:
a document received on 30 September is on time when registered on 8 October); most close by their
deadline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.sample.company import DEPARTMENTS, DEPT, Company, daily_counts, pick, sequence_within, table
from analytics.sample.export import Col, ExportFile, Sheet, format_dates, numbered

INCOMING_PER_WORKING_DAY = 30.0
INCOMING_PER_DAY_OFF = 3.0
OUTGOING_PER_WORKING_DAY = 17.0

HANDLER_SHARE = np.array([0.16, 0.14, 0.14, 0.1, 0.08, 0.07, 0.1, 0.08, 0.06, 0.07])
INCOMING_TYPES = ("通知", "函", "请示", "报告", "纪要", "批复")
OUTGOING_TYPES = ("通知", "函", "报告", "请示", "通报")
TOPICS = (
    "开展安全生产大检查",
    "调整住房公积金缴存基数",
    "报送季度统计数据",
    "召开年度工作会议",
    "商洽战略合作事宜",
    "申请专项扶持资金",
    "办理营业执照变更登记",
    "加强节假日值班管理",
    "做好防汛防台工作",
    "核对往来账款",
    "续签物业服务合同",
    "参加行业协会年会",
    "开展反商业贿赂自查",
    "报送年度预算执行情况",
    "征求制度修订意见",
    "组织消防应急演练",
    "推荐优秀员工候选人",
    "规范公务用车管理",
    "落实数据安全保护要求",
    "调整产品价格",
)
SENDERS = (
    "市人民政府办公室",
    "市市场监督管理局",
    "区税务局",
    "市人力资源和社会保障局",
    "市应急管理局",
    "集团公司办公室",
    "集团公司财务部",
    "远大机械有限公司",
    "华信科技股份有限公司",
    "中国工商银行城东支行",
    "市物流行业协会",
    "金诚律师事务所",
)
RECIPIENTS = (
    "集团公司",
    "市市场监督管理局",
    "区人民政府",
    "远大机械有限公司",
    "各合作单位",
    "公司各部门",
    "华信科技股份有限公司",
)


def generate_documents(company: Company) -> pd.DataFrame:
    """One row per document, canonical columns."""
    rng = company.rng("documents")
    scale = company.scale
    received = np.sort(
        np.concatenate(
            [
                daily_counts(rng, company.window_days(working=True), INCOMING_PER_WORKING_DAY * scale),
                daily_counts(rng, company.window_days(working=False), INCOMING_PER_DAY_OFF * scale),
            ]
        )
    )
    issued = daily_counts(rng, company.window_days(working=True), OUTGOING_PER_WORKING_DAY * scale)
    n_in, n_out = len(received), len(issued)
    n = n_in + n_out
    incoming = np.arange(n) < n_in

    # Registration: the same day or the next working day mostly; never on a day off.
    steps = rng.choice(np.arange(6), size=n_in, p=[0.55, 0.36, 0.05, 0.025, 0.01, 0.005])
    on_day_off = ~np.isin(received, company.working_days)
    steps = np.where(on_day_off, np.maximum(steps, 1), steps)
    registered = np.concatenate([company.working_day_after(received, steps), issued])

    urgency = pick(rng, ("特急", "加急", "平件", "普通", ""), n, p=(0.03, 0.12, 0.5, 0.3, 0.05))
    has_due = rng.random(n) < np.where(incoming, 0.65, 0.3)
    due_steps = np.select(
        [urgency == "特急", urgency == "加急"],
        [np.ones(n, dtype=np.int64), rng.integers(2, 4, n)],
        rng.choice(np.array([5, 7, 10, 15]), size=n),
    )
    due = company.working_day_after(registered, due_steps)
    on_time = rng.random(n) < 0.9
    close_steps = np.where(
        has_due,
        np.where(
            on_time, np.floor(rng.random(n) * (due_steps + 1)).astype(np.int64), due_steps + rng.integers(1, 9, n)
        ),
        rng.integers(0, 6, n),
    )
    closed = company.working_day_after(registered, close_steps)

    not_a_day = np.datetime64("NaT", "D")
    registered_known = company.known_by_export(registered)
    closed = np.where(registered_known & company.known_by_export(closed), closed, not_a_day)
    registered = np.where(registered_known, registered, not_a_day)
    due = np.where(has_due & registered_known, due, not_a_day)

    handler = rng.choice(len(DEPARTMENTS), size=n, p=HANDLER_SHARE)
    handler_name = np.array(DEPARTMENTS, dtype=object)[handler]
    doc_type = np.where(incoming, pick(rng, INCOMING_TYPES, n), pick(rng, OUTGOING_TYPES, n))
    handling = np.where(
        incoming,
        np.select(
            [rng.random(n) < 0.25, rng.random(n) < 0.7],
            ["呈总经理阅示", "转" + handler_name + "办理"],
            "请" + handler_name + "阅知",
        ),
        np.where(
            (handler == DEPT["法务部"]) | (handler == DEPT["财务部"]),
            handler_name + "会签后呈总经理签发",
            "法务部审核后呈总经理签发",
        ),
    )
    secrecy = pick(
        rng, ("公开", "内部", "非密", "秘密", "机密", "绝密", ""), n, p=(0.22, 0.45, 0.1, 0.12, 0.06, 0.005, 0.045)
    )
    flow = np.select(
        [np.isnat(registered), ~np.isnat(closed)], ["待登记", "已归档"], np.where(incoming, "办理中", "待签发")
    )

    frame = table(
        {
            "direction": np.where(incoming, "incoming", "outgoing"),
            "title": "关于" + pick(rng, TOPICS, n) + "的" + doc_type,
            "counterparty": np.where(incoming, pick(rng, SENDERS, n), pick(rng, RECIPIENTS, n)),
            "doc_type": doc_type,
            "urgency": urgency,
            "secrecy": secrecy,
            "received_date": np.concatenate([received, np.full(n_out, not_a_day)]),
            "registered_date": registered,
            "handler_dept": handler_name,
            "proposed_handling": handling,
            "due_date": due,
            "closed_date": closed,
            "flow": flow,
        }
    )
    # Numbered per direction and year, in order of arrival (incoming) or issue (outgoing).
    dated = np.concatenate([received, issued])
    order = np.lexsort((dated, ~incoming))
    frame = frame.iloc[order].reset_index(drop=True)
    dated, incoming = dated[order], incoming[order]
    year = dated.astype("datetime64[Y]").astype(np.int64)
    sequence = sequence_within(year + np.where(incoming, 0, 10_000))
    stamp = lambda d: f"〔{d.year}〕"  # noqa: E731
    keys = np.where(
        incoming,
        numbered("收文", dated, sequence, stamp, 5, suffix="号"),
        numbered("发文", dated, sequence, stamp, 4, suffix="号"),
    )
    frame.insert(0, "doc_id", keys)
    return frame.iloc[np.argsort(dated, kind="stable")].reset_index(drop=True)


def documents_export(documents: pd.DataFrame) -> ExportFile:
    frame = documents

    def dates(column: str) -> np.ndarray:
        return format_dates(frame[column].to_numpy(), "slash")

    columns = [
        Col("登记编号", frame["doc_id"].to_numpy(dtype=object)),
        Col("收/发", np.where(frame["direction"].to_numpy() == "incoming", "收文", "发文").astype(object)),
        Col("文件标题", frame["title"].to_numpy(dtype=object)),
        Col("对方单位", frame["counterparty"].to_numpy(dtype=object)),
        Col("文种", frame["doc_type"].to_numpy(dtype=object)),
        Col("缓急", frame["urgency"].to_numpy(dtype=object)),
        Col("密级", frame["secrecy"].to_numpy(dtype=object)),
        Col("收文日期", dates("received_date")),
        Col("登记日期", dates("registered_date")),
        Col("承办部门", frame["handler_dept"].to_numpy(dtype=object)),
        Col("拟办意见", frame["proposed_handling"].to_numpy(dtype=object)),
        Col("办理时限", dates("due_date")),
        Col("办结日期", dates("closed_date")),
        Col("流程状态", frame["flow"].to_numpy(dtype=object)),
    ]
    return ExportFile(
        name="收发文台账.csv", ledger="documents", sheets=[Sheet("收发文台账", columns)], encoding="utf-8-sig"
    )

"""The six ledgers of shared/spec/ledgers.md, declared once.

The database schema (db.py) and the header matcher (ingest) are both generated from these.
Every number column has a range: a price of 1e30 is a typo, refused with the row, not a value that
overflows every sum it enters (prices up to 1亿元, quantities up to 1000万, 10万 attendees).
"""

from __future__ import annotations

from analytics.ledgers.model import Column, Ledger

MEETINGS = Ledger(
    name="meetings",
    label_zh="会议台账",
    label_en="Meetings",
    department_column="organizer_dept",
    columns=(
        Column("meeting_id", "text", "会议编号", ("会议ID", "编号", "Meeting ID"), required=True, key=True),
        Column("title", "text", "会议名称", ("会议主题", "主题", "议题", "Title", "Subject"), required=True),
        Column("category", "text", "会议类型", ("会议类别", "类型", "Type", "Category")),
        Column(
            "organizer_dept",
            "text",
            "组织部门",
            ("主办部门", "召集部门", "部门", "Department", "Organizer Department"),
            required=True,
        ),
        Column("organizer", "text", "组织人", ("召集人", "主持人", "Organizer", "Host")),
        Column(
            "scheduled_start",
            "datetime",
            "计划开始时间",
            ("开始时间", "会议时间", "Start", "Scheduled Start"),
            required=True,
        ),
        Column("scheduled_end", "datetime", "计划结束时间", ("结束时间", "End", "Scheduled End"), required=True),
        Column("actual_start", "datetime", "实际开始时间", ("Actual Start",)),
        Column("actual_end", "datetime", "实际结束时间", ("Actual End",)),
        Column(
            "attendees", "int", "参会人数", ("与会人数", "人数", "Attendees"), required=True, minimum=1, maximum=100_000
        ),
        Column("has_agenda", "bool", "是否有议程", ("有无议程", "议程", "Agenda"), required=True),
        Column("minutes_issued_at", "datetime", "纪要发布时间", ("纪要下发时间", "会议纪要时间", "Minutes Issued")),
        Column(
            "status",
            "enum",
            "状态",
            ("会议状态", "Status"),
            enum={
                "held": ("已召开", "已完成", "召开", "完成", "held", "done"),
                "cancelled": ("已取消", "取消", "cancelled", "canceled"),
            },
            default="held",
        ),
        Column(
            "mode",
            "enum",
            "形式",
            ("会议形式", "Mode"),
            enum={
                "onsite": ("线下", "现场"),
                "online": ("线上", "视频", "网络"),
                "hybrid": ("混合", "线上+线下"),
            },
        ),
        Column("rating", "number", "会议评分", ("评分", "满意度", "Rating"), minimum=1, maximum=5),
    ),
)

DECISIONS = Ledger(
    name="decisions",
    label_zh="决议督办台账",
    label_en="Decisions",
    department_column="owner_dept",
    columns=(
        Column(
            "decision_id",
            "text",
            "决议编号",
            ("督办编号", "事项编号", "编号", "Decision ID", "Item ID"),
            required=True,
            key=True,
        ),
        Column("meeting_id", "text", "会议编号", ("来源会议", "所属会议", "Meeting ID")),
        Column(
            "item",
            "text",
            "决议事项",
            ("督办事项", "事项", "决议内容", "工作事项", "Item", "Action"),
            required=True,
        ),
        Column(
            "owner_dept",
            "text",
            "责任部门",
            ("承办部门", "牵头部门", "部门", "Owner Department", "Department"),
            required=True,
        ),
        Column("owner", "text", "责任人", ("承办人", "Owner")),
        Column(
            "created_date",
            "date",
            "下达日期",
            ("决议日期", "交办日期", "立项日期", "创建日期", "Created"),
            required=True,
        ),
        Column(
            "due_date",
            "date",
            "完成时限",
            ("截止日期", "办结时限", "要求完成时间", "计划完成日期", "Due", "Due Date"),
            required=True,
        ),
        Column("original_due_date", "date", "原定时限", ("原完成时限", "原截止日期", "初始时限", "Original Due")),
        Column("extension_count", "int", "延期次数", ("Extensions",), minimum=0, maximum=1_000),
        Column("reminder_count", "int", "催办次数", ("Reminders",), minimum=0, maximum=10_000),
        Column("last_reminder_date", "date", "最近催办日期", ("催办日期", "Last Reminder")),
        Column("completed_date", "date", "办结日期", ("完成日期", "实际完成时间", "Completed", "Completed Date")),
        Column(
            "status",
            "enum",
            "状态",
            ("办理状态", "执行状态", "Status"),
            enum={
                "open": ("未开始", "进行中", "办理中", "逾期", "延期", "未完成", "open", "in progress"),
                "done": ("已办结", "已完成", "完成", "办结", "done", "closed"),
                "cancelled": ("已取消", "取消", "撤销", "cancelled", "canceled"),
            },
        ),
        Column("acceptance_criteria", "text", "验收标准", ("Acceptance Criteria",)),
    ),
)

SUPPLIES = Ledger(
    name="supplies",
    label_zh="办公用品台账",
    label_en="Office supplies",
    department_column="department",
    columns=(
        Column("txn_id", "text", "单据编号", ("单号", "流水号", "编号", "Txn ID"), required=True, key=True),
        Column("txn_date", "date", "日期", ("业务日期", "领用日期", "出入库日期", "Date"), required=True),
        Column("item", "text", "物品名称", ("品名", "用品名称", "物资名称", "Item"), required=True),
        Column("category", "text", "类别", ("物品类别", "分类", "Category")),
        Column(
            "txn_type",
            "enum",
            "类型",
            ("业务类型", "出入库类型", "Type"),
            required=True,
            enum={
                "opening": ("期初", "期初库存"),
                "purchase": ("采购", "入库", "采购入库"),
                "issue": ("领用", "出库", "领用出库"),
                "return": ("退库", "退还", "归还"),
                "scrap": ("报废", "损坏", "过期", "损耗"),
                "loss": ("盘亏", "丢失", "遗失"),
            },
        ),
        Column(
            "quantity",
            "number",
            "数量",
            ("Quantity", "Qty"),
            required=True,
            minimum=0,
            exclusive_minimum=True,
            maximum=10_000_000,
        ),
        Column("unit", "text", "单位", ("Unit",)),
        Column("unit_price", "number", "单价", ("单价(元)", "Unit Price", "Price"), minimum=0, maximum=100_000_000),
        Column("department", "text", "领用部门", ("部门", "Department")),
        Column("person", "text", "领用人", ("经办人", "Person")),
        Column("note", "text", "备注", ("原因", "Note", "Reason")),
    ),
)

DOCUMENTS = Ledger(
    name="documents",
    label_zh="收发文台账",
    label_en="Documents",
    department_column="handler_dept",
    columns=(
        Column(
            "doc_id",
            "text",
            "登记编号",
            ("收文编号", "发文编号", "文号", "编号", "Doc ID"),
            required=True,
            key=True,
        ),
        Column(
            "direction",
            "enum",
            "收发类型",
            ("收/发", "收发", "Direction"),
            required=True,
            enum={"incoming": ("收文", "来文", "incoming"), "outgoing": ("发文", "去文", "outgoing")},
        ),
        Column("title", "text", "文件标题", ("标题", "文件名称", "Title"), required=True),
        Column("counterparty", "text", "对方单位", ("来文单位", "发文单位", "主送单位", "Counterparty")),
        Column("doc_type", "text", "文件性质", ("文种", "文件类型", "Doc Type")),
        Column(
            "urgency",
            "enum",
            "紧急程度",
            ("缓急", "Urgency"),
            enum={"urgent": ("特急",), "expedited": ("加急", "急件"), "normal": ("平件", "普通", "一般")},
            default="normal",
        ),
        Column(
            "secrecy",
            "enum",
            "密级",
            ("Secrecy",),
            enum={
                "public": ("公开",),
                "internal": ("内部", "非密"),
                "secret": ("秘密",),
                "confidential": ("机密",),
                "top_secret": ("绝密",),
            },
            default="internal",
        ),
        Column("received_date", "date", "收文日期", ("来文日期", "收到日期", "Received")),
        Column("registered_date", "date", "登记日期", ("Registered",)),
        Column("handler_dept", "text", "承办部门", ("主办部门", "办理部门", "Handler Department")),
        Column("proposed_handling", "text", "拟办意见", ("Proposed Handling",)),
        Column("due_date", "date", "办理时限", ("办结时限", "Due")),
        Column("closed_date", "date", "办结日期", ("归档日期", "Closed")),
    ),
)

INCIDENTS = Ledger(
    name="incidents",
    label_zh="突发事件台账",
    label_en="Incidents",
    department_column="lead_dept",
    columns=(
        Column("incident_id", "text", "事件编号", ("编号", "Incident ID"), required=True, key=True),
        Column("incident_type", "text", "事件类型", ("类型", "Type"), required=True),
        Column(
            "severity",
            "enum",
            "级别",
            ("严重程度", "Severity"),
            enum={
                "low": ("一般", "低"),
                "medium": ("较大", "中"),
                "high": ("重大", "高"),
                "critical": ("特别重大", "紧急"),
            },
        ),
        Column("summary", "text", "事件描述", ("事件概要", "描述", "Summary")),
        Column("reported_at", "datetime", "接报时间", ("发生时间", "报告时间", "Reported"), required=True),
        Column("responded_at", "datetime", "响应时间", ("确认时间", "Responded")),
        Column("resolved_at", "datetime", "处置完成时间", ("解决时间", "办结时间", "Resolved")),
        Column(
            "progress_updates", "int", "进展通报次数", ("通报次数", "汇报次数", "Updates"), minimum=0, maximum=10_000
        ),
        Column("report_issued_at", "datetime", "总结报告时间", ("报告提交时间", "Report Issued")),
        Column("lead_dept", "text", "牵头部门", ("处置部门", "Lead Department")),
    ),
)

SCHEDULE = Ledger(
    name="schedule",
    label_zh="总经理日程",
    label_en="GM schedule",
    department_column="requested_by",
    columns=(
        Column("event_id", "text", "日程编号", ("编号", "Event ID"), required=True, key=True),
        Column("title", "text", "事项", ("日程事项", "主题", "Title"), required=True),
        Column("category", "text", "类型", ("日程类型", "Category")),
        Column(
            "priority",
            "enum",
            "优先级",
            ("重要程度", "Priority"),
            enum={"strategic": ("战略级", "战略"), "important": ("重要",), "normal": ("一般", "普通")},
            default="normal",
        ),
        Column("start", "datetime", "开始时间", ("Start",), required=True),
        Column("end", "datetime", "结束时间", ("End",), required=True),
        Column("location", "text", "地点", ("Location",)),
        Column("requested_by", "text", "申请部门", ("发起方", "Requested By")),
        Column(
            "status",
            "enum",
            "状态",
            ("Status",),
            enum={
                "done": ("已完成", "完成"),
                "cancelled": ("已取消", "取消"),
                "rescheduled": ("已改期", "改期"),
                "planned": ("计划", "待办", "未开始"),
            },
            default="planned",
        ),
    ),
)

LEDGERS: dict[str, Ledger] = {
    ledger.name: ledger for ledger in (MEETINGS, DECISIONS, SUPPLIES, DOCUMENTS, INCIDENTS, SCHEDULE)
}

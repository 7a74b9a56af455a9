"""The six ledgers of shared/spec/ledgers.md, declared once.

The database schema (db.py) and the header matcher (ingest) are both generated from these.
Every number column has a range: a price of 1e30 is a typo, refused with the row, not a value that
overflows every sum it enters (prices up to 1亿元, quantities up to 1000万, 10万 attendees). Besides
the aliases of the spec's tables, a few headers seen in real exports are declared (the source is
named beside them); `hints` are headers that name no column but tell which ledger a file is.
"""

from __future__ import annotations

from analytics.ledgers.model import Column, Ledger, RowRule

ICAL_IMPORTANT = ("1", "2", "3", "4")
ICAL_NORMAL = ("5", "6", "7", "8", "9")
IMPORTANT_QUADRANTS = ("重要且紧急", "重要紧急", "重要不紧急", "重要但不紧急")
NORMAL_QUADRANTS = ("不重要不紧急", "不重要且不紧急", "不重要紧急", "紧急不重要")
"""Calendars that rate entries by the four quadrants (重要/紧急): important ones are important."""

MEETINGS = Ledger(
    name="meetings",
    label_zh="会议台账",
    label_en="Meetings",
    department_column="organizer_dept",
    identity=(("title",), ("scheduled_start",)),
    # 通达OA's 会议管理信息 export (xinmasi/TD2000 general/meeting/query/export.php): 会议名称, 会议主题,
    # 会议描述, 申请人, 申请时间, 出席人员(内部), 出席人员(外部), 发布范围(部门), 发布范围(角色),
    # 发布范围(人员), 开始时间, 结束时间, 会议室, 会议管理员, 状态 (待批 / 已准 / 进行中 / 未批准 / 已结束).
    # jeecg-boot / ruoyi `@Excel` entities of meeting modules (e.g. ruoyi SysCommitteeMeeting: 会议主题,
    # 会议时间, 会议地点, 状态 via readConverterExp 0=未开始,1=进行中,2=已结束; jeecg: 会议名称, 会议主题,
    # 会议开始时间, 会议结束时间, 会议室ID; AppointmentInfo: 预约单号, 会议主题, 参会人数, 会议开始时间).
    hints=(
        "会议室ID",
        "会议记录",
        "会议决议内容",
        "会议描述",
        "会议管理员",
        "会议室",
        "会议地点",
        "会议纪要",
        "纪要",
        "会议内容",
        "参会部门",
        "会议议程",
        "会议申请人",
        "会议室名称",
    ),
    name_words=("会议",),
    columns=(
        Column("meeting_id", "text", "会议编号", ("会议ID", "编号", "Meeting ID", "预约单号"), key=True),
        Column("title", "text", "会议名称", ("会议主题", "主题", "议题", "Title", "Subject"), required=True),
        Column("category", "text", "会议类型", ("会议类别", "类型", "Type", "Category")),
        Column(
            "organizer_dept",
            "text",
            "组织部门",
            ("主办部门", "召集部门", "部门", "Department", "Organizer Department", "申请部门"),
        ),
        Column("organizer", "text", "组织人", ("召集人", "主持人", "Organizer", "Host")),
        Column(
            "scheduled_start",
            "datetime",
            "计划开始时间",
            ("开始时间", "会议时间", "Start", "Scheduled Start", "Start Time", "会议开始时间")
            + ("预定开始时间", "预定开始日期", "预约开始时间"),
            required=True,
            date_part_aliases=("会议日期", "开始日期", "Start Date"),
        ),
        Column(
            "scheduled_end",
            "datetime",
            "计划结束时间",
            ("结束时间", "End", "Scheduled End", "End Time", "会议结束时间", "预定结束时间", "预定结束日期")
            + ("预约结束时间",),
            date_part_aliases=("结束日期", "End Date"),
        ),
        Column("actual_start", "datetime", "实际开始时间", ("Actual Start",)),
        Column("actual_end", "datetime", "实际结束时间", ("Actual End",)),
        Column(
            "attendees",
            "int",
            "参会人数",
            ("与会人数", "人数", "Attendees", "出席人数"),
            minimum=1,
            maximum=100_000,
            name_list_aliases=("出席人员", "参会人员", "与会人员", "参加人员", "参与人员", "出席人", "参会人"),
        ),
        Column("has_agenda", "bool", "是否有议程", ("有无议程", "议程", "Agenda")),
        Column("minutes_issued_at", "datetime", "纪要发布时间", ("纪要下发时间", "会议纪要时间", "Minutes Issued")),
        Column(
            "status",
            "enum",
            "状态",
            ("会议状态", "任务状态", "Status"),
            enum={
                "held": ("已召开", "已完成", "召开", "完成", "已结束", "进行中", "held", "done"),
                "planned": ("待审核", "待批", "已准", "已批准", "待召开", "未开始", "待结束", "planned"),
                "cancelled": ("已取消", "取消", "未批准", "不通过", "已驳回", "cancelled", "canceled"),
            },
            default="held",
            display={"planned": "计划中"},
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
    identity=(("item",), ("owner_dept",), ("created_date", "original_due_date", "due_date")),
    # 督办 system (easyexcel, jinzhaochao/unionpay portalSupervisionService ServiceModel): 事项名称,
    # 主办单位, 主办人, 拟办结时间, 推进状态, 来源时间, 任务要求, 进展情况, 最近反馈时间, 成果形式.
    hints=(
        "督办类型",
        "事项类别",
        "任务要求",
        "进展情况",
        "最近反馈时间",
        "成果形式",
        "工作计划",
        "批示或出访领导",
        "督办人",
    ),
    name_words=("督办", "决议", "决策", "事项"),
    rules=(RowRule("completed_date", "v__completed_date < v__created_date", "办结日期早于下达日期"),),
    columns=(
        Column("decision_id", "text", "决议编号", ("督办编号", "事项编号", "编号", "Decision ID", "Item ID"), key=True),
        Column("meeting_id", "text", "会议编号", ("来源会议", "所属会议", "Meeting ID")),
        Column(
            "item",
            "text",
            "决议事项",
            ("督办事项", "事项", "决议内容", "工作事项", "Item", "Action", "事项名称", "督办内容"),
            required=True,
        ),
        Column(
            "owner_dept",
            "text",
            "责任部门",
            ("承办部门", "牵头部门", "部门", "Owner Department", "Department", "主办单位", "责任单位"),
        ),
        Column("owner", "text", "责任人", ("承办人", "Owner", "主办人")),
        Column(
            "created_date", "date", "下达日期", ("决议日期", "交办日期", "立项日期", "创建日期", "Created", "来源时间")
        ),
        Column(
            "due_date",
            "date",
            "完成时限",
            ("截止日期", "办结时限", "要求完成时间", "计划完成日期", "拟办结时间", "Due", "Due Date"),
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
            ("办理状态", "执行状态", "推进状态", "销号情况", "任务状态", "Status"),
            enum={
                "open": (
                    "新建",
                    "未开始",
                    "进行中",
                    "办理中",
                    "在办",
                    "正在落实",
                    "推进中",
                    "逾期",
                    "延期",
                    "未完成",
                    "已超时",
                    "超时",
                    "已逾期",
                    "open",
                    "in progress",
                ),
                "done": ("已办结", "已完成", "完成", "办结", "销号", "已销号", "已结束", "done", "closed"),
                "cancelled": ("已取消", "取消", "撤销", "已终止", "终止", "工作中止", "cancelled", "canceled"),
            },
            derived="case when v__completed_date is not null then 'done' else 'open' end",
            display={"open": "未办结"},
        ),
        Column("acceptance_criteria", "text", "验收标准", ("Acceptance Criteria",)),
    ),
)

SUPPLIES = Ledger(
    name="supplies",
    label_zh="办公用品台账",
    label_en="Office supplies",
    department_column="department",
    identity=(("txn_date",), ("item",), ("txn_type",), ("quantity",), ("department",), ("person",)),
    hints=(
        "办公用品库",
        "规格",
        "规格型号",
        "型号",
        "库存",
        "库存数量",
        "发放状态",
        "领取状态",
        "审批状态",
        "审核状态",
        "物品编号",
        "物品类型",
    ),
    name_words=("办公用品", "用品", "物品", "领用", "申领", "出入库", "库存"),
    columns=(
        Column("txn_id", "text", "单据编号", ("单号", "流水号", "编号", "Txn ID"), key=True),
        Column(
            "txn_date",
            "date",
            "日期",
            (
                "业务日期",
                "领用日期",
                "出入库日期",
                "Date",
                "登记日期",
                "申请日期",
                "申领日期",
                "发放日期",
                "申请时间",
                "领用时间",
                "发起时间",
                "发生日期",
            ),
            required=True,
        ),
        Column(
            "item", "text", "物品名称", ("品名", "用品名称", "物资名称", "Item", "办公用品名称", "物品"), required=True
        ),
        Column("category", "text", "类别", ("物品类别", "分类", "Category", "办公用品类别")),
        Column(
            "txn_type",
            "enum",
            "类型",
            ("业务类型", "出入库类型", "登记类型", "Type"),
            required=True,
            enum={
                "opening": ("期初", "期初库存", "导入", "EXCEL导入", "初始化"),
                "purchase": ("采购", "入库", "采购入库"),
                "issue": ("领用", "出库", "领用出库", "借用"),
                "return": ("退库", "退还", "归还"),
                "scrap": ("报废", "损坏", "过期", "损耗"),
                "loss": ("盘亏", "丢失", "遗失"),
            },
            skip_values=("维护", "维修"),
        ),
        Column(
            "quantity",
            "number",
            "数量",
            ("Quantity", "Qty", "领用数量", "申领数量", "申请数量", "发放数量", "登记数量"),
            required=True,
            minimum=0,
            exclusive_minimum=True,
            maximum=10_000_000,
        ),
        Column("unit", "text", "单位", ("Unit", "计量单位")),
        Column(
            "unit_price", "number", "单价", ("单价(元)", "Unit Price", "Price", "价格"), minimum=0, maximum=100_000_000
        ),
        Column(
            "department", "text", "领用部门", ("部门", "Department", "申领部门", "申请部门", "所属部门", "发起人部门")
        ),
        Column("person", "text", "领用人", ("经办人", "Person", "申领人", "申请人", "登记人", "发起人姓名")),
        Column("note", "text", "备注", ("原因", "Note", "Reason", "用途")),
    ),
)

DOCUMENTS = Ledger(
    name="documents",
    label_zh="收发文台账",
    label_en="Documents",
    department_column="handler_dept",
    identity=(("direction",), ("title",), ("received_date", "registered_date")),
    hints=(
        "来文字号",
        "发文字号",
        "文件字号",
        "拟稿人",
        "拟稿部门",
        "拟稿日期",
        "成文日期",
        "主送",
        "抄送",
        "签发人",
        "份数",
        "页数",
    ),
    name_words=("收文", "来文", "发文", "公文", "文件"),
    rules=(
        RowRule("registered_date", "v__registered_date < v__received_date", "登记日期早于收文日期"),
        RowRule("closed_date", "v__closed_date < v__registered_date", "办结日期早于登记日期"),
        RowRule(
            "closed_date", "v__registered_date is null and v__closed_date < v__received_date", "办结日期早于收文日期"
        ),
    ),
    columns=(
        Column(
            "doc_id",
            "text",
            "登记编号",
            ("收文编号", "发文编号", "文号", "编号", "Doc ID", "文件字号", "来文字号", "发文字号"),
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
            ("秘密等级", "Secrecy"),
            enum={
                "public": ("公开",),
                "internal": ("内部", "非密", "普通", "一般"),
                "secret": ("秘密",),
                "confidential": ("机密",),
                "top_secret": ("绝密",),
            },
            default="internal",
        ),
        Column("received_date", "date", "收文日期", ("来文日期", "收到日期", "Received")),
        Column("registered_date", "date", "登记日期", ("Registered", "发文日期")),
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
    identity=(("incident_type", "summary"), ("reported_at",)),
    required_any=(("incident_type", "summary"),),
    hints=("事件等级", "处置措施", "处置情况", "处置结果", "影响范围", "事发地点", "伤亡情况", "报告人"),
    name_words=("突发", "事件", "应急"),
    rules=(RowRule("summary", "v__incident_type is null and v__summary is null", "事件类型和事件描述至少要填一项"),),
    columns=(
        Column("incident_id", "text", "事件编号", ("单号", "编号", "Incident ID"), key=True),
        Column("incident_type", "text", "事件类型", ("类型", "Type")),
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
        Column("summary", "text", "事件描述", ("事件概要", "事件标题", "事件名称", "描述", "Summary")),
        Column(
            "reported_at",
            "datetime",
            "接报时间",
            ("发生时间", "事发时间", "上报时间", "报告时间", "Reported"),
            required=True,
        ),
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
    identity=(("title",), ("start",)),
    # 通达OA's 日程安排导出 (xinmasi/TD2000 general/calendar/info/export_excel.php, an HTML table sent
    # as .xls): 部门, 用户, 开始时间, 结束时间, 事务类型, 事务内容, 优先程度, 安排人, 状态 (已完成 / 已超时 /
    # 未至 / 进行中, wrapped in <font> markup). Its Outlook-style CSV (general/calendar/in_out/export_csv.php):
    # 主题, 开始日期**, 开始时间, 结束日期, 结束时间, 全天事件, 提醒开/关, …, 优先级 (高/中/低), 类别, 状态.
    # Outlook's calendar CSV (Microsoft's "Export or back up email, contacts, and calendar to an
    # Outlook .pst file" → CSV): Subject, Start Date, Start Time, End Date, End Time, All day event,
    # Reminder on/off, …, Location, Priority, Private, Sensitivity, Show time as; in Chinese 主题,
    # 开始日期, 开始时间, 结束日期, 结束时间, 全天事件, 提醒开/关, …, 地点, 优先级, 私有, 敏感度, 显示时间为.
    hints=(
        "全天事件",
        "All day event",
        "提醒开/关",
        "Reminder on/off",
        "提醒日期",
        "Reminder Date",
        "提醒时间",
        "Reminder Time",
        "显示时间为",
        "Show time as",
        "敏感度",
        "Sensitivity",
        "私有",
        "Private",
        "日程内容",
        "日程",
        "提醒",
        "参与人",
        "日程类别",
    ),
    name_words=("日程", "日历", "calendar", "行程"),
    columns=(
        Column("event_id", "text", "日程编号", ("编号", "Event ID"), key=True),
        Column(
            "title", "text", "事项", ("日程事项", "主题", "Title", "Subject", "日程内容", "事务内容"), required=True
        ),
        Column("category", "text", "类型", ("日程类型", "Category", "Categories", "类别", "事务类型")),
        Column(
            "priority",
            "enum",
            "优先级",
            ("重要程度", "优先程度", "Priority"),
            enum={
                "strategic": ("战略级", "战略"),
                "important": ("重要", "高", "紧急", "重要/紧急", "High", *ICAL_IMPORTANT, *IMPORTANT_QUADRANTS),
                "normal": ("一般", "普通", "中", "低", "不重要", "Normal", "Low", *ICAL_NORMAL, *NORMAL_QUADRANTS),
            },
            default="normal",
        ),
        Column(
            "start",
            "datetime",
            "开始时间",
            ("Start", "Start Time"),
            required=True,
            date_part_aliases=("开始日期", "起始日期", "日期", "Start Date"),
        ),
        Column("end", "datetime", "结束时间", ("End", "End Time"), date_part_aliases=("结束日期", "End Date")),
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
                "rescheduled": ("已改期", "改期", "已推迟", "推迟"),
                "planned": ("计划", "待办", "未开始", "未至", "进行中", "已超时"),
            },
            default="planned",
            display={"planned": "计划中"},
        ),
    ),
)

LEDGERS: dict[str, Ledger] = {
    ledger.name: ledger for ledger in (MEETINGS, DECISIONS, SUPPLIES, DOCUMENTS, INCIDENTS, SCHEDULE)
}

PERSON_HEADERS = ("用户", "用户名", "姓名", "所属用户", "所属人", "日程所有人", "创建人")
"""Headers of a multi-person calendar naming whose entry a row is (kept out when not the GM's)."""

REQUISITION_STATES: dict[str, tuple[str, ...]] = {
    "issued": ("已发放", "未归还", "已领取", "已领用", "已出库"),
    "approved": ("审核通过", "审批通过", "已审批", "已通过", "通过", "已批准", "同意", "已同意"),
    "pending": ("未发放", "待发放", "未审核", "待审核", "审核中", "审批中", "待审批", "未领取")
    + ("部门审批人未审核", "仓库管理员未审批"),
    "refused": (
        "未通过",
        "审核不通过",
        "不通过",
        "已驳回",
        "驳回",
        "拒绝",
        "已拒绝",
        "已退回",
        "退回",
        "已撤销",
        "撤销",
    )
    + ("部门审批未通过", "仓库管理员审批未通过"),
    "returned": ("已归还",),
}
"""The issue/approval states of a requisition list (supplies 申请记录): only issued rows move stock."""
# Its 台帐报表 (general/office_product/report/ledger.php): 发生日期, 办公用品名称, 登记类型 (采购入库 / 领用 /
# 借用 / 归还 / 报废 / 维护 / EXCEL导入), 数量, 计量单位, 单价, 操作员, 备注.
ISSUE_STATE_HEADERS = ("发放状态", "领取状态", "状态", "申请状态")
# 通达OA's 办公用品申请记录 (xinmasi/TD2000 general/office_product/dept_approval/export.php): 办公用品名称,
# 办公用品库, 办公用品类别, 登记类型 (领用/借用), 申请人, 所属部门, 数量, 价格, 申请日期, 审批状态 (部门审批人
# 未审核 / 部门审批未通过 / 仓库管理员未审批 / 审核通过 / 仓库管理员审批未通过), 状态 (未发放 / 已发放 /
# 未归还 / 已归还, empty until approved), 备注.
APPROVAL_STATE_HEADERS = ("审批结果", "审批状态", "审核状态")
"""钉钉's approval exports carry 审批状态 (已完成 / 审批中 / 已撤销) and 审批结果 (同意 / 拒绝): the result decides."""

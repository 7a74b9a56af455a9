"""Exports as real OA systems write them (ledgers.md, "Exports as real OA systems write them"; issue 14).

Each fixture imitates, header for header, an export of a named real system; the source is named
beside it. The values are made up and small enough to check by eye.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.errors import UsageError
from analytics.ingest import SheetPreview, ingest_file, preview_file


def preview(text: str, file_name: str = "export.csv", **options: object) -> SheetPreview:
    (sheet,) = preview_file(None, text.encode(), file_name=file_name, **options)
    return sheet


def records(sheet: SheetPreview, *columns: str) -> list[tuple]:
    """The preview's rows as plain values (dates come back as midnight datetimes)."""
    assert sheet.ledger is not None, sheet.problem
    assert sheet.row_errors == [], sheet.row_errors
    frame = sheet.rows[list(columns)].astype(object).where(sheet.rows[list(columns)].notna(), None)
    return [tuple(_plain(v) for v in row) for row in frame.itertuples(index=False)]


def _plain(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ops.duckdb"


# ------------------------------------------------------------------------------------------ keys

# A 督办 system's easyexcel export: the headers of `ServiceModel` in jinzhaochao/unionpay
# (portalSupervisionService, com.unionpay.supervision.model): 事项编号 (empty in a list of new items),
# 事项类别, 来源时间, 事项名称, 任务要求, 主办单位, 主办人, 拟办结时间, 推进状态, 进展情况.
SUPERVISION = (
    "事项类别,来源时间,事项名称,任务要求,主办单位,主办人,拟办结时间,推进状态,进展情况\n"
    "总经理办公会,2026-10-20,完成年度预算编制,按期上报,财务部,张三,2026-11-20,推进中,已出初稿\n"
    "总经理办公会,2026-10-20,修订差旅制度,征求意见,行政部,李四,2026-11-30,在办,\n"
)


def test_a_file_without_key_gets_derived_keys_that_are_stable(db: Path) -> None:
    (first,) = ingest_file(db, SUPERVISION.encode(), file_name="督办事项.csv")
    keys = query(db, "select decision_id, item from decisions order by item")
    assert [k.startswith("auto-") for k, _ in keys] == [True, True]
    assert any("auto-" in note for note in first.notes)
    (again,) = ingest_file(db, SUPERVISION.encode(), file_name="督办事项.csv")
    assert (again.rows_loaded, again.rows_replaced) == (2, 0)
    assert query(db, "select decision_id, item from decisions order by item") == keys
    # a later export of the same item, its status changed, replaces it
    later = SUPERVISION.replace("推进中,已出初稿", "已办结,已上报")
    (third,) = ingest_file(db, later.encode(), file_name="督办事项-1125.csv")
    assert third.rows_replaced == 1
    assert query(db, "select decision_id, status from decisions order by item") == [
        (keys[0][0], "open"),
        (keys[1][0], "done"),
    ]


def test_identical_rows_get_keys_by_their_order_and_a_row_number_is_never_a_key() -> None:
    # 序号 renumbers on every export (it is no alias of any key): two identical issues stay two rows.
    text = (
        "序号,日期,物品名称,类型,数量,领用部门\n1,2026-11-03,签字笔,领用,2,行政部\n2,2026-11-03,签字笔,领用,2,行政部\n"
    )
    sheet = preview(text)
    keys = [k for (k,) in records(sheet, "txn_id")]
    assert len(set(keys)) == 2 and keys[0][:-1] == keys[1][:-1]
    assert (keys[0][-2:], keys[1][-2:]) == ("-1", "-2")
    assert sheet.rows["extra"].tolist() == ['{"序号":"1"}', '{"序号":"2"}']
    renumbered = (
        "序号,日期,物品名称,类型,数量,领用部门\n7,2026-11-03,签字笔,领用,2,行政部\n8,2026-11-03,签字笔,领用,2,行政部\n"
    )
    assert [k for (k,) in records(preview(renumbered), "txn_id")] == keys


def test_an_empty_key_cell_gets_a_derived_key() -> None:
    text = "会议编号,会议名称,开始时间\nM1,周例会,2026-11-23 09:00\n,月度经营会,2026-11-24 14:00\n"
    keys = [k for (k,) in records(preview(text), "meeting_id")]
    assert keys[0] == "M1" and keys[1].startswith("auto-")


# ---------------------------------------------------------------------------- required columns and words


def test_only_essential_columns_are_required() -> None:
    # GXGA's meeting list (nanlei/GXGA, Freemarker/front/oa/meeting_list.ftl): 会议主题, 会议室, 部门,
    # 开始时间, 结束时间 — no attendee count, no agenda flag, no key.
    text = "会议主题,会议室,部门,开始时间,结束时间\n安全生产例会,三楼会议室,安保部,2026-11-23 09:00,2026-11-23 10:00\n"
    sheet = preview(text)
    assert records(sheet, "title", "organizer_dept", "attendees", "has_agenda", "status") == [
        ("安全生产例会", "安保部", None, None, "held")
    ]


@pytest.mark.parametrize(
    ("word", "status"),
    [("推进中", "open"), ("正在落实", "open"), ("新建", "open"), ("销号", "done"), ("已结束", "done")]
    + [("工作中止", "cancelled"), ("已终止", "cancelled"), ("推进中,有阶段性进展", "open")],
)
def test_decision_status_words_of_real_systems(word: str, status: str) -> None:
    text = f'事项名称,主办单位,拟办结时间,推进状态\n预算编制,财务部,2026-11-20,"{word}"\n'
    assert records(preview(text), "status") == [(status,)]


@pytest.mark.parametrize(
    ("word", "status"),
    [("待审核", "planned"), ("已批准", "planned"), ("已准", "planned"), ("待召开", "planned")]
    + [("已结束", "held"), ("未批准", "cancelled"), ("已驳回", "cancelled")],
)
def test_meeting_status_words_of_a_room_booking_system(word: str, status: str) -> None:
    # 通达OA's meeting-room bookings list each meeting with its approval state (待批/已准/未批准/已结束).
    text = f"会议名称,会议室,开始时间,结束时间,会议状态\n周例会,301,2026-11-23 09:00,2026-11-23 10:00,{word}\n"
    assert records(preview(text), "status") == [(status,)]


def test_attendees_are_counted_from_a_list_of_names() -> None:
    text = (
        "会议名称,会议室,开始时间,出席人员(内部)\n"
        '周例会,301,2026-11-23 09:00,"张三、李四,王五；赵六 钱七"\n'
        "专题会,302,2026-11-24 09:00,孙八\n"
    )
    assert records(preview(text), "attendees") == [(5,), (1,)]


def test_html_markup_inside_a_cell_is_removed() -> None:
    text = '事项名称,主办单位,拟办结时间,推进状态\n预算编制,<b>财务部</b>,2026-11-20,"<font color=red>已超时</font>"\n'
    assert records(preview(text), "owner_dept", "status") == [("财务部", "open")]


def test_markup_below_the_first_rows_is_removed_where_it_keeps_a_value_from_reading() -> None:
    plain = "".join(f"事项{n},财务部,2026-11-20,推进中\n" for n in range(12))
    text = (
        "事项名称,主办单位,拟办结时间,推进状态\n"
        + plain
        + '预算编制,财务部,<font color=red>2026-11-18</font>,"<font color=red>已超时</font>"\n'
    )
    assert records(preview(text), "due_date", "status")[-1] == (datetime(2026, 11, 18), "open")


def test_supplies_rows_that_move_no_stock_are_skipped_and_reported() -> None:
    text = (
        "登记类型,物品名称,数量,日期\n"
        "EXCEL导入,打印纸,10,2026-11-01\n"
        "维修,打印机,1,2026-11-02\n"
        "借用,投影仪,1,2026-11-03\n"
    )
    sheet = preview(text)
    assert records(sheet, "txn_type", "item") == [("opening", "打印纸"), ("issue", "投影仪")]
    assert (sheet.rows_valid, sheet.rows_skipped) == (2, 1)
    assert "跳过不涉及库存变动的行（维护、维修）1 行" in sheet.notes


def test_a_requisition_list_loads_only_issued_rows_as_issues() -> None:
    # An office-supply requisition list (申请记录): one row per request with its issue and approval state.
    text = (
        "物品名称,申领数量,申请人,申请部门,申请时间,状态,审批状态\n"
        "签字笔,2,张三,行政部,2026-11-02 10:00,已发放,审核通过\n"
        "A4纸,1,李四,财务部,2026-11-03 09:00,未发放,未审核\n"
        "订书机,1,王五,财务部,2026-11-03 11:00,未发放,未通过\n"
    )
    sheet = preview(text)
    assert records(sheet, "item", "txn_type", "quantity", "department", "person") == [
        ("签字笔", "issue", 2.0, "行政部", "张三")
    ]
    assert (sheet.rows_valid, sheet.rows_skipped) == (1, 2)


def test_an_approval_only_requisition_list_loads_the_approved_rows() -> None:
    text = "物品名称,申请数量,申请部门,申请日期,审批状态\n签字笔,2,行政部,2026-11-02,审核通过\nA4纸,1,财务部,2026-11-03,未通过\n"
    assert records(preview(text), "item", "txn_type") == [("签字笔", "issue")]


# ------------------------------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("header", "file_name", "direction"),
    [
        ("文件标题,来文单位,收文日期", "公文.csv", "incoming"),
        ("文件标题,来文字号,登记日期", "公文.csv", "incoming"),
        ("文件标题,拟稿人,成文日期", "公文.csv", "outgoing"),
        ("文件标题,主送,登记日期", "公文.csv", "outgoing"),
        ("文件标题,文种,登记日期", "2026年收文登记簿.csv", "incoming"),
        ("文件标题,文种,登记日期", "发文登记.csv", "outgoing"),
        ("文件标题,发文单位,收文日期", "公文.csv", "incoming"),  # the issuer of an incoming document
    ],
)
def test_the_direction_of_documents_is_inferred(header: str, file_name: str, direction: str) -> None:
    sheet = preview(f"{header}\n关于年会的通知,x,2026-11-02\n", file_name)
    assert records(sheet, "direction") == [(direction,)]


def test_a_document_list_of_unknown_direction_asks_for_it(db: Path) -> None:
    text = "文件标题,文种,登记日期\n关于年会的通知,通知,2026-11-02\n"
    sheet = preview(text, "收发文台账.csv")
    assert sheet.ledger is None
    assert "--set direction=incoming" in sheet.problem
    with pytest.raises(UsageError, match="无法判断这些公文是收文还是发文"):
        ingest_file(db, text.encode(), file_name="收发文台账.csv")


# ----------------------------------------------------------------------------------------- dates


def test_split_date_and_time_columns_combine() -> None:
    text = "会议名称,会议室,开始日期,开始时间,结束日期,结束时间\n周例会,301,2026-11-23,9:30,2026/11/23,10:45\n"
    assert records(preview(text), "scheduled_start", "scheduled_end") == [
        (datetime(2026, 11, 23, 9, 30), datetime(2026, 11, 23, 10, 45))
    ]


# Outlook's calendar export to CSV ("Export or back up email, contacts, and calendar", Microsoft
# support): the header row below, dates month first, times with AM/PM, Priority Normal/High/Low.
OUTLOOK = (
    '"Subject","Start Date","Start Time","End Date","End Time","All day event","Reminder on/off",'
    '"Reminder Date","Reminder Time","Meeting Organizer","Required Attendees","Optional Attendees",'
    '"Meeting Resources","Billing Information","Categories","Description","Location","Mileage",'
    '"Priority","Private","Sensitivity","Show time as"\n'
    '"拜访华东客户","10/23/2026","9:30:00 AM","10/23/2026","11:00:00 AM","False","True","10/23/2026",'
    '"9:15:00 AM","张总",,,,,"外部",,"客户处",,"High","False","Normal","2"\n'
    '"经营分析会","10/26/2026","2:00:00 PM","10/26/2026","4:30:00 PM","False","True","10/26/2026",'
    '"1:45:00 PM","张总",,,,,"内部",,"301",,"Normal","False","Normal","2"\n'
)


def test_outlook_calendar_csv_loads_as_the_schedule() -> None:
    sheet = preview(OUTLOOK, "Calendar.CSV")
    assert records(sheet, "title", "start", "end", "location", "priority", "category") == [
        ("拜访华东客户", datetime(2026, 10, 23, 9, 30), datetime(2026, 10, 23, 11, 0), "客户处", "important", "外部"),
        ("经营分析会", datetime(2026, 10, 26, 14, 0), datetime(2026, 10, 26, 16, 30), "301", "normal", "内部"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/23/2026 9:30:00 AM", datetime(2026, 10, 23, 9, 30)),
        ("10/23/2026 9:30 PM", datetime(2026, 10, 23, 21, 30)),
        ("1/5/2026", datetime(2026, 1, 5)),
        ("Mon Oct 12 10:00:00 CST 2026", datetime(2026, 10, 12, 10, 0)),
        ("2026-11-23T09:00:00+08:00", datetime(2026, 11, 23, 9, 0)),
        ("2026-11-23T09:00:00.000Z", datetime(2026, 11, 23, 9, 0)),
        ("2026-11-23T09:00", datetime(2026, 11, 23, 9, 0)),
    ],
)
def test_date_styles_of_real_exports(text: str, expected: datetime) -> None:
    sheet = preview(f"事件描述,接报时间\n停电,{text}\n")
    assert records(sheet, "reported_at") == [(expected,)]


def test_a_date_without_a_year_takes_the_year_nearest_the_row_then_the_file() -> None:
    text = (
        "事项名称,主办单位,来源时间,拟办结时间\n"
        "预算编制,财务部,2026-12-20,01月10日\n"  # nearest the row's 2026-12-20: 2027-01-10
        "差旅制度,行政部,,11-30\n"  # no other date in the row: the file's middle date 2026-12-20
    )
    assert records(preview(text), "due_date") == [(datetime(2027, 1, 10),), (datetime(2026, 11, 30),)]


def test_a_date_without_a_year_in_a_file_without_full_dates_takes_the_load_datetime() -> None:
    # OPS_TODAY is 2026-11-25 in the tests: 01-05 is nearer in 2027.
    assert records(preview("事项名称,拟办结时间\n预算编制,01-05\n差旅制度,11月01日\n"), "due_date") == [
        (datetime(2027, 1, 5),),
        (datetime(2026, 11, 1),),
    ]


def test_a_deadline_history_cell_gives_the_original_deadline_and_the_extensions() -> None:
    text = (
        "事项名称,主办单位,来源时间,拟办结时间\n"
        "预算编制,财务部,2026-10-20,11月01日 延期至11月11日\n"
        "差旅制度,行政部,2026-10-20,11月01日 延期至11月11日，再延期至11月20日\n"
        "会议纪要,行政部,2026-10-20,2026-11-05\n"
    )
    assert records(preview(text), "original_due_date", "due_date", "extension_count") == [
        (datetime(2026, 11, 1), datetime(2026, 11, 11), 1),
        (datetime(2026, 11, 1), datetime(2026, 11, 20), 2),
        (None, datetime(2026, 11, 5), None),
    ]


def test_re_loading_a_keyless_file_with_new_styles_changes_nothing(db: Path) -> None:
    ingest_file(db, OUTLOOK.encode(), file_name="Calendar.CSV")
    before = query(db, "select event_id, title, start, priority from schedule order by start")
    (again,) = ingest_file(db, OUTLOOK.encode(), file_name="Calendar.CSV")
    assert (again.rows_replaced, query(db, "select event_id, title, start, priority from schedule order by start")) == (
        0,
        before,
    )
    assert len(before) == 2


# ------------------------------------------------------------------ values, constants and profiles


def test_a_value_mapping_reads_a_systems_own_words_and_is_remembered(db: Path) -> None:
    # jeecg-boot's @Excel(dicCode=…) exports a dictionary's raw code when the dictionary is not joined.
    text = "事项名称,主办单位,拟办结时间,推进状态\n预算编制,财务部,2026-11-20,3\n差旅制度,行政部,2026-11-30,暂缓推进\n"
    sheet = preview(text)
    assert [e.value for e in sheet.row_errors] == ["3", "暂缓推进"]
    mapped = [("status", "3", "done"), ("status", "暂缓推进", "已取消")]  # a value may be any of its spellings
    assert records(preview(text, value_mappings=mapped), "status") == [("done",), ("cancelled",)]
    ingest_file(db, text.encode(), file_name="a.csv", value_mappings=mapped)
    (again,) = ingest_file(db, text.replace("预算编制", "预算执行").encode(), file_name="b.csv")
    assert query(db, "select item, status from decisions order by item") == [
        ("差旅制度", "cancelled"),
        ("预算执行", "done"),
        ("预算编制", "done"),
    ]
    assert again.rows_loaded == 2


def test_a_bad_value_mapping_is_a_usage_error() -> None:
    text = "事项名称,拟办结时间\n预算编制,2026-11-20\n"
    with pytest.raises(UsageError, match="不是可用的取值"):
        preview(text, value_mappings=[("status", "3", "finished")])
    with pytest.raises(UsageError, match="不是有固定取值的列"):
        preview(text, value_mappings=[("item", "3", "done")])


def test_a_constant_gives_a_missing_column_one_value_and_the_profile_remembers_it(db: Path) -> None:
    text = "文件标题,文种,登记日期\n关于年会的通知,通知,2026-11-02\n"
    constants = {"direction": "收文", "handler_dept": "财务部"}
    (result,) = ingest_file(db, text.encode(), file_name="登记簿.csv", constants=constants)
    assert result.rows_loaded == 1
    # next month's export of the same system: same headers, no option
    later = text + "关于预算的通知,通知,2026-12-01\n"
    ingest_file(db, later.encode(), file_name="登记簿-12月.csv")
    assert query(db, "select title, direction, handler_dept from documents order by registered_date") == [
        ("关于年会的通知", "incoming", "财务部"),
        ("关于预算的通知", "incoming", "财务部"),
    ]
    (sheet,) = preview_file(db, later.encode(), file_name="登记簿.csv")
    assert sheet.ledger == "documents"


def test_a_constant_for_a_column_no_ledger_has_is_a_usage_error(db: Path) -> None:
    with pytest.raises(UsageError, match="没有标准列 'colour'"):
        ingest_file(db, b"a,b\n1,2\n", file_name="x.csv", constants={"colour": "red"})


# Multi-person calendars: 通达OA's 日程安排 query lists every user's entries with a 用户 column.
TEAM_CALENDAR = (
    "用户,部门,日程内容,开始时间,结束时间,日程类型\n"
    "王总,总经理办公室,经营分析会,2026-11-23 09:00,2026-11-23 10:00,工作日程\n"
    "李秘书,总经理办公室,整理会议纪要,2026-11-23 10:00,2026-11-23 11:00,工作日程\n"
    "王总,总经理办公室,拜访客户,2026-11-24 14:00,2026-11-24 16:00,工作日程\n"
)


def test_a_multi_person_calendar_keeps_the_gms_rows_when_the_gm_is_named(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.with_name("settings.toml").write_text('gm_name = "王总"\n', encoding="utf-8")
    (result,) = ingest_file(db, TEAM_CALENDAR.encode(), file_name="日程.csv")
    assert (result.rows_loaded, result.rows_skipped) == (2, 1)
    assert "跳过不是总经理（王总）本人的日程 1 行" in result.notes
    assert query(db, "select title from schedule order by start") == [("经营分析会",), ("拜访客户",)]


def test_without_the_gms_name_every_row_of_a_calendar_loads() -> None:
    assert records(preview(TEAM_CALENDAR), "title") == [("经营分析会",), ("整理会议纪要",), ("拜访客户",)]


# ------------------------------------------------------------ 通达OA (xinmasi/TD2000, an OA 2013+ tree)

# general/office_product/dept_approval/export.php: 办公用品申请记录.
TONGDA_SUPPLY_REQUESTS = (
    "办公用品名称,办公用品库,办公用品类别,登记类型,申请人,所属部门,数量,价格,申请日期,审批状态,状态,备注\n"
    "签字笔,行政库,文具,领用,张三,行政部,10,2.5,2026-11-02,审核通过,已发放,\n"
    "投影仪,行政库,设备,借用,李四,市场部,1,3000,2026-11-03,审核通过,未归还,\n"
    "订书机,行政库,文具,借用,王五,财务部,1,25,2026-11-03,审核通过,已归还,\n"
    "A4纸,行政库,纸品,领用,赵六,财务部,5,22,2026-11-04,部门审批人未审核,,\n"
    "文件夹,行政库,文具,领用,钱七,研发部,3,6,2026-11-04,仓库管理员审批未通过,,\n"
)


def test_tongda_supply_requests_load_the_issued_rows() -> None:
    sheet = preview(TONGDA_SUPPLY_REQUESTS, "办公用品申请记录.csv")
    assert records(sheet, "item", "txn_type", "quantity", "unit_price", "department", "person", "category") == [
        ("签字笔", "issue", 10.0, 2.5, "行政部", "张三", "文具"),
        ("投影仪", "issue", 1.0, 3000.0, "市场部", "李四", "设备"),
    ]
    assert (sheet.rows_valid, sheet.rows_skipped) == (2, 3)


# general/meeting/query/export.php: 会议管理信息.
TONGDA_MEETINGS = (
    "会议名称,会议主题,会议描述,申请人,申请时间,出席人员(内部),出席人员(外部),发布范围(部门),发布范围(角色),"
    "发布范围(人员),开始时间,结束时间,会议室,会议管理员,状态\n"
    '十一月经营分析会,经营分析,,张三,2026-11-16 10:00:00,"张三,李四,王五",,行政部,,,2026-11-20 09:00:00,'
    "2026-11-20 11:00:00,一号会议室,李秘书,已结束\n"
    "安全检查布置会,安全,,李四,2026-11-18 15:00:00,李四,,安保部,,,2026-11-27 14:00:00,2026-11-27 15:00:00,"
    "二号会议室,李秘书,已准\n"
    "部门周会,周会,,王五,2026-11-19 08:00:00,王五,,研发部,,,2026-11-23 09:00:00,2026-11-23 10:00:00,"
    "二号会议室,李秘书,未批准\n"
)


def test_tongda_meeting_export_loads_as_meetings() -> None:
    sheet = preview(TONGDA_MEETINGS, "会议管理信息.csv")
    assert records(sheet, "title", "scheduled_start", "attendees", "status") == [
        ("十一月经营分析会", datetime(2026, 11, 20, 9, 0), 3, "held"),
        ("安全检查布置会", datetime(2026, 11, 27, 14, 0), 1, "planned"),
        ("部门周会", datetime(2026, 11, 23, 9, 0), 1, "cancelled"),
    ]


# general/calendar/info/export_excel.php: 日程安排 (status wrapped in <font> markup, times without seconds).
TONGDA_CALENDAR = (
    "部门,用户,开始时间,结束时间,事务类型,事务内容,优先程度,安排人,状态\n"
    "总经理办公室,王总,2026-11-23 09:00,2026-11-23 10:00,工作事务,听取季度汇报,重要/紧急,李秘书,"
    "<font color='#00AA00'><b>已完成</span>\n"
    "总经理办公室,王总,2026-11-26 14:00,2026-11-26 15:00,工作事务,走访客户,不重要/紧急,李秘书,"
    "<font color='#0000AA'><b>未至</span>\n"
)


def test_tongda_calendar_export_loads_as_the_schedule() -> None:
    sheet = preview(TONGDA_CALENDAR, "日程安排.csv")
    assert records(sheet, "title", "category", "start", "priority", "status") == [
        ("听取季度汇报", "工作事务", datetime(2026, 11, 23, 9, 0), "important", "done"),
        ("走访客户", "工作事务", datetime(2026, 11, 26, 14, 0), "normal", "planned"),
    ]


# general/calendar/in_out/export_csv.php: the Outlook-style CSV (`开始日期**`, times like 8:0:0).
TONGDA_CALENDAR_CSV = (
    "主题,开始日期**,开始时间,结束日期,结束时间,全天事件,提醒开/关,提醒日期,提醒时间,敏感度,说明,事务类型,"
    "优先级,开始日期,截止日期,完成日期,完成百分比,全部工作,实际工作,附注,类别,状态\n"
    "听取季度汇报,2026-11-23,09:00:00,2026-11-23,10:00:00,否,开,2026-11-23,2026-11-23 08:50:00,普通,"
    "听取季度汇报,工作事务,高,2026-11-23,2026-11-23,,,,,,,已完成\n"
    "整理年度计划,2026-11-24,8:0:0,2026-11-25,17:0:0,否,开,2026-11-24,8:0:0,普通,整理年度计划,工作事务,中,"
    "2026-11-24,2026-11-25,,0.5,,,整理年度计划,红色类别,未开始\n"
)


def test_tongda_calendar_csv_loads_as_the_schedule() -> None:
    sheet = preview(TONGDA_CALENDAR_CSV, "calendar.csv")
    assert records(sheet, "title", "start", "end", "priority", "status") == [
        ("听取季度汇报", datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 23, 10, 0), "important", "done"),
        ("整理年度计划", datetime(2026, 11, 24, 8, 0), datetime(2026, 11, 25, 17, 0), "normal", "planned"),
    ]


# 钉钉 OA审批 → 导出: the fixed columns of an approval list (审批编号, 标题, 审批状态, 审批结果, 发起时间, 完成时间,
# 发起人姓名, 发起人部门 …) then the form's fields; written after the columns DingTalk's export is commonly seen
# with, not checked against a published file.
DINGTALK_REQUESTS = (
    "审批编号,标题,审批状态,审批结果,发起时间,完成时间,发起人姓名,发起人部门,物品名称,数量,物品用途\n"
    "202611020001,张三提交的物品领用,已完成,同意,2026-11-02 10:00:00,2026-11-02 11:00:00,张三,行政部,签字笔,10,办公\n"
    "202611030002,李四提交的物品领用,已完成,拒绝,2026-11-03 09:00:00,2026-11-03 10:00:00,李四,财务部,U盘,2,备份\n"
    "202611030003,王五提交的物品领用,审批中,,2026-11-03 15:00:00,,王五,研发部,A4纸,5,打印\n"
)


def test_a_dingtalk_approval_export_loads_the_approved_requests() -> None:
    sheet = preview(DINGTALK_REQUESTS, "物品领用审批.csv")
    assert records(sheet, "item", "txn_type", "quantity", "department", "person", "txn_date") == [
        ("签字笔", "issue", 10.0, "行政部", "张三", datetime(2026, 11, 2))
    ]
    assert sheet.rows_skipped == 2


# jeecg-boot's AutoPoi export (`@Excel(name = "会议开始时间")` without `format`: the Date's toString, Java
# style) under AutoPoi's title row; headers after a jeecg meeting entity (会议名称, 会议主题, 会议开始时间,
# 会议结束时间, 会议室ID) found in the code corpus.
JEECG_MEETINGS = (
    "会议列表,,,,\n"
    "会议名称,会议主题,会议开始时间,会议结束时间,会议室ID\n"
    "经营分析会,月度经营,Mon Nov 23 09:00:00 CST 2026,Mon Nov 23 11:00:00 CST 2026,R301\n"
)

# ruoyi's `@Excel` (SysCommitteeMeeting): 会议主题, 会议时间 (dateFormat yyyy-MM-dd), 会议地点, and 状态
# written through readConverterExp "0=未开始,1=进行中,2=已结束".
RUOYI_MEETINGS = "会议主题,会议时间,会议地点,会议通知内容,状态\n业委会例会,2026-11-20,一楼会议室,请准时参加,已结束\n"


def test_jeecg_and_ruoyi_meeting_exports_load_as_meetings() -> None:
    jeecg = preview(JEECG_MEETINGS, "会议列表.csv")
    assert (jeecg.header_row, records(jeecg, "title", "scheduled_start", "scheduled_end")) == (
        2,
        [("经营分析会", datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 23, 11, 0))],
    )
    ruoyi = preview(RUOYI_MEETINGS, "export.csv")
    assert records(ruoyi, "title", "scheduled_start", "status") == [("业委会例会", datetime(2026, 11, 20), "held")]


@pytest.mark.parametrize(
    ("word", "priority"),
    [("重要且紧急", "important"), ("重要不紧急", "important"), ("不重要不紧急", "normal"), ("3", "important")]
    + [("7", "normal"), ("不重要/紧急", "normal"), ("High", "important")],
)
def test_calendar_priorities_of_real_systems(word: str, priority: str) -> None:
    # the four quadrants some calendars rate by, iCalendar's 1–9, Outlook's High/Normal/Low
    text = f"事项,开始时间,优先级\n拜访客户,2026-11-23 09:00,{word}\n"
    assert records(preview(text), "priority") == [(priority,)]


# 通达OA's 台帐报表 (xinmasi/TD2000 general/office_product/report/ledger.php): every movement, 维护 among them.
TONGDA_SUPPLY_LEDGER = (
    "发生日期,办公用品名称,登记类型,数量,计量单位,单价,操作员,备注\n"
    "2026-11-01,打印纸,EXCEL导入,50,包,22,李库管,期初\n"
    "2026-11-02,打印纸,采购入库,20,包,21.5,李库管,\n"
    "2026-11-03,打印纸,领用,5,包,22,李库管,\n"
    "2026-11-04,投影仪,借用,1,台,3000,李库管,\n"
    "2026-11-05,投影仪,归还,1,台,3000,李库管,\n"
    "2026-11-06,打印机,维护,0,台,1500,李库管,换硒鼓\n"
    "2026-11-07,打印纸,报废,2,包,22,李库管,受潮\n"
)


def test_tongda_supply_ledger_loads_every_movement_and_skips_maintenance() -> None:
    sheet = preview(TONGDA_SUPPLY_LEDGER, "台帐报表.csv")
    assert records(sheet, "txn_date", "item", "txn_type", "quantity", "unit") == [
        (datetime(2026, 11, 1), "打印纸", "opening", 50.0, "包"),
        (datetime(2026, 11, 2), "打印纸", "purchase", 20.0, "包"),
        (datetime(2026, 11, 3), "打印纸", "issue", 5.0, "包"),
        (datetime(2026, 11, 4), "投影仪", "issue", 1.0, "台"),
        (datetime(2026, 11, 5), "投影仪", "return", 1.0, "台"),
        (datetime(2026, 11, 7), "打印纸", "scrap", 2.0, "包"),
    ]
    assert (sheet.rows_valid, sheet.rows_skipped) == (6, 1)

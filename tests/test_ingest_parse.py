"""Headers, values and row rules, as ledgers.md states them: every failure found, where the user sees it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from analytics.errors import IngestError
from analytics.ingest import SheetPreview, preview_file

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

# The required columns of each ledger, as a header line and one valid row, to which a test adds a column.
MINIMAL = {
    "meetings": (
        "会议编号,会议名称,组织部门,开始时间,结束时间,参会人数,是否有议程",
        "M1,例会,行政部,2026-11-23 09:00,2026-11-23 10:00,8,是",
    ),
    "decisions": ("决议编号,决议事项,责任部门,下达日期,完成时限", "D1,事项,行政部,2026-11-02,2026-11-20"),
    "supplies": ("单据编号,日期,物品名称,类型,数量", "S1,2026-11-03,A4纸,采购,10"),
    "documents": ("登记编号,收发类型,文件标题,收文日期", "W1,收文,关于年会的通知,2026-11-02"),
    "incidents": ("事件编号,事件类型,接报时间", "E1,系统故障,2026-11-23 09:00"),
    "schedule": ("日程编号,事项,开始时间,结束时间", "R1,拜访客户,2026-11-23 09:00,2026-11-23 10:00"),
}


def preview(text: str, ledger: str | None = None, **options: object) -> SheetPreview:
    (sheet,) = preview_file(None, text.encode(), file_name="台账.csv", ledger=ledger, **options)
    return sheet


def with_column(ledger: str, header: str, values: list[str], **more: list[str]) -> SheetPreview:
    """The ledger's minimal file with one more column (or more: header=values), one row per value."""
    head, row = MINIMAL[ledger]
    key, rest = row.split(",", 1)
    columns = {header: values, **more}
    lines = [",".join([head, *columns])]
    for i, cells in enumerate(zip(*columns.values(), strict=True)):
        lines.append(",".join([f"{key}{i}", rest, *(f'"{cell}"' for cell in cells)]))
    return preview("\n".join(lines) + "\n", ledger)


def errors(sheet: SheetPreview) -> list[tuple[int | None, str | None, str | None, str]]:
    return [(e.row, e.column, e.value, e.reason) for e in sheet.row_errors]


# ---------------------------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "header",
    [
        "决议编号,决议事项,责任部门,下达日期,完成时限",
        "Decision ID,Item,Department,Created,Due Date",
        "decision_id,item,owner_dept,created_date,due_date",
        "ＤＥＣＩＳＩＯＮ　ＩＤ,ＩＴＥＭ,Ｏｗｎｅｒ　Ｄｅｐａｒｔｍｅｎｔ,Ｃｒｅａｔｅｄ,ＤＵＥ＿ＤＡＴＥ",
        " 决议编号 ,决议事项  ,\t责任部门,下达日期　,完成时限 ",
    ],
    ids=["chinese", "english", "snake_case", "full-width", "padded"],
)
def test_every_header_style_names_the_same_columns(header: str) -> None:
    sheet = preview(header + "\nD1,事项,行政部,2026-11-02,2026-11-20\n")
    assert sheet.ledger == "decisions"
    assert list(sheet.mapping.values()) == ["decision_id", "item", "owner_dept", "created_date", "due_date"]
    assert sheet.rows_valid == 1


def test_full_width_parentheses_match_the_half_width_alias() -> None:
    sheet = with_column("supplies", "单价（元）", ["12.5"])
    assert sheet.mapping["单价（元）"] == "unit_price"


def test_the_more_specific_alias_wins_and_the_other_header_is_kept_as_extra() -> None:
    sheet = preview(
        "编号,会议编号,会议名称,部门,开始时间,结束时间,人数,议程\n7,HY-1,例会,行政部,2026-11-23 9:00,2026-11-23 10:00,5,有\n"
    )
    assert sheet.mapping["会议编号"] == "meeting_id"
    assert sheet.unknown_headers == ["编号"]
    row = sheet.rows.to_dict("records")[0]
    assert row["meeting_id"] == "HY-1"
    assert row["extra"] == '{"编号":"7"}'


def test_title_rows_above_the_header_are_skipped() -> None:
    sheet = preview("2026年11月决议督办台账,,,,\n\n制表：行政部,,,,\n" + "\n".join(MINIMAL["decisions"]) + "\n")
    assert (sheet.header_row, sheet.rows.to_dict("records")[0]["_row"]) == (4, 5)


def test_when_two_ledgers_fit_equally_it_asks_which() -> None:
    # 主题, 开始时间, 结束时间, 状态 name columns of meetings and of the GM's schedule alike: they never decide.
    text = "主题,开始时间,结束时间,状态\n周例会,2026-11-23 9:00,2026-11-23 10:00,已完成\n"
    sheet = preview(text)
    assert sheet.ledger is None
    assert sheet.problem.startswith("表头同样符合 「会议台账」(meetings)、「总经理日程」(schedule)")
    assert "--ledger meetings 或 --ledger schedule" in sheet.problem
    assert preview(text, "schedule").ledger == "schedule"


def test_the_ledger_with_headers_of_its_own_wins_over_shared_headers() -> None:
    # schedule: 编号 事项 类型 开始时间 结束时间 (all shared with other ledgers);
    # incidents: 接报时间 and 描述 are its own.
    text = "编号,事项,类型,开始时间,结束时间,接报时间,描述,牵头部门\n1,x,y,2026-11-23 9:00,2026-11-23 10:00,2026-11-23 9:00,z,行政部\n"
    assert preview(text).ledger == "incidents"
    # a meeting room tells meetings from the calendar; a location tells the calendar from meetings
    assert preview("主题,开始时间,结束时间,会议室\n周例会,2026-11-23 9:00,2026-11-23 10:00,301\n").ledger == "meetings"
    assert preview("主题,开始时间,结束时间,地点\n拜访,2026-11-23 9:00,2026-11-23 10:00,客户处\n").ledger == "schedule"


def test_a_file_name_settles_a_tie_of_shared_headers() -> None:
    text = "主题,开始时间,结束时间\n周例会,2026-11-23 9:00,2026-11-23 10:00\n"
    (sheet,) = preview_file(None, text.encode(), file_name="2026年11月会议台账.csv")
    assert sheet.ledger == "meetings"
    (sheet,) = preview_file(None, text.encode(), file_name="总经理日程.csv")
    assert sheet.ledger == "schedule"


def test_a_document_list_is_not_taken_for_meetings() -> None:
    # 主题 and 开始时间 also name meeting columns; the document's own headers decide.
    text = "序号,标题,来文单位,收文日期,主题,开始时间\n1,关于年会的通知,市总工会,2026-11-02,年会,2026-11-20 9:00\n"
    sheet = preview(text)
    assert (sheet.ledger, sheet.rows.to_dict("records")[0]["direction"]) == ("documents", "incoming")


def test_a_missing_required_column_is_named_with_the_headers_that_would_do() -> None:
    sheet = preview("决议编号,决议事项,责任部门,下达日期\nD1,事项,行政部,2026-11-02\n")
    assert sheet.ledger is None
    assert "最接近的是「决议督办台账」(decisions)" in sheet.problem
    assert (
        "due_date（可用列名：due_date、完成时限、截止日期、办结时限、要求完成时间、计划完成日期、拟办结时间、Due、Due Date）"
        in sheet.problem
    )
    assert "找到的表头：决议编号、决议事项、责任部门、下达日期" in sheet.problem


def test_an_unrecognised_file_cannot_be_loaded_and_says_why(tmp_path: Path) -> None:
    from analytics.ingest import ingest_file

    with pytest.raises(IngestError, match="缺少必填列") as caught:
        ingest_file(tmp_path / "ops.duckdb", b"a,b,c\n1,2,3\n", file_name="x.csv")
    assert "找到的表头：a、b、c" in str(caught.value)


def test_a_user_mapping_teaches_an_unknown_header() -> None:
    text = "决议编号,决议事项,经办科室,下达日期,办理期限\nD1,事项,行政部,2026-11-02,2026-11-20\n"
    assert preview(text).ledger is None
    sheet = preview(text, mappings={"办理期限": "due_date", "经办科室": "owner_dept"})
    assert (sheet.ledger, sheet.mapping["经办科室"], sheet.mapping["办理期限"]) == (
        "decisions",
        "owner_dept",
        "due_date",
    )


# ---------------------------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23", datetime(2026, 11, 23)),
        ("2026/11/23", datetime(2026, 11, 23)),
        ("2026.11.23", datetime(2026, 11, 23)),
        ("2026年11月23日", datetime(2026, 11, 23)),
        ("2026-11-23 14:05", datetime(2026, 11, 23, 14, 5)),
        ("2026-11-23 14:05:00", datetime(2026, 11, 23, 14, 5)),
        ("2026/11/23 14:05", datetime(2026, 11, 23, 14, 5)),
        ("2026年11月23日 14:05", datetime(2026, 11, 23, 14, 5)),
        ("2026/1/5 9:05", datetime(2026, 1, 5, 9, 5)),
        ("2026年1月5日 9:05", datetime(2026, 1, 5, 9, 5)),
        ("2026年11月23日14时05分", datetime(2026, 11, 23, 14, 5)),
        ("2026年11月23日14时05分30秒", datetime(2026, 11, 23, 14, 5, 30)),
        ("2026-11-23T14:05:30.250", datetime(2026, 11, 23, 14, 5, 30, 250000)),
        (" 2026-11-23 14:05 ", datetime(2026, 11, 23, 14, 5)),
        ("2026-01-05T09:30:00", datetime(2026, 1, 5, 9, 30)),
        ("2026-1-5", datetime(2026, 1, 5)),
        ("2026-1-5 9:30", datetime(2026, 1, 5, 9, 30)),
    ],
)
def test_every_date_style_of_ledgers_md_reads_as_a_timestamp(text: str, expected: datetime) -> None:
    sheet = with_column("incidents", "响应时间", [text])
    assert sheet.row_errors == []
    assert sheet.rows.to_dict("records")[0]["responded_at"] == expected


def test_a_date_column_takes_the_date_of_a_datetime() -> None:
    sheet = with_column("decisions", "办结日期", ["2026-11-18 17:30", "2026年11月19日"])
    assert [r["completed_date"].date() for r in sheet.rows.to_dict("records")] == [
        date(2026, 11, 18),
        date(2026, 11, 19),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "45000",
        "2026-13-01",
        "2026-02-30",
        "26/1/5",
        "226年1月5日",
        "20261/1/5",
        "2026/2/30",
        "下周一",
        "2026-11-23 25:00",
        "2026-00-10",
        "2026-01-0x",
        "2026-01-05 09:3x",
        "2026-01-05 09:30:60",
    ],
)
def test_a_value_that_is_no_date_is_refused(text: str) -> None:
    sheet = with_column("decisions", "办结日期", [text])
    assert errors(sheet) == [(2, "办结日期", text, "无法识别的日期（应如 2026-11-23、2026/11/23 或 2026年11月23日）")]


@pytest.mark.parametrize(
    ("ledger", "header", "values", "expected"),
    [
        (
            "meetings",
            "状态",
            ["已召开", "完成", "Done", "取消", "Canceled", ""],
            ["held"] * 3 + ["cancelled"] * 2 + ["held"],
        ),
        (
            "meetings",
            "会议形式",
            ["现场", "视频", "网络", "线上+线下", "混合"],
            ["onsite", "online", "online", "hybrid", "hybrid"],
        ),
        ("documents", "缓急", ["特急", "急件", "平件", ""], ["urgent", "expedited", "normal", "normal"]),
        (
            "documents",
            "密级",
            ["非密", "公开", "机密", "绝密", ""],
            ["internal", "public", "confidential", "top_secret", "internal"],
        ),
        (
            "incidents",
            "严重程度",
            ["一般", "较大", "重大", "特别重大", "紧急"],
            ["low", "medium", "high", "critical", "critical"],
        ),
        ("schedule", "重要程度", ["战略级", "重要", "普通", ""], ["strategic", "important", "normal", "normal"]),
        (
            "schedule",
            "状态",
            ["已完成", "改期", "待办", "取消", ""],
            ["done", "rescheduled", "planned", "cancelled", "planned"],
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_every_enum_alias_family_reads_as_its_value(
    ledger: str, header: str, values: list[str], expected: list[str]
) -> None:
    sheet = with_column(ledger, header, values)
    assert sheet.row_errors == []
    assert [r[sheet.mapping[header]] for r in sheet.rows.to_dict("records")] == expected


def test_decision_status_aliases_read_as_open_done_or_cancelled() -> None:
    statuses = ["办理中", "In Progress", "逾期", "办结", "closed", "撤销"]
    completed = ["", "", "", "2026-11-10", "2026-11-11", ""]
    sheet = with_column("decisions", "办理状态", statuses, 完成日期=completed)
    assert sheet.row_errors == []
    assert [r["status"] for r in sheet.rows.to_dict("records")] == ["open"] * 3 + ["done"] * 2 + ["cancelled"]


def test_the_required_enums_read_every_alias_family() -> None:
    kinds = ["期初库存", "采购入库", "领用出库", "归还", "过期", "遗失", "盘亏"]
    supplies = preview(
        "\n".join(
            ["单号,日期,品名,出入库类型,数量,部门"] + [f"S{i},2026-11-03,笔,{k},1,行政部" for i, k in enumerate(kinds)]
        )
    )
    assert [r["txn_type"] for r in supplies.rows.to_dict("records")] == [
        "opening", "purchase", "issue", "return", "scrap", "loss", "loss"
    ]  # fmt: skip
    documents = preview("文号,收/发,标题,收到日期\nW1,来文,通知,2026-11-02\nW2,去文,请示,\nW3,OUTGOING,函,\n")
    assert [r["direction"] for r in documents.rows.to_dict("records")] == ["incoming", "outgoing", "outgoing"]


def test_an_unknown_enum_value_is_refused_naming_the_accepted_values() -> None:
    sheet = with_column("meetings", "会议形式", ["电话会"])
    assert errors(sheet) == [
        (
            2,
            "会议形式",
            "电话会",
            "不是可用的取值；可用：onsite（线下、现场）、online（线上、视频、网络）、hybrid（混合、线上+线下）",
        )
    ]


def test_booleans_in_every_spelling() -> None:
    truthy, falsy = ["是", "Y", "yes", "TRUE", "1", "有", "√"], ["否", "n", "No", "false", "0", "无", "×"]
    head, row = MINIMAL["meetings"]
    lines = [head] + [
        f"M{i},{row.split(',', 1)[1].rsplit(',', 1)[0]},{v}" for i, v in enumerate([*truthy, *falsy, "也许"])
    ]
    sheet = preview("\n".join(lines) + "\n")
    assert [r["has_agenda"] for r in sheet.rows.to_dict("records")][:14] == [True] * 7 + [False] * 7
    assert errors(sheet) == [
        (16, "是否有议程", "也许", "无法识别的是/否值（可用：是、否、Y、N、有、无、√、×、true、false、1、0）")
    ]


def test_money_formats_and_number_bounds() -> None:
    sheet = with_column("supplies", "单价", ["1,234.5", "¥1,234.50", "1234.5元", "￥12", " 8 ", "-1", "十元"])
    prices = [r["unit_price"] for r in sheet.rows.to_dict("records")]
    assert prices[:5] == [1234.5, 1234.5, 1234.5, 12.0, 8.0]
    assert errors(sheet) == [
        (7, "单价", "-1", "应不小于 0"),
        (8, "单价", "十元", "不是有效的数字（可写 1234.5、1,234.5、¥1,234.50、1234.5元）"),
    ]


def test_integers_and_their_bounds() -> None:
    head, row = MINIMAL["meetings"]
    fields = row.split(",")
    lines = [head + ",会议评分"]
    for i, (attendees, rating) in enumerate([("12", "5"), ("2.5", "4"), ("0", "3"), ("3", "6"), ("多人", "")]):
        lines.append(",".join([f"M{i}", *fields[1:5], attendees, fields[6], rating]))
    sheet = preview("\n".join(lines) + "\n")
    assert errors(sheet) == [
        (3, "参会人数", "2.5", "应为整数"),
        (4, "参会人数", "0", "应不小于 1"),
        (5, "会议评分", "6", "应不大于 5"),
        (6, "参会人数", "多人", "不是有效的数字"),
    ]
    assert sheet.rows.to_dict("records")[0]["attendees"] == 12


# ---------------------------------------------------------------------------------------------- row rules


def test_every_failure_of_a_file_is_reported_where_the_user_sees_it() -> None:
    (sheet,) = preview_file(None, FIXTURES / "decisions_bad.csv")
    accepted = (
        "不是可用的取值；可用：open（新建、未开始、进行中、办理中、在办、正在落实、推进中、逾期、延期、未完成、"
        "已超时、超时、已逾期、in progress）、done（已办结、已完成、完成、办结、销号、已销号、已结束、closed）、"
        "cancelled（已取消、取消、撤销、已终止、终止、工作中止、canceled）"
    )
    assert errors(sheet) == [
        (3, "下达日期", "2026-13-02", "无法识别的日期（应如 2026-11-23、2026/11/23 或 2026年11月23日）"),
        (4, "状态", "暂缓", accepted),
        (5, "决议编号", "JY-101", "编号重复：与第2行相同"),
        (5, "办结日期", "2026-11-01", "办结日期早于下达日期"),
    ]
    # row 2 (已办结 without a 办结日期) is valid: ledgers.md allows status-only completion; row 4's
    # empty 责任部门 too: the department is no longer required (issue 14)
    assert (sheet.rows_total, sheet.rows_valid, sheet.rows_rejected) == (5, 2, 3)


@pytest.mark.parametrize(
    ("keys", "repeat"),
    [
        (["D1", "D2", "D3", "D2", "D4"], (5, "D2", 3)),
        (["D4", "D3", "D2", "D3", "D1"], (5, "D3", 3)),
        (["D1", "D1", "D2", "D3", "D4"], (3, "D1", 2)),
    ],
    ids=["rising-then-repeat", "falling", "adjacent"],
)
def test_a_repeated_key_is_found_in_any_order(keys: list[str], repeat: tuple[int, str, int]) -> None:
    head, row = MINIMAL["decisions"]
    rest = row.split(",", 1)[1]
    sheet = preview("\n".join([head, *(f"{key},{rest}" for key in keys)]) + "\n")
    row_number, key, first = repeat
    assert errors(sheet) == [(row_number, "决议编号", key, f"编号重复：与第{first}行相同")]


def test_a_decision_without_status_is_done_when_completed_else_open() -> None:
    sheet = with_column("decisions", "办结日期", ["2026-11-10", ""])
    assert [r["status"] for r in sheet.rows.to_dict("records")] == ["done", "open"]


def test_document_dates_must_follow_each_other() -> None:
    text = (
        "登记编号,收发类型,文件标题,收文日期,登记日期,办结日期\n"
        "W1,收文,通知,2026-11-05,2026-11-04,\n"
        "W2,收文,通知,2026-11-05,2026-11-06,2026-11-05\n"
        "W3,收文,通知,2026-11-05,,2026-11-04\n"
        "W4,收文,通知,,,\n"
        "W5,发文,请示,,,\n"
    )
    assert errors(preview(text)) == [
        (2, "登记日期", "2026-11-04", "登记日期早于收文日期"),
        (3, "办结日期", "2026-11-05", "办结日期早于登记日期"),
        (4, "办结日期", "2026-11-04", "办结日期早于收文日期"),
    ]


def test_a_supply_row_without_a_department_loads() -> None:
    # Real requisition exports carry no department on every row (issue 14): it is optional.
    text = "单号,日期,品名,类型,数量,领用部门\nS1,2026-11-03,笔,领用,2,\nS2,2026-11-03,笔,采购,2,\nS3,2026-11-03,笔,退还,1,行政部\n"
    sheet = preview(text)
    assert (errors(sheet), sheet.rows_valid) == ([], 3)


def test_footer_and_empty_rows_are_skipped_and_counted() -> None:
    head, row = MINIMAL["supplies"]
    sheet = preview(f"{head}\n{row}\n,,,,\n,,小计,,10\n总计：1 行,,,,\n")
    assert (sheet.rows_valid, sheet.rows_skipped, sheet.row_errors) == (1, 2, [])
    assert sheet.notes == ["跳过合计/小计行 2 行（第 4、5 行）"]


def test_an_unrecognised_sheet_offers_its_headers_for_mapping() -> None:
    sheet = preview("决议编号,决议事项,经办科室,下达日期,办理期限\nD1,事项,行政部,2026-11-02,2026-11-20\n", "decisions")
    assert (sheet.ledger, sheet.problem.splitlines()[0]) == (
        None,
        "不符合台账「决议督办台账」(decisions)的格式，缺少必填列：",
    )
    assert sheet.mapping == {"决议编号": "decision_id", "决议事项": "item", "下达日期": "created_date"}
    assert sheet.unknown_headers == ["经办科室", "办理期限"]


def test_thousands_separators_count_only_in_groups_of_three() -> None:
    sheet = with_column("supplies", "单价", ["¥1,2,3", "1,234,567.5", "12,34", "1，234", "-1,000"])
    prices = [r["unit_price"] for r in sheet.rows.to_dict("records")]
    assert prices[1] == 1234567.5 and prices[3] == 1234.0
    reason = "不是有效的数字（可写 1234.5、1,234.5、¥1,234.50、1234.5元）"
    assert errors(sheet) == [
        (2, "单价", "¥1,2,3", reason),
        (4, "单价", "12,34", reason),
        (6, "单价", "-1,000", "应不小于 0"),
    ]


def test_numbers_beyond_their_range_are_refused_with_the_row() -> None:
    """One price of 1e30 would overflow every sum it enters: it is a typo, refused like any bad cell."""
    prices = with_column("supplies", "单价", ["100000000", "100000000.01", "1e30"])
    assert errors(prices) == [
        (3, "单价", "100000000.01", "应不大于 100000000"),
        (4, "单价", "1e30", "应不大于 100000000"),
    ]
    quantities = preview(
        "单据编号,日期,物品名称,类型,数量\nS1,2026-11-03,A4纸,采购,10000000\nS2,2026-11-03,A4纸,采购,1e30\n"
    )
    assert errors(quantities) == [(3, "数量", "1e30", "应不大于 10000000")]
    head, row = MINIMAL["meetings"]
    fields = row.split(",")
    lines = [head + ",进展通报次数"]
    for i, attendees in enumerate(["100000", "100001", "1e30", "99999999999999999999999"]):
        lines.append(",".join([f"M{i}", *fields[1:5], attendees, fields[6], ""]))
    assert [e[1:] for e in errors(preview("\n".join(lines) + "\n"))] == [
        ("参会人数", "100001", "应不大于 100000"),
        ("参会人数", "1e30", "应不大于 100000"),
        ("参会人数", "99999999999999999999999", "应不大于 100000"),
    ]
    updates = with_column("incidents", "进展通报次数", ["10000", "10001"])
    assert [e[1:] for e in errors(updates)] == [("进展通报次数", "10001", "应不大于 10000")]


def test_a_header_written_twice_must_hold_the_same_value_in_both_columns() -> None:
    """The second 数量 column used to go to `extra` silently; where it disagrees, the row is refused."""
    text = (
        "单据编号,日期,物品名称,类型,数量,数量\n"
        "S1,2026-11-03,A4纸,采购,10,10\n"
        "S2,2026-11-03,A4纸,采购,10,\n"
        "S3,2026-11-03,A4纸,采购,10,12\n"
        "S4,2026-11-03,A4纸,采购,,5\n"
    )
    sheet = preview(text)
    assert errors(sheet) == [
        (4, "数量", "10", "表头「数量」出现两次（E列和F列），两列的值不同：F列为「12」"),
        (5, "数量", None, "必填项为空"),
        (5, "数量", None, "表头「数量」出现两次（E列和F列），两列的值不同：F列为「5」"),
    ]
    assert sheet.rows_valid == 2

"""The sample company (`python -m analytics sample`): formats as promised, sound rows, and its story.

The files are read back here with plain pandas/openpyxl, not with the product's ingest, so these
checks hold the generator to what a user receives; the last tests load every file through the real
`python -m analytics ingest` and the bootstrap.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from analytics.sample import company, exports, story, write_sample
from analytics.weeks import Week, is_working_day, next_working_day
from tests.conftest import PYTHON

TODAY = date(2026, 11, 24)  # a Tuesday: the last complete week is 2026-W47 (16–22 November)
FILES = (
    "会议台账.xlsx",
    "决议督办台账.csv",
    "办公用品台账.xlsx",
    "收发文台账.csv",
    "突发事件台账.csv",
    "总经理日程.xlsx",
)
DONE = {"已办结", "已完成", "完成", "办结"}
CANCELLED = {"已取消", "取消", "撤销"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    write_sample(out, seed=7, weeks=52, scale=1.0, today=TODAY)
    return out


# ------------------------------------------------------------------------------------------ reading back
def xlsx_table(path: Path, sheet: str, key_header: str) -> pd.DataFrame:
    """A sheet's table: the header is the row that holds `key_header`; the 合计 row is dropped."""
    raw = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
    header_row = next(i for i, row in raw.iterrows() if key_header in row.tolist())
    table = raw.iloc[header_row + 1 :].set_axis(raw.iloc[header_row].tolist(), axis=1)
    return table[table.iloc[:, 0].astype(str) != "合计"].reset_index(drop=True)


def csv_table(path: Path, encoding: str) -> pd.DataFrame:
    return pd.read_csv(path, encoding=encoding, dtype=str, keep_default_na=False)


def cn_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="%Y年%m月%d日")


def slash_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="%Y/%m/%d")


def mixed_datetimes(values: pd.Series) -> pd.Series:
    """`2026/11/23 14:05` or `2026年11月23日14时05分`."""
    slashed = pd.to_datetime(values.where(values.str.contains("/")), format="%Y/%m/%d %H:%M")
    chinese = pd.to_datetime(values.where(values.str.contains("年")), format="%Y年%m月%d日%H时%M分")
    return slashed.fillna(chinese)


@pytest.fixture(scope="module")
def decisions(sample: Path) -> pd.DataFrame:
    frame = csv_table(sample / "决议督办台账.csv", "gb18030")
    for column in ("交办日期", "原定时限", "办结时限", "办结日期", "最近催办日期"):
        frame[column] = cn_dates(frame[column])
    return frame


@pytest.fixture(scope="module")
def meetings(sample: Path) -> pd.DataFrame:
    return xlsx_table(sample / "会议台账.xlsx", "会议台账", "会议编号")


@pytest.fixture(scope="module")
def documents(sample: Path) -> pd.DataFrame:
    frame = csv_table(sample / "收发文台账.csv", "utf-8-sig")
    for column in ("收文日期", "登记日期", "办理时限", "办结日期"):
        frame[column] = slash_dates(frame[column])
    return frame


@pytest.fixture(scope="module")
def incidents(sample: Path) -> pd.DataFrame:
    frame = csv_table(sample / "突发事件台账.csv", "utf-8")
    for column in ("接报时间", "响应时间", "解决时间", "总结报告时间"):
        frame[column] = mixed_datetimes(frame[column])
    return frame


SUPPLY_SHEETS = {"期初库存": "单据编号", "采购入库": "单号", "领用出库": "流水号", "报废盘亏": "单据编号"}
INFLOW = {"期初", "采购入库", "退库"}


@pytest.fixture(scope="module")
def supplies(sample: Path) -> pd.DataFrame:
    """All four movement sheets in one table with common names: id, date, item, type, quantity, price, dept."""
    frames = []
    for sheet, key in SUPPLY_SHEETS.items():
        table = xlsx_table(sample / "办公用品台账.xlsx", sheet, key)
        common = ["seq", "id", "date", "item", "category", "type", "quantity", "unit", "price"]
        names = dict(zip(table.columns[: len(common)], common, strict=True))
        table = table.rename(columns=names)
        table["dept"] = table.get("领用部门", table.get("部门", ""))
        table["date"] = pd.to_datetime(table["date"].astype(str).str.replace(".", "-", regex=False))
        table["quantity"] = table["quantity"].astype(float)
        table["sheet"] = sheet
        frames.append(table[["id", "date", "item", "type", "quantity", "price", "dept", "sheet"]])
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------------- formats
def test_it_writes_the_six_ledgers_and_returns_their_paths(tmp_path: Path) -> None:
    lines: list[str] = []
    paths = write_sample(tmp_path, weeks=2, scale=0.2, today=TODAY, echo=lines.append)
    assert [p.name for p in paths] == list(FILES)
    assert all(p.parent == tmp_path and p.stat().st_size > 0 for p in paths)
    assert len(lines) == 6 and all(line.startswith(str(tmp_path)) for line in lines)


def test_the_same_seed_gives_byte_identical_files(sample: Path, tmp_path: Path) -> None:
    again = write_sample(tmp_path / "again", seed=7, weeks=52, scale=1.0, today=TODAY)
    for path in again:
        assert path.read_bytes() == (sample / path.name).read_bytes(), path.name
    other = write_sample(tmp_path / "other", seed=8, weeks=52, scale=1.0, today=TODAY)
    assert other[1].read_bytes() != (sample / other[1].name).read_bytes()


def test_the_window_ends_with_the_last_complete_week_before_today(decisions: pd.DataFrame) -> None:
    the_company = company(weeks=52, today=TODAY)
    assert the_company.last_week == Week(2026, 47) and the_company.first_week == Week(2025, 48)
    assert decisions["交办日期"].max() <= pd.Timestamp("2026-11-22")
    assert decisions["交办日期"].min() >= pd.Timestamp("2025-11-24")


def test_decisions_are_gb18030_csv_with_chinese_dates(sample: Path) -> None:
    raw = (sample / "决议督办台账.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    assert text.splitlines()[0].startswith("督办编号,来源会议,督办事项,承办部门")
    assert re.search(r",20\d\d年\d{1,2}月\d{1,2}日,", text)


def test_documents_are_utf8_with_bom_and_dates_without_leading_zeros(sample: Path) -> None:
    raw = (sample / "收发文台账.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert re.search(r",20\d\d/[1-9]/[1-9],", text)  # e.g. 2026/1/5
    assert "-" not in text.splitlines()[1].split(",")[7]


def test_incidents_mix_two_datetime_styles(sample: Path) -> None:
    raw = (sample / "突发事件台账.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert re.search(r"20\d\d/\d{1,2}/\d{1,2} \d{1,2}:\d\d", text)
    assert re.search(r"20\d\d年\d{1,2}月\d{1,2}日\d\d时\d\d分", text)


def test_meetings_have_a_merged_title_row_and_native_datetimes(sample: Path) -> None:
    sheet = openpyxl.load_workbook(sample / "会议台账.xlsx").active
    assert "会议台账" in sheet["A1"].value
    assert any(str(r).startswith("A1:") for r in sheet.merged_cells.ranges)
    assert [c.value for c in sheet[2]][:3] == ["会议编号", "会议主题", "会议类型"]
    assert sheet["F3"].is_date and sheet["F3"].number_format == "yyyy/m/d h:mm"
    assert {sheet.cell(row, 11).value for row in range(3, 200)} == {"是", "否"}


def test_supplies_have_several_sheets_notes_totals_and_hand_typed_money(sample: Path) -> None:
    book = openpyxl.load_workbook(sample / "办公用品台账.xlsx", read_only=True)
    assert book.sheetnames == ["期初库存", "采购入库", "领用出库", "报废盘亏", "说明"]
    typed_money = []
    for name in SUPPLY_SHEETS:
        rows = list(book[name].iter_rows(values_only=True))
        assert rows[-1][0] == "合计" and rows[-1][1] is None  # the footer's key is empty
        typed_money += [
            v for row in rows for v in row if isinstance(v, str) and re.fullmatch(r"¥[\d,]+\.\d\d|[\d.]+元", v)
        ]
    assert any(v.startswith("¥") for v in typed_money) and any(v.endswith("元") for v in typed_money)
    assert list(book["说明"].iter_rows(values_only=True))[0] == ("办公用品台账说明",)


def test_the_schedule_has_a_title_and_a_blank_row_above_its_header(sample: Path) -> None:
    rows = list(openpyxl.load_workbook(sample / "总经理日程.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("总经理日程安排表") and set(rows[1]) == {None}
    assert rows[2][:2] == ("日程编号", "日程事项")


def test_headers_use_chinese_aliases_and_keep_an_unknown_column(sample: Path, meetings: pd.DataFrame) -> None:
    from analytics.ledgers import LEDGERS

    decisions_header = csv_table(sample / "决议督办台账.csv", "gb18030").columns
    index = LEDGERS["decisions"].header_index
    known = [h for h in decisions_header if h.replace(" ", "").lower() in index]
    assert "备注2" in decisions_header and "备注2" not in known
    assert not any(h in {c.name for c in LEDGERS["decisions"].columns} for h in decisions_header)
    assert "流程状态" in meetings.columns


# --------------------------------------------------------------------------------------- sound rows
def test_keys_are_unique_within_each_file(
    meetings: pd.DataFrame, decisions: pd.DataFrame, documents: pd.DataFrame, incidents: pd.DataFrame, supplies
) -> None:
    assert meetings["会议编号"].is_unique
    assert decisions["督办编号"].is_unique
    assert documents["登记编号"].is_unique
    assert incidents["事件编号"].is_unique
    assert supplies["id"].is_unique


def test_resolutions_are_consistent(decisions: pd.DataFrame, meetings: pd.DataFrame) -> None:
    done = decisions["办理状态"].isin(DONE) | ((decisions["办理状态"] == "") & decisions["办结日期"].notna())
    assert decisions.loc[done, "办结日期"].notna().all()
    assert (decisions.loc[done, "办结日期"] >= decisions.loc[done, "交办日期"]).all()
    assert (decisions["办结时限"] > decisions["交办日期"]).all()
    assert decisions.loc[decisions["办理状态"].isin(CANCELLED), "办结日期"].isna().all()
    referenced = set(decisions["来源会议"]) - {""}
    assert referenced <= set(meetings["会议编号"])
    held = meetings.loc[meetings["会议状态"] == "已召开", "会议编号"]
    assert 0.05 < 1 - held.isin(referenced).mean() < 0.4  # some meetings decide nothing
    assert (decisions["来源会议"] == "").mean() > 0.05  # the GM's own assignments


def test_meeting_times_make_sense(meetings: pd.DataFrame) -> None:
    start, end = pd.to_datetime(meetings["开始时间"]), pd.to_datetime(meetings["结束时间"])
    actual_start, actual_end = pd.to_datetime(meetings["实际开始时间"]), pd.to_datetime(meetings["实际结束时间"])
    minutes = pd.to_datetime(meetings["纪要下发时间"])
    assert (end > start).all()
    assert (actual_end.dropna() > actual_start.dropna()).all()
    assert (minutes.dropna() >= end[minutes.notna()]).all()
    assert meetings["会议评分"].dropna().astype(float).between(1, 5).all()
    assert (meetings["与会人数"].astype(float) >= 1).all()


def test_documents_are_consistent(documents: pd.DataFrame) -> None:
    incoming = documents["收/发"] == "收文"
    assert documents.loc[incoming, "收文日期"].notna().all()
    assert documents.loc[~incoming, "收文日期"].isna().all()
    registered = documents["登记日期"].notna()
    assert (documents.loc[incoming & registered, "登记日期"] >= documents.loc[incoming & registered, "收文日期"]).all()
    closed = documents["办结日期"].notna()
    assert registered[closed].all()
    assert (documents.loc[closed, "办结日期"] >= documents.loc[closed, "登记日期"]).all()


def test_incident_times_follow_one_another(incidents: pd.DataFrame) -> None:
    reported, responded = incidents["接报时间"], incidents["响应时间"]
    resolved, report = incidents["解决时间"], incidents["总结报告时间"]
    assert reported.notna().all()
    assert (responded.dropna() >= reported[responded.notna()]).all()
    assert (resolved.dropna() >= reported[resolved.notna()]).all()
    assert (report.dropna() >= resolved[report.notna()]).all()
    assert set(incidents["事件类型"]) == {"客户投诉升级", "系统故障", "舆情危机", "重要客户来访"}


def test_supply_movements_are_sound_and_stock_never_goes_negative(supplies: pd.DataFrame) -> None:
    assert (supplies["quantity"] > 0).all()
    out_and_back = supplies["type"].isin(["领用出库", "退库"])
    assert (supplies.loc[out_and_back, "dept"].fillna("") != "").all()
    signed = np.where(supplies["type"].isin(INFLOW), 1, -1) * supplies["quantity"]
    by_day = supplies.assign(signed=signed).groupby(["item", "date"])["signed"].sum()
    on_hand = by_day.groupby(level="item").cumsum()
    assert on_hand.min() >= 0


def test_the_schedule_is_sound(sample: Path) -> None:
    schedule = xlsx_table(sample / "总经理日程.xlsx", "总经理日程", "日程编号")
    assert schedule["日程编号"].is_unique
    assert (pd.to_datetime(schedule["结束时间"]) > pd.to_datetime(schedule["开始时间"])).all()
    assert {"战略级", "重要", "一般"} <= set(schedule["重要程度"])
    assert {"已改期", "已取消"} <= set(schedule["状态"])


def test_scale_two_has_about_twice_the_rows() -> None:
    single = {e.ledger: e.rows for e in exports(company(weeks=8, scale=1.0, today=TODAY))}
    double = {e.ledger: e.rows for e in exports(company(weeks=8, scale=2.0, today=TODAY))}
    for ledger in ("meetings", "decisions", "supplies", "documents", "incidents"):
        assert 1.8 < double[ledger] / single[ledger] < 2.2, ledger
    assert double["schedule"] == pytest.approx(single["schedule"], rel=0.15)  # one GM's day does not grow


def test_a_year_at_scale_one_has_the_promised_volumes(meetings, decisions, documents, supplies, incidents) -> None:
    assert 7_000 < len(meetings) < 9_000
    assert 28_000 < len(decisions) < 34_000
    assert 10_000 < len(documents) < 14_000
    assert 10_000 < len(supplies) < 15_000
    assert 1_000 < len(incidents) < 2_500


# ------------------------------------------------------------------------------------------- the story
STORY = story(weeks=52, today=TODAY)


def test_finance_lets_its_resolutions_slip(decisions: pd.DataFrame) -> None:
    live = decisions[~decisions["办理状态"].isin(CANCELLED)]
    end = pd.Timestamp("2026-11-22")
    late = (live["办结日期"] > live["办结时限"]) | (live["办结日期"].isna() & (live["办结时限"] < end))
    rate = late.groupby(live["承办部门"]).mean()
    assert STORY.slipping_dept == "财务部"
    assert rate["财务部"] > 3 * rate.drop("财务部").max()
    assert len(rate) == 10


def test_marketing_extends_nearly_every_deadline_and_meets_only_the_extended_ones(decisions: pd.DataFrame) -> None:
    live = decisions[~decisions["办理状态"].isin(CANCELLED)]
    extensions = live["延期次数"].astype(int)
    moved = live["办结时限"] > live["原定时限"]
    assert ((extensions > 0) == moved).all()  # an extension always moves the deadline later
    by_dept = (extensions > 0).groupby(live["承办部门"]).mean()
    assert STORY.extending_dept == "市场部"
    assert by_dept["市场部"] > 0.8 and by_dept.drop("市场部").max() < 0.1
    done = live[live["办结日期"].notna()]
    on_time = (done["办结日期"] <= done["办结时限"]).groupby(done["承办部门"]).mean()
    by_original = (done["办结日期"] <= done["原定时限"]).groupby(done["承办部门"]).mean()
    assert on_time["市场部"] > 0.95 and by_original["市场部"] < 0.2  # the slip the extensions hide


def test_reminders_have_a_date_by_the_window_end(decisions: pd.DataFrame) -> None:
    reminded = decisions["催办次数"].astype(int) > 0
    assert reminded.sum() > 1_000
    assert (decisions["最近催办日期"].notna() == reminded).all()
    assert decisions["最近催办日期"].max() <= pd.Timestamp("2026-11-22")
    assert (decisions.loc[reminded, "最近催办日期"] >= decisions.loc[reminded, "交办日期"]).all()


def test_the_heavy_month_has_more_and_worse_meetings(meetings: pd.DataFrame) -> None:
    first, last = STORY.heavy_month
    start = pd.to_datetime(meetings["开始时间"])
    in_month = start.dt.date.between(first, last)
    low = (meetings["有无议程"] == "否") | (meetings["会议评分"].astype(float) <= 2)
    assert low[in_month].mean() > 2 * low[~in_month].mean()
    days_in_month = start[in_month].dt.date.nunique()
    days_outside = start[~in_month].dt.date.nunique()
    assert in_month.sum() / days_in_month > 1.3 * (~in_month).sum() / days_outside


def test_minutes_mostly_come_within_24_hours(meetings: pd.DataFrame) -> None:
    held = meetings[meetings["会议状态"] == "已召开"]
    end = pd.to_datetime(held["实际结束时间"]).fillna(pd.to_datetime(held["结束时间"]))
    on_time = pd.to_datetime(held["纪要下发时间"]) <= end + timedelta(hours=24)
    assert 0.8 < on_time.mean() < 0.95


def test_documents_are_registered_within_one_working_day_by_the_prc_calendar(documents: pd.DataFrame) -> None:
    incoming = documents[documents["收/发"] == "收文"]
    deadline = incoming["收文日期"].map(lambda d: pd.Timestamp(next_working_day(d.date())))
    on_time = incoming["登记日期"] <= deadline
    assert 0.85 < on_time.mean() < 0.97
    # Received the day before the National Day holiday (1–7 October): registered on the 8th is on time.
    before_holiday = incoming[incoming["收文日期"] == pd.Timestamp("2026-09-30")]
    assert (before_holiday["登记日期"] == pd.Timestamp("2026-10-08")).any()
    assert not before_holiday["登记日期"].between(pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-07")).any()
    registration_days = incoming["登记日期"].dropna().dt.date.unique()
    assert all(is_working_day(day) for day in registration_days)  # adjusted working weekends included


def test_incidents_are_mostly_answered_within_5_minutes_except_in_the_outage_week(incidents: pd.DataFrame) -> None:
    delay = (incidents["响应时间"] - incidents["接报时间"]).dt.total_seconds() / 60
    fast = delay <= 5
    week = incidents["接报时间"].dt.date.between(STORY.outage_week.start, STORY.outage_week.end)
    outages = week & (incidents["事件类型"] == "系统故障")
    assert fast[~week].mean() > 0.85
    assert outages.sum() >= 5 and fast[outages].mean() < 0.75


def test_a_week_of_expired_stock_is_scrapped(supplies: pd.DataFrame) -> None:
    scrapped = supplies[supplies["sheet"] == "报废盘亏"]
    week = scrapped["date"].dt.date.between(STORY.scrap_week.start, STORY.scrap_week.end)
    assert week.sum() >= 25 and (scrapped.loc[week, "type"] == "过期").sum() >= 20
    assert {"硒鼓", "墨盒"} <= set(scrapped.loc[week, "item"])
    per_week = scrapped.groupby(scrapped["date"].dt.to_period("W")).size()
    assert per_week.max() == week.sum()


def test_some_stock_is_idle_some_runs_short_and_one_item_has_no_price(supplies: pd.DataFrame) -> None:
    end = pd.Timestamp("2026-11-22")
    issues = supplies[supplies["type"] == "领用出库"]
    last_issue = issues.groupby("item")["date"].max()
    stocked = set(supplies.loc[supplies["type"] == "期初", "item"])
    idle = {item for item in stocked if item not in last_issue or last_issue[item] < end - timedelta(days=90)}
    assert {"装订机", "投影仪灯泡", "激光笔", "红头文件纸"} <= idle

    signed = np.where(supplies["type"].isin(INFLOW), 1, -1) * supplies["quantity"]
    on_hand = pd.Series(signed, index=supplies.index).groupby(supplies["item"]).sum()
    recent = issues[issues["date"] > end - timedelta(days=30)]
    weekly_demand = recent.groupby("item")["quantity"].sum() / 30 * 7
    short = {item for item, demand in weekly_demand.items() if on_hand[item] < demand}
    assert {"纸杯", "抽纸"} <= short

    priced = supplies.dropna(subset=["price"])
    assert "会议桌牌" in set(supplies["item"]) and "会议桌牌" not in set(priced["item"])


# ------------------------------------------------------------------------------------ command line
def run_sample(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYTHON), "-m", "analytics", "sample", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    "args",
    [("--weeks", "0"), ("--weeks", "-4"), ("--scale", "0"), ("--scale", "-1"), ("--scale", "nan"), ("--weeks", "x")],
    ids=["weeks-0", "weeks-negative", "scale-0", "scale-negative", "scale-nan", "weeks-text"],
)
def test_a_bad_weeks_or_scale_is_a_usage_error(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run_sample("--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_command_prints_one_line_per_file(tmp_path: Path) -> None:
    result = run_sample("--out", str(tmp_path), "--weeks", "2", "--scale", "0.2", "--seed", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [Path(line.split("\t")[0]).name for line in lines] == list(FILES)


# ---------------------------------------------------------------------------- loading, and the bootstrap
def test_every_sample_file_loads_through_the_ingest_command_with_no_row_errors(sample: Path, tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "ops.duckdb"
    files = [str(sample / name) for name in FILES]
    result = subprocess.run(
        [str(PYTHON), "-m", "analytics", "ingest", *files, "--db", str(db)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    written = {e.ledger: e.rows for e in exports(company(weeks=52, scale=1.0, today=TODAY))}
    with duckdb.connect(str(db), read_only=True) as connection:
        loaded = {ledger: connection.execute(f"select count(*) from {ledger}").fetchone()[0] for ledger in written}
        rejected = connection.execute("select count(*) from quarantine").fetchone()[0]
        extra = connection.execute("select extra from decisions where extra is not null limit 1").fetchone()
    assert loaded == written
    assert rejected == 0
    assert extra is not None and "备注2" in extra[0]  # the column the product does not know is kept


@pytest.fixture
def small_sample(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The bootstrap's sample, made small and written outside the project."""
    import analytics.bootstrap as bootstrap

    monkeypatch.setattr(bootstrap, "SAMPLE_DIR", tmp_path / "sample")
    monkeypatch.setattr(bootstrap, "SAMPLE_WEEKS", 4)
    monkeypatch.setattr(bootstrap, "SAMPLE_SCALE", 0.3)
    return tmp_path / "sample"


def test_the_bootstrap_fills_an_empty_database_and_then_leaves_it_alone(
    db_path: Path, small_sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from analytics.bootstrap import ledger_rows, main

    assert ledger_rows(db_path) == 0
    assert main() == 0
    first = capsys.readouterr().out
    rows = ledger_rows(db_path)
    assert rows > 0 and len(first.strip().splitlines()) == 7  # a heading and a line per file
    assert sorted(p.name for p in small_sample.iterdir()) == sorted(FILES)

    assert main() == 0
    assert capsys.readouterr().out == ""
    assert ledger_rows(db_path) == rows


def test_loading_the_sample_company_twice_changes_nothing(db_path: Path, small_sample: Path) -> None:
    from analytics.bootstrap import ledger_rows, load_sample_company

    steps: list[float] = []
    first = load_sample_company(db_path, progress=lambda fraction, message: steps.append(fraction))
    assert {result.ledger for result in first} == {
        "meetings",
        "decisions",
        "supplies",
        "documents",
        "incidents",
        "schedule",
    }
    assert all(result.rows_rejected == 0 for result in first)
    assert steps[0] == 0.0 and steps[-1] == 1.0
    rows = ledger_rows(db_path)
    load_sample_company(db_path)
    assert ledger_rows(db_path) == rows

"""Hostile data in the app: no text from a ledger, a link or an uploaded file renders as Markdown;

The database's department and item names, the `?week=` and `?dept=` of a link, and an uploaded file's
name and headers are all Markdown payloads (an image that makes every viewer's browser fetch a URL, a
phishing link); every element the app renders as Markdown (text, captions, alerts, labels, help) must
show them as text. Data grids and text areas show text as it is and are not checked. A settings file
out of range and a metric that cannot be computed leave the pages standing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Element, Node

from analytics.ledgers import LEDGERS
from analytics.ui import data
from tests.weekly_fixture import build_weekly_fixture

APP = str(Path(__file__).resolve().parent.parent / "app.py")
IMAGE = "![x](http://evil.example/p.png)"
LINK = "[点我](http://evil.example/phish)"
LIVE = ("](", "![", "<img", "http://evil", "<http")
"""Substrings of a live link or image: escaped text (`\\](`, `http\\:`) contains none of them."""
NOT_MARKDOWN = {"arrow_data_frame", "dataframe", "vega_lite_chart", "text_area", "text", "code", "json"}


@pytest.fixture(autouse=True)
def clear_caches() -> None:
    st.cache_data.clear()
    data.forget_database_state()


@pytest.fixture
def hostile_company(db_path: Path) -> Path:
    """The weekly fixture with every department named IMAGE and every item and title LINK."""
    build_weekly_fixture(db_path)
    with duckdb.connect(str(db_path)) as con:
        for ledger in LEDGERS.values():
            if ledger.department_column:
                con.execute(f"update {ledger.name} set {ledger.department_column} = ?", [IMAGE])
            for column in ("item", "title"):
                if column in {c.name for c in ledger.columns}:
                    con.execute(f"update {ledger.name} set {column} = ?", [LINK])
        con.execute("update schema_info set value = (cast(value as bigint) + 1)::varchar where key = 'data_version'")
    return db_path


def _nodes(node: Node) -> list[Element]:
    if isinstance(node, Block):
        return [element for child in node.children.values() for element in _nodes(child)]
    return [node] if isinstance(node, Element) else []


def live_markup(at: AppTest) -> list[str]:
    """Every rendered Markdown text (of every element but grids and text boxes) holding a live link."""
    found = []
    for element in _nodes(at._tree):
        if element.type in NOT_MARKDOWN or getattr(element, "proto", None) is None:
            continue
        text = str(element.proto)
        found += [f"{element.type}: {text[:300]}" for live in LIVE if live in text]
    return found


def test_ledger_text_and_link_values_never_render_as_markdown(hostile_company: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["week"] = LINK
    at.query_params["dept"] = IMAGE
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("点我" in w.value for w in at.sidebar.warning)  # the bad week is named, as text
    assert live_markup(at) == []
    for page in ("decisions", "supplies", "quality", "upload"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.message for e in at.exception]
        assert live_markup(at) == [], page


def test_an_uploaded_file_s_name_and_headers_never_render_as_markdown(hostile_company: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/upload.py").run()
    header = f"决议编号,决议事项,责任部门,下达日期,完成时限,{IMAGE}\n"
    rows = f"D1,{LINK},行政部,2026-11-02,2026-11-20,x\nD2,事项,行政部,not a date,2026-11-20,y\n"
    at.file_uploader[0].set_value((f"{LINK}.csv", (header + rows).encode(), "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("点我" in m.value for m in at.markdown)  # the file is named, as text
    assert any("evil" in s.label for s in at.selectbox)  # the unknown header is offered for mapping
    assert live_markup(at) == []
    unknown = f"{LINK}\n{IMAGE}\n"
    at.file_uploader[0].set_value((f"{IMAGE}.csv", unknown.encode(), "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert live_markup(at) == []


def test_escape_markdown_escapes_markup_and_leaves_numbers_as_they_read() -> None:
    from analytics.formatting import escape_markdown

    assert escape_markdown(IMAGE) == r"\!\[x\]\(http\://evil\.example/p\.png\)"
    assert escape_markdown("研发部 <b>:red[x]</b> $1$ www.a.cn") == r"研发部 \<b\>\:red\[x\]\</b\> \$1\$ www\.a\.cn"
    assert escape_markdown("60.0%（+10.0）- a") == "60.0%（+10.0）- a"
    assert escape_markdown("# 标题\n- 项\n1. 一") == "\\# 标题\n\\- 项\n1\\. 一"


def test_a_settings_file_out_of_range_is_a_plain_warning_and_the_defaults_answer(db_path: Path) -> None:
    """idle_days = 99999999999 saved once made every metric and every page fail."""
    build_weekly_fixture(db_path)
    (db_path.parent / "settings.toml").write_text("[thresholds]\nidle_days = 99999999999\n", encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("超出范围（应在 1 到 3650 之间）" in w.value for w in at.sidebar.warning)
    assert {m.label: m.value for m in at.metric}["决议执行率"] == "60.0%"


def test_a_metric_that_cannot_be_computed_shows_no_number_but_why_and_the_page_stands(db_path: Path) -> None:
    build_weekly_fixture(db_path)
    with duckdb.connect(str(db_path)) as con:  # loaded before quantities had a ceiling
        con.execute("update supplies set quantity = 1e40 where txn_type = 'opening' or txn_type = 'purchase'")
        con.execute("update schema_info set value = (cast(value as bigint) + 1)::varchar where key = 'data_version'")
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/supplies.py").run()
    assert not at.exception, [e.message for e in at.exception]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["闲置库存金额"] == "—"  # issue 15: "—" with its reason (无数据 is for inputs a file lacks)
    assert any("无法计算：台账中有超出可计算范围的数值" in c.value for c in at.caption)
    assert tiles["办公用品浪费率"] != "—"


MARKDOWN_SINKS = {"markdown", "caption", "warning", "info", "error", "success", "toast", "write", "title", "subheader"}
UNTRUSTED_NAMES = {"exc", "error", "message", "reason", "note", "problem_text", "name", "header", "sheet"}


def test_no_exception_or_raw_text_reaches_a_markdown_call_unescaped() -> None:
    """An AST guard beside the behaviour tests: `st.error(str(exc))` and `st.caption(note)` are how file
    and user text used to reach Markdown (messages quote file names, headers and values)."""
    import ast

    root = Path(__file__).resolve().parent.parent
    found = []
    for path in [*root.glob("analytics/ui/*.py"), *root.glob("app_pages/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            if node.func.attr not in MARKDOWN_SINKS:
                continue
            first = node.args[0]
            raw = (isinstance(first, ast.Call) and isinstance(first.func, ast.Name) and first.func.id == "str") or (
                isinstance(first, ast.Name) and first.id in UNTRUSTED_NAMES
            )
            if raw:
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []


def test_ops_db_naming_a_folder_is_a_plain_message_and_the_folder_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o755)
    monkeypatch.setenv("OPS_DB", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("这是一个文件夹，不是数据库文件" in e.value for e in at.error)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755 and list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "query",
    [
        {"week": "9999-W52"},
        {"week": "0001-W01"},
        {"week": "2026-W47", "metric": "../../etc", "tab": "<script>"},
        {"week": "2026-W47", "lang": "xx", "dept": ["x" * 5000]},
    ],
    ids=["week-9999", "week-0001", "metric-and-tab", "lang-and-long-dept"],
)
def test_hostile_link_values_are_refused_politely(hostile_company: Path, query: dict) -> None:
    """`?week=9999-W52` used to raise OverflowError in the app."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if query["week"] != "2026-W47":
        assert any("年份应在" in w.value or "无效" in w.value for w in at.sidebar.warning)
    at.switch_page("app_pages/decisions.py").run()
    assert not at.exception, [e.message for e in at.exception]

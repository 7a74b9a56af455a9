"""The app as a user meets it: a real server driven in headless Chromium.

Opens the overview, uploads a GB18030 file through the uploader, sees the KPI change, follows a
drill-down link. Screenshots land in tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench import browser
from bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.weekly_fixture import WEEK, build_weekly_fixture

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]

GB18030_DECISIONS = (
    "决议编号,来源会议,决议事项,责任部门,责任人,下达日期,完成时限,办结日期,状态\n"
    "D8,M2,补交发票,财务部,赵强,2026/11/12,2026/11/19,2026/11/19,已办结\n"
).encode("gb18030")


@contextmanager
def streamlit_server(db_path: Path, log_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port with OPS_DB = db_path; yields the base URL."""
    with browser.streamlit_server(ROOT / "app.py", db_path, log_path) as server:
        yield server.base


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app on a fresh copy of the weekly fixture."""
    with streamlit_server(build_weekly_fixture(tmp_path / "ops.duckdb"), tmp_path / "streamlit.log") as base:
        yield base


@pytest.fixture
def empty_server(tmp_path: Path) -> Iterator[str]:
    """The app on an empty database."""
    with streamlit_server(tmp_path / "empty.duckdb", tmp_path / "streamlit.log") as base:
        yield base


def launch(playwright: object) -> tuple[object, object]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    return browser, tab


@pytest.fixture
def page(server: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser, tab = launch(playwright)
        try:
            yield tab
        finally:
            browser.close()


def tile(page: object, label: str) -> object:
    return page.get_by_test_id("stMetric").filter(has_text=label).first


def wait_for_text(page: object, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(state="visible")


IDLE = (
    '() => !document.querySelector(\'[data-testid="stStatusWidgetRunningIcon"], '
    '[data-testid="stStatusWidgetRunningManIcon"], [data-stale="true"]\')'
)


def settle(page: object) -> None:
    """Wait until Streamlit has finished the script run and no element is stale (greyed out)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    page.wait_for_function(IDLE, timeout=60_000)


CONTENT_HEIGHT = (
    "() => Math.max(1000, ...[...document.querySelectorAll("
    '\'[data-testid="stMain"], [data-testid="stMainBlockContainer"]\')].map(e => e.scrollHeight))'
)


def snap(page: object, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so grow the window
    until the content fits (charts and tables finish laying out after the script run)."""
    settle(page)
    height = 0
    for _ in range(8):
        measured = int(page.evaluate(CONTENT_HEIGHT))
        if measured <= height:
            break
        height = measured
        page.set_viewport_size({"width": 1600, "height": min(height + 40, 8000)})
        page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size({"width": 1600, "height": 1000})


def test_overview_upload_kpi_change_and_drill_down(server: str, page: object, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    elsewhere: list[str] = []  # no network: not even the tab's icon comes from outside
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else elsewhere.append(r.url))
    page.goto(f"{server}/?week={WEEK}")
    tile(page, "决议执行率").wait_for(state="visible")
    settle(page)
    assert "60.0%" in tile(page, "决议执行率").inner_text()
    wait_for_text(page, "结论：本周")
    snap(page, "01_overview.png")

    page.get_by_test_id("stSidebarNav").get_by_text("数据导入").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").wait_for(state="attached")
    upload = tmp_path / "决议督办.csv"
    upload.write_bytes(GB18030_DECISIONS)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    wait_for_text(page, "识别为")
    snap(page, "02_upload_preview.png")
    page.get_by_role("button", name="导入 1 个文件").click()
    wait_for_text(page, "导入 1 行")
    snap(page, "03_upload_result.png")

    page.get_by_test_id("stSidebarNav").get_by_text("总览").click()
    tile(page, "决议执行率").wait_for(state="visible")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
        ".some(m => m.innerText.includes('决议执行率') && m.innerText.includes('66.7%'))"
    )
    assert f"week={WEEK}" in page.url
    snap(page, "04_overview_after_upload.png")

    page.get_by_role("tab", name="需要关注").click()  # built only when opened
    page.get_by_test_id("stDataFrame").first.wait_for(state="visible")
    snap(page, "04b_overview_attention.png")

    page.get_by_role("link", name="查看明细").first.click()
    page.wait_for_url("**/decisions?**")
    wait_for_text(page, "明细：决议执行率")  # the tile's link opens the rows tab
    page.get_by_test_id("stDataFrame").first.wait_for(state="visible")
    settle(page)
    assert "metric=decision_completion_rate" in page.url and f"week={WEEK}" in page.url
    snap(page, "05_decisions_rows.png")
    page.get_by_role("tab", name="走势与部门").click()
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.nth(1).locator(".marks").wait_for(state="visible")  # the trend and the departments, drawn by Vega
    assert charts.count() == 2
    snap(page, "05_decisions_drill_down.png")
    assert elsewhere == []


LEDGER_PAGES = [("会议", "meetings"), ("决议督办", "decisions"), ("办公用品", "supplies"), ("公文", "documents")]
LEDGER_PAGES += [
    ("突发事件", "incidents"),
    ("总经理日程", "schedule"),
    ("数据质量", "quality"),
    ("指标说明", "definitions"),
]


def test_an_empty_database_loads_the_sample_company_in_one_click_and_every_page_opens(empty_server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser, page = launch(playwright)
        try:
            page.goto(empty_server)
            page.get_by_role("button", name="加载示例公司数据").click()
            tile(page, "决议执行率").wait_for(state="visible", timeout=120_000)
            wait_for_text(page, "结论：本周")
            assert "week=" in page.url
            snap(page, "10_sample_overview.png")
            for title, key in LEDGER_PAGES:
                page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
                page.wait_for_url(f"**/{key}?**")
                page.get_by_role("heading", name=title).first.wait_for(state="visible")
                snap(page, f"1{LEDGER_PAGES.index((title, key)) + 1}_sample_{key}.png")
                assert "week=" in page.url, "the week stays in the URL from page to page"
            page.get_by_test_id("stSidebar").get_by_text("全部部门 · 中文").click()  # the filters' expander
            page.get_by_test_id("stSidebar").get_by_text("English").click()
            page.wait_for_url("**lang=en**")
            settle(page)
            page.get_by_test_id("stSidebarNav").get_by_text("Overview").click()
            page.wait_for_url(lambda url: "/definitions" not in url)
            tile(page, "Decision completion rate").wait_for(state="visible")
            snap(page, "19_sample_overview_english.png")
        finally:
            browser.close()

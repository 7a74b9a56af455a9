"""The overview in front of the GM, in headless Chromium: the presentation view on a 1280×720 projector
and a 1440×900 screen, and the print stylesheet.

Numbers are the weekly fixture's (tests/weekly_fixture.py): 决议执行率 60.0 % (+10.0 points, target
≥ 90 %, below 80 % → 未达标), 低效会议占比 66.7 %, 办公用品浪费率 7.1 %. Screenshots land in
tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, server, settle  # noqa: F401
from tests.weekly_fixture import WEEK

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def browser_context(server: str) -> Iterator[object]:  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_tab(browser: object, width: int, height: int) -> object:
    tab = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
    tab.set_default_timeout(60_000)
    return tab


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)], ids=["1280x720", "1440x900"])
def test_the_presentation_shows_the_conclusion_and_every_number_on_the_first_screen(
    server: str,  # noqa: F811
    browser_context: object,
    size: tuple[int, int],
) -> None:
    width, height = size
    tab = open_tab(browser_context, width, height)
    tab.goto(f"{server}/?week={WEEK}&view=present")
    tab.locator(".present-card").first.wait_for(state="visible")
    settle(tab)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"present_{width}x{height}.png"))

    assert not tab.get_by_test_id("stSidebar").is_visible()
    assert tab.get_by_test_id("stSelectbox").count() == 0 or not tab.get_by_test_id("stSelectbox").first.is_visible()
    title = tab.locator(".present h1")
    assert title.inner_text() == "总经理办公室周度运行复盘（2026年第47周）"
    conclusion = tab.locator(".present .conclusion")
    assert conclusion.inner_text().startswith("结论：")
    cards = tab.locator(".present-card")
    assert cards.count() == 11
    for index in range(cards.count()):
        box = cards.nth(index).bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, (index, box)
    decision = tab.locator('.present-card[data-metric="decision_completion_rate"]')
    assert decision.locator(".value").inner_text() == "60.0%"
    assert decision.locator(".status").inner_text() == "未达标"
    assert decision.locator(".target").inner_text() == "目标 ≥ 90.0%"
    assert decision.locator(".change").inner_text() == "较上周 +10.0个百分点"
    value_size = decision.locator(".value").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert value_size >= 40  # large type, readable across a meeting room


def test_the_overview_offers_the_presentation_and_prints_without_controls(
    server: str,  # noqa: F811
    browser_context: object,
) -> None:
    tab = open_tab(browser_context, 1440, 900)
    tab.goto(f"{server}/?week={WEEK}")
    tab.get_by_test_id("stMetric").first.wait_for(state="visible")
    settle(tab)
    tab.get_by_role("link", name="演示模式").click()
    tab.locator(".present-card").first.wait_for(state="visible")
    assert "view=present" in tab.url
    tab.get_by_role("link", name="退出演示模式").click()
    tab.get_by_test_id("stMetric").first.wait_for(state="visible")
    settle(tab)
    assert tab.get_by_test_id("stSidebar").is_visible()
    tab.emulate_media(media="print")
    assert not tab.get_by_test_id("stSidebar").is_visible()
    assert not tab.get_by_test_id("stDownloadButton").first.is_visible()
    assert tab.get_by_test_id("stMetric").first.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "overview_print_media.png"), full_page=True)
    tab.pdf(path=str(ARTIFACTS / "overview_printed.pdf"))


CUT_OFF_LABELS = """() => [...document.querySelectorAll('[data-testid="stMetricLabel"]')].filter((label) => {
  // the title's text runs past its tile's right edge (what the eye sees as a title ending in "…")
  const text = label.querySelector('p');
  if (!text) return false;
  const range = document.createRange();
  range.selectNodeContents(text);
  return range.getBoundingClientRect().right > label.closest('[data-testid="stMetric"]').getBoundingClientRect().right;
}).map((label) => label.textContent)"""


def test_english_tile_titles_wrap_instead_of_being_cut_off_at_1280(
    server: str,  # noqa: F811
    browser_context: object,
) -> None:
    tab = open_tab(browser_context, 1280, 900)
    tab.goto(f"{server}/?week={WEEK}&lang=en")
    tab.get_by_test_id("stMetric").nth(10).wait_for(state="visible")
    settle(tab)
    assert tab.evaluate(CUT_OFF_LABELS) == []
    minutes = tab.get_by_test_id("stMetricLabel").filter(has_text="Minutes issued within 24 h").first
    assert minutes.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "overview_en_1280.png"), full_page=True)


def test_the_comment_typed_on_the_overview_is_the_last_page_of_the_downloaded_review(
    server: str,  # noqa: F811
    browser_context: object,
) -> None:
    import io
    from pathlib import Path

    from docx import Document
    from pypdf import PdfReader

    comment = "本周财务部逾期较多，建议周例会点名督办。"
    tab = browser_context.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
    tab = tab.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(f"{server}/?week={WEEK}")
    tab.get_by_test_id("stMetric").first.wait_for(state="visible")
    settle(tab)
    tab.get_by_text("助理意见（写入 Word / PDF 周报最后一页）").click()
    box = tab.get_by_label("总经理助理意见")
    box.fill(comment)
    box.press("Tab")  # the text area commits its value when it loses focus
    tab.wait_for_timeout(2000)
    settle(tab)
    with tab.expect_download() as download:
        tab.get_by_role("button", name="下载周报（Word）").click()
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[texts.index("六、总经理助理意见") + 1] == comment
    assert download.value.suggested_filename == f"周报_{WEEK}.docx"
    with tab.expect_download() as download:
        tab.get_by_role("button", name="下载周报（PDF）").click()
    pages = PdfReader(Path(download.value.path())).pages
    assert comment in (pages[-1].extract_text() or "").replace("\n", "")

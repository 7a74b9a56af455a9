"""The benchmark's protocol-level client (bench/sessions.py) against a tiny Streamlit app.

The app is written into a temporary folder and served by `streamlit run` on a free loopback port
(bench.browser.streamlit_server), exactly as the benchmark serves the workbench. It proves that a page
load on the wire counts what the page shows, and that a failing page is counted as an error.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import browser, sessions
from bench.browser import Target

pytestmark = pytest.mark.slow

TINY_APP = """
import streamlit as st


def home():
    st.write("home")


def three():
    st.title("three KPIs")
    for i in range(3):
        st.metric(f"KPI {i}", i)
    if st.query_params.get("fail") == "1":
        raise RuntimeError("asked to fail")


def boom():
    raise ValueError("this page raises")


def busy():
    st.error("the database is busy")


def rerun_first():
    if not st.session_state.get("again"):
        st.session_state["again"] = True
        st.rerun()
    st.metric("after st.rerun", 1)


st.navigation(
    [
        st.Page(home, title="home", default=True),
        st.Page(three, title="three", url_path="three"),
        st.Page(boom, title="boom", url_path="boom"),
        st.Page(busy, title="busy", url_path="busy"),
        st.Page(rerun_first, title="rerun", url_path="rerun"),
    ]
).run()
"""


@pytest.fixture(scope="module")
def tiny_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The tiny app served on a free port; its base URL."""
    folder = tmp_path_factory.mktemp("tiny_app")
    app = folder / "tiny_app.py"
    app.write_text(TINY_APP, encoding="utf-8")
    with browser.streamlit_server(app, None, folder / "streamlit.log") as server:
        yield server.base


def test_a_page_with_three_metrics_loads_with_three_kpi_tiles_and_no_error(tiny_server: str) -> None:
    run = sessions.load(tiny_server, Target("three", "/three", 3))
    assert run.problems == []
    assert run.seconds is not None and run.seconds > 0
    assert run.metrics == 3
    assert run.elements == {"heading": 1, "metric": 3}
    assert run.deltas == 4


def test_a_page_that_raises_is_an_error(tiny_server: str) -> None:
    run = sessions.load(tiny_server, Target("boom", "/boom", 0))
    assert run.elements.get("exception") == 1
    assert any(problem.startswith("exception shown") for problem in run.problems), run.problems


def test_the_query_string_reaches_the_page(tiny_server: str) -> None:
    run = sessions.load(tiny_server, Target("three, failing", "/three?fail=1", 3))
    assert run.metrics == 3
    assert any(problem.startswith("exception shown") for problem in run.problems), run.problems


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param(Target("busy", "/busy", 0), "error shown: the database is busy", id="error-box"),
        pytest.param(Target("nowhere", "/no-such-page", 0), "page not found", id="unknown-page"),
        pytest.param(Target("three", "/three", 5), "3 KPI tiles (metric elements) shown, 5 expected", id="few-tiles"),
    ],
)
def test_an_error_box_an_unknown_page_and_missing_tiles_are_errors(
    tiny_server: str, target: Target, expected: str
) -> None:
    run = sessions.load(tiny_server, target)
    assert any(problem.startswith(expected) for problem in run.problems), run.problems


def test_a_run_restarted_by_st_rerun_is_awaited_to_its_end(tiny_server: str) -> None:
    run = sessions.load(tiny_server, Target("rerun", "/rerun", 1))
    assert run.problems == []
    assert run.elements == {"metric": 1}


def test_one_session_can_open_several_pages_in_turn(tiny_server: str) -> None:
    async def visit() -> list[sessions.PageRun]:
        async with sessions.Session(tiny_server) as session:
            return [
                await session.request(target)
                for target in (Target("three", "/three", 3), Target("home", "/", 0), Target("three", "/three", 3))
            ]

    first, home, again = asyncio.run(visit())
    assert (first.metrics, home.metrics, again.metrics) == (3, 0, 3)
    assert home.elements == {"markdown": 1}
    assert not (first.problems or home.problems or again.problems)


def test_concurrent_sessions_count_every_load_and_run_the_ingest_beside_them(tiny_server: str, tmp_path: Path) -> None:
    """Two users, one round of two pages each, while a stand-in 'ingest' (a short Python command) runs."""
    targets = [Target("three", "/three", 3), Target("boom", "/boom", 0)]
    result = sessions.concurrent(
        tiny_server, targets, 2, 1, [sys.executable, "-c", "import time; time.sleep(1)"], tmp_path / "log"
    )
    assert result.ingest is not None and result.ingest["exit_code"] == 0
    assert len(result.loads) >= 4 and len(result.loads) % 2 == 0
    by_page = {path: [run for run in result.loads if run.path == path] for path in ("/three", "/boom")}
    assert all(not run.problems and run.metrics == 3 for run in by_page["/three"])
    assert all(run.problems for run in by_page["/boom"])
    assert result.during_ingest >= 1


def test_reading_users_pause_before_each_page(
    tiny_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `think`, every user waits THINK_SECONDS before the first page and after each: 2 users × 2 pages of
    a 0.4 s pause each take at least 3 pauses (1.2 s) per user; the users still load every page."""
    monkeypatch.setattr(sessions, "THINK_SECONDS", (0.4, 0.4))
    targets = [Target("three", "/three", 3), Target("three again", "/three", 3)]
    started = time.perf_counter()
    result = sessions.concurrent(tiny_server, targets, 2, 1, None, tmp_path / "log", think=True)
    assert time.perf_counter() - started >= 1.2
    assert [(run.path, run.metrics, run.problems) for run in result.loads] == [("/three", 3, [])] * 4
    assert min(run.started for run in result.loads) - started >= 0.4

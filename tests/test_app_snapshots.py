"""The app on published snapshots (issue 18), under AppTest, on the small company of tests/weekly_fixture.py:
before a first snapshot can be published the page says 数据更新中 instead of failing, and it shows the
hand-computed numbers of the fixture (60.0% decisions completed) as soon as one is."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from filelock import FileLock
from streamlit.testing.v1 import AppTest

from analytics import snapshots
from analytics.ui import data, frame
from tests.weekly_fixture import build_weekly_fixture

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def clear_caches() -> None:
    st.cache_data.clear()
    data.forget_database_state()
    yield
    snapshots.close_all()


def test_with_no_snapshot_yet_and_a_load_running_the_page_says_data_is_updating_then_shows_the_numbers(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_weekly_fixture(db_path)  # written before any app served it: nothing published yet
    monkeypatch.setattr(snapshots, "FIRST_PUBLISH_WAIT_SECONDS", 0.1)
    monkeypatch.setattr(frame, "UPDATING_RETRIES", 0)  # no retry within this run: the message stays
    with FileLock(str(db_path) + ".lock"):  # a load from the command line holds the write lock
        at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error
    assert [box.value for box in at.info] == ["数据更新中，请稍候……页面会自动刷新。"]
    assert not at.metric
    at.run()  # the load is over: this run publishes version 1 and reads it
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["决议执行率"] == "60.0%"
    assert any("数据版本 v1" in caption.value for caption in at.sidebar.caption)

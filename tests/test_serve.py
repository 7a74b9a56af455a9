"""Serving a whole company (issue 18): `scripts/serve.sh` starts two app processes behind nginx, and
sessions on the Streamlit protocol (bench/sessions.py: what a browser tab asks for, without a browser)
open the overview through the proxy while the test, the one writer, loads files that are published.

Asserted: no page load fails or shows an error; each user's versions only move forward; every page's
eleven KPI values are exactly what the engine computes on the writer's database at the version the page
names in its sidebar; more than one version was seen; both app processes served sessions (nginx's log).
The company is the sample generator's, three weeks of a 50-employee company; its numbers change with
each ledger loaded (supplies, documents, incidents), so a page from the wrong version cannot pass.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from analytics import snapshots
from analytics.db import writer
from analytics.ingest import ingest_file
from analytics.metrics import (
    HEADLINE,
    METRICS,
    SERVICE_LEVELS,
    MetricDef,
    MetricResult,
    latest_week_with_data,
    ledgers_with_rows,
    week_report,
)
from analytics.sample import write_sample
from analytics.tiles import tile_face
from analytics.weeks import today
from bench import sessions
from bench.browser import Target
from bench.serve import Served, serve_sh

pytestmark = pytest.mark.slow

USERS = 4
OVERVIEW = Target("overview", "/", len(HEADLINE) + len(SERVICE_LEVELS))
LOADED_FIRST = ("会议台账", "决议督办台账")
LOADED_WHILE_SERVING = ("办公用品台账", "收发文台账", "突发事件台账")
VERSION = re.compile(r"数据版本 v(\d+)")
NO_DATA = "无数据"


def nginx_or_skip() -> None:
    """nginx is there, or installed from Debian's packages (root only); otherwise skip, saying why."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return
    if os.geteuid() != 0:
        pytest.skip("nginx is not installed and the tests do not run as root: apt-get install nginx")
    done = subprocess.run(
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx",
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"nginx could not be installed from Debian's packages: {done.stderr.strip()[-300:]}")


def expected_overview(db: Path) -> tuple[int, list[str]]:
    """The published version and the overview's tile values at it, computed on the writer's database."""
    with writer(db) as con:
        version = snapshots.current(db).version  # type: ignore[union-attr]
        week = latest_week_with_data(con, today())
        assert week is not None
        report = {result.name: result for result in week_report(con, week)}
        with_rows = ledgers_with_rows(con, week)
    names = [n for n in HEADLINE + SERVICE_LEVELS if n in report]
    return version, [_shown(report[n], METRICS[n], with_rows) for n in names]


def _shown(result: MetricResult, metric: MetricDef, with_rows: set[str]) -> str:
    """A tile's value as the page shows it (analytics.tiles, the rule the tile itself follows)."""
    face = tile_face(
        result.value, metric.unit, has_rows=metric.ledger in with_rows, problem=result.problem, note=result.note
    )
    return NO_DATA if face.text is None else face.text


def _as_compared(tiles: list[str]) -> list[str]:
    return [NO_DATA if tile in (NO_DATA, "—") else tile for tile in tiles]


@pytest.fixture
def company(tmp_path: Path) -> dict[str, Path]:
    files = write_sample(
        tmp_path / "exports", seed=7, weeks=3, scale=0.05, today=date.fromisoformat(os.environ["OPS_TODAY"])
    )
    return {path.stem: path for path in files}


@pytest.fixture
def served(tmp_path: Path, company: dict[str, Path]) -> Iterator[tuple[Served, Path]]:
    """`scripts/serve.sh` with two app processes on a database holding meetings and decisions."""
    nginx_or_skip()
    db = tmp_path / "data" / "ops.duckdb"
    for stem in LOADED_FIRST:
        ingest_file(db, company[stem])
    try:
        with serve_sh(db, 2, tmp_path / "serve", timeout=90) as server:
            yield server, db
    finally:
        snapshots.close_all()


async def _user(base: str, loading: asyncio.Event, out: list[sessions.PageRun]) -> None:
    """One user opening the overview in a new tab, again and again, until the loads are over (and once more)."""
    while True:
        last_round = not loading.is_set()
        out.append(await sessions.load_page(base, OVERVIEW, timeout=60))
        if last_round:
            return
        await asyncio.sleep(0.2)


async def _drive(
    base: str, db: Path, company: dict[str, Path]
) -> tuple[dict[int, list[str]], list[list[sessions.PageRun]]]:
    expected = dict([expected_overview(db)])
    warm = await asyncio.gather(*(sessions.load_page(base, OVERVIEW, timeout=60) for _ in range(USERS)))
    seen: list[list[sessions.PageRun]] = [[run] for run in warm]  # the first page of each process is slow
    loading = asyncio.Event()
    loading.set()
    users = [asyncio.create_task(_user(base, loading, seen[number])) for number in range(USERS)]
    for stem in LOADED_WHILE_SERVING:
        await asyncio.sleep(3.0)
        await asyncio.to_thread(ingest_file, db, company[stem])  # the writer: commit, then publish
        version, tiles = await asyncio.to_thread(expected_overview, db)
        expected[version] = tiles
    await asyncio.sleep(2.0)
    loading.clear()
    await asyncio.wait_for(asyncio.gather(*users), timeout=90)
    return expected, seen


def test_two_app_processes_behind_nginx_serve_every_version_exactly_as_the_writer_computed_it(
    served: tuple[Served, Path], company: dict[str, Path]
) -> None:
    server, db = served
    started = time.monotonic()
    with urllib.request.urlopen(server.base + "/", timeout=30) as page:  # no other site may frame the app
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    expected, seen = asyncio.run(_drive(server.base, db, company))
    assert len(expected) == 1 + len(LOADED_WHILE_SERVING)
    assert len({tuple(tiles) for tiles in expected.values()}) == len(expected)  # each load changed the overview

    versions_seen = set()
    for user, runs in enumerate(seen):
        versions = []
        for run in runs:
            assert not run.problems, (user, run.problems)
            shown = [int(m.group(1)) for text in run.texts if (m := VERSION.search(text))]
            assert len(shown) == 1, run.texts
            version = shown[0]
            assert _as_compared([value for _, value in run.tiles]) == expected[version], (user, version)
            versions.append(version)
        assert versions == sorted(versions), (user, versions)
        versions_seen.update(versions)
    assert versions_seen == set(expected), versions_seen  # every published version was served

    streams = server.upstreams_of_streams()
    assert len(set(streams)) == 2, streams  # both app processes served sessions
    assert time.monotonic() - started < 110

"""The benchmark (bench/run.py) as a smoke test: the quick run at SF 1 completes and writes its table.

Timings are never asserted — this machine's speed is not the product's correctness. The run writes
into a temporary folder (data, databases and results), so it neither reuses nor disturbs
bench/work/ and the committed bench/results/. Without /usr/bin/chromium the browser parts are
skipped by the benchmark itself, with a note in the table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import Row, markdown, p95

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

LOAD_AND_METRIC_KEYS = {
    "load_all_seconds",
    "load_peak_memory",
    "csv_utf8",
    "csv_gb18030",
    "xlsx_rows_per_second",
    "metrics_week",
    "metrics_trend",
    "publish_seconds",
}
BROWSER_KEYS = {
    "rerun_overview",
    "rerun_ledger",
    "page_warm_overview",
    "page_cold_overview",
    "page_warm_decisions",
    "page_cold_decisions",
    "app_memory",
    "concurrent_browser_p95",
}
SESSION_KEYS = {"concurrent_p95", "concurrent_errors", "app_memory_concurrent"}
"""The judged concurrent run is on the wire (bench/sessions.py): it needs no browser."""
SERVE_KEYS = {"serve_p95_8", "serve_p95_32", "serve_errors"}
"""N app processes vs one behind nginx (scripts/serve.sh): skipped, with a note, when nginx cannot run."""


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m bench.run --quick` into a temporary folder; the folder of its results."""
    tmp_path = tmp_path_factory.mktemp("bench")
    results = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--results", str(results), "--work", str(tmp_path / "work")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return results


def test_the_quick_benchmark_completes_and_writes_its_json_and_markdown_table(quick_run: Path) -> None:
    payload = json.loads((quick_run / "results.json").read_text(encoding="utf-8"))
    assert payload["meta"]["mode"] == "quick"
    assert payload["meta"]["machine"]["cores"] >= 1
    keys = {row["key"] for row in payload["rows"]}
    browser_skipped = any(note.startswith("Browser measurements skipped") for note in payload["notes"])
    serve_skipped = any("N processes vs one: skipped" in note for note in payload["notes"])
    expected = LOAD_AND_METRIC_KEYS | SESSION_KEYS | (set() if browser_skipped else BROWSER_KEYS)
    expected |= set() if serve_skipped else SERVE_KEYS
    failures = [note for note in payload["notes"] if "FAILED" in note]
    assert expected <= keys, (sorted(expected - keys), failures)
    assert all(row["value"] is not None for row in payload["rows"])

    table = (quick_run / "results.md").read_text(encoding="utf-8")
    assert "| SF | measure | value | baseline | ratio | target | result |" in table
    assert "cores" in table and "GiB memory" in table


def test_the_pandas_baseline_agrees_with_the_product_before_it_is_timed(quick_run: Path) -> None:
    """The run checks bench/pandas_baseline.py against the engine first; its note says they agree."""
    notes = json.loads((quick_run / "results.json").read_text(encoding="utf-8"))["notes"]
    assert any("agree to 4 decimals" in note for note in notes), notes


def test_a_target_set_for_another_scale_is_shown_in_parentheses_as_info() -> None:
    row = Row("csv_utf8", 1, "CSV load", "s", 2.0, 1.0, "DuckDB", "≤ 2.0× at SF ≥ 10", applies=False, passed=True)
    assert row.ratio == 2.0
    assert row.verdict == "info"
    meta = {
        "mode": "quick",
        "sizes": [1],
        "reps": {},
        "data": "",
        "machine": {
            "date_utc": "2026-11-24 00:00 UTC",
            "git_commit": "abc",
            "git_uncommitted": [],
            "cores": 2,
            "memory_gib": 23.5,
            "cpu": "cpu",
            "os": "Linux",
            "python": "3.11",
            "versions": {"duckdb": "2.0.0"},
        },
    }
    line = next(line for line in markdown(meta, [row], []).splitlines() if line.startswith("| 1 |"))
    assert "(≤ 2.0× at SF ≥ 10)" in line and line.endswith("| info |")


def test_p95_is_the_nearest_rank() -> None:
    assert p95([1.0] * 19 + [10.0]) == 1.0
    assert p95([float(i) for i in range(1, 101)]) == 95.0
    assert p95([3.0]) == 3.0


def test_the_loads_peak_memory_is_its_own_not_the_benchmarks_that_started_it(tmp_path: Path) -> None:
    # The benchmark's process is large after generating SF 30; Linux carries a parent's peak RSS into a
    # child it starts, which made the SF 30 load "2.5 GiB". bench.peak_rss starts the load from a small process.
    ballast = bytearray(768 * 1024 * 1024)
    ballast[::4096] = b"\x01" * len(ballast[::4096])  # touch every page: they count in our RSS
    direct = subprocess.Popen(["/bin/true"])
    _, _, usage = os.wait4(direct.pid, 0)
    assert usage.ru_maxrss >= 700 * 1024  # KiB: /bin/true "peaked" at our size
    out = tmp_path / "peak"
    launched = subprocess.run([sys.executable, "-m", "bench.peak_rss", str(out), "/bin/true"], cwd=ROOT)
    assert launched.returncode == 0
    assert int(out.read_text()) < 100 * 1024  # the launcher's few MiB, not our 768
    del ballast

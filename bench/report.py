"""The benchmark's results: one row per measurement, written as JSON and as a Markdown table.

A row holds the product's value, the baseline measured beside it in the same run, their ratio
(value ÷ baseline, so below 1 means the product is faster or smaller), the target, and whether the
target is met. A target that the issue sets only at some scale factors is shown at the others in
parentheses and judged there as "info".
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One measurement at one scale factor."""

    key: str
    sf: int | None
    measure: str
    unit: str
    value: float | None
    baseline: float | None = None
    baseline_label: str = ""
    target: str = ""
    applies: bool = False
    passed: bool | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def verdict(self) -> str:
        if not self.target:
            return ""
        if not self.applies:
            return "info"
        if self.passed is None:
            return "not measured"
        return "PASS" if self.passed else "FAIL"


def p95(values: list[float]) -> float | None:
    """Nearest-rank 95th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def med(values: list[float]) -> float | None:
    return median(values) if values else None


def _run(command: list[str]) -> str:
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "—"


def machine() -> dict[str, object]:
    """Cores, memory, CPU, software versions, date and the git commit the run measured."""
    mem_total = 0
    cpu = platform.processor()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_total = int(line.split()[1]) * 1024
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    chromium = _run(["/usr/bin/chromium", "--version"]).splitlines()
    changed = [line[3:] for line in _run(["git", "status", "--porcelain"]).splitlines()]
    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git_commit": _run(["git", "rev-parse", "HEAD"]),
        "git_uncommitted": changed,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_total / 1024**3, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            name: _package(name)
            for name in ("duckdb", "pandas", "pyarrow", "fastexcel", "python-calamine", "streamlit", "playwright")
        }
        | {"chromium": chromium[0] if chromium else "—"},
    }


def _fmt(number: float | None, unit: str) -> str:
    if number is None:
        return "—"
    if unit == "s":
        return f"{number * 1000:.0f} ms" if number < 1 else f"{number:.2f} s"
    if unit == "rows/s":
        return f"{number / 1000:,.0f}k rows/s"
    if unit == "bytes":
        return f"{number / 1024**2:,.0f} MiB"
    if unit == "count":
        return f"{number:.0f}"
    return f"{number:.3g} {unit}"


def write(results_dir: Path, meta: dict[str, object], rows: list[Row], notes: list[str]) -> tuple[Path, Path]:
    """results.json and results.md in `results_dir`."""
    results_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "meta": meta,
        "rows": [asdict(row) | {"ratio": row.ratio, "verdict": row.verdict} for row in rows],
        "notes": notes,
    }
    json_path = results_dir / "results.json"
    json_path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md_path = results_dir / "results.md"
    md_path.write_text(markdown(meta, rows, notes), encoding="utf-8")
    return json_path, md_path


def markdown(meta: dict[str, object], rows: list[Row], notes: list[str]) -> str:
    m = meta["machine"]  # type: ignore[index]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())  # type: ignore[index]
    uncommitted = m["git_uncommitted"]  # type: ignore[index]
    lines = [
        "# Benchmark results",
        "",
        f"- Run: {m['date_utc']}, mode `{meta['mode']}`, scale factors {meta['sizes']}, "  # type: ignore[index]
        f"repetitions {meta['reps']}",
        f"- Commit: `{m['git_commit']}`"  # type: ignore[index]
        + (f" plus {len(uncommitted)} uncommitted paths in the working tree" if uncommitted else ""),
        f"- Machine: {m['cores']} cores, {m['memory_gib']} GiB memory, {m['cpu']}; {m['os']}; Python {m['python']}",  # type: ignore[index]
        f"- Software: {versions}",
        f"- Data: {meta['data']}",
        "",
        "Values are medians of the repetitions (p95 where it says so); ratio = value ÷ baseline, both "
        "measured in this run with their repetitions interleaved. `info` = a target the issue sets at "
        "another scale factor (or for another file size), shown for comparison.",
        "",
        "| SF | measure | value | baseline | ratio | target | result |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        baseline = f"{_fmt(row.baseline, row.unit)} ({row.baseline_label})" if row.baseline_label else "—"
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
        target = row.target if row.applies or not row.target else f"({row.target})"
        measure = row.measure + (f" — {row.note}" if row.note else "")
        sf = str(row.sf) if row.sf is not None else "—"
        lines.append(
            f"| {sf} | {measure} | {_fmt(row.value, row.unit)} | {baseline} | {ratio} | {target} | {row.verdict} |"
        )
    if notes:
        lines += ["", "## Notes from this run", ""] + [f"- {note}" for note in notes]
    lines += ["", "## How each number is measured", "", *METHOD, ""]
    return "\n".join(lines)


METHOD = [
    "- **Data**: `python -m analytics sample --seed 7` with `today` fixed at 2026-11-23: SF 1 = `--scale 1 --weeks 52`, "
    "SF 10 = `--scale 10 --weeks 52`, SF 30 = `--scale 10 --weeks 156`. The decisions export is GB18030; the "
    "benchmark writes a UTF-8 copy and a GB18030 copy of the same text.",
    "- **CSV load**: `analytics.ingest.ingest_file` of the decisions CSV into a fresh file database whose schema "
    "was created beforehand (untimed), in the benchmark's process, vs DuckDB's own "
    "`CREATE TABLE t AS SELECT * FROM read_csv(file)` of the UTF-8 copy into a fresh file database (connect, "
    "statement, close). Both include closing the database (DuckDB's checkpoint).",
    "- **XLSX load**: `ingest_file` of a meetings XLSX written by the sample's xlsxwriter exporter (title row, typed "
    "cells) vs a raw fastexcel read of every sheet of the same file into Arrow (`fastexcel.read_excel`, "
    "`load_sheet(name, header_row=None, eager=True)`): the reader the product itself uses, so the ratio is what "
    "typing, checking and writing the rows add.",
    "- **Metrics**: `analytics.metrics.week_values` (every metric of the latest complete week) and `trend` of the "
    "three headline metrics over 52 weeks, each inside `analytics.db.connect` (opening the file each time, as the "
    "app and the command line do), vs bench/pandas_baseline.py on DataFrames already in memory (reading them from "
    "the database is not counted). The run first checks that both give the same numbers to 4 decimals.",
    "- **Page load**: `streamlit run` headless on 127.0.0.1 with `OPS_DB` = the scale's database; Playwright drives "
    "/usr/bin/chromium. Loaded = `stApp` reports `data-test-script-state=notRunning`, every KPI tile "
    "(`stMetric`) of the page is visible, and no `stSpinner`. Cold = a freshly started server and a new browser "
    "context; warm = a server and a browser context that have loaded the page before, a new tab each time. "
    "Baseline: bench/empty_app.py (one `st.metric`) served and measured the same way.",
    "- **Server time per warm rerun**: Streamlit's AppTest in a separate process: `run()` of a session whose "
    "caches are warm (what a click costs the server, without the browser). Baseline: the same for the empty page.",
    "- **Concurrency** (judged): bench/sessions.py, a protocol-level Streamlit client, does on the network what a "
    "browser tab does when it opens a URL — GET the page, `/_stcore/health` (the XSRF cookie) and "
    "`/_stcore/host-config`, open the websocket `/_stcore/stream` (subprotocols `streamlit` + the XSRF token, "
    "same-origin `Origin`), send one `rerun_script` BackMsg (the URL's query string and page name, the browser's "
    "context) and read ForwardMsgs until `script_finished` = FINISHED_SUCCESSFULLY — but renders nothing. A page "
    "load is a new tab: a new session each time. N users (concurrent sessions) each load the "
    "overview and the ledger page in turn for R rounds, reading each page for 1–5 s (uniform, seeded per user; each "
    "user also starts after such a pause, so they do not click in step), and go on until `python -m analytics ingest`, started 5 s "
    "after them (when every user has opened a first page; 0.5 s in the run without pauses), has re-loaded the GB18030 decisions file into the same database (a copy of the scale's "
    "database, served by its own server). Errors = loads that time out (120 s), lose the connection, get a non-200 "
    "answer, show an `exception` element or an error box (`alert` of format ERROR), reach a page the server does not "
    "find, or end with fewer KPI tiles (`metric` elements, kept by delta path as the frontend keeps them) than the "
    "page has — in the one-session run and in the N-session run — plus a non-zero exit of the ingest. Baseline: one "
    "session, the same loop without the ingest, after a first round that warms the server's caches; median page "
    "time. The note gives the server's, the ingest's and the client's CPU seconds during the N-session run. "
    "Shown for information: the same with no pause between pages (every user loading back to back: saturation — "
    "the server runs every page's Python in one interpreter, so N such users queue N deep).",
    "- **Concurrency with browsers** (information): the same loop with one Chromium and N browser contexts "
    "(a new tab per load; loaded as for the page loads above) while the same ingest runs, on a fresh copy and a "
    "fresh server. Its errors (a timeout, an exception or error box, a JavaScript error, in either run, and the "
    "ingest's exit) are counted in the note of the errors row, not judged. The browsers run on the same cores as "
    "the server; the note's CPU seconds show that rendering N pages at once, not serving them, is what fills a "
    "small machine, which users on their own computers do not share with the server.",
    "- **Publish** (issue 18): `analytics.snapshots.publish(db, force=True)` on a copy of the scale's database "
    "whose first snapshot was published beforehand: take the write lock, open the database, CHECKPOINT, copy the "
    "file into `snapshots/` (`os.copy_file_range`), fsync it, open the copy read-only to check it holds what was "
    "committed, rename it, write and fsync the pointer, `os.replace` it, delete the snapshot no process holds. "
    "After a load the database is already open, so a load adds a little less than this.",
    "- **N app processes vs one** (issue 18, information): `scripts/serve.sh` with one app process, then with one "
    "per core, behind nginx (sticky sessions by a route cookie), each on a fresh copy of the largest scale's "
    "database; a first round of 2 sessions per process warms every process; then 8, and then 32, protocol-level "
    "users (as in the concurrency row: 1–5 s reading each page, the overview and the ledger page in turn) while "
    "`python -m analytics ingest` re-loads the GB18030 decisions file, which publishes a snapshot when it commits. "
    "Value: p95 page time with N processes; baseline: p95 with one. Errors (as in the concurrency row) of all four "
    "runs and the ingests' exits are the errors row, judged against 0. The app processes read the published "
    "snapshot; nginx's access log shows which process served each websocket.",
    "- **Memory**: the SF load is `python -m analytics ingest <the six files>` into a fresh database in a child "
    "process started by the small launcher bench/peak_rss.py (Linux carries a parent's peak RSS into a child it "
    "starts, so started from the benchmark's own process the load reported the benchmark's peak); its peak RSS "
    "comes from `os.wait4` (ru_maxrss). Baseline: the size of the six files. The app's "
    "memory is the Streamlit server process's VmHWM (/proc) after the page loads, and after the concurrent run; "
    "baseline: the empty page's server.",
]

"""Server time per rerun, measured with Streamlit's AppTest (no browser, no network).

Run as its own process by bench/run.py (so the database is open in no other process and the
Streamlit caches start empty):

    python -m bench.apptest_probe --db PATH --reps N

For the overview, a ledger page and the near-empty page: the first run of a fresh session (cold
caches: the metrics are computed) and then N reruns of the same session (warm caches: what a click
on a widget costs the server). The time is AppTest's `run()`: the whole script — page frame, cached
reads, building every element — plus AppTest's own handling of the messages, which is small. The
process's CPU time per rerun is given too: on a machine busy with other work it is the steadier number.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time_runs(at: object, reps: int, switch_to: str | None) -> dict[str, object]:
    started = time.perf_counter()
    if switch_to:
        at.switch_page(switch_to)  # type: ignore[attr-defined]
    at.run(timeout=600)  # type: ignore[attr-defined]
    first = time.perf_counter() - started
    problems = [e.message for e in at.exception]  # type: ignore[attr-defined]
    warm, cpu = [], []
    for _ in range(reps):
        started, cpu_started = time.perf_counter(), time.process_time()
        at.run(timeout=600)  # type: ignore[attr-defined]
        warm.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        problems += [e.message for e in at.exception]  # type: ignore[attr-defined]
    return {"first": first, "warm": warm, "cpu": cpu, "metrics": len(at.metric), "problems": problems[:5]}  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--ledger", default="decisions")
    args = parser.parse_args()
    os.environ["OPS_DB"] = str(Path(args.db).resolve())
    os.environ.pop("OPS_SETTINGS", None)
    os.chdir(ROOT)
    from streamlit.testing.v1 import AppTest

    out: dict[str, object] = {}
    # The ledger page first, in a session of its own, so its cold time is not helped by the overview's.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run(timeout=600)  # the session starts on the overview (st.navigation's default page)…
    out["ledger"] = _time_runs(at, args.reps, f"app_pages/{args.ledger}.py")  # …then switches
    out["overview"] = _time_runs(AppTest.from_file(str(ROOT / "app.py"), default_timeout=600), args.reps, None)
    out["empty"] = _time_runs(
        AppTest.from_file(str(ROOT / "bench" / "empty_app.py"), default_timeout=60), args.reps, None
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()

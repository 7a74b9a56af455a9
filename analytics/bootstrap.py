"""First start: an empty database is filled with the sample company, so the dashboard has a story to show.

`python -m analytics.bootstrap` (run by scripts/app.sh before the app starts) does nothing when any
ledger holds a row; otherwise it writes the sample company's exports into data/sample/ and loads them
through the ordinary ingest path, printing a line per file. The dashboard's "load the sample company"
button calls `load_sample_company`.

It also removes the temporary files that killed loads left (`guards.sweep_stale_temp`).
A failure here never stops the app from starting: it is reported on standard error and the app opens
on whatever the database holds.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from analytics.config import SAMPLE_DIR, database_path
from analytics.db import ORIGINALS_DIR, connect
from analytics.errors import AnalyticsError
from analytics.ingest.guards import sweep_stale_temp
from analytics.ledgers import LEDGERS

SAMPLE_SEED = 7
SAMPLE_WEEKS = 52
SAMPLE_SCALE = 1.0
"""A year of a 1,000-employee company: about 70,000 rows, written in ~4 s and loaded in ~4 s."""


def ledger_rows(db_path: Path | str) -> int:
    """How many rows all the ledgers hold together."""
    with connect(db_path) as connection:
        return sum(connection.execute(f"select count(*) from {name}").fetchone()[0] for name in LEDGERS)


def load_sample_company(
    db_path: Path | str,
    out_dir: Path | None = None,
    *,
    progress: Callable[[float, str], None] | None = None,
    echo: Callable[[str], None] | None = None,
) -> list:
    """Write the sample company's exports into `out_dir` (default data/sample/) and load every file.

    Returns the ingest's LoadResults (one per loaded sheet). Rows already in the database with the same
    keys are replaced, so loading the sample twice changes nothing. `progress(fraction, message)` is
    told after each file; `echo` gets one line per file.
    """
    from analytics.ingest import ingest_file
    from analytics.sample import write_sample

    out_dir = Path(out_dir) if out_dir is not None else SAMPLE_DIR
    if progress:
        progress(0.0, "生成示例公司台账")
    paths = write_sample(out_dir, seed=SAMPLE_SEED, weeks=SAMPLE_WEEKS, scale=SAMPLE_SCALE)
    results = []
    for number, path in enumerate(paths, start=1):
        loaded = ingest_file(db_path, path, user="示例数据")
        results.extend(loaded)
        if echo:
            rows = sum(result.rows_loaded for result in loaded)
            echo(f"示例数据 {path.name}：导入 {rows} 行")
        if progress:
            progress(number / len(paths), f"已导入 {path.name}")
    return results


def main() -> int:
    """Fill an empty database with the sample company; leave a database with data alone."""
    db_path = database_path()
    with suppress(OSError):  # what killed loads left (temporary copies, partial originals)
        sweep_stale_temp(Path(db_path).parent / ORIGINALS_DIR)
    try:
        if ledger_rows(db_path) > 0:
            return 0
        print(f"数据库 {db_path} 还没有台账数据，正在导入示例公司（{SAMPLE_DIR}）……", flush=True)
        load_sample_company(db_path, echo=lambda line: print(line, flush=True))
    except AnalyticsError as exc:
        print(f"示例数据未能导入：{exc}", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 — the app must start even if the sample cannot be loaded
        print(f"示例数据未能导入（内部错误）：{type(exc).__name__}: {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The database: schema from the declarations, data version, shared connections."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from analytics import db
from analytics.ledgers import LEDGERS


def test_every_ledger_table_has_its_canonical_columns_and_provenance() -> None:
    with db.connect() as connection:
        for ledger in LEDGERS.values():
            columns = [row[0] for row in connection.execute(f"describe {ledger.name}").fetchall()]
            assert columns == [c.name for c in ledger.columns] + ["extra", "_file", "_sheet", "_row", "_load_id"]


def test_schema_creation_is_idempotent_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "ops.duckdb"
    with db.connect(path) as connection:
        db.ensure_schema(connection)
        assert connection.execute("select value from schema_info where key='schema_version'").fetchone() == (
            str(db.SCHEMA_VERSION),
        )
    with db.connect(path) as connection:
        assert db.data_version(connection) == 0


def test_the_data_version_moves_with_each_write(tmp_path: Path) -> None:
    path = tmp_path / "ops.duckdb"
    with db.writer(path) as connection:
        db.bump_data_version(connection)
    with db.connect(path) as connection:
        assert db.data_version(connection) == 1


def test_many_threads_share_one_connection_without_errors(tmp_path: Path) -> None:
    path = tmp_path / "ops.duckdb"
    failures: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                with db.connect(path) as connection:
                    connection.execute("select count(*) from decisions").fetchone()
        except BaseException as exc:  # noqa: BLE001 — collected for the assertion
            failures.append(exc)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert str(path) not in db._shared  # closed when the last user left


def test_no_extension_is_ever_downloaded() -> None:
    with db.connect() as connection:
        setting = connection.execute("select current_setting('autoinstall_known_extensions')").fetchone()
    assert setting == (False,)


@pytest.mark.parametrize(
    ("completed", "status", "first_done_seen", "last_open_seen", "expected"),
    [
        ("2026-11-20", "done", None, None, True),  # by its date
        ("2026-11-23", "done", None, None, False),
        (None, "done", "2026-11-21", None, True),  # a load on 11-21 already saw it done
        (None, "done", "2026-11-25", "2026-11-23", False),  # a load on 11-23 still saw it open
        (None, "done", "2026-11-25", "2026-11-20", None),  # open on 11-20, done on 11-25: unknown
        (None, "open", None, "2026-11-25", False),
    ],
    ids=["dated-in-time", "dated-late", "seen-done", "seen-open-after", "unknown", "open"],
)
def test_completed_by_a_cut_off_is_one_macro_of_the_schema(
    completed: str | None, status: str, first_done_seen: str | None, last_open_seen: str | None, expected: bool | None
) -> None:
    with db.connect() as connection:
        ((answer,),) = connection.execute(
            "select completed_by(cast(? as date), ?, cast(? as date), cast(? as date), date '2026-11-22')",
            [completed, status, first_done_seen, last_open_seen],
        ).fetchall()
    assert answer is expected


@pytest.mark.parametrize(
    ("done_by_cutoff", "due", "extensions", "expected"),
    [
        (True, "2026-11-20", 0, None),  # completed by the cut-off: no card
        (None, "2026-11-20", 0, None),  # completion unknown: no card
        (False, "2026-11-22", 0, "red"),  # due on the cut-off itself and open
        (False, "2026-11-25", 0, "yellow"),  # due by the warn-until day
        (False, "2026-11-26", 0, "blue"),  # due the day after it
        (False, "2026-12-10", 1, "yellow"),  # far off, but extended once
    ],
    ids=["done", "unknown", "overdue", "due-soon", "later", "extended"],
)
def test_the_card_light_is_one_macro_of_the_schema(
    done_by_cutoff: bool | None, due: str, extensions: int, expected: str | None
) -> None:
    # Cut-off Sunday 2026-11-22; warn until Wednesday 2026-11-25 (the third working day after it).
    with db.connect() as connection:
        ((answer,),) = connection.execute(
            "select card_light(cast(? as boolean), cast(? as date), date '2026-11-22', date '2026-11-25', ?)",
            [done_by_cutoff, due, extensions],
        ).fetchall()
    assert answer == expected

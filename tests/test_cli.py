"""The command line's usage errors: one line, exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import PYTHON


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYTHON), "-m", "analytics", *args, "--db", str(db)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ("metrics", "--week", "2026-W60"),
        ("metrics", "--week", "abc"),
        ("ingest", "no/such/file.csv"),
        ("ingest", "README.md", "--ledger", "nonsense"),
        ("report", "--week", "2026-W60", "--out", "x.xlsx"),
        ("metrics", "--format", "yaml"),
    ],
    ids=["week-60", "week-abc", "missing-file", "unknown-ledger", "report-bad-week", "bad-format"],
)
def test_a_bad_request_gives_one_line_and_exit_2(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run_cli(*args, db=tmp_path / "ops.duckdb")
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_an_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run([str(PYTHON), "-m", "analytics", "bogus"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "bogus" in result.stderr and "Traceback" not in result.stderr

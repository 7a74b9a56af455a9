"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
TEST_TODAY = "2026-11-25"
"""The day every test reviews the data as of (analytics.weeks.today), whatever the clock says: the
fixtures' latest complete week, 2026-W47, is then the default week. Set for the app servers, command
lines and notebooks the tests start too, since they inherit the environment."""
os.environ["OPS_TODAY"] = TEST_TODAY


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database file in a temporary folder, also exported as OPS_DB."""
    path = tmp_path / "ops.duckdb"
    monkeypatch.setenv("OPS_DB", str(path))
    monkeypatch.delenv("OPS_SETTINGS", raising=False)
    return path

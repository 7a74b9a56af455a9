"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database file in a temporary folder, also exported as OPS_DB."""
    path = tmp_path / "ops.duckdb"
    monkeypatch.setenv("OPS_DB", str(path))
    monkeypatch.delenv("OPS_SETTINGS", raising=False)
    return path

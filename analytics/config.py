"""Paths: the project root, the data folder and the default database."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
SAMPLE_DIR = DATA_DIR / "sample"
DEFAULT_DB = DATA_DIR / "ops.duckdb"


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: an explicit path, else `OPS_DB`, else `data/ops.duckdb`."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("OPS_DB")
    return Path(from_env) if from_env else DEFAULT_DB


def settings_path(db_path: Path) -> Path:
    """The settings file that belongs to a database: `settings.toml` beside it (or `OPS_SETTINGS`)."""
    from_env = os.environ.get("OPS_SETTINGS")
    return Path(from_env) if from_env else db_path.with_name("settings.toml")

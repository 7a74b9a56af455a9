"""Every notebook runs top to bottom against the sample company, and is committed without outputs.

The sample company is generated once per session (a small one: 20 weeks at scale 0.3) and loaded
through the ordinary ingest path. Notebooks run in a kernel of this interpreter, through a kernelspec
written into the session's temporary folder (nothing is registered globally), with `OPS_DB` naming
the sample database — the way an analyst runs them.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from analytics.db import connect
from analytics.metrics import departments, latest_week_with_data
from tests.conftest import PROJECT_ROOT

NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL_NAME = "gm-workbench-tests"
CELL_TIMEOUT = 180


@dataclass(frozen=True)
class Kernel:
    """Where the private kernelspec lives, and the environment kernels start with."""

    spec_dirs: list[str]
    env: dict[str, str]


@pytest.fixture(scope="session")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Kernel:
    """A private kernelspec that starts this very interpreter (the venv's), found by name only here."""
    kernels = tmp_path_factory.mktemp("kernels")
    spec_dir = kernels / KERNEL_NAME
    spec_dir.mkdir()
    spec = {
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "workbench tests",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("OPS_DB", "OPS_SETTINGS")}
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return Kernel([str(kernels)], env)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sample company, written as OA exports and loaded through ingest."""
    from analytics.ingest import ingest_file
    from analytics.sample import write_sample

    folder = tmp_path_factory.mktemp("sample-company")
    db_path = folder / "ops.duckdb"
    for path in write_sample(folder / "exports", seed=7, weeks=20, scale=0.3):
        ingest_file(db_path, path, user="tests")
    return db_path


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report's hand-made fixture: three ledgers with a handful of rows, three left empty."""
    from tests.test_report import fill

    db_path = tmp_path_factory.mktemp("tiny") / "ops.duckdb"
    with connect(db_path) as con:
        fill(con)
    return db_path


def execute(path: Path, kernel: Kernel, db_path: Path, extra_parameters: str | None = None) -> nbformat.NotebookNode:
    """Run a notebook as an analyst would; `extra_parameters` is a cell run right after the parameters."""
    notebook = nbformat.read(path, as_version=4)
    if extra_parameters:
        index = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
        notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(extra_parameters))
    specs = KernelSpecManager(kernel_dirs=kernel.spec_dirs, ensure_native_kernel=False)
    manager = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute(env={**kernel.env, "OPS_DB": str(db_path)})
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]


def text_of(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for output in outputs(notebook):
        if output.get("output_type") == "stream":
            parts.append(output["text"])
        for kind in ("text/markdown", "text/plain"):
            parts.append(output.get("data", {}).get(kind, ""))
    return "\n".join(parts)


def test_there_are_at_least_three_notebooks() -> None:
    assert len(NOTEBOOKS) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_notebook_runs_on_the_sample_company(path: Path, kernel: Kernel, sample_db: Path) -> None:
    notebook = execute(path, kernel, sample_db)
    errors = [o for o in outputs(notebook) if o.get("output_type") == "error"]
    assert errors == []
    with connect(sample_db) as con:
        week = latest_week_with_data(con)
    text = text_of(notebook)
    assert f"分析周：{week}" in text  # the default week is the latest complete week with data
    assert "发现" in text and "结论" in text
    figures = [o for o in outputs(notebook) if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(figures) >= 2


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_notebook_copes_with_a_tiny_database_with_empty_ledgers(path: Path, kernel: Kernel, tiny_db: Path) -> None:
    notebook = execute(path, kernel, tiny_db, 'WEEK = "2026-W47"')
    assert [o for o in outputs(notebook) if o.get("output_type") == "error"] == []
    assert "分析周：2026-W47" in text_of(notebook)


@pytest.mark.slow
def test_parameters_choose_the_week_and_the_supplies_norm(kernel: Kernel, sample_db: Path) -> None:
    with connect(sample_db) as con:
        earlier = latest_week_with_data(con).shift(-3)
        headcount = {name: 30 for name in departments(con)}
    path = NOTEBOOK_DIR / "03_office_supplies.ipynb"
    notebook = execute(path, kernel, sample_db, f"WEEK = {str(earlier)!r}\nHEADCOUNT = {headcount!r}")
    text = text_of(notebook)
    assert f"分析周：{earlier}" in text
    assert "人数取自参数 HEADCOUNT" in text and "定额" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebooks_carry_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
    assert notebook.metadata.get("widgets") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_notebook_has_a_parameters_cell_and_uses_the_engine(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"
    assert "DB_PATH = None" in tagged[0].source and "WEEK = None" in tagged[0].source
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "open_review(DB_PATH, WEEK)" in code
    assert "import duckdb" not in code and ".execute(" not in code  # numbers come from the engine only
    prose = "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in prose) > 400  # written for a Chinese reader

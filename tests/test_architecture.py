"""Import rules that keep the layers honest: only analytics/ui imports streamlit; pages hold no SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL = re.compile(r"\b(select|insert|delete|update)\b[\s\S]*\b(from|into|set)\b", re.IGNORECASE)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def page_files() -> list[Path]:
    pages = [ROOT / "app.py"]
    for folder in ("pages", "app_pages"):
        pages += sorted((ROOT / folder).glob("*.py"))
    return [p for p in pages if p.exists()]


def test_only_the_ui_package_imports_streamlit() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "analytics").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "analytics").parts and "streamlit" in imported_modules(path)
    ]
    assert offenders == []


def test_pages_hold_no_sql_and_no_database_access() -> None:
    offenders = []
    for path in page_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        if any(SQL.search(s) for s in strings) or "duckdb" in imported_modules(path):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_notebooks_do_not_query_the_ledgers_directly() -> None:
    import json

    offenders = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if SQL.search(code):
            offenders.append(path.name)
    assert offenders == []

"""The benchmark's inputs: the sample company at each scale factor, and the files derived from it.

Everything lands in bench/work/data/ (git-ignored) and is reused when a manifest says it was made
with the same parameters. A manifest is written last, so an interrupted run makes it again.

Scale factors: SF 1 is the sample company as shipped (1,000 employees, 52 weeks); SF 10 is
10,000 employees over 52 weeks; SF 30 is 10,000 employees over 156 weeks (about 1M resolutions).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from analytics import sample
from analytics.sample.export import write_file
from analytics.sample.meetings import generate_meetings, meetings_export

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
DATA = WORK / "data"
SEED = 7
TODAY = date(2026, 11, 23)
"""Fixed, so the data (and the weeks it covers) are the same on every machine and every day."""
SCALES: dict[int, tuple[float, int]] = {1: (1.0, 52), 10: (10.0, 52), 30: (10.0, 156)}
"""Scale factor → (sample --scale, sample --weeks)."""
XLSX_ROWS = 100_000
XLSX_SCALE = 12.6
"""A 52-week company this size holds just over 100k meetings; the XLSX keeps the first XLSX_ROWS."""

DECISIONS = "决议督办台账.csv"
MEETINGS_XLSX = "会议台账.xlsx"


@dataclass(frozen=True)
class ScaleData:
    """The files of one scale factor."""

    sf: int
    folder: Path
    files: list[Path]
    decisions_utf8: Path
    decisions_gb18030: Path
    decisions_rows: int

    @property
    def db_dir(self) -> Path:
        return self.folder / "db"


def _manifest_ok(folder: Path, params: dict[str, object]) -> dict[str, object] | None:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return None
    try:
        saved = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        return None
    if saved.get("params") != params or not all((folder / name).exists() for name in saved.get("files", [])):
        return None
    return saved


def _write_manifest(folder: Path, params: dict[str, object], files: list[str], **extra: object) -> None:
    text = json.dumps({"params": params, "files": files, **extra}, ensure_ascii=False, indent=1)
    (folder / "manifest.json").write_text(text, encoding="utf-8")


def prepare_scale(sf: int, root: Path = DATA, echo=print) -> ScaleData:
    """Generate (or reuse) the sample company at `sf`, plus UTF-8 and GB18030 copies of its decisions CSV."""
    scale, weeks = SCALES[sf]
    # layout 2: the decisions export carries 原定时限, 延期次数, 催办次数, 最近催办日期 (a cached company is regenerated)
    params = {"seed": SEED, "scale": scale, "weeks": weeks, "today": TODAY.isoformat(), "layout": 2}
    folder = root / f"sf{sf}"
    saved = _manifest_ok(folder, params)
    if saved is None:
        echo(f"  generating the sample company at SF {sf} (scale {scale:g}, {weeks} weeks) in {folder}")
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "sample").mkdir(parents=True)
        (folder / "derived").mkdir()
        paths = sample.write_sample(folder / "sample", seed=SEED, weeks=weeks, scale=scale, today=TODAY)
        original = (folder / "sample" / DECISIONS).read_bytes()
        text = original.decode("gb18030")
        # Same rows, two encodings: the export itself is GB18030; the UTF-8 copy is the baseline's input.
        (folder / "derived" / "decisions_utf8.csv").write_bytes(text.encode("utf-8"))
        (folder / "derived" / "decisions_gb18030.csv").write_bytes(text.encode("gb18030"))
        rows = text.count("\n") - 1
        names = [str(p.relative_to(folder)) for p in paths]
        names += ["derived/decisions_utf8.csv", "derived/decisions_gb18030.csv"]
        _write_manifest(folder, params, names, decisions_rows=rows)
        saved = _manifest_ok(folder, params)
        assert saved is not None
    else:
        echo(f"  reusing the sample company at SF {sf} ({folder})")
    files = [folder / name for name in saved["files"] if str(name).startswith("sample/")]
    return ScaleData(
        sf,
        folder,
        files,
        folder / "derived" / "decisions_utf8.csv",
        folder / "derived" / "decisions_gb18030.csv",
        int(saved["decisions_rows"]),
    )


def prepare_xlsx(root: Path = DATA, rows: int = XLSX_ROWS, echo=print) -> tuple[Path, int]:
    """A meetings XLSX of `rows` data rows, written the way the sample writes XLSX (xlsxwriter, title row)."""
    params = {"seed": SEED, "scale": XLSX_SCALE, "weeks": 52, "today": TODAY.isoformat(), "rows": rows, "layout": 1}
    folder = root / f"xlsx-meetings-{rows}"
    saved = _manifest_ok(folder, params)
    if saved is None:
        echo(f"  writing a {rows:,}-row meetings XLSX in {folder} (xlsxwriter; takes a minute)")
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        company = sample.company(SEED, 52, XLSX_SCALE, TODAY)
        meetings = generate_meetings(company).head(rows).reset_index(drop=True)
        export = meetings_export(meetings, company, as_csv=False)
        path = write_file(export, folder, datetime.combine(company.end, time(23, 0)))
        _write_manifest(folder, params, [path.name], rows=len(meetings))
        saved = _manifest_ok(folder, params)
        assert saved is not None
    else:
        echo(f"  reusing the meetings XLSX ({folder})")
    return folder / saved["files"][0], int(saved["rows"])


def fresh_dir(path: Path) -> Path:
    """An empty folder at `path` (whatever was there is removed)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path

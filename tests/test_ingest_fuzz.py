"""Fuzz: broken CSV and XLSX files, generated from a good one, thrown at the loader.

Every file carries a row that cannot load (a date that is no date), then random damage: bytes cut,
flipped, inserted; quotes, NULs, delimiters, long cells; for workbooks damaged zip members and XML.
Whatever the damage, the loader must answer exit 1 or 2 with a message naming the file, never a
traceback or a dead process, and leave the database as it was. Seeds are fixed: a failure replays.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from analytics.cli import main

PROJECT = Path(__file__).resolve().parent.parent
HEADER = ["决议编号", "决议事项", "责任部门", "下达日期", "完成时限", "状态"]
ROWS = [[f"D{i}", f"事项{i}", "行政部", "2026-11-02", "2026-11-20", "进行中"] for i in range(1, 30)]
BAD = ["D99", "事项", "行政部", "不是日期", "2026-11-20", "进行中"]
CSV_CASES = 30
XLSX_CASES = 12


def good_csv(rng: random.Random) -> bytes:
    rows = [HEADER, *ROWS]
    rows.insert(rng.randrange(1, len(rows) + 1), BAD)
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    return text.encode(rng.choice(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))


def damage(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(max(len(data), 1))
        kind = rng.randrange(8)
        if kind == 0:
            del data[where:]
        elif kind == 1:
            data[where : where + 1] = bytes([rng.randrange(256)])
        elif kind == 2:
            data[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
        elif kind == 3:
            data[where:where] = b'"'
        elif kind == 4:
            data[where:where] = b"\x00" * rng.randint(1, 5)
        elif kind == 5:
            data[where:where] = rng.choice([b",", b"\t", b";", b"\r", b"\n\n"]) * rng.randint(1, 600)
        elif kind == 6:
            data[where:where] = b"x" * rng.randint(30_000, 40_000)
        else:
            data = data[: len(data) // 2] + data[len(data) // 2 :][::-1]
    return bytes(data)


def good_xlsx(rng: random.Random) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if rng.random() < 0.5:
        sheet.append(["2026年11月决议督办台账"])
    sheet.append(HEADER)
    rows = list(ROWS)
    rows.insert(rng.randrange(len(rows) + 1), BAD)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def damage_xlsx(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:  # the bytes themselves: cut, flipped
        return damage(data, rng)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    victim = rng.choice([m.filename for m in source.infolist()])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == victim:
                if kind == 1:
                    continue  # a member missing
                damaged = damage(content, rng) if kind == 2 else content.replace(b"<", b"<x", rng.randint(1, 20))
                content = damaged
            out.writestr(item.filename, content)
    return buffer.getvalue()


def state(db: Path) -> tuple[object, ...]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select (select count(*) from decisions), (select count(*) from load_log), "
            "(select count(*) from quarantine), (select string_agg(decision_id || item, ',' order by decision_id) from decisions)"
        ).fetchone()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "ops.duckdb"
    good = folder / "good.csv"
    good.write_text("\n".join(",".join(row) for row in [HEADER, *ROWS[:3]]) + "\n", encoding="utf-8")
    assert main(["ingest", str(good), "--db", str(path)]) == 0
    return path


def cases() -> list[tuple[str, int]]:
    return [("csv", seed) for seed in range(CSV_CASES)] + [("xlsx", seed) for seed in range(XLSX_CASES)]


@pytest.mark.parametrize(("kind", "seed"), cases())
def test_a_broken_file_is_refused_plainly_and_changes_nothing(kind: str, seed: int, db: Path, capsys) -> None:
    rng = random.Random(f"{kind}-{seed}")
    data = damage(good_csv(rng), rng) if kind == "csv" else damage_xlsx(good_xlsx(rng), rng)
    name = f"坏文件{seed}.{kind}"
    path = db.parent / name
    path.write_bytes(data)
    before = state(db)
    status = main(["ingest", str(path), "--db", str(db)])
    out, err = capsys.readouterr()
    if status == 0:  # the damage cut the file right below its header: an empty export, loaded as such
        assert f"{name}: decisions 决议督办台账 — loaded 0, replaced 0, rejected 0" in out
        assert state(db)[0::3] == before[0::3]
        return
    assert status in (1, 2), err
    assert name in err
    assert "内部错误" not in err and "Traceback" not in err
    assert state(db) == before


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_broken_files_through_the_command_line_never_kill_it(seed: int, db: Path) -> None:
    rng = random.Random(f"process-{seed}")
    data = damage_xlsx(good_xlsx(rng), rng) if seed % 2 else damage(good_csv(rng), rng)
    path = db.parent / f"进程{seed}.{'xlsx' if seed % 2 else 'csv'}"
    path.write_bytes(data)
    before = state(db)
    run = subprocess.run(
        [sys.executable, "-m", "analytics", "ingest", "--db", str(db), str(path)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode in (1, 2), run.stderr
    assert path.name in run.stderr and "Traceback" not in run.stderr
    assert state(db) == before

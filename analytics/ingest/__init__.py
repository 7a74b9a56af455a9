"""Loading ledger exports (CSV/XLSX from OA systems) into the database, as shared/spec/ledgers.md says.

read (bytes → text cells) → headers (which ledger, which column) → parse (typed, in SQL) →
validate (every failure) → load (the only writer; one transaction per file). A load parses and
validates in the writer's connection (see load.py); a preview in a private one, writing nothing.

Header mappings: a header the built-in aliases do not know can be mapped to a canonical column
(`mappings={"OA列名": "column"}`, `--map 'OA列名=column'`). A load saves the mappings it was given
in the database (table `header_mappings`), and every later load and preview uses them, so a
company's own format is taught once. `save_mappings`, `list_mappings` and `delete_mapping` manage
them directly.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analytics.config import settings_path
from analytics.db import MEMORY, writer
from analytics.errors import IngestError, RowError, UsageError
from analytics.ingest.detect import DetectedFile, LoadOptions, detect_file, detect_sheets, header_set_key
from analytics.ingest.guards import sweep_stale_temp
from analytics.ingest.headers import Mapping, check_mappings, lookup
from analytics.ingest.load import ORIGINALS_DIR, LoadResult, Remember, load_detected
from analytics.ingest.mappings import (
    ValueMapping,
    check_value_mappings,
    delete_mapping,
    list_mappings,
    list_value_mappings,
    merged_value_mappings,
    read_mappings,
    read_profiles,
    read_value_mappings,
    save_mappings,
    saved_teaching,
    write_profile,
    write_value_mappings,
)
from analytics.ingest.parse import ParsedFile, parse_file_detected
from analytics.ingest.read import (
    READER,
    UPLOAD_LIMIT_BYTES,
    check_encoding,
    check_source,
    close_sheets,
    open_source,
    read_file,
)
from analytics.ledgers import LEDGERS
from analytics.settings import load_gm_name

__all__ = [
    "UPLOAD_LIMIT_BYTES",
    "LoadResult",
    "SheetPreview",
    "delete_mapping",
    "ingest_file",
    "list_mappings",
    "list_value_mappings",
    "preview_file",
    "save_mappings",
]

Progress = Callable[[float, str], None]


@dataclass
class SheetPreview:
    """What loading one sheet would do, for the upload page's preview/validation step."""

    file_name: str
    sheet: str | None
    ledger: str | None
    """The ledger recognised, or None (then `problem` says why)."""
    problem: str | None
    header_row: int | None
    """The header's row number as Excel shows it (None when no ledger was recognised)."""
    mapping: dict[str, str]
    """Header as written in the file → canonical column (for an unrecognised sheet: of the closest ledger)."""
    unknown_headers: list[str]
    """Headers that name no column: kept in the `extra` column, or to be mapped by the user."""
    rows: pd.DataFrame
    """The first 20 data rows, parsed (`_row` is the Excel row number)."""
    row_errors: list[RowError] = field(default_factory=list)
    rows_total: int = 0
    rows_valid: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    notes: list[str] = field(default_factory=list)
    closest: str | None = None
    """For an unrecognised sheet: the ledger that came nearest (the one a mapping step maps to)."""
    fitting: tuple[str, ...] = ()
    """For a sheet two ledgers fit equally: their names (the user picks one)."""
    needs: tuple[str, ...] = ()
    """Columns the user must give one value for the whole file before it loads (documents' direction)."""
    columns_supplied: list[str] = field(default_factory=list)
    """The canonical columns the sheet gives (the rest cannot feed the review's numbers)."""
    derived_key: bool = False
    """The sheet has no key column: every row's key is derived (`auto-…`)."""


def check_ledger(ledger: str | None) -> None:
    if ledger is not None and ledger not in LEDGERS:
        raise UsageError(f"未知的台账：{ledger!r}（可用：{', '.join(LEDGERS)}）")


def _options(
    db_path: Path | str | None,
    constants: dict[str, str] | None,
    saved_values: dict[tuple[str, str], dict[str, str]],
    given_values: list[ValueMapping],
) -> LoadOptions:
    gm_name = ""
    if db_path is not None and str(db_path) != MEMORY:
        gm_name = load_gm_name(settings_path(Path(db_path)))
    return LoadOptions(
        constants=dict(constants or {}),
        value_mappings=merged_value_mappings(saved_values, given_values),
        gm_name=gm_name,
    )


def _remember(given_values: list[ValueMapping]) -> Remember:
    """What a load saves besides its header mappings: the value mappings given, and for every sheet
    loaded its profile (header set → ledger and the constants the user gave)."""

    def remember(con: duckdb.DuckDBPyConnection, parsed: ParsedFile) -> None:
        write_value_mappings(con, given_values)
        for sheet in parsed.sheets:
            write_profile(con, header_set_key(list(sheet.match.headers)), sheet.ledger.name, sheet.match.taught)

    return remember


def check_constants(constants: dict[str, str] | None, ledger: str | None = None) -> dict[str, str]:
    """`{column: value}` for a whole file; a column no ledger (or not the given one) has is a UsageError."""
    ledgers = [LEDGERS[ledger]] if ledger else list(LEDGERS.values())
    checked = {}
    for column, value in (constants or {}).items():
        column, value = column.strip(), value.strip()
        if not value or not any(column in {c.name for c in each.columns} for each in ledgers):
            where = f"台账 {ledger} " if ledger else "任何台账都"
            raise UsageError(f"常量 {column}={value}：{where}没有标准列 {column!r}，或值为空。")
        checked[column] = value
    return checked


def _detect(
    db_path: Path | str | None,
    source: Path | str | bytes,
    file_name: str | None,
    ledger: str | None,
    mappings: dict[str, str] | None,
    encoding: str | None,
    *,
    require_recognised: bool,
    constants: dict[str, str] | None = None,
    value_mappings: list[tuple[str, str, str]] | None = None,
) -> tuple[DetectedFile, list[Mapping]]:
    check_ledger(ledger)
    given = check_mappings(mappings or {}, ledger)
    given_values = check_value_mappings(value_mappings or [], ledger)
    constants = check_constants(constants, ledger)
    opened = open_source(source, file_name)
    saved, saved_values, profiles = saved_teaching(db_path)
    detected = detect_file(
        opened,
        ledger=ledger,
        mappings=lookup(saved, given),
        encoding=encoding,
        require_recognised=require_recognised,
        options=_options(db_path, constants, saved_values, given_values),
        profiles=profiles,
    )
    return detected, given


def ingest_file(
    db_path: Path | str,
    source: Path | str | bytes,
    *,
    file_name: str | None = None,
    ledger: str | None = None,
    load_valid: bool = False,
    mappings: dict[str, str] | None = None,
    encoding: str | None = None,
    user: str | None = None,
    progress: Progress | None = None,
    constants: dict[str, str] | None = None,
    value_mappings: list[tuple[str, str, str]] | None = None,
) -> list[LoadResult]:
    """Load one file (every recognised sheet); one LoadResult per loaded sheet.

    Atomic: a row error anywhere raises IngestError carrying every row error and writes nothing,
    unless `load_valid`, which loads the valid rows and quarantines the others. A missing file, a
    file that is not a spreadsheet or an unknown ledger name raise UsageError. `constants` give a
    column one value for the whole file (`--set`); `value_mappings` read a word of an enum column
    (`(column, text, value)`, `--map-value`). Mappings, value mappings and the file's profile are
    saved with the load.
    """
    report = progress or (lambda fraction, message: None)
    report(0.0, "读取文件")
    check_ledger(ledger)
    given = check_mappings(mappings or {}, ledger)
    given_values = check_value_mappings(value_mappings or [], ledger)
    constants = check_constants(constants, ledger)
    if encoding:
        check_encoding(encoding)
    check_source(source, file_name)  # size and width: before the writer's lock is taken
    sweep_stale_temp(None if str(db_path) == MEMORY else Path(db_path).parent / ORIGINALS_DIR)
    reading = READER.submit(read_file, source, file_name, encoding)
    try:
        with writer(db_path) as con:  # opened while the file is read (reading releases the GIL)
            opened, sheets = reading.result()
            known = lookup(read_mappings(con), given)
            options = _options(db_path, constants, read_value_mappings(con), given_values)
            detected = detect_sheets(
                opened,
                sheets,
                ledger=ledger,
                mappings=known,
                require_recognised=True,
                options=options,
                profiles=read_profiles(con),
            )
            report(0.3, "检查并写入数据库")
            results = load_detected(
                con,
                db_path,
                detected,
                load_valid=load_valid,
                user=user,
                mappings=given,
                remember=_remember(given_values),
            )
    except OSError as exc:  # disk full, a folder not writable: plain words, nothing loaded
        reading.add_done_callback(close_sheets)
        raise IngestError(_os_error_message(file_name or Path(str(source)).name, exc)) from None
    except BaseException:
        reading.add_done_callback(close_sheets)  # e.g. the database was busy: the sheets read are not used
        raise
    report(1.0, "完成")
    return results


def _os_error_message(name: str, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        reason = "磁盘空间不足"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "没有写入权限"
    else:
        reason = "读写文件出错"
    return f"{name}：{reason}（{exc.strerror or exc}），未导入，数据库没有改动。请腾出磁盘空间或检查权限后再导入。"


def preview_file(
    db_path: Path | str | None,
    source: Path | str | bytes,
    *,
    file_name: str | None = None,
    ledger: str | None = None,
    mappings: dict[str, str] | None = None,
    encoding: str | None = None,
    constants: dict[str, str] | None = None,
    value_mappings: list[tuple[str, str, str]] | None = None,
) -> list[SheetPreview]:
    """What `ingest_file` would do with a file, sheet by sheet, writing nothing."""
    detected, _ = _detect(
        db_path,
        source,
        file_name,
        ledger,
        mappings,
        encoding,
        require_recognised=False,
        constants=constants,
        value_mappings=value_mappings,
    )
    parsed = parse_file_detected(detected)
    by_name = {sheet.sheet: sheet for sheet in parsed.sheets}
    previews = []
    for name in parsed.sheet_names:
        sheet = by_name.get(name)
        if sheet is None:
            detection = parsed.skipped[name]
            closest = detection.closest
            mapping, unknown = (closest.mapping, [label for label, _ in closest.extras]) if closest else ({}, [])
            previews.append(
                SheetPreview(
                    parsed.source.name,
                    name,
                    None,
                    detection.problem,
                    None,
                    mapping,
                    unknown,
                    pd.DataFrame(),
                    closest=closest.ledger.name if closest else None,
                    fitting=detection.fitting,
                    needs=detection.needs,
                )
            )
            continue
        previews.append(
            SheetPreview(
                parsed.source.name,
                name,
                sheet.ledger.name,
                None,
                sheet.header_row,
                sheet.match.mapping,
                [label for label, _ in sheet.match.extras],
                sheet.preview,
                row_errors=sheet.row_errors,
                rows_total=sheet.rows_valid + sheet.rows_rejected,
                rows_valid=sheet.rows_valid,
                rows_rejected=sheet.rows_rejected,
                rows_skipped=sheet.rows_skipped,
                notes=sheet.notes,
                columns_supplied=sheet.columns_supplied,
                derived_key=sheet.match.derived_key,
            )
        )
    return previews

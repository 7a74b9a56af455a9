"""Detect: every sheet of a file read, and its header and ledger found; nothing parsed, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from analytics.errors import IngestError, UsageError
from analytics.ingest.headers import Detection, HeaderMatch, Mappings, detect
from analytics.ingest.messages import unrecognised_message
from analytics.ingest.read import Sheet, SourceFile, read_sheets
from analytics.ledgers import normalise_header


@dataclass(frozen=True)
class LoadOptions:
    """What a user says about a file besides its header mappings."""

    constants: dict[str, str] = field(default_factory=dict)
    """Column → one value for every row (`--set 'column=value'`)."""
    value_mappings: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(ledger or `*`, column) → folded text as written → canonical value (`--map-value`)."""
    gm_name: str = ""
    """The GM's name: rows of other people in a multi-person calendar are skipped (settings)."""
    today: date | None = None
    """The load's date: the year of a date written without one, when nothing else tells."""


@dataclass
class DetectedFile:
    """Every sheet of a file read, and the header of each found (or why not); nothing parsed yet."""

    source: SourceFile
    recognised: list[tuple[Sheet, HeaderMatch]]
    skipped: dict[str | None, Detection]
    """Sheets not loaded (by name), with why."""
    sheet_names: list[str | None]
    options: LoadOptions = field(default_factory=LoadOptions)

    def close(self) -> None:
        """Remove the sheets' temporary files (a CSV decoded from GB18030)."""
        for sheet, _ in self.recognised:
            sheet.close()


def detect_file(
    source: SourceFile,
    *,
    ledger: str | None = None,
    mappings: Mappings | None = None,
    encoding: str | None = None,
    require_recognised: bool = True,
    options: LoadOptions | None = None,
    profiles: Profiles | None = None,
) -> DetectedFile:
    """Read every sheet of a file and find its header and ledger; no database is touched."""
    sheets = read_sheets(source, encoding)
    return detect_sheets(
        source,
        sheets,
        ledger=ledger,
        mappings=mappings,
        require_recognised=require_recognised,
        options=options,
        profiles=profiles,
    )


Profiles = dict[str, tuple[str, dict[str, str]]]
"""Header set (see `header_set_key`) → (ledger, constants) the user loaded it with last time."""


def header_set_key(cells: list[str | None]) -> str:
    """A header row as a profile's key: its folded non-empty headers, sorted."""
    return "|".join(sorted({normalise_header(c) for c in cells if normalise_header(c)}))


def _profile(head: list[list[str | None]], profiles: Profiles) -> tuple[str, dict[str, str]] | None:
    """The profile of the first head row whose header set was seen before."""
    return next((profiles[k] for k in map(header_set_key, head) if k in profiles), None)


def detect_sheets(
    source: SourceFile,
    sheets: list[Sheet],
    *,
    ledger: str | None = None,
    mappings: Mappings | None = None,
    require_recognised: bool = True,
    options: LoadOptions | None = None,
    profiles: Profiles | None = None,
) -> DetectedFile:
    """Find the header and ledger of every sheet already read; unrecognised sheets are closed.

    A sheet whose header set was loaded before (a profile) is read as it was then: its ledger and
    constants, unless the user names others now.
    """
    options = options or LoadOptions()
    recognised: list[tuple[Sheet, HeaderMatch]] = []
    skipped: dict[str | None, Detection] = {}
    for sheet in sheets:
        known = _profile(sheet.head, profiles or {})
        constants = {**(known[1] if known else {}), **options.constants}
        chosen = ledger or (known[0] if known else None)
        names = (source.name.rsplit(".", 1)[0], sheet.name)
        detection = detect(sheet.head, ledger=chosen, mappings=mappings, constants=constants, names=names)
        if detection.match is None:
            skipped[sheet.name] = detection
            sheet.close()
        else:
            recognised.append((sheet, detection.match))
    if not recognised and require_recognised:
        needs = {n for d in skipped.values() for n in d.needs}
        hints = "".join(f"\n{sheet.hint}" for sheet in sheets if sheet.hint)
        error = IngestError(unrecognised_message(source.name, skipped) + hints)
        raise UsageError(str(error)) if needs else error
    return DetectedFile(source, recognised, skipped, [sheet.name for sheet in sheets], options)

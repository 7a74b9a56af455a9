"""The shape of a ledger declaration: columns, types, aliases and enum vocabularies."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "int", "number", "date", "datetime", "bool", "enum"]

SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "number": "DOUBLE",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "bool": "BOOLEAN",
    "enum": "VARCHAR",
}

_WHITESPACE = re.compile(r"\s+")


def normalise_header(header: object) -> str:
    """Fold a header for matching: NFKC (full-width → half-width), lower case, `_` as space, no spaces.

    `会议编号 `, `Meeting ID`, `meeting_id` and `MEETING　ID` all fold to the same key; the `*` that
    marks a required column in an import template is dropped (`开始日期**`).
    """
    text = unicodedata.normalize("NFKC", str(header or "")).lower().replace("_", " ").replace("*", "")
    return _WHITESPACE.sub("", text)


@dataclass(frozen=True)
class Column:
    """One canonical column of a ledger."""

    name: str
    type: ColumnType
    label_zh: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    key: bool = False
    enum: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    date_part_aliases: tuple[str, ...] = ()
    """Headers of a date-only column that, with the time in this column, makes the datetime
    (`开始日期` + `开始时间`, Outlook's `Start Date` + `Start Time`); alone, the date at midnight."""
    name_list_aliases: tuple[str, ...] = ()
    """Headers of a list of names whose count is this column's value (`出席人员`: 张三、李四 → 2);
    a header that starts with one of them counts too (`出席人员(内部)`)."""
    skip_values: tuple[str, ...] = ()
    """Enum words of rows that are no ledger row (supplies' 维护/维修): skipped and reported."""
    derived: str | None = None
    """SQL for an empty cell's value where ledgers.md derives it from other columns (`v__col` is a
    column's typed value); wins over `default`."""
    display: dict[str, str] = field(default_factory=dict)
    """How an enum value reads in a table where its first Chinese spelling reads wrong (open → 未办结)."""

    def display_value(self, value: str) -> str:
        """The word a table shows for an enum value: `display`, else its first Chinese spelling."""
        spellings = self.enum.get(value, ())
        return self.display.get(value) or next((s for s in spellings if not s.isascii()), value)

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    @property
    def header_keys(self) -> tuple[str, ...]:
        """Folded headers that name this column, most specific first (canonical name, then aliases)."""
        keys: list[str] = []
        for header in (self.name, self.label_zh, *self.aliases):
            folded = normalise_header(header)
            if folded and folded not in keys:
                keys.append(folded)
        return tuple(keys)

    @property
    def enum_lookup(self) -> dict[str, str]:
        """Folded enum spelling → canonical value (the canonical value spells itself)."""
        lookup: dict[str, str] = {}
        for value, spellings in self.enum.items():
            for spelling in (value, *spellings):
                lookup[normalise_header(spelling)] = value
        return lookup


@dataclass(frozen=True)
class RowRule:
    """A row is refused when `condition` (SQL over `v__col` typed values) holds; reported on `column`."""

    column: str
    condition: str
    reason: str


@dataclass(frozen=True)
class Ledger:
    """One ledger: a DuckDB table with canonical columns.

    `identity` names the columns of a derived key (a file without the key column): each entry is a
    column, or columns of which the first non-empty counts (`created_date` else the deadline).
    `required_any`: groups of columns of which at least one must be present (incidents: type or
    summary). `hints`: headers that are no column but say which ledger a file is (`会议室`).
    `rules`: the consistency rules between columns of ledgers.md (a row that breaks one is refused).
    """

    name: str
    label_zh: str
    label_en: str
    columns: tuple[Column, ...]
    department_column: str | None = None
    identity: tuple[tuple[str, ...], ...] = ()
    required_any: tuple[tuple[str, ...], ...] = ()
    hints: tuple[str, ...] = ()
    name_words: tuple[str, ...] = ()
    """Words in a file or sheet name that point at this ledger (`会议`), to choose between two that fit."""
    rules: tuple[RowRule, ...] = ()

    @property
    def key(self) -> Column:
        return next(c for c in self.columns if c.key)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def header_index(self) -> dict[str, str]:
        """Folded header → canonical column name, for this ledger alone."""
        index: dict[str, str] = {}
        for column in self.columns:
            for key in column.header_keys:
                index.setdefault(key, column.name)
        return index

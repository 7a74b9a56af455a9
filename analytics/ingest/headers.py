"""Headers: which row is the header, which ledger it names, and which cell is which column.

The header row is the row within the first ten whose cells name the most columns of one ledger,
all of that ledger's required columns among them. Matching folds case, width and whitespace
(analytics.ledgers.normalise_header). A user's mapping (`--map 'OA列名=column'`, saved in the
database) outranks every built-in alias; among built-in aliases the more specific one (earlier in
Column.header_keys) wins and the other cell is kept as an extra column.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.errors import UsageError
from analytics.ledgers import LEDGERS, Ledger, normalise_header

ANY_LEDGER = "*"
"""The `ledger` of a saved mapping that applies to every ledger having that column."""

Mappings = dict[tuple[str, str], str]
"""(folded header, ledger name or ANY_LEDGER) → canonical column."""


@dataclass(frozen=True)
class HeaderMatch:
    """A recognised header row: the ledger and where each of its columns sits."""

    ledger: Ledger
    row_index: int
    """Index of the header row within the sheet's head rows."""
    headers: tuple[str, ...]
    """The header row's cells as written (stripped; '' for an empty cell)."""
    columns: dict[str, int]
    """Canonical column → cell position."""
    labels: tuple[str, ...]
    """Each cell's unique name: the header, numbered when it repeats (`编号 (2)`); '' when empty."""

    @property
    def extras(self) -> tuple[tuple[str, int], ...]:
        """(name in the `extra` JSON, cell position) for every non-empty header that is no column."""
        used = set(self.columns.values())
        return tuple((label, p) for p, label in enumerate(self.labels) if label and p not in used)

    @property
    def duplicates(self) -> tuple[tuple[str, int, int], ...]:
        """(column, its cell, another cell with the same header) for every header written twice that
        names a column: the second cell is not read as that column, so the two must agree (validate.py)."""
        found = []
        for column, position in self.columns.items():
            key = normalise_header(self.headers[position])
            found += [
                (column, position, other)
                for other, header in enumerate(self.headers)
                if other != position and normalise_header(header) == key
            ]
        return tuple(sorted(found, key=lambda duplicate: duplicate[2]))

    def header_of(self, column: str) -> str:
        """The header of a column as written in the file, else its Chinese label."""
        position = self.columns.get(column)
        return self.headers[position] if position is not None else self.ledger.column(column).label_zh

    @property
    def mapping(self) -> dict[str, str]:
        """Header as written → canonical column, in file order."""
        pairs = sorted((position, column) for column, position in self.columns.items())
        return {self.headers[position]: column for position, column in pairs}


@dataclass(frozen=True)
class Detection:
    """The result of looking for a header in one sheet: a match, or why there is none.

    Without a match, `closest` is the row and ledger that came nearest (for a mapping step) and
    `brief` says in a few words why the sheet was skipped.
    """

    match: HeaderMatch | None
    problem: str | None = None
    brief: str | None = None
    closest: HeaderMatch | None = None


@dataclass(frozen=True)
class Mapping:
    """A user's mapping of a header in their files to a canonical column."""

    header: str
    column: str
    ledger: str = ANY_LEDGER

    @property
    def key(self) -> tuple[str, str]:
        return normalise_header(self.header), self.ledger


def check_mappings(mappings: dict[str, str], ledger: str | None = None) -> list[Mapping]:
    """Validate `{header: column}`; a column that no ledger (or not the given one) has is a UsageError."""
    ledgers = [LEDGERS[ledger]] if ledger else list(LEDGERS.values())
    checked = []
    for header, column in mappings.items():
        header, column = header.strip(), column.strip()
        if not normalise_header(header):
            raise UsageError(f"列映射 {header!r}={column!r}：文件中的列名为空。")
        if not any(column in {c.name for c in each.columns} for each in ledgers):
            where = f"台账 {ledger} " if ledger else "任何台账都"
            raise UsageError(f"列映射 {header}={column}：{where}没有标准列 {column!r}。")
        checked.append(Mapping(header, column, ledger or ANY_LEDGER))
    return checked


def lookup(saved: list[Mapping], given: list[Mapping] | None = None) -> Mappings:
    """Mappings as the matcher reads them; a header given now replaces what was saved for it."""
    given = given or []
    headers = {m.key[0] for m in given}
    return {m.key: m.column for m in [*(m for m in saved if m.key[0] not in headers), *given]}


def _header_keys(ledger: Ledger) -> dict[str, tuple[str, int]]:
    """Folded header → (canonical column, its rank among that column's header keys), for one ledger."""
    keys: dict[str, tuple[str, int]] = {}
    for column in ledger.columns:
        for rank, key in enumerate(column.header_keys):
            keys.setdefault(key, (column.name, rank))
    return keys


def _match_row(
    folded: list[str], ledger: Ledger, keys: dict[str, tuple[str, int]], mappings: Mappings
) -> dict[str, int]:
    """Canonical column → position for one candidate header row (its cells folded)."""
    names = {c.name for c in ledger.columns}
    best: dict[str, tuple[int, int]] = {}
    for position, key in enumerate(folded):
        if not key:
            continue
        column = mappings.get((key, ledger.name)) or mappings.get((key, ANY_LEDGER))
        if column in names:
            rank = -1
        elif key in keys:
            column, rank = keys[key]
        else:
            continue
        if column not in best or (rank, position) < best[column]:
            best[column] = (rank, position)
    return {column: position for column, (_, position) in best.items()}


def _complete(columns: dict[str, int], ledger: Ledger) -> bool:
    return all(c.name in columns for c in ledger.required)


def detect(head: list[list[str | None]], *, ledger: str | None = None, mappings: Mappings | None = None) -> Detection:
    """Find the header row and its ledger among the first rows of a sheet."""
    mappings = mappings or {}
    candidates = [LEDGERS[ledger]] if ledger else list(LEDGERS.values())
    keys = {each.name: _header_keys(each) for each in candidates}
    scored = []
    for row_index, cells in enumerate(head):
        folded = [normalise_header(cell) for cell in cells]
        for each in candidates:
            scored.append((row_index, each, _match_row(folded, each, keys[each.name], mappings)))
    complete = [s for s in scored if _complete(s[2], s[1])]
    if not complete:
        if not any(any(cells) for cells in head):
            return Detection(None, "没有内容，找不到表头。", "没有内容")
        row_index, nearest, columns = max(scored, key=_closeness)
        if not columns:  # nothing matched: show the first row that has anything in it
            row_index = next(i for i, cells in enumerate(head) if any(cells))
        closest = _header_match(head, row_index, nearest, columns)
        return Detection(None, _explain_unrecognised(closest, ledger), "未识别为台账", closest)
    top = max(len(s[2]) for s in complete)
    best = [s for s in complete if len(s[2]) == top]
    fitting = list(dict.fromkeys(s[1].name for s in best))
    if len(fitting) > 1:
        names = "、".join(f"「{LEDGERS[n].label_zh}」({n})" for n in fitting)
        problem = f"表头同样符合 {names}，无法判断是哪一种台账；请用 --ledger 指定（上传页面中选择台账）。"
        return Detection(None, problem, "同时符合多种台账，需指定台账")
    return Detection(_header_match(head, *min(best, key=lambda s: s[0])))


def _header_match(head: list[list[str | None]], row_index: int, ledger: Ledger, columns: dict[str, int]) -> HeaderMatch:
    headers = tuple((cell or "").strip() for cell in head[row_index])
    return HeaderMatch(ledger, row_index, headers, columns, _unique_labels(headers))


def _closeness(scored: tuple[int, Ledger, dict[str, int]]) -> tuple[int, int, int]:
    """Most required columns found, then most columns, then the earliest row."""
    row_index, ledger, columns = scored
    return (sum(c.name in columns for c in ledger.required), len(columns), -row_index)


def _unique_labels(headers: tuple[str, ...]) -> tuple[str, ...]:
    """The headers as written, numbered from the second time one repeats."""
    seen: dict[str, int] = {}
    labels = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        labels.append(header if seen[header] == 1 or not header else f"{header} ({seen[header]})")
    return tuple(labels)


def _explain_unrecognised(closest: HeaderMatch, ledger: str | None) -> str:
    """The headers found and, for the closest ledger, the required columns it lacks with their aliases."""
    found = [label for label in closest.labels if label]
    missing = [c for c in closest.ledger.required if c.name not in closest.columns]
    intro = "不符合台账「{}」({})的格式" if ledger else "无法识别是哪一种台账；最接近的是「{}」({})"
    lines = [intro.format(closest.ledger.label_zh, closest.ledger.name) + "，缺少必填列："]
    for column in missing:
        accepted = "、".join(dict.fromkeys([column.name, column.label_zh, *column.aliases]))
        lines.append(f"  {column.name}（可用列名：{accepted}）")
    lines.append("找到的表头：" + "、".join(found))
    lines.append(
        "如果文件用了别的列名，可用 --map '文件中的列名=标准列名' 指定（上传页面中可设置列映射），会保存供以后使用。"
    )
    return "\n".join(lines)

"""Headers: which row is the header, which ledger it names, and which cell is which column.

The header row is the row within the first ten whose cells name the most columns of one ledger,
all of that ledger's required columns among them. Matching folds case, width and whitespace
(analytics.ledgers.normalise_header). A user's mapping (`--map 'OA列名=column'`, saved in the
database) outranks every built-in alias; among built-in aliases the more specific one (earlier in
Column.header_keys) wins and the other cell is kept as an extra column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from analytics.errors import UsageError
from analytics.ledgers import LEDGERS, Ledger, normalise_header
from analytics.ledgers.definitions import APPROVAL_STATE_HEADERS, ISSUE_STATE_HEADERS, PERSON_HEADERS

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
    parts: dict[str, int] = field(default_factory=dict)
    """Datetime column → position of the date-only cell that goes with its time (`开始日期` + `开始时间`)."""
    counted: frozenset[str] = frozenset()
    """Columns whose cell is a list of names, counted (`出席人员` → attendees)."""
    constants: dict[str, str] = field(default_factory=dict)
    """Column → one value for every row (`--set`, a profile, or inferred: documents' direction)."""
    taught: dict[str, str] = field(default_factory=dict)
    """The constants the user gave (now, or for this header set before): what a profile remembers."""
    roles: dict[str, int] = field(default_factory=dict)
    """Cells that are no column but steer loading: `issue_state`/`approval_state` of a requisition
    list, `person` of a multi-person calendar."""

    @property
    def derived_key(self) -> bool:
        """The file has no key column: each row's key is derived from its identity columns."""
        return self.ledger.key.name not in self.columns

    @property
    def used(self) -> set[int]:
        return set(self.columns.values()) | set(self.parts.values())

    @property
    def extras(self) -> tuple[tuple[str, int], ...]:
        """(name in the `extra` JSON, cell position) for every non-empty header that is no column."""
        used = self.used
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
        pairs = sorted([(p, c) for c, p in self.columns.items()] + [(p, c) for c, p in self.parts.items()])
        return {self.headers[position]: column for position, column in pairs}

    @property
    def missing_optional(self) -> list[str]:
        """Optional columns the file does not have (the review cannot compute what needs them)."""
        present = set(self.columns) | set(self.constants)
        return [c.name for c in self.ledger.columns if c.name not in present and not c.key]


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
    fitting: tuple[str, ...] = ()
    """When two ledgers fit equally: their names (the user chooses)."""
    needs: tuple[str, ...] = ()
    """Columns the user must give one value for the whole file (`--set`) before it can load."""


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


@dataclass(frozen=True)
class _Vocabulary:
    """What one ledger's headers can be: folded header → (column, rank); date parts; name lists; hints."""

    keys: dict[str, tuple[str, int]]
    parts: dict[str, str]
    name_lists: dict[str, str]
    hints: frozenset[str]

    @property
    def every(self) -> set[str]:
        return set(self.keys) | set(self.parts) | set(self.name_lists) | set(self.hints)


def _vocabulary(ledger: Ledger) -> _Vocabulary:
    return _vocabulary_of(ledger.name)


@cache
def _vocabulary_of(name: str) -> _Vocabulary:
    ledger = LEDGERS[name]
    keys: dict[str, tuple[str, int]] = {}
    for column in ledger.columns:
        for rank, key in enumerate(column.header_keys):
            keys.setdefault(key, (column.name, rank))
    parts = {normalise_header(h): c.name for c in ledger.columns for h in c.date_part_aliases}
    lists = {normalise_header(h): c.name for c in ledger.columns for h in c.name_list_aliases}
    hints = frozenset(normalise_header(h) for h in ledger.hints) - set(keys)
    return _Vocabulary(keys, {k: v for k, v in parts.items() if k not in keys}, lists, hints)


@cache
def _distinctive(ledger_name: str) -> frozenset[str]:
    """Folded headers that belong to this ledger alone: they tell it from the others (主题 does not)."""
    mine = _vocabulary(LEDGERS[ledger_name]).every
    others: set[str] = set()
    for name, other in LEDGERS.items():
        if name != ledger_name:
            others |= _vocabulary(other).every
    return frozenset(mine - others)


@dataclass
class _Fit:
    """How one candidate header row fits one ledger."""

    row_index: int
    ledger: Ledger
    columns: dict[str, int]
    parts: dict[str, int]
    counted: frozenset[str]
    distinctive: int
    named: int
    """1 when the file or sheet name points at this ledger (`会议台账.xlsx`)."""
    inferred: dict[str, str] = field(default_factory=dict)
    """Columns the file lacks whose value loading infers (documents' direction, a requisition's type)."""

    @property
    def rank(self) -> tuple[int, int, int]:
        return (self.distinctive, self.named, len(self.columns))


def _name_label(name: str | None) -> str:
    return normalise_header(name or "")


def _match_row(folded: list[str], ledger: Ledger, mappings: Mappings, names: tuple[str, ...], row_index: int) -> _Fit:
    """Where each column of one ledger sits in one candidate header row (its cells folded)."""
    vocabulary = _vocabulary(ledger)
    distinctive = _distinctive(ledger.name)
    column_names = {c.name for c in ledger.columns}
    best: dict[str, tuple[int, int]] = {}
    parts: dict[str, int] = {}
    lists: dict[str, int] = {}
    telling = 0
    for position, key in enumerate(folded):
        if not key:
            continue
        column = mappings.get((key, ledger.name)) or mappings.get((key, ANY_LEDGER))
        if column in column_names:
            rank = -1
            telling += 1
        elif key in vocabulary.keys:
            column, rank = vocabulary.keys[key]
            telling += key in distinctive
        else:
            if key in vocabulary.parts:
                parts.setdefault(vocabulary.parts[key], position)
            else:
                listed = vocabulary.name_lists.get(key) or next(
                    (c for prefix, c in vocabulary.name_lists.items() if key.startswith(prefix)), None
                )
                if listed is not None:
                    lists.setdefault(listed, position)
                elif key not in vocabulary.hints:
                    continue
            telling += key in distinctive
            continue
        if column not in best or (rank, position) < best[column]:
            best[column] = (rank, position)
    columns = {column: position for column, (_, position) in best.items()}
    for column in list(parts):
        if column not in columns:  # only the date: the datetime at midnight
            columns[column] = parts.pop(column)
    counted = frozenset(c for c in lists if c not in columns)
    columns.update({c: lists[c] for c in counted})
    named = int(any(word.lower() in name for name in names for word in ledger.name_words))
    fit = _Fit(row_index, ledger, columns, parts, counted, telling, named)
    fit.inferred = _inferred(fit, folded, names)
    return fit


INCOMING_WORDS = ("收文", "来文")
OUTGOING_WORDS = ("发文", "拟稿", "成文日期", "主送", "去文")
NEUTRAL_HEADERS = ("发文单位", "收文单位")
"""The other party of either kind (an incoming document's issuer, an outgoing one's recipient): says nothing."""


def infer_direction(folded: list[str], names: tuple[str, ...]) -> str | None:
    """incoming / outgoing from a file or sheet name (收文, 发文…), else from headers only one kind has
    (来文单位, 收文日期, 来文字号 / 发文字号, 拟稿人, 成文日期, 主送); None when nothing or both say."""
    headers = tuple(k for k in folded if k and k not in NEUTRAL_HEADERS)
    for texts in (names, headers):
        texts = tuple(text.replace("收发", "") for text in texts)  # 收发文台账 says neither
        incoming = any(w in text for text in texts for w in INCOMING_WORDS)
        outgoing = any(w in text for text in texts for w in OUTGOING_WORDS)
        if incoming != outgoing:
            return "incoming" if incoming else "outgoing"
    return None


def _inferred(fit: _Fit, folded: list[str], names: tuple[str, ...]) -> dict[str, str]:
    ledger = fit.ledger.name
    if ledger == "documents" and "direction" not in fit.columns:
        direction = infer_direction(folded, names)
        return {"direction": direction} if direction else {}
    if ledger == "supplies" and "txn_type" not in fit.columns:
        states = {normalise_header(h) for h in (*ISSUE_STATE_HEADERS, *APPROVAL_STATE_HEADERS)}
        if states & set(folded):  # a requisition list: its issued rows are issues
            return {"txn_type": "issue"}
    return {}


INFERABLE = {("documents", "direction")}
"""Required columns a file may lack because loading infers them (see `infer_constants`)."""


def _complete(fit: _Fit, constants: dict[str, str]) -> bool:
    present = set(fit.columns) | set(constants) | set(fit.inferred)
    ledger = fit.ledger
    required = all(c.name in present or (ledger.name, c.name) in INFERABLE for c in ledger.required)
    return required and all(any(c in present for c in group) for group in ledger.required_any)


def detect(
    head: list[list[str | None]],
    *,
    ledger: str | None = None,
    mappings: Mappings | None = None,
    constants: dict[str, str] | None = None,
    names: tuple[str | None, ...] = (),
) -> Detection:
    """Find the header row and its ledger among the first rows of a sheet.

    A ledger fits a row when every column it cannot do without is there (given as a constant, or
    inferable). Among ledgers that fit, the one with the most headers of its own wins (主题,
    开始时间, 状态 belong to several and never decide), then the one the file or sheet name points
    at, then the one with most columns; two still equal, or several fitting on shared headers
    alone, are ambiguous: the user chooses.
    """
    mappings = mappings or {}
    constants = constants or {}
    candidates = [LEDGERS[ledger]] if ledger else list(LEDGERS.values())
    folded_names = tuple(_name_label(n) for n in names if n)
    scored = []
    for row_index, cells in enumerate(head):
        folded = [normalise_header(cell) for cell in cells]
        for each in candidates:
            scored.append(_match_row(folded, each, mappings, folded_names, row_index))
    complete = [fit for fit in scored if _complete(fit, constants)]
    if not complete:
        if not any(any(cells) for cells in head):
            return Detection(None, "没有内容，找不到表头。", "没有内容")
        nearest = max(scored, key=_closeness)
        row_index = nearest.row_index
        if not nearest.columns:  # nothing matched: show the first row that has anything in it
            row_index = next(i for i, cells in enumerate(head) if any(cells))
        closest = _header_match(head, row_index, nearest)
        return Detection(None, _explain_unrecognised(closest, ledger), "未识别为台账", closest)
    per_ledger: dict[str, _Fit] = {}
    for fit in complete:
        held = per_ledger.get(fit.ledger.name)
        if held is None or (fit.rank, -fit.row_index) > (held.rank, -held.row_index):
            per_ledger[fit.ledger.name] = fit
    ranked = sorted(per_ledger.values(), key=lambda f: f.rank, reverse=True)
    top = ranked[0]
    if len(ranked) > 1:
        second = ranked[1]
        generic_only = top.distinctive == 0 and top.named <= second.named
        if generic_only or top.rank == second.rank:
            fitting = tuple(f.ledger.name for f in ranked if f.rank == top.rank or generic_only)
            return Detection(None, _explain_ambiguous(fitting), "同时符合多种台账，需指定台账", fitting=fitting)
    match = _header_match(head, top.row_index, top, {**top.inferred, **constants}, taught=constants)
    if top.ledger.name == "documents" and "direction" not in match.columns and "direction" not in match.constants:
        problem = (
            "无法判断这些公文是收文还是发文：文件没有「收发类型」列，文件名和表头也看不出来。"
            "请用 --set direction=incoming（收文）或 --set direction=outgoing（发文）指定（上传页面中选择）。"
        )
        return Detection(None, problem, "需指定收文或发文", match, needs=("direction",))
    return Detection(match)


def _explain_ambiguous(fitting: tuple[str, ...]) -> str:
    names = "、".join(f"「{LEDGERS[n].label_zh}」({n})" for n in fitting)
    telling = "；".join(f"{LEDGERS[n].label_zh}：" + "、".join(_telling_examples(LEDGERS[n])) for n in fitting)
    choose = " 或 ".join(f"--ledger {n}" for n in fitting)
    return (
        f"表头同样符合 {names}，无法判断是哪一种台账（能区分它们的列都没有找到，如 {telling}）；"
        f"请用 {choose} 指定（上传页面中选择台账）。"
    )


def _telling_examples(ledger: Ledger) -> list[str]:
    """A few headers that would have told this ledger from the others."""
    distinctive = _distinctive(ledger.name)
    examples = [h for c in ledger.columns for h in (c.label_zh, *c.aliases) if normalise_header(h) in distinctive]
    return list(dict.fromkeys(examples))[:3]


def _header_match(
    head: list[list[str | None]],
    row_index: int,
    fit: _Fit,
    constants: dict[str, str] | None = None,
    *,
    taught: dict[str, str] | None = None,
) -> HeaderMatch:
    headers = tuple((cell or "").strip() for cell in head[row_index])
    if row_index != fit.row_index:
        fit = _Fit(row_index, fit.ledger, {}, {}, frozenset(), 0, 0)
    return HeaderMatch(
        fit.ledger,
        row_index,
        headers,
        fit.columns,
        _unique_labels(headers),
        parts=fit.parts,
        counted=fit.counted,
        constants=dict(constants or {}),
        taught=dict(taught or {}),
        roles=_roles(fit, headers),
    )


def _roles(fit: _Fit, headers: tuple[str, ...]) -> dict[str, int]:
    """Cells that steer loading without being a column (see HeaderMatch.roles)."""
    used = set(fit.columns.values()) | set(fit.parts.values())
    free = {normalise_header(h): p for p, h in enumerate(headers) if h and p not in used}
    words = {
        "supplies": (("issue_state", ISSUE_STATE_HEADERS), ("approval_state", APPROVAL_STATE_HEADERS)),
        "schedule": (("person", PERSON_HEADERS),),
    }.get(fit.ledger.name, ())
    roles = {}
    for role, candidates in words:
        found = next((free[k] for k in map(normalise_header, candidates) if k in free), None)
        if found is not None:
            roles[role] = found
    return roles


def _closeness(fit: _Fit) -> tuple[int, int, int]:
    """Most required columns found, then most columns, then the earliest row."""
    return (sum(c.name in fit.columns for c in fit.ledger.required), len(fit.columns), -fit.row_index)


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
    missing = [
        c
        for c in closest.ledger.required
        if c.name not in closest.columns and (closest.ledger.name, c.name) not in INFERABLE
    ]
    for group in closest.ledger.required_any:
        if not any(name in closest.columns for name in group):
            missing.append(closest.ledger.column(group[0]))
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

"""The typing SQL: how a text cell becomes a ledger value, written as DuckDB expressions.

Cells are trimmed (and HTML markup removed), dates read by regular expression and `try_strptime`,
numbers stripped of ¥/元/thousands separators, enums by their declared spellings; `_typed_select`
builds the one `select` that turns a sheet's cells into the typed table parse.py creates.
"""

from __future__ import annotations

import re

from analytics.ingest.headers import HeaderMatch
from analytics.ingest.validate import sql_literal
from analytics.ledgers import Column, Ledger, normalise_header

_TRIM = " \t\r\n\u3000\u00a0"
_FOOTER_WORDS = ("合计", "总计", "小计")
"""A summary row: its key is empty (or is itself the label) and a cell starts with one of these."""
_MONEY_CHARACTERS = "，¥￥元 "
"""Read out of a number: the full-width comma becomes `,` (translate's first character), the rest go."""
_GROUPED_NUMBER = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?"
_ISO_TIMESTAMP = r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,9})?)?)?"
_LOOSE_TIMESTAMP = (
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*T?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*分\s*(?:(\d{1,2})\s*秒)?|\s*[:：]\s*(\d{1,2}(?:\.\d{1,9})?))?)?"
)
TRUE_WORDS = ("是", "y", "yes", "true", "1", "有", "√")
FALSE_WORDS = ("否", "n", "no", "false", "0", "无", "×")


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(sql_literal(w) for w in words)


def _bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _common_style_sql(raw: str) -> str:
    """The usual non-ISO styles (`2026/1/5`, `2026/1/5 9:05`, `2026年1月5日`…) read by strptime, NULL else.

    Only for a text that matched `_LOOSE_TIMESTAMP`: strptime then gives the value the regular
    expression path would (and costs far less), but a format it refuses costs more, so the format
    is chosen from the separators first.
    """

    def strptime(style: str) -> str:
        return f"try_strptime({raw}, {sql_literal(style)})"

    has_time, has_seconds = f"contains({raw}, ':')", f"{raw} like '%:%:%'"
    return (
        f"case when contains({raw}, '/') then case when not {has_time} then {strptime('%Y/%m/%d')} "
        f"when {has_seconds} then {strptime('%Y/%m/%d %H:%M:%S')} else {strptime('%Y/%m/%d %H:%M')} end "
        f"when contains({raw}, '年') then case when not {has_time} and not contains({raw}, '时') "
        f"then {strptime('%Y年%m月%d日')} when not {has_seconds} then {strptime('%Y年%m月%d日 %H:%M')} end end"
    )


_PLAIN_DATES = (
    ("年", "%Y年%m月%d日", "suffix({raw}, '日')"),
    ("/", "%Y/%m/%d", "strlen({raw}) <= 10 and ord(({raw})[-1]) between 48 and 57"),
)
"""The date-only styles most OA exports write: the year's separator, the style, a test of the end.
A text with a digit first, the separator fifth and that end is, when strptime reads it, exactly
`2026年1月5日` / `2026/1/5` (strptime skips no inner space and reads one or two digits): no ISO text, a
`_LOOSE_TIMESTAMP` one, which the full expression would read with this very strptime. So its value is
taken without the two general regular expressions (and strptime, costly when it fails, is tried only
on texts of that shape)."""


def _timestamp_sql(raw: str) -> str:
    """Text → TIMESTAMP for every date style of ledgers.md; NULL when it is none of them.

    An ISO text is cast as it is; any other `_LOOSE_TIMESTAMP` text is read by strptime when it is
    a common style, else rewritten to ISO by the regular expression. `2026年1月5日` and `2026/1/5`
    are read by their strptime first (see `_PLAIN_DATES`); the rest (and what that refuses) go on.
    A text shaped `dddd-dd-dd[ hh:mm[:ss]]` (native Excel dates, ISO exports) is cast straight away:
    the cast accepts exactly what the ISO expression would hand it, and NULL goes on as before.
    """
    loose = sql_literal(_LOOSE_TIMESTAMP)
    rewritten = f"try_cast(rtrim(regexp_replace({raw}, {loose}, " r"'\1-\2-\3 \4:\5:\6\7'), ' :') as timestamp)"
    full = (
        f"case when regexp_full_match({raw}, {sql_literal(_ISO_TIMESTAMP)}) then try_cast({raw} as timestamp) "
        f"when regexp_full_match({raw}, {loose}) then coalesce({_common_style_sql(raw)}, {rewritten}) end"
    )
    plain = " ".join(
        f"when contains({raw}, {sql_literal(separator)}) and strpos({raw}, {sql_literal(separator)}) = 5 "
        f"and ord({raw}) between 48 and 57 and {end.format(raw=raw)} then try_strptime({raw}, {sql_literal(style)})"
        for separator, style, end in _PLAIN_DATES
    )
    iso = (
        f"when strlen({raw}) in (10, 16, 19) and ord({raw}) between 48 and 57 and substr({raw}, 5, 1) = '-' "
        f"and substr({raw}, 8, 1) = '-' then try_cast({raw} as timestamp)"
    )
    return f"coalesce(case {iso} {plain} end, {full})"


_ISO_WITH_ZONE = r"(\d{4}-\d{1,2}-\d{1,2})T(\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
_MONTH_FIRST = r"\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"
_MONTH_FIRST_STYLES = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")
_JAVA_DATE = r"[A-Za-z]{3} [A-Za-z]{3} \d{1,2} \d{1,2}:\d{2}:\d{2} [A-Za-z]{2,5} \d{4}"
NO_YEAR = r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?)?"
DATE_TOKEN = r"(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
"""A date inside a longer text, with or without its year (a deadline history `11月01日 延期至11月11日`)."""


def _other_styles_sql(raw: str) -> str:
    """Styles real exports write besides those of `_timestamp_sql`: ISO with `T` and a zone (the local
    time is kept), `10/23/2026 9:30:00 AM` (month first when the year comes last), Java's
    `Mon Oct 12 10:00:00 CST 2026`. NULL when none."""
    styles = "[" + ", ".join(sql_literal(style) for style in _MONTH_FIRST_STYLES) + "]"
    return (
        f"case when regexp_full_match({raw}, {sql_literal(_ISO_WITH_ZONE)}) "
        f"then try_cast(regexp_replace({raw}, {sql_literal(_ISO_WITH_ZONE)}, '\\1 \\2') as timestamp) "
        f"when regexp_full_match({raw}, {sql_literal(_MONTH_FIRST)}) then try_strptime(upper({raw}), {styles}) "
        f"when regexp_full_match({raw}, {sql_literal(_JAVA_DATE)}) then try_strptime("
        f"regexp_replace({raw}, ' [A-Za-z]{{2,5}} (\\d{{4}})$', ' \\1'), '%a %b %d %H:%M:%S %Y') end"
    )


def _no_year_sql(text: str, anchor: str) -> str:
    """A date without its year (`11月01日`, `11-01`, `11-01 9:30`) in the year that puts it nearest `anchor`."""
    pattern = sql_literal(NO_YEAR)

    def group(number: int) -> str:
        return f"regexp_extract({text}, {pattern}, {number})"

    def in_year(year: str) -> str:
        return (
            f"try_strptime(({year})::varchar || '-' || {group(1)} || '-' || {group(2)} || ' ' || "
            f"coalesce(nullif({group(3)}, ''), '0') || ':' || coalesce(nullif({group(4)}, ''), '0'), '%Y-%m-%d %H:%M')"
        )

    same = in_year(f"year({anchor})")
    return (
        f"case when regexp_full_match({text}, {pattern}) then case "
        f"when abs(date_diff('day', {anchor}, {same})) <= 182 then {same} "
        f"when {same} > {anchor} then {in_year(f'year({anchor}) - 1')} else {in_year(f'year({anchor}) + 1')} end end"
    )


def _any_date_sql(text: str, anchor: str) -> str:
    return f"coalesce({_timestamp_sql(text)}, {_other_styles_sql(text)}, {_no_year_sql(text, anchor)})"


def _number_sql(raw: str) -> str:
    """A number as OA exports write it (`1234.5`, `1,234.5`, `¥1,234.50`, `1234.5元`); NULL when it is none.

    Thousands separators count only in groups of three after the first digits: `¥1,2,3` is no number.
    """
    money = f"translate({raw}, {sql_literal(_MONEY_CHARACTERS)}, ',')"  # ，→ ,; ¥ ￥ 元 and spaces dropped
    grouped = (
        f"case when not contains({money}, ',') then try_cast({money} as double) "
        f"when regexp_full_match({money}, {sql_literal(_GROUPED_NUMBER)}) "
        f"then try_cast(replace({money}, ',', '') as double) end"
    )
    number = f"coalesce(try_cast({raw} as double), {grouped})"
    return f"(case when isfinite({number}) then {number} end)"


def value_sql(column: Column, raw: str) -> str:
    """A column's stored value (`v__`), typed as its ledger table column; NULL when unreadable.

    Enum columns are looked up separately (see _typed_select); defaults fill only empty cells.
    """
    if column.type == "int":
        number = _number_sql(raw)
        return f"case when {number} = trunc({number}) then try_cast({number} as bigint) end"
    if column.type == "number":
        return _number_sql(raw)
    if column.type in ("date", "datetime"):
        return _timestamp_sql(raw) + ("::date" if column.type == "date" else "")
    if column.type == "bool":
        return (
            f"case when lower({raw}) in ({_words(TRUE_WORDS)}) then true "
            f"when lower({raw}) in ({_words(FALSE_WORDS)}) then false end"
        )
    return raw


def default_sql(ledger: Ledger, column: Column) -> str | None:
    """The value of an empty cell, where ledgers.md gives one (a literal, or derived from other columns)."""
    if column.derived is not None:
        return column.derived
    return sql_literal(column.default) if column.default is not None else None


def accepted_values(column: Column) -> str:
    """`held（已召开、已完成…）、cancelled（…）`: the values a user may write."""
    return "、".join(
        f"{value}（{'、'.join(s for s in spellings if s != value)}）" if spellings else value
        for value, spellings in column.enum.items()
    )


def reason_sql(column: Column) -> str:
    """Why a cell is refused (NULL when it is fine), from the column's declaration."""
    raw, value = f"r__{column.name}", f"v__{column.name}"
    unreadable = {
        "int": "不是有效的数字",
        "number": "不是有效的数字（可写 1234.5、1,234.5、¥1,234.50、1234.5元）",
        "date": "无法识别的日期（应如 2026-11-23、2026/11/23 或 2026年11月23日）",
        "datetime": "无法识别的日期时间（应如 2026-11-23 14:05 或 2026年11月23日14时05分）",
        "bool": "无法识别的是/否值（可用：是、否、Y、N、有、无、√、×、true、false、1、0）",
        "enum": f"不是可用的取值；可用：{accepted_values(column)}",
    }
    cases = []
    if column.required:
        cases.append(f"when {raw} is null then '必填项为空'")
    number = _number_sql(raw) if column.type == "int" else value  # an int's range before its type: 1e30 is too large
    if column.minimum is not None:
        operator, word = (">", "大于") if column.exclusive_minimum else (">=", "不小于")
        cases.append(f"when not ({number} {operator} {column.minimum}) then '应{word} {_bound(column.minimum)}'")
    if column.maximum is not None:
        cases.append(f"when {number} > {column.maximum} then '应不大于 {_bound(column.maximum)}'")
    if column.type == "int":
        cases.append(f"when {raw} is not null and {value} is null and {number} is not null then '应为整数'")
    if column.type in unreadable:
        cases.append(f"when {raw} is not null and {value} is null then {sql_literal(unreadable[column.type])}")
    return f"case {' '.join(cases)} end" if cases else "null"


def declared_spellings(column: Column) -> dict[str, str]:
    """Every spelling an enum declares (and its values), as written → the value it reads as."""
    lookup = column.enum_lookup
    return {
        spelling: lookup[normalise_header(spelling)]
        for value, spellings in column.enum.items()
        for spelling in (value, *spellings)
    }


def _enum_sql(ledger: Ledger, column: Column) -> str:
    """An enum column's value: a declared spelling read in SQL, an empty cell its default.

    Other spellings (`Done`, full-width letters…) are left NULL here and read by `_read_other_spellings`.
    """
    raw = f"r__{column.name}"
    default = default_sql(ledger, column) or "null::varchar"
    known = " ".join(f"when {sql_literal(s)} then {sql_literal(v)}" for s, v in declared_spellings(column).items())
    return f"case when {raw} is null then {default} else case {raw} {known} end end"


_MARKUP = re.compile(r"<[a-zA-Z/][^>]*>")


def has_markup(head: list[list[str | None]]) -> bool:
    """HTML markup in the first rows of a sheet (`<font color=red>已超时</font>`): its cells are unmarked."""
    return any(cell and "<" in cell and _MARKUP.search(cell) for row in head for cell in row)


def unmarked(text: str) -> str:
    """A text without HTML markup."""
    return _MARKUP.sub("", text).replace("&nbsp;", " ").replace("&amp;", "&").strip(_TRIM)


def _unmarked_sql(text: str) -> str:
    return f"replace(replace(regexp_replace({text}, '<[a-zA-Z/][^>]*>', '', 'g'), '&nbsp;', ' '), '&amp;', '&')"


def _trimmed(position: int, markup: bool = False) -> str:
    """Cell `c{p}` without surrounding whitespace (full-width too), NULL when empty; without HTML
    markup too when the sheet's first rows have some (`markup`; elsewhere a cell that does not read
    is unmarked later, see `_read_other_spellings` and `_read_other_dates`, so plain sheets pay nothing).

    Reads `f{p}`/`l{p}`, the code points of its first and last characters (see `_edges`): a cell
    that starts and ends with no space is taken as it is, which is most of them and much faster.
    """
    cell = f"c{position}"

    def space(code: str) -> str:  # explicit comparisons: `in (…)` would plan as a join per cell
        return f"({code} <= 32 or {code} = 160 or {code} = 12288)"

    marked = (
        f"when f{position} = 60 or l{position} = 62 then trim({_unmarked_sql(cell)}, {sql_literal(_TRIM)}) "
        if markup
        else ""
    )
    return (
        f"nullif(case {marked}when {space(f'f{position}')} or {space(f'l{position}')} "
        f"then trim({cell}, {sql_literal(_TRIM)}) else {cell} end, '')"
    )


def _edges(position: int) -> str:
    return f"c{position}, ord(c{position}) as f{position}, ord(c{position}[-1]) as l{position}"


def _json_object(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return "null::json"
    return "json_object(" + ", ".join(f"{sql_literal(name)}, {expr}" for name, expr in pairs) + ")"


def _footer_sql(cell: str) -> str:
    """The cell starts with 合计/总计/小计 (prefix tests: a regular expression per cell costs more)."""
    return "(" + " or ".join(f"prefix({cell}, {sql_literal(word)})" for word in _FOOTER_WORDS) + ")"


TIME_ONLY = r"\d{1,2}\s*[:：]\s*\d{1,2}(?:\s*[:：]\s*\d{1,2})?(?:\s*[AaPp][Mm])?"
"""A time without a date (`9:30`, `09:30:00`, `9:30:00 AM`): joined to the date of a date column."""
_NAME_SEPARATORS = r"[,，、;；\s]+"


def _source_cell(column: Column, match: HeaderMatch) -> str:
    """The trimmed text a column reads: its cell; a date cell joined with a time cell; a constant."""
    position = match.columns.get(column.name)
    constant = match.constants.get(column.name)
    if position is None:
        return sql_literal(constant) if constant is not None else "null::varchar"
    text = f"x{position}"
    if column.name in match.parts:
        day = f"x{match.parts[column.name]}"
        text = (
            f"(case when {day} is null then {text} when {text} is null then {day} "
            f"when regexp_full_match({text}, {sql_literal(TIME_ONLY)}) then {day} || ' ' || {text} else {text} end)"
        )
    return f"coalesce({text}, {sql_literal(constant)})" if constant is not None else text


def _counted_sql(raw: str) -> str:
    """The number of names in a list (`张三、李四,王五` → 3)."""
    spaced = f"trim(regexp_replace({raw}, {sql_literal(_NAME_SEPARATORS)}, ' ', 'g'))"
    return f"(case when {spaced} <> '' then len(string_split({spaced}, ' ')) end)::bigint"


def _typed_select(cells: str, width: int, match: HeaderMatch, markup: bool = False) -> str:
    """One select over the sheet's cells (in sheet order): trimmed → skip flag (empty / footer row) → typed values.

    Gives `_skip`, `r__col` (trimmed text) of the columns that are not text, `v__col` (the value) of
    every column, and `x{p}` for cells that are no column. A summary row has an empty key (in a file
    without a key column: an empty required column), so the footer test runs only on such rows.
    """
    ledger = match.ledger
    every = [f"x{p}" for p in range(width)]
    trimmed = ", ".join(f"{_trimmed(p, markup)} as x{p}" for p in range(width))
    edges = ", ".join(_edges(p) for p in range(width))
    footer = " or ".join(_footer_sql(x) for x in every)
    empty = " and ".join(f"{x} is null" for x in every)
    if match.derived_key:
        present = [f"x{match.columns[c.name]}" for c in ledger.required if c.name in match.columns]
        guard = " or ".join(f"{x} is null" for x in present) or "true"
    else:
        key = f"x{match.columns[ledger.key.name]}"
        guard = f"{key} is null or {_footer_sql(key)}"

    def value(column: Column) -> str:
        cell = _source_cell(column, match)
        return _counted_sql(cell) if column.name in match.counted else value_sql(column, cell)

    used = match.used
    others = "".join(f", x{p}" for p in range(width) if p not in used)
    raws = "".join(f", {_source_cell(c, match)} as r__{c.name}" for c in ledger.columns if c.type != "text")
    values = "".join(f", {value(c)} as v__{c.name}" for c in ledger.columns if c.type != "enum")
    typed = f"""
        select case when {guard} then
                case when {empty} then 'empty' when {footer} then 'footer' end
            end as _skip{raws}{values}{others}
        from (select {trimmed} from (select {edges} from {cells}))
    """
    enums = [f"{_enum_sql(ledger, c)} as v__{c.name}" for c in ledger.columns if c.type == "enum"]
    return f"select *, {', '.join(enums)} from ({typed})" if enums else typed

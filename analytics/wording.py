"""Words that depend on a count or come from stored codes: English plurals, and the audit log's
source, outcome and detail in the reader's language (the log stores codes and JSON). No streamlit:
the dashboard and the printed report share them."""

from __future__ import annotations

import json
import re
from typing import Any

from analytics.formatting import Lang

# Nouns the interface and the written summary count, plural → singular.
SINGULAR = {
    "rows": "row",
    "files": "file",
    "problems": "problem",
    "conflicts": "conflict",
    "resolutions": "resolution",
    "meetings": "meeting",
    "documents": "document",
    "incidents": "incident",
    "reports": "report",
    "items": "item",
    "weeks": "week",
    "days": "day",
    "entries": "entry",
    "accounts": "account",
    "failures": "failure",
    "updates": "update",
}
_ONE = re.compile(r"(?<![\d.,])\b1 ((?:[A-Za-z-]+ )?)(" + "|".join(SINGULAR) + r")\b")


def english_plurals(text: str) -> str:
    """`1 conflicts` → `1 conflict`, `1 low-efficiency meetings` → `1 low-efficiency meeting`;
    other counts are left as written (the strings are written for many)."""
    return _ONE.sub(lambda m: f"1 {m.group(1)}{SINGULAR[m.group(2)]}", text)


OUTCOMES = {"ok": ("成功", "OK"), "refused": ("拒绝", "Refused"), "failed": ("失败", "Failed")}
SOURCES = {
    "local": ("本地账号", "Local account"),
    "oidc": ("企业单点登录", "Company sign-in"),
    "cli": ("命令行", "Command line"),
}
DETAIL_KEYS = {
    "week": ("周次", "week"),
    "period": ("期间", "period"),
    "departments": ("部门", "departments"),
    "report": ("格式", "format"),
    "rows": ("行数", "rows"),
    "role": ("角色", "role"),
    "source": ("登录方式", "signed in via"),
    "reason": ("原因", "reason"),
    "failures": ("失败次数", "failures"),
    "locked": ("已锁定", "locked"),
    "client": ("来源地址", "from address"),
    "blocked_minutes": ("该地址暂停（分钟）", "address blocked (min)"),
    "via": ("方式", "via"),
    "error": ("错误", "error"),
    "file": ("文件", "file"),
}
DETAIL_WORDS = {
    "all": ("全部部门", "all departments"),
    "locked": ("账号已锁定", "account locked"),
    "blocked": ("该地址暂被阻止", "address blocked"),
    "name_wide": ("新地址尝试过多", "too many attempts from new addresses"),
    "mapping": ("账号映射", "account mapping"),
    "claims": ("身份声明", "identity claims"),
    "bad_password": ("密码错误", "wrong password"),
    "unknown_user": ("账号不存在", "unknown account"),
    "disabled": ("账号已停用", "account disabled"),
    True: ("是", "yes"),
    False: ("否", "no"),
}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh" else pair[1]


def outcome_label(outcome: object, lang: Lang) -> str:
    return _pick(OUTCOMES[outcome], lang) if outcome in OUTCOMES else str(outcome or "")


def source_label(source: object, lang: Lang) -> str:
    return _pick(SOURCES[source], lang) if source in SOURCES else str(source or "")


def _word(value: Any, lang: Lang) -> str:
    if isinstance(value, list):
        return ("、" if lang == "zh" else ", ").join(_word(v, lang) for v in value) or _pick(DETAIL_WORDS["all"], lang)
    if isinstance(value, (bool, str)) and value in DETAIL_WORDS:
        return _pick(DETAIL_WORDS[value], lang)
    return str(value)


def audit_detail(detail: object, lang: Lang) -> str:
    """The stored detail (JSON or a word) as a line a person reads: `周次：2026-W47；部门：全部部门`."""
    if detail is None or detail == "":
        return ""
    text = str(detail)
    try:
        value = json.loads(text)
    except ValueError:
        return _word(text, lang)
    if not isinstance(value, dict):
        return _word(value, lang)
    parts = []
    order = list(DETAIL_KEYS)  # the log stores keys sorted; a person reads the week first
    for key, item in sorted(value.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        name = _pick(DETAIL_KEYS[key], lang) if key in DETAIL_KEYS else key
        parts.append(f"{name}：{_word(item, lang)}" if lang == "zh" else f"{name}: {_word(item, lang)}")
    return ("；" if lang == "zh" else "; ").join(parts)


# "账号或密码不正确。 Wrong account name or password.": a message written in both languages, Chinese first.
_BILINGUAL = re.compile(r"^(?P<zh>.*[\u4e00-\u9fff].*?[。！？）)])\s+(?P<en>[A-Z0-9][^\u4e00-\u9fff]*)$", re.S)


def in_language(message: str, lang: Lang) -> str:
    """The reader's half of a message written in both languages (Chinese, then English); any other
    message as it is."""
    match = _BILINGUAL.match(message.strip())
    if match is None:
        return message
    return match.group("zh") if lang == "zh" else match.group("en")

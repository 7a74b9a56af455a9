"""The group message: the week's written summary (conclusion first) and a link to the dashboard.

The words are `analytics.summary`'s, gathered once by `analytics.report.content.gather` (the same
text as the overview and the report); nothing here computes a number. Only company-level numbers
and department names reach the message: no document title, no calendar entry, no ledger row.
A message longer than the platform takes is trimmed from the end (proposals, then the lines of
data), with a note saying how many lines were left out; the conclusion, the headline numbers and the
link always stay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from analytics.formatting import format_value
from analytics.metrics import HEADLINE, METRICS
from analytics.report.content import gather
from analytics.settings import Settings
from analytics.weeks import Week, today


@dataclass(frozen=True)
class Block:
    """One paragraph of the message, in Markdown and as plain text; optional ones may be trimmed."""

    markdown: str
    plain: str
    optional: bool = False


@dataclass(frozen=True)
class Message:
    """The message before a platform shapes it: a title, paragraphs and the dashboard link."""

    title: str
    blocks: tuple[Block, ...]
    link: str | None = None


def _inert(text: str) -> str:
    """Ledger words made plain for a robot's Markdown: no links, emphasis, tags or headings."""
    for special in ("\\", "`", "*", "_", "[", "]", "<", ">", "#"):
        text = text.replace(special, " " if special in "<>#" else "")
    return " ".join(text.split())


def week_link(dashboard: str | None, week: Week) -> str | None:
    if not dashboard:
        return None
    return f"{dashboard}{'&' if '?' in dashboard else '?'}week={week}"


def weekly_message(
    con: duckdb.DuckDBPyConnection, week: Week, settings: Settings, dashboard: str | None = None
) -> Message:
    """The week's summary as a group message (company-wide, in Chinese)."""
    content = gather(con, week, settings, None, "zh", trend_weeks=0)
    summary = content.summary
    in_progress = week.end >= today()
    title = f"总经理办公室周度复盘 · {week}（{week.start:%m月%d日}—{week.end:%m月%d日}）"
    if in_progress:
        title += f"（本周进行中，数据截至{today():%m月%d日}）"
    headline = "核心指标：" + "；".join(
        f"{METRICS[line.name].label_zh} {format_value(line.value, line.unit)}"
        for line in content.lines
        if line.name in HEADLINE
    )
    blocks = [
        Block(f"**{_inert(summary.conclusion)}**", _inert(summary.conclusion)),
        Block(f"> {_inert(headline)}", _inert(headline)),
    ]
    blocks += [Block(f"- {_inert(line.text)}", f"• {_inert(line.text)}", optional=True) for line in summary.lines]
    if summary.proposals:
        blocks.append(Block("**建议：**", "建议：", optional=True))
        blocks += [
            Block(f"{number}. {_inert(p)}", f"{number}. {_inert(p)}", optional=True)
            for number, p in enumerate(summary.proposals, 1)
        ]
    return Message(title, tuple(blocks), week_link(dashboard, week))


def trimmed(message: Message, size: Callable[[Message], int], limit: int) -> tuple[Message, int]:
    """The message cut to `limit` (as `size` measures it): optional paragraphs dropped from the end,
    with a note saying how many; returns the message and the number of paragraphs left out."""
    if size(message) <= limit:
        return message, 0
    blocks = list(message.blocks)
    dropped = 0
    while any(block.optional for block in blocks):
        last = max(i for i, block in enumerate(blocks) if block.optional)
        del blocks[last]
        dropped += 1
        note = f"（篇幅所限，另有{dropped}条未列出，详见工作台或周报）"
        candidate = Message(message.title, (*blocks, Block(f"*{note}*", note)), message.link)
        if size(candidate) <= limit:
            return candidate, dropped
    # Even the conclusion does not fit: cut it at a character boundary.
    note = "（篇幅所限，内容已截断，详见工作台或周报）"
    text = "\n".join(block.plain for block in blocks)
    while text and size(Message(message.title, (Block(text + note, text + note),), message.link)) > limit:
        text = text[: max(0, len(text) - max(1, len(text) // 10))]
    return Message(message.title, (Block(text + note, text + note),), message.link), dropped + 1

"""The synthetic company behind `python -m analytics sample`: its departments, people, calendar and story.

Everything is drawn from numpy generators seeded by (seed, ledger name), so each ledger's rows depend only
on the seed and the window, never on the wall clock or on the order the ledgers are generated in.
Volumes are rates per day times `scale` (scale 1 = a company of 1,000 employees).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.weeks import Week, last_complete_week, working_calendar

DEPARTMENTS: tuple[str, ...] = (
    "总经理办公室",
    "行政部",
    "财务部",
    "人力资源部",
    "研发部",
    "市场部",
    "销售部",
    "生产部",
    "采购部",
    "法务部",
)
DEPT = {name: index for index, name in enumerate(DEPARTMENTS)}
HEADCOUNT_SHARE = np.array([0.02, 0.04, 0.04, 0.03, 0.22, 0.08, 0.15, 0.34, 0.05, 0.03])

SLIPPING_DEPT = "财务部"
"""The department that lets its resolutions slip: late and overdue far more often than the others."""

EXTENDING_DEPT = "市场部"
"""The department that asks to extend nearly every deadline, once or twice, and then finishes just before
the extended one: on time by its current deadlines, rarely by the original ones."""

EMPLOYEES_PER_SCALE = 1_000

_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN_NAMES = (
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "晓东", "海燕", "志强", "丹", "萍", "鑫",
    "浩", "宇", "欣怡", "子涵", "思远", "婷", "俊杰", "嘉怡", "雨桐", "博文", "一鸣", "佳琪", "梓轩", "晨", "颖", "雪",
    "凯", "昊", "立新", "国栋", "建国", "红梅", "晓燕", "志明", "春梅", "永刚", "海涛", "丽娟", "宏伟", "小红", "亚楠", "文静",
    "振华", "晓峰", "玉兰", "建军", "慧", "琳", "帆", "阳", "瑞", "蕾", "倩", "鹏", "亮", "辉",
)  # fmt: skip


@dataclass(frozen=True)
class Story:
    """Where the sample company's story falls in its window, for the dashboard to show."""

    slipping_dept: str
    extending_dept: str
    heavy_month: tuple[date, date]
    """The meeting-heavy month: many meetings, many of them low-efficiency, a crowded GM calendar."""
    scrap_week: Week
    """The week of wasted stock: expired toner, ink and batteries scrapped in a burst."""
    outage_week: Week
    """A week of repeated system outages with slow first responses."""

    def describe(self) -> list[str]:
        first, last = self.heavy_month
        return [
            f"决议拖期部门：{self.slipping_dept}（全年逾期率明显高于其他部门，且逐月恶化）",
            f"延期大户：{self.extending_dept}（几乎每项决议都申请延期，按期完成率好看，按原定时限完成率很低）",
            f"会议密集月：{first:%Y-%m-%d} 至 {last:%Y-%m-%d}（会议多、低效会议占比高、总经理日程冲突多）",
            f"集中报废周：{self.scrap_week}（{self.scrap_week.start:%Y-%m-%d} 起，过期硒鼓/墨盒/碳粉/电池）",
            f"系统故障周：{self.outage_week}（{self.outage_week.start:%Y-%m-%d} 起，多次系统故障、响应偏慢）",
        ]


@dataclass(frozen=True)
class Company:
    """The company and its window: weeks, calendar, people and the seeded generators."""

    seed: int
    scale: float
    first_week: Week
    last_week: Week
    working_days: np.ndarray
    """Every PRC working day from a month before the window to two months after it, sorted (datetime64[D])."""
    people: np.ndarray
    """Names, grouped by department: department d's people are people[offset[d] : offset[d] + count[d]]."""
    people_offset: np.ndarray
    people_count: np.ndarray
    story: Story

    @property
    def start(self) -> date:
        return self.first_week.start

    @property
    def end(self) -> date:
        """The last day of the window (a Sunday): nothing in the exports happens after it."""
        return self.last_week.end

    @property
    def start64(self) -> np.datetime64:
        return np.datetime64(self.start, "D")

    @property
    def end64(self) -> np.datetime64:
        return np.datetime64(self.end, "D")

    @property
    def export_day(self) -> np.datetime64:
        """The Monday after the window, when the ledgers are exported: follow-ups done by the end of that
        day (a Friday's document registered on Monday, minutes of a Sunday meeting) are in the files."""
        return self.end64 + 1

    def known_by_export(self, stamps: np.ndarray) -> np.ndarray:
        """Which dates or times (datetime64, NaT allowed) had happened when the ledgers were exported."""
        return stamps < (self.export_day + 1).astype(stamps.dtype)

    def rng(self, stream: str) -> np.random.Generator:
        """A generator of its own for each ledger (or part of one), seeded by the seed and its name."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode("utf-8"))])

    def window_days(self, working: bool | None = None) -> np.ndarray:
        """The window's days (datetime64[D]): all, only working days, or only days off."""
        days = np.arange(self.start64, self.end64 + 1)
        if working is None:
            return days
        is_working = np.isin(days, self.working_days)
        return days[is_working if working else ~is_working]

    def working_day_after(self, days: np.ndarray, steps: np.ndarray | int = 1) -> np.ndarray:
        """The `steps`-th working day strictly after each day (0 steps: the day itself)."""
        steps = np.broadcast_to(np.asarray(steps), days.shape)
        position = np.searchsorted(self.working_days, days, side="right") + steps - 1
        position = np.clip(position, 0, len(self.working_days) - 1)
        return np.where(steps == 0, days, self.working_days[position])

    def working_day_on_or_after(self, days: np.ndarray) -> np.ndarray:
        """Each day if it is a working day, else the next working day."""
        position = np.clip(np.searchsorted(self.working_days, days, side="left"), 0, len(self.working_days) - 1)
        return self.working_days[position]

    def people_of(self, dept: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random person of each row's department (dept: indices into DEPARTMENTS)."""
        pick = np.floor(rng.random(len(dept)) * self.people_count[dept]).astype(np.int64)
        return self.people[self.people_offset[dept] + pick]

    def in_heavy_month(self, days: np.ndarray) -> np.ndarray:
        first, last = self.story.heavy_month
        return (days >= np.datetime64(first, "D")) & (days <= np.datetime64(last, "D"))


def make_company(seed: int, weeks: int, scale: float, today: date | None = None) -> Company:
    """The company for `weeks` weeks ending with the last complete ISO week before `today`."""
    last_week = last_complete_week(today)
    first_week = last_week.shift(-(weeks - 1))
    calendar = working_calendar(first_week.start - timedelta(days=40), last_week.end + timedelta(days=60))
    working_days = np.array(calendar.loc[calendar["is_working_day"], "day"].tolist(), dtype="datetime64[D]")

    rng = np.random.default_rng([seed, zlib.crc32(b"people")])
    headcount = HEADCOUNT_SHARE * EMPLOYEES_PER_SCALE * scale
    people_count = np.clip(np.round(5 + 0.02 * headcount), 5, 200).astype(np.int64)
    combos = len(_SURNAMES) * len(_GIVEN_NAMES)
    drawn = rng.choice(combos, size=int(people_count.sum()), replace=False)
    surnames = np.array(_SURNAMES, dtype=object)[drawn // len(_GIVEN_NAMES)]
    given = np.array(_GIVEN_NAMES, dtype=object)[drawn % len(_GIVEN_NAMES)]
    people = surnames + given
    people_offset = np.concatenate([[0], np.cumsum(people_count)[:-1]])

    return Company(
        seed=seed,
        scale=scale,
        first_week=first_week,
        last_week=last_week,
        working_days=working_days,
        people=people,
        people_offset=people_offset,
        people_count=people_count,
        story=_story(first_week, weeks),
    )


def _story(first_week: Week, weeks: int) -> Story:
    """Place the story in the window at fixed fractions of its length, so any window tells it."""
    start = first_week.start
    end = start + timedelta(weeks=weeks) - timedelta(days=1)

    def week_at(fraction: float) -> Week:
        return first_week.shift(min(weeks - 1, int(fraction * weeks)))

    # The meeting-heavy month: the calendar month that holds the day at 65% of the window, when the
    # whole month lies inside it; otherwise four weeks (or the whole window, if shorter) from there.
    anchor = start + timedelta(days=int(0.65 * (end - start).days))
    month_first = anchor.replace(day=1)
    month_last = (month_first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if month_first < start or month_last > end:
        month_first = week_at(0.6).start
        month_last = min(end, month_first + timedelta(days=27))
    return Story(
        slipping_dept=SLIPPING_DEPT,
        extending_dept=EXTENDING_DEPT,
        heavy_month=(month_first, month_last),
        scrap_week=week_at(0.45),
        outage_week=week_at(0.82),
    )


def pick(rng: np.random.Generator, options: tuple[str, ...] | list[str], size: int, p=None) -> np.ndarray:
    """`size` draws from a small set of strings, as an object array."""
    return np.array(options, dtype=object)[rng.choice(len(options), size=size, p=_normalised(p))]


def pick_from_groups(
    rng: np.random.Generator, groups: dict[int, tuple[str, ...]], keys: np.ndarray, fallback: tuple[str, ...]
) -> np.ndarray:
    """For each row, a random string from the group its key names (keys without a group use `fallback`)."""
    size = int(keys.max()) + 1 if len(keys) else 1
    pools = [groups.get(k, fallback) for k in range(size)]
    flat = np.array([item for pool in pools for item in pool], dtype=object)
    count = np.array([len(pool) for pool in pools])
    offset = np.concatenate([[0], np.cumsum(count)[:-1]])
    choice = np.floor(rng.random(len(keys)) * count[keys]).astype(np.int64)
    return flat[offset[keys] + choice]


def _normalised(p):
    if p is None:
        return None
    weights = np.asarray(p, dtype=float)
    return weights / weights.sum()


def daily_counts(rng: np.random.Generator, days: np.ndarray, rate: np.ndarray | float) -> np.ndarray:
    """Poisson counts of events per day, repeated into one day per event (sorted by day)."""
    counts = rng.poisson(np.broadcast_to(rate, days.shape))
    return np.repeat(days, counts)


def minutes(values: np.ndarray) -> np.ndarray:
    """A number of minutes as timedelta64[m] (rounded)."""
    return np.round(np.asarray(values, dtype=float)).astype(np.int64).astype("timedelta64[m]")


def sequence_within(groups: np.ndarray) -> np.ndarray:
    """1, 2, 3 … within each run of equal values of a sorted array (a per-day or per-year counter)."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    _, first, inverse = np.unique(groups, return_index=True, return_inverse=True)
    return np.arange(len(groups)) - first[inverse] + 1


def table(columns: dict[str, object]) -> pd.DataFrame:
    """A DataFrame whose text columns stay numpy object arrays (scalars are repeated down the column).

    pandas' Arrow-backed strings cost more in conversions than they give in this vectorised code.
    """
    length = next(len(v) for v in columns.values() if isinstance(v, np.ndarray | list | pd.Series))
    data = {}
    for name, values in columns.items():
        values = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        if values.ndim == 0:
            values = np.full(length, values.item(), dtype=object if values.dtype.kind in "OU" else values.dtype)
        if values.dtype.kind in "OU":
            values = pd.Series(values.astype(object), dtype=object)
        data[name] = values
    return pd.DataFrame(data)

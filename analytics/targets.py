"""Target bands of the weekly review: where a number is on target, worth watching, or off target.

metrics.md defines how each number is computed, not what a good week looks like; these bands are
the workbench's working targets, taken from the seed's service levels (minutes in 24 h,
registration in 1 working day, response in 5 minutes, reports in 24 h) and the headline numbers it
names. The assistant can change them on 指标说明: they are saved as the settings file's `[targets]`
(`decision_completion_rate = { good = 0.9, alert = 0.8 }`) and read with the thresholds. The
dashboard, the written summary, the charts and the report share them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from analytics.formatting import format_value
from analytics.metrics.registry import METRICS

Status = Literal["good", "watch", "bad", "unknown"]


@dataclass(frozen=True)
class Target:
    """A band: `good` is the target itself, `alert` the edge past which the week is off target.

    For a metric where higher is better a value ≥ good is on target, below alert is off target,
    in between worth watching; for lower-is-better metrics the comparisons turn round.
    """

    good: float
    alert: float
    higher_is_better: bool

    def status(self, value: float | None) -> Status:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "unknown"
        if self.higher_is_better:
            return "good" if value >= self.good else "bad" if value < self.alert else "watch"
        return "good" if value <= self.good else "bad" if value > self.alert else "watch"


DEFAULT_TARGETS: dict[str, Target] = {
    m.name: Target(m.target.good, m.target.alert, bool(m.higher_is_better))
    for m in METRICS.values()
    if m.target is not None
}
"""The bands each MetricDef declares (`target`), with its direction."""


TARGETS: dict[str, Target] = dict(DEFAULT_TARGETS)
"""The bands in force: the defaults above with the `[targets]` of the settings file over them
(`use`, called whenever settings are read: analytics.settings.parse_settings). Every page, chart,
summary and report reads this one dict, so an edited target shows everywhere."""


def use(overrides: dict[str, tuple[float, float]]) -> None:
    """Put the settings file's targets (name → (good, alert)) in force over the defaults."""
    bands = dict(DEFAULT_TARGETS)
    for name, (good, alert) in overrides.items():
        bands[name] = Target(good, alert, DEFAULT_TARGETS[name].higher_is_better)
    TARGETS.clear()
    TARGETS.update(bands)


def target_problem(name: str, good: object, alert: object) -> str | None:
    """Why (good, alert) cannot be the band of metric `name` (a plain sentence), or None when it can:
    a known metric with a band, two numbers, rates within 0–1 (0%–100%), counts and sums not negative,
    and the alert line on the far side of the target (below it where higher is better)."""
    if name not in DEFAULT_TARGETS:
        return f"指标「{name}」没有目标值；可设目标的指标：{', '.join(DEFAULT_TARGETS)}"
    for value in (good, alert):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            return f"指标「{name}」的目标 {value!r} 不是数字"
    from analytics.metrics.registry import METRICS

    is_rate = METRICS[name].unit == "rate" if name in METRICS else good <= 1  # type: ignore[operator]
    high = 1 if is_rate else 1e12
    if not (0 <= good <= high and 0 <= alert <= high):  # type: ignore[operator]
        return f"指标「{name}」的目标 {good!r}、需处理线 {alert!r} 超出范围（应在 0 到 {high:g} 之间）"
    if DEFAULT_TARGETS[name].higher_is_better and alert > good:  # type: ignore[operator]
        return f"指标「{name}」越高越好：需处理线 {alert!r} 不能高于目标 {good!r}"
    if not DEFAULT_TARGETS[name].higher_is_better and alert < good:  # type: ignore[operator]
        return f"指标「{name}」越低越好：需处理线 {alert!r} 不能低于目标 {good!r}"
    return None


def status(name: str, value: float | None) -> Status:
    """How a metric's value stands against its band; `unknown` without a band or a value."""
    target = TARGETS.get(name)
    return target.status(value) if target else "unknown"


def describe_target(name: str, unit: str, lang: str = "zh") -> str | None:
    """`目标 ≥ 90.0%（低于 80.0% 需处理）` — the band in words, or None without one."""
    target = TARGETS.get(name)
    if target is None:
        return None
    good, alert = format_value(target.good, unit, lang), format_value(target.alert, unit, lang)
    if target.higher_is_better:
        return f"目标 ≥ {good}（低于 {alert} 需处理）" if lang == "zh" else f"target ≥ {good} (act below {alert})"
    return f"目标 ≤ {good}（高于 {alert} 需处理）" if lang == "zh" else f"target ≤ {good} (act above {alert})"

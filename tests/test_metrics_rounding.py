"""Published numbers are rounded 四舍五入 (half away from zero), as Excel's ROUND does."""

from __future__ import annotations

import pytest

from analytics.metrics.engine import _round


@pytest.mark.parametrize(
    ("number", "decimals", "expected"),
    [
        (5 / 32, 4, 0.1563),  # 0.15625: a tie, up (Python's round would give 0.1562)
        (21 / 32, 4, 0.6563),
        (0.12344, 4, 0.1234),
        (536.775, 2, 536.78),
        (-0.00001, 4, 0.0),
        (2.5, 0, 3),
        (None, 2, None),
    ],
)
def test_rounding_is_half_up(number: float | None, decimals: int, expected: float | None) -> None:
    assert _round(number, decimals) == expected

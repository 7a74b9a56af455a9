"""What a KPI tile shows: 无数据, "—" with a reason, or the number (analytics.tiles)."""

from __future__ import annotations

import pytest

from analytics.tiles import TileFace, tile_face


@pytest.mark.parametrize(
    ("value", "unit", "options", "expected"),
    [
        pytest.param(0, "count", {"has_rows": False}, TileFace(None, "no_rows_in_period", True), id="no-rows-zero"),
        pytest.param(None, "rate", {"has_rows": False}, TileFace(None, "no_rows_in_period", True), id="no-rows-none"),
        pytest.param(
            None, "rate", {"note": "未提供截止日期"}, TileFace(None, "input_missing", False), id="input-missing"
        ),
        pytest.param(None, "rate", {"problem": "查询失败"}, TileFace("—", "not_computed", False), id="not-computed"),
        pytest.param(
            None,
            "count",
            {"has_rows": False, "problem": "查询失败"},
            TileFace("—", "not_computed", True),
            id="failed-wins",
        ),
        pytest.param(0.85, "rate", {}, TileFace("85.0%", None, False), id="number"),
        pytest.param(0, "count", {}, TileFace("0", None, False), id="zero-with-rows"),
        pytest.param(0.5, "rate", {"note": "3 行缺截止日期"}, TileFace("50.0%", None, False), id="partial-number"),
        pytest.param(1569.0, "hours", {"lang": "en"}, TileFace("1,569 h", None, False), id="english-hours"),
        pytest.param(None, "rate", {}, TileFace("—", None, False), id="no-value-no-reason"),
    ],
)
def test_a_tile_shows_no_data_a_dash_with_its_reason_or_the_number(
    value: float | None, unit: str, options: dict, expected: TileFace
) -> None:
    assert tile_face(value, unit, **options) == expected

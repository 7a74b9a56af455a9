"""Office supplies (办公用品台账): one XLSX with a sheet per kind of movement, a 说明 sheet and 合计 rows.

Stock is replenished on the first working day of each month to cover the month's outflow plus a safety
stock, so no item's stock ever goes negative. Story: a week in which expired toner, ink and batteries
are scrapped in a burst; a few items nobody has asked for in 90+ days (idle stock); paper cups and
tissues running short at the end of the window (a supplier delivered only part of the last order);
and table name cards that never carry a price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.sample.company import (
    DEPARTMENTS,
    DEPT,
    HEADCOUNT_SHARE,
    Company,
    daily_counts,
    pick,
    sequence_within,
    table,
)
from analytics.sample.export import Col, ExportFile, Sheet, format_dates, format_money, numbered

REQUISITIONS_PER_WORKING_DAY = 48.0
SAFETY_DAYS = 20


@dataclass(frozen=True)
class Item:
    name: str
    category: str
    unit: str
    price: float  # NaN: never priced
    popularity: float
    max_quantity: int
    pack: int = 1


NO_PRICE = float("nan")
ITEMS: tuple[Item, ...] = (
    Item("A4打印纸", "办公纸品", "包", 25.0, 10, 10, 10),
    Item("A3打印纸", "办公纸品", "包", 48.0, 1.5, 3, 5),
    Item("便利贴", "办公纸品", "本", 3.5, 4, 10, 20),
    Item("笔记本", "办公纸品", "本", 8.5, 5, 10, 20),
    Item("信封", "办公纸品", "个", 0.5, 2, 50, 100),
    Item("红头文件纸", "办公纸品", "包", 55.0, 0.4, 2),
    Item("签字笔", "书写工具", "支", 2.5, 9, 20, 50),
    Item("中性笔芯", "书写工具", "支", 0.8, 5, 30, 100),
    Item("白板笔", "书写工具", "支", 4.0, 2, 6, 10),
    Item("荧光笔", "书写工具", "支", 3.0, 2, 6, 10),
    Item("硒鼓", "打印耗材", "个", 380.0, 2.5, 2),
    Item("墨盒", "打印耗材", "个", 150.0, 2, 3),
    Item("碳粉", "打印耗材", "瓶", 90.0, 1.5, 3),
    Item("文件夹", "文件管理", "个", 6.0, 5, 10, 20),
    Item("档案盒", "文件管理", "个", 8.0, 3, 10, 20),
    Item("长尾夹", "文件管理", "盒", 6.5, 3, 5, 10),
    Item("回形针", "文件管理", "盒", 2.5, 2, 5, 10),
    Item("订书机", "桌面用品", "个", 18.0, 1, 2),
    Item("订书钉", "桌面用品", "盒", 2.0, 3, 5, 10),
    Item("剪刀", "桌面用品", "把", 6.0, 0.8, 2),
    Item("透明胶带", "桌面用品", "卷", 1.5, 2, 10, 20),
    Item("计算器", "桌面用品", "个", 45.0, 0.5, 1),
    Item("5号电池", "电子耗材", "节", 2.5, 3, 8, 20),
    Item("7号电池", "电子耗材", "节", 2.5, 2, 8, 20),
    Item("U盘", "电子耗材", "个", 45.0, 0.8, 2),
    Item("鼠标", "电子耗材", "个", 39.0, 0.8, 2),
    Item("激光笔", "电子耗材", "支", 65.0, 0.3, 1),
    Item("纸杯", "生活用品", "包", 12.0, 6, 10),
    Item("抽纸", "生活用品", "提", 28.0, 5, 5),
    Item("桶装水", "生活用品", "桶", 18.0, 6, 10),
    Item("茶叶", "生活用品", "盒", 120.0, 0.6, 2),
    Item("洗手液", "生活用品", "瓶", 15.0, 1.5, 4, 6),
    Item("会议桌牌", "会务用品", "个", NO_PRICE, 0.6, 10),
    Item("装订机", "办公设备", "台", 260.0, 0.0, 1),
    Item("投影仪灯泡", "办公设备", "个", 850.0, 0.0, 1),
)
INDEX = {item.name: i for i, item in enumerate(ITEMS)}
NEVER_ISSUED = {"装订机": 3, "投影仪灯泡": 4}  # item: stock on hand, idle all year
ISSUED_EARLY_ONLY = ("激光笔", "红头文件纸")  # idle for the last months of the window
RUNNING_SHORT = ("纸杯", "抽纸")
# The scrap burst: item, rows per unit of scale, most per row, how it is recorded, reason.
SCRAP_BURST = (
    ("硒鼓", 10, 3, "过期", "硒鼓超过保质期，无法使用"),
    ("墨盒", 10, 5, "过期", "墨盒过期干涸"),
    ("碳粉", 6, 4, "过期", "碳粉受潮结块，已过期"),
    ("5号电池", 5, 30, "报废", "库存电池漏液"),
    ("7号电池", 3, 30, "报废", "库存电池漏液"),
)
SUPPLIERS = ("得力办公专营店", "晨光文具供应商", "京东企业购", "本地办公用品批发部")


def generate_supplies(company: Company) -> pd.DataFrame:
    """One row per stock movement: canonical columns (`txn_type` is the exported Chinese label) plus `kind`."""
    rng = company.rng("supplies")
    issues = _issues(company, rng)
    returns = _returns(company, rng, issues)
    scraps = _scraps(company, rng, issues)
    stock = _replenishment(company, rng, outflow=pd.concat([issues, scraps], ignore_index=True), inflow=returns)
    frame = pd.concat([stock, issues, returns, scraps], ignore_index=True)

    frame["category"] = np.array([item.category for item in ITEMS], dtype=object)[frame["item_index"]]
    frame["unit"] = np.array([item.unit for item in ITEMS], dtype=object)[frame["item_index"]]
    frame["item"] = np.array([item.name for item in ITEMS], dtype=object)[frame["item_index"]]

    # Movements out and back carry the latest purchase price on some rows, none on the others (and the
    # table name cards, never priced anywhere, on none).
    frame = frame.sort_values(["txn_date", "kind_order"], kind="stable").reset_index(drop=True)
    priced = frame[frame["kind"].isin(["opening", "purchase"])][["txn_date", "item_index", "unit_price"]]
    latest = pd.merge_asof(
        frame[["txn_date", "item_index"]].reset_index(),
        priced.rename(columns={"unit_price": "latest_price"}).sort_values("txn_date"),
        on="txn_date",
        by="item_index",
        direction="backward",
    ).set_index("index")["latest_price"]
    show_price = rng.random(len(frame)) < np.where(frame["kind"] == "issue", 0.4, 0.8)
    moving = ~frame["kind"].isin(["opening", "purchase"])
    frame.loc[moving, "unit_price"] = np.where(show_price[moving], latest[moving], np.nan)

    day = frame["txn_date"].to_numpy()
    prefix = frame["kind"].map(
        {"opening": "QC", "purchase": "CG", "issue": "LY", "return": "TK", "scrap": "BF", "loss": "PK"}
    )
    frame["txn_id"] = ""
    for kind_prefix in prefix.unique():
        rows = (prefix == kind_prefix).to_numpy()
        frame.loc[rows, "txn_id"] = numbered(
            kind_prefix, day[rows], sequence_within(day[rows]), lambda d: f"{d:%Y%m%d}", 3
        )
    return frame


def _issues(company: Company, rng: np.random.Generator) -> pd.DataFrame:
    day = daily_counts(rng, company.window_days(working=True), REQUISITIONS_PER_WORKING_DAY * company.scale)
    n = len(day)
    popularity = np.array([item.popularity for item in ITEMS])
    item = rng.choice(len(ITEMS), size=n, p=popularity / popularity.sum())
    # Items issued only early in the window are asked for in its first 40%, and never in its last 130 days.
    cutoff = min(company.start64 + int(0.4 * (company.end64 - company.start64).astype(np.int64)), company.end64 - 130)
    early_only = np.isin(item, [INDEX[name] for name in ISSUED_EARLY_ONLY])
    keep = ~early_only | (day <= cutoff)
    day, item = day[keep], item[keep]
    n = len(day)
    dept_share = 0.5 * HEADCOUNT_SHARE + 0.5 / len(DEPARTMENTS)
    dept = rng.choice(len(DEPARTMENTS), size=n, p=dept_share / dept_share.sum())
    most = np.array([it.max_quantity for it in ITEMS])[item]
    return table(
        {
            "txn_date": day,
            "item_index": item,
            "kind": "issue",
            "kind_order": 2,
            "txn_type": "领用出库",
            "quantity": 1 + np.floor(rng.random(n) * most).astype(np.int64),
            "unit_price": np.nan,
            "department": np.array(DEPARTMENTS, dtype=object)[dept],
            "person": company.people_of(dept, rng),
            "note": pick(rng, ("", "", "", "日常办公", "会议使用", "新员工入职"), n),
        }
    )


def _returns(company: Company, rng: np.random.Generator, issues: pd.DataFrame) -> pd.DataFrame:
    chosen = issues[rng.random(len(issues)) < 0.02].copy()
    later = chosen["txn_date"].to_numpy() + rng.integers(1, 11, len(chosen)).astype("timedelta64[D]")
    chosen["txn_date"] = company.working_day_on_or_after(later)
    chosen = chosen[chosen["txn_date"].to_numpy() <= company.end64]
    quantity = chosen["quantity"].to_numpy()
    chosen["quantity"] = 1 + np.floor(rng.random(len(chosen)) * quantity).astype(np.int64)
    chosen["kind"], chosen["kind_order"], chosen["txn_type"] = "return", 1, "退库"
    chosen["note"] = pick(rng, ("领多退回", "项目结束退回", "规格不符退回"), len(chosen))
    return chosen


def _scraps(company: Company, rng: np.random.Generator, issues: pd.DataFrame) -> pd.DataFrame:
    """Sporadic damage, quarterly stock-take losses, and the burst of expired stock in the scrap week."""
    working = company.window_days(working=True)
    damaged_day = working[rng.integers(0, len(working), max(1, round(0.004 * len(issues))))]
    issued_items = np.unique(issues["item_index"].to_numpy())
    damaged_item = (
        issued_items[rng.integers(0, max(1, len(issued_items)), len(damaged_day))] if len(issued_items) else []
    )
    damaged_day = damaged_day[: len(damaged_item)]
    damaged = table(
        {
            "txn_date": damaged_day,
            "item_index": damaged_item,
            "kind": "scrap",
            "txn_type": pick(rng, ("报废", "损坏", "损耗"), len(damaged_day)),
            "quantity": rng.integers(1, 4, len(damaged_day)),
            "note": pick(rng, ("运输途中破损", "包装受潮", "使用中损坏"), len(damaged_day)),
        }
    )

    months = np.unique(working.astype("datetime64[M]"))
    quarter_months = months[(months.astype(np.int64) % 3) == 2]
    quarter_end = np.array(
        [working[working.astype("datetime64[M]") == m].max() for m in quarter_months], dtype="datetime64[D]"
    )
    quarter_end = quarter_end[quarter_end < company.end64 - 6]
    per_quarter = max(1, round(4 * min(company.scale, 3)))
    loss_day = np.repeat(quarter_end, per_quarter)
    frequent = [INDEX[name] for name in ("签字笔", "订书钉", "回形针", "长尾夹", "U盘", "计算器", "剪刀")]
    losses = table(
        {
            "txn_date": loss_day,
            "item_index": np.array(frequent)[rng.integers(0, len(frequent), len(loss_day))],
            "kind": "loss",
            "txn_type": pick(rng, ("盘亏", "丢失"), len(loss_day), p=(0.8, 0.2)),
            "quantity": rng.integers(1, 6, len(loss_day)),
            "note": "季度盘点盘亏",
        }
    )

    week_days = np.arange(
        np.datetime64(company.story.scrap_week.start, "D"), np.datetime64(company.story.scrap_week.end, "D") + 1
    )
    week_days = week_days[np.isin(week_days, working)]
    if len(week_days) == 0:
        week_days = np.array([np.datetime64(company.story.scrap_week.start, "D")])
    rows_per_item = np.array([max(1, round(rows * company.scale)) for _, rows, _, _, _ in SCRAP_BURST])
    burst_item = np.repeat([INDEX[name] for name, *_ in SCRAP_BURST], rows_per_item)
    burst_most = np.repeat([most for _, _, most, _, _ in SCRAP_BURST], rows_per_item)
    burst = table(
        {
            "txn_date": week_days[rng.integers(0, len(week_days), len(burst_item))],
            "item_index": burst_item,
            "kind": "scrap",
            "txn_type": np.repeat([label for *_, label, _ in SCRAP_BURST], rows_per_item).astype(object),
            "quantity": 1 + np.floor(rng.random(len(burst_item)) * burst_most).astype(np.int64),
            "note": np.repeat([reason for *_, reason in SCRAP_BURST], rows_per_item).astype(object),
        }
    )
    scraps = pd.concat([damaged, losses, burst], ignore_index=True)
    scraps["kind_order"] = 3
    scraps["unit_price"] = np.nan
    scraps["department"] = "行政部"
    scraps["person"] = company.people_of(np.full(len(scraps), DEPT["行政部"]), rng)
    return scraps


def _replenishment(
    company: Company, rng: np.random.Generator, outflow: pd.DataFrame, inflow: pd.DataFrame
) -> pd.DataFrame:
    """Opening stock and monthly purchases that cover each month's net outflow plus a safety stock."""
    working = company.window_days(working=True)
    months = working.astype("datetime64[M]")
    first_of_month = working[np.r_[True, months[1:] != months[:-1]]]
    purchase_days = first_of_month[first_of_month > company.start64]
    period_start = np.concatenate([[company.start64], purchase_days])
    n_items, n_periods = len(ITEMS), len(period_start)

    need = np.zeros((n_items, n_periods))
    for movements, sign in ((outflow, 1), (inflow, -1)):
        period = np.searchsorted(period_start, movements["txn_date"].to_numpy(), side="right") - 1
        np.add.at(need, (movements["item_index"].to_numpy(), period), sign * movements["quantity"].to_numpy())

    days_in_window = max(1, int((company.end64 - company.start64).astype(np.int64)) + 1)
    daily = need.sum(axis=1) / days_in_window
    safety = np.ceil(daily * SAFETY_DAYS) + 2
    never = [INDEX[name] for name in NEVER_ISSUED]
    safety[never] = 0
    pack = np.array([item.pack for item in ITEMS])
    # Items running short: in the window's last weeks the supplier delivers only part of each order,
    # and stock falls to about two days of demand.
    target = np.repeat(safety[:, None], n_periods, axis=1)
    short_periods = period_start > company.end64 - 40
    short = np.array([INDEX[name] for name in RUNNING_SHORT])
    target[np.ix_(short, np.nonzero(short_periods)[0])] = np.ceil(daily[short] * 2)[:, None]
    partial = np.zeros((n_items, n_periods), dtype=bool)
    partial[np.ix_(short, np.nonzero(short_periods)[0])] = True

    opening = need[:, 0] + target[:, 0]
    opening[never] = list(NEVER_ISSUED.values())
    for name in ISSUED_EARLY_ONLY:
        opening[INDEX[name]] += 4  # left over: idle stock at the end
    purchases = np.zeros((n_items, n_periods))
    on_hand = opening - need[:, 0]
    for p in range(1, n_periods):
        shortfall = need[:, p] + target[:, p] - on_hand
        rounded = np.ceil(shortfall / np.where(partial[:, p], 1, pack)) * np.where(partial[:, p], 1, pack)
        purchases[:, p] = np.where(shortfall > 0, rounded, 0)
        on_hand = on_hand + purchases[:, p] - need[:, p]

    item_idx, period_idx = np.nonzero(purchases)
    priced = np.array([item.price for item in ITEMS])
    drift = 1 + rng.uniform(-0.05, 0.05, len(item_idx))
    step = np.where(priced[item_idx] >= 50, 1.0, 0.1)
    purchase_price = np.round(np.round(priced[item_idx] * drift / step) * step, 2)
    purchased = table(
        {
            "txn_date": period_start[period_idx],
            "item_index": item_idx,
            "kind": "purchase",
            "kind_order": 0,
            "txn_type": "采购入库",
            "quantity": purchases[item_idx, period_idx],
            "unit_price": purchase_price,
            "department": "行政部",
            "person": company.people_of(np.full(len(item_idx), DEPT["行政部"]), rng),
            "note": np.where(partial[item_idx, period_idx], "供应商缺货，部分到货", ""),
            "supplier": pick(rng, SUPPLIERS, len(item_idx)),
        }
    )
    opened = table(
        {
            "txn_date": np.full(n_items, company.start64),
            "item_index": np.arange(n_items),
            "kind": "opening",
            "kind_order": -1,
            "txn_type": "期初",
            "quantity": opening,
            "unit_price": priced,
            "department": "",
            "person": "",
            "note": "上年末盘点结转",
        }
    )
    opened = opened[opened["quantity"] > 0]
    return pd.concat([opened, purchased], ignore_index=True)


def supplies_export(supplies: pd.DataFrame, company: Company, as_csv: bool) -> ExportFile:
    """Several sheets (期初库存, 采购入库, 领用出库, 报废盘亏) plus 说明; one CSV when the file is large."""
    rng = company.rng("supplies-export")
    if as_csv:
        sheet = _sheet(supplies, "办公用品台账", rng, headers=_CSV_HEADERS, money_every=0.1)
        return ExportFile(name="办公用品台账.csv", ledger="supplies", sheets=[sheet], encoding="utf-8-sig")
    kinds = supplies["kind"]
    sheets = [
        _sheet(
            supplies[kinds == "opening"],
            "期初库存",
            rng,
            _OPENING_HEADERS,
            title=f"办公用品期初库存（{company.start:%Y年%m月%d日}）",
        ),
        _sheet(supplies[kinds == "purchase"], "采购入库", rng, _PURCHASE_HEADERS, money_every=0.15, date_text=True),
        _sheet(supplies[kinds.isin(["issue", "return"])], "领用出库", rng, _ISSUE_HEADERS, money_every=0.08),
        _sheet(supplies[kinds.isin(["scrap", "loss"])], "报废盘亏", rng, _SCRAP_HEADERS, title="报废及盘亏登记表"),
    ]
    notes = [
        "办公用品台账说明",
        "1. 本台账由行政部维护，数据自OA系统“办公用品管理”模块导出。",
        f"2. 统计期间：{company.start:%Y年%m月%d日}至{company.end:%Y年%m月%d日}。",
        "3. 单价以元计，领用出库未填单价的按最近一次采购价核算。",
        "4. 会议桌牌为供应商随会务服务赠送，无采购价格。",
        "5. 各工作表末行为合计行。",
    ]
    return ExportFile(name="办公用品台账.xlsx", ledger="supplies", sheets=sheets, notes=notes)


# canonical column (or extra field) → header, per sheet
_OPENING_HEADERS = {
    "txn_id": "单据编号", "txn_date": "日期", "item": "物品名称", "category": "类别", "txn_type": "类型",
    "quantity": "数量", "unit": "单位", "unit_price": "单价", "amount": "金额", "note": "备注",
}  # fmt: skip
_PURCHASE_HEADERS = {
    "txn_id": "单号", "txn_date": "业务日期", "item": "品名", "category": "物品类别", "txn_type": "业务类型",
    "quantity": "数量", "unit": "单位", "unit_price": "单价(元)", "amount": "金额", "person": "经办人",
    "supplier": "供应商", "note": "备注",
}  # fmt: skip
_ISSUE_HEADERS = {
    "txn_id": "流水号", "txn_date": "领用日期", "item": "用品名称", "category": "分类", "txn_type": "出入库类型",
    "quantity": "数量", "unit": "单位", "unit_price": "单价", "amount": "金额", "department": "领用部门",
    "person": "领用人", "note": "备注",
}  # fmt: skip
_SCRAP_HEADERS = {
    "txn_id": "单据编号", "txn_date": "日期", "item": "物品名称", "category": "类别", "txn_type": "类型",
    "quantity": "数量", "unit": "单位", "unit_price": "单价", "amount": "金额", "department": "部门",
    "person": "经办人", "note": "原因",
}  # fmt: skip
_CSV_HEADERS = {
    "txn_id": "单据编号", "txn_date": "日期", "item": "物品名称", "category": "类别", "txn_type": "类型",
    "quantity": "数量", "unit": "单位", "unit_price": "单价", "amount": "金额", "department": "领用部门",
    "person": "领用人", "note": "备注",
}  # fmt: skip
_WIDTHS = {"txn_id": 16, "txn_date": 11, "item": 12, "note": 20, "supplier": 16}


def _sheet(
    rows: pd.DataFrame,
    name: str,
    rng: np.random.Generator,
    headers: dict[str, str],
    title: str | None = None,
    money_every: float = 0.0,
    date_text: bool = False,
) -> Sheet:
    """One sheet: a 序号 column first (so the 合计 row has an empty key), money typed by hand in some cells."""
    quantity = rows["quantity"].to_numpy(dtype=float)
    price = rows["unit_price"].to_numpy(dtype=float)
    amount = np.round(quantity * price, 2)
    values = {column: rows[column].to_numpy(dtype=object) for column in headers if column in rows}
    columns = [Col("序号", np.arange(1, len(rows) + 1, dtype=float), "number", decimals=0, width=6)]
    for column, header in headers.items():
        width = _WIDTHS.get(column, 10)
        if column == "txn_date":
            days = rows["txn_date"].to_numpy().astype("datetime64[D]")
            columns.append(
                Col(header, format_dates(days, "dot"), width=width)
                if date_text
                else Col(header, days, "date", width=width)
            )
        elif column == "quantity":
            columns.append(Col(header, quantity, "number", decimals=0, width=8))
        elif column == "amount":
            columns.append(Col(header, amount, "number", excel_format="#,##0.00", width=width))
        elif column == "unit_price":
            typed = (rng.random(len(rows)) < money_every) & ~np.isnan(price)
            as_text = np.where(
                rng.random(len(rows)) < 0.5, format_money(price, "yuan_sign"), format_money(price, "yuan_suffix")
            )
            typed_as_text = np.where(typed, as_text, None)
            columns.append(Col(header, price, "number", excel_format="0.00", width=width, typed_as_text=typed_as_text))
        else:
            cells = values[column]
            columns.append(Col(header, np.where(pd.isna(cells), "", cells).astype(object), width=width))
    footer = {
        "序号": "合计",
        headers["quantity"]: float(quantity.sum()),
        headers["amount"]: round(float(np.nansum(amount)), 2),
    }
    return Sheet(name, columns, title=title, footer=footer)

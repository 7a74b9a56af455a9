-- Each item's stock at the window's cut-off C (Sun(W), or today while the week is in progress), one
-- row per item and window: on-hand (inflows − outflows dated on or before C), current price (the
-- latest written unit_price on or before C, ties within a date: greatest txn_id), issues in the idle
-- window [C − idle_days + 1, C] and demand over [C − 29, C].
-- Stock is the shared store's, not a department's: on-hand, demand and prices come from the whole
-- ledger (main.supplies), and department is null. A department filter keeps the items that have a
-- row of those departments dated on or before C.
-- Inputs: windows (window_id, window_start, window_end), the supplies ledger (scoped) and main.supplies.
with movements as (
    select
        item,
        txn_date,
        txn_type,
        -- exact decimals: 30 − 4.1 − 10.5 − 10.5 must be 4.9, not 4.8999…, at the shortage boundary
        cast(quantity as decimal(38, 6)) as quantity,
        case
            when txn_type in ('opening', 'purchase', 'return') then cast(quantity as decimal(38, 6))
            when txn_type in ('issue', 'scrap', 'loss') then -cast(quantity as decimal(38, 6))
            else 0
        end as signed_quantity
    from main.supplies
),

items_in_scope as (
    select distinct
        windows.window_id,
        supplies.item
    from supplies
    inner join windows on supplies.txn_date <= windows.window_end
),

stock_at_week_end as (
    select
        windows.window_id,
        windows.window_end,
        movements.item,
        sum(movements.signed_quantity) as on_hand,
        max(movements.txn_date) filter (where movements.txn_type = 'issue') as last_issue_date,
        count(*) filter (
            where movements.txn_type = 'issue'
            and movements.txn_date > windows.window_end - cast($idle_days as integer)
        ) as issues_in_idle_window,
        coalesce(sum(movements.quantity) filter (
            where movements.txn_type = 'issue' and movements.txn_date > windows.window_end - 30
        ), 0) as demand_30_days
    from movements
    inner join windows on movements.txn_date <= windows.window_end
    inner join items_in_scope
        on items_in_scope.window_id = windows.window_id and items_in_scope.item = movements.item
    group by windows.window_id, windows.window_end, movements.item
),

written_prices_by_date as (
    select
        item,
        txn_date as price_date,
        arg_max(unit_price, txn_id) as price
    from main.supplies
    where unit_price is not null
    group by item, txn_date
),

priced as (
    select
        stock_at_week_end.*,
        current_price.price as current_price,
        demand_30_days / 30 as daily_demand,
        stock_at_week_end.on_hand > 0 and stock_at_week_end.issues_in_idle_window = 0 as is_idle,
        stock_at_week_end.issues_in_idle_window > 0
        and stock_at_week_end.demand_30_days > 0
        and stock_at_week_end.on_hand * 30 < $shortage_cover_days * stock_at_week_end.demand_30_days
            as is_shortage_risk
    from stock_at_week_end
    asof left join written_prices_by_date as current_price
        on stock_at_week_end.item = current_price.item and stock_at_week_end.window_end >= current_price.price_date
),

final as (
    select
        window_id,
        cast(null as varchar) as department,
        item,
        cast(on_hand as double) as on_hand,
        current_price,
        on_hand * current_price as stock_value,
        last_issue_date,
        issues_in_idle_window,
        cast(demand_30_days as double) as demand_30_days,
        cast(daily_demand as double) as daily_demand,
        case when daily_demand > 0 then on_hand / daily_demand end as cover_days,
        is_idle,
        case when is_idle then on_hand * current_price end as idle_value,
        is_shortage_risk,
        case
            when is_idle and current_price is null then '闲置：' || cast($idle_days as integer) || '天内无领用（无单价，不计金额）'
            when is_idle then '闲置：' || cast($idle_days as integer) || '天内无领用'
            when is_shortage_risk then '短缺风险：库存仅够' || round(cover_days, 1) || '天'
        end as reason
    from priced
)

select * from final

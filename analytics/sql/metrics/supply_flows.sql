-- Issue, return, scrap and loss rows dated in the window, one row per movement and window, valued at their unit
-- price: the written one, else the item's latest price on or before the row's date (ties within a date:
-- greatest txn_id), else its earliest later price; an item with no price anywhere has no value.
-- Waste = scrap + loss; in the waste rate's denominator issues count plus, returns minus, waste plus.
-- Inputs: window_days (window_id, window_start, window_end, day), the supplies ledger, and the whole supplies ledger
-- (main.supplies) for prices: a price is a fact about the item, whichever department wrote it.
-- `_lacking` is ['unit_price'] for a row without a price whose load had no price column (metrics.md,
-- "Missing inputs": supply values need a price): left out of the values and counted. A row whose price
-- cell was empty in a file that has the column has no value, as ledgers.md says.
with flows_in_week as (
    select
        window_days.window_id,
        supplies.*
    from supplies
    inner join window_days on window_days.day = supplies.txn_date
    where supplies.txn_type in ('issue', 'return', 'scrap', 'loss')
),

prices_by_date as (
    select
        item,
        txn_date as price_date,
        arg_max(unit_price, txn_id) as last_price_of_date,
        arg_min(unit_price, txn_id) as first_price_of_date
    from main.supplies
    where unit_price is not null
    group by item, txn_date
),

with_earlier_price as (
    select
        flows_in_week.*,
        earlier.last_price_of_date as earlier_price,
        earlier.price_date as earlier_price_date
    from flows_in_week
    asof left join prices_by_date as earlier
        on flows_in_week.item = earlier.item and flows_in_week.txn_date >= earlier.price_date
),

with_later_price as (
    select
        with_earlier_price.*,
        later.first_price_of_date as later_price,
        later.price_date as later_price_date
    from with_earlier_price
    asof left join prices_by_date as later
        on with_earlier_price.item = later.item and with_earlier_price.txn_date < later.price_date
),

valued as (
    select
        *,
        coalesce(unit_price, earlier_price, later_price) as price,
        case
            when unit_price is not null then '登记单价'
            when earlier_price is not null then '取' || strftime(earlier_price_date, '%Y-%m-%d') || '单价'
            when later_price is not null then '取' || strftime(later_price_date, '%Y-%m-%d') || '单价'
            else '无单价'
        end as price_source
    from with_later_price
),

final as (
    select
        window_id,
        department,
        txn_id,
        txn_date,
        item,
        category,
        txn_type,
        quantity,
        unit,
        unit_price,
        price,
        price_source,
        quantity * price as value,
        case when txn_type = 'return' then -quantity * price else quantity * price end as signed_value,
        txn_type in ('scrap', 'loss') as is_waste,
        case txn_type when 'scrap' then '报废' when 'loss' then '盘亏' end as waste_kind,
        person,
        note,
        case
            when price is null and list_contains(_lacking, 'unit_price') then ['unit_price']
            else []::varchar[]
        end as _lacking
    from valued
)

select * from final

-- Items whose on-hand quantity today is below zero: more went out than came in (metrics.md uses
-- the negative figure as it is and asks for it to be flagged here).
with movements as (
    select item,
           case when txn_type in ('opening', 'purchase', 'return') then quantity else -quantity end as signed_quantity
    from supplies
    where txn_date <= $today
),

final as (
    select 'supplies' as ledger, item as record_id, 'quantity' as field,
           cast(round(sum(signed_quantity), 2) as varchar) as value,
           '「' || item || '」账面库存为负：' || cast(round(sum(signed_quantity), 2) as varchar) as detail
    from movements
    group by item
    having sum(signed_quantity) < 0
)

select * from final order by record_id

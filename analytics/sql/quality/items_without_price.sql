-- Supply items that carry no unit price on any row: their movements have no value, so the waste
-- rate and idle stock leave them out.
with priced as (
    select item
    from supplies
    group by item
    having count(unit_price) = 0
),

final as (
    select 'supplies' as ledger, s.item as record_id, 'unit_price' as field, null as value,
           '「' || s.item || '」共 ' || count(*) || ' 条记录，均无单价' as detail
    from supplies as s
    inner join priced using (item)
    group by s.item
)

select * from final order by record_id

-- The latest business date in each ledger and the latest load: a ledger the assistant forgot to
-- export shows here as weeks behind.
with latest as (
    select 'meetings' as ledger, count(*) as rows, max(cast(scheduled_start as date)) as latest_date from meetings
    union all select 'decisions', count(*), max(greatest(created_date, coalesce(completed_date, created_date))) from decisions
    union all select 'supplies', count(*), max(txn_date) from supplies
    union all select 'documents', count(*), max(coalesce(received_date, registered_date)) from documents
    union all select 'incidents', count(*), max(cast(reported_at as date)) from incidents
    union all select 'schedule', count(*), max(cast(start as date)) from schedule
),

loads as (
    select ledger, max(loaded_at) as last_loaded_at
    from load_log
    group by ledger
),

final as (
    select latest.ledger, latest.rows,
           latest.latest_date,
           loads.last_loaded_at,
           case when latest.latest_date is null then null
                else greatest(date_diff('day', latest.latest_date, $today), 0) // 7 end as weeks_behind
    from latest
    left join loads using (ledger)
)

select * from final

-- Documents (either direction) closed in the week that were registered, with their handling time:
-- closed_date − registered_date in days. One row per document and week.
-- Inputs: weeks (week_start, week_end) and the documents ledger.
with closed_in_week as (
    select
        weeks.week_start,
        documents.*
    from documents
    inner join weeks on cast(date_trunc('week', documents.closed_date) as date) = weeks.week_start
    where documents.registered_date is not null
),

final as (
    select
        week_start,
        handler_dept as department,
        doc_id,
        direction,
        title,
        registered_date,
        due_date,
        closed_date,
        cast(closed_date - registered_date as double) as handling_days
    from closed_in_week
)

select * from final

-- Documents (either direction) closed in the window that were registered, with their handling time:
-- closed_date − registered_date in days. One row per document and window.
-- Inputs: window_days (window_id, window_start, window_end, day) and the documents ledger.
with closed_in_week as (
    select
        window_days.window_id,
        documents.*
    from documents
    inner join window_days on window_days.day = documents.closed_date
    where documents.registered_date is not null
),

final as (
    select
        window_id,
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

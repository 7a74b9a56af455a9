-- Documents (either direction) closed in the window that were registered, with their handling time:
-- closed_date − registered_date in days. One row per document and window.
-- Inputs: window_days (window_id, window_start, window_end, day), windows and the documents ledger.
-- `_lacking` (given with the ledger): the columns the row's load did not supply (metrics.md, "Missing
-- inputs"); the engine leaves such rows out of the metrics that need those columns.
-- Documents whose load gave no closed_date are in every window, and those whose load gave no
-- registered_date are kept, to be left out and counted.
with closed_in_week as (
    select
        window_days.window_id,
        documents.*
    from documents
    inner join window_days on window_days.day = documents.closed_date
    where documents.registered_date is not null or list_contains(documents._lacking, 'registered_date')
    union all
    select
        windows.window_id,
        documents.*
    from documents
    cross join windows
    where list_contains(documents._lacking, 'closed_date')
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
        cast(closed_date - registered_date as double) as handling_days,
        _lacking
    from closed_in_week
)

select * from final

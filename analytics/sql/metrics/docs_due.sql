-- Documents (either direction) due in the window, one row per document and window, and whether each was
-- closed on or before its due_date.
-- Inputs: window_days (window_id, window_start, window_end, day), windows and the documents ledger.
-- `_lacking` (given with the ledger): the columns the row's load did not supply (metrics.md, "Missing
-- inputs"); the engine leaves such rows out of the metrics that need those columns.
-- Documents whose load gave no due_date cannot be placed in a window: they are in every window, to be
-- left out and counted.
with due_in_week as (
    select
        window_days.window_id,
        documents.*
    from documents
    inner join window_days on window_days.day = documents.due_date
    union all
    select
        windows.window_id,
        documents.*
    from documents
    cross join windows
    where list_contains(documents._lacking, 'due_date')
),

final as (
    select
        window_id,
        handler_dept as department,
        doc_id,
        direction,
        title,
        counterparty,
        urgency,
        registered_date,
        due_date,
        closed_date,
        coalesce(closed_date <= due_date, false) as closed_on_time,
        case
            when closed_date is null then '未办结'
            when closed_date > due_date then '逾期' || (closed_date - due_date) || '天办结'
        end as reason,
        _lacking
    from due_in_week
)

select * from final

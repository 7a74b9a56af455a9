-- Documents (either direction) overdue at the window's cut-off (a stock): due on or before the cut-off
-- (Sun(W), or today while the week is in progress) and not closed by it. One row per document and window.
-- Inputs: windows (window_id, window_start, window_end), the documents ledger and work_calendar.
-- `_lacking` (given with the ledger): the columns the row's load did not supply (metrics.md, "Missing
-- inputs"); the engine leaves such rows out of the metrics that need those columns.
-- Documents whose load gave no due_date are in every window, to be left out and counted.
with overdue_at_week_end as (
    select
        windows.window_id,
        windows.window_end,
        documents.*
    from documents
    inner join windows
        on documents.due_date <= windows.window_end
        and (documents.closed_date is null or documents.closed_date > windows.window_end)
    union all
    select
        windows.window_id,
        windows.window_end,
        documents.*
    from documents
    cross join windows
    where list_contains(documents._lacking, 'due_date')
),

final as (
    select
        overdue.window_id,
        overdue.handler_dept as department,
        overdue.doc_id,
        overdue.direction,
        overdue.title,
        overdue.counterparty,
        overdue.urgency,
        overdue.received_date,
        overdue.registered_date,
        overdue.due_date,
        overdue.closed_date,
        overdue.window_end - overdue.due_date as days_overdue,
        week_end_day.working_day_number - due_day.working_day_number as working_days_overdue,
        overdue._lacking
    from overdue_at_week_end as overdue
    left join work_calendar as due_day on due_day.day = overdue.due_date
    left join work_calendar as week_end_day on week_end_day.day = overdue.window_end
)

select * from final

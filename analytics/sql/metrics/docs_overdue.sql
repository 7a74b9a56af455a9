-- Documents (either direction) overdue at the end of the week (a stock): due on or before Sun(W) and
-- not closed by Sun(W). One row per document and week.
-- Inputs: weeks (week_start, week_end), the documents ledger and work_calendar.
with overdue_at_week_end as (
    select
        weeks.week_start,
        weeks.week_end,
        documents.*
    from documents
    inner join weeks
        on documents.due_date <= weeks.week_end
        and (documents.closed_date is null or documents.closed_date > weeks.week_end)
),

final as (
    select
        overdue.week_start,
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
        overdue.week_end - overdue.due_date as days_overdue,
        week_end_day.working_day_number - due_day.working_day_number as working_days_overdue
    from overdue_at_week_end as overdue
    left join work_calendar as due_day on due_day.day = overdue.due_date
    left join work_calendar as week_end_day on week_end_day.day = overdue.week_end
)

select * from final

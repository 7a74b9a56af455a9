-- Incoming documents received in the window, one row per document and window, with the registration
-- deadline: the next working day strictly after received_date (PRC calendar, work_calendar).
-- Inputs: window_days (window_id, window_start, window_end, day), windows, the documents ledger and
-- work_calendar.
-- `_lacking` (given with the ledger): the columns the row's load did not supply (metrics.md, "Missing
-- inputs"); the engine leaves such rows out of the metrics that need those columns.
-- Incoming documents whose load gave no received_date cannot be placed in a window: they are in every
-- window, to be left out and counted.
with received_in_week as (
    select
        window_days.window_id,
        documents.*
    from documents
    inner join window_days on window_days.day = documents.received_date
    where documents.direction = 'incoming'
    union all
    select
        windows.window_id,
        documents.*
    from documents
    cross join windows
    where documents.direction = 'incoming' and list_contains(documents._lacking, 'received_date')
),

final as (
    select
        received.window_id,
        received.handler_dept as department,
        received.doc_id,
        received.title,
        received.counterparty,
        received.urgency,
        received.received_date,
        received.registered_date,
        received_day.next_working_day as registration_deadline,
        coalesce(received.registered_date <= received_day.next_working_day, false) as registered_on_time,
        registered_day.working_day_number - received_day.working_day_number as working_days_to_register,
        case
            when received.registered_date is null then '未登记'
            when received.registered_date > received_day.next_working_day then '登记超过1个工作日'
        end as reason,
        received._lacking
    from received_in_week as received
    left join work_calendar as received_day on received_day.day = received.received_date
    left join work_calendar as registered_day on registered_day.day = received.registered_date
)

select * from final

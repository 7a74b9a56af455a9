-- Incoming documents received in the week, one row per document and week, with the registration
-- deadline: the next working day strictly after received_date (PRC calendar, work_calendar).
-- Inputs: weeks (week_start, week_end), the documents ledger and work_calendar.
with received_in_week as (
    select
        weeks.week_start,
        documents.*
    from documents
    inner join weeks on cast(date_trunc('week', documents.received_date) as date) = weeks.week_start
    where documents.direction = 'incoming'
),

final as (
    select
        received.week_start,
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
        end as reason
    from received_in_week as received
    left join work_calendar as received_day on received_day.day = received.received_date
    left join work_calendar as registered_day on registered_day.day = received.registered_date
)

select * from final

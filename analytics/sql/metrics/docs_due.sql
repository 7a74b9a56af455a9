-- Documents (either direction) due in the window, one row per document and window, and whether each was
-- closed on or before its due_date.
-- Inputs: window_days (window_id, window_start, window_end, day) and the documents ledger.
with due_in_week as (
    select
        window_days.window_id,
        documents.*
    from documents
    inner join window_days on window_days.day = documents.due_date
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
        end as reason
    from due_in_week
)

select * from final

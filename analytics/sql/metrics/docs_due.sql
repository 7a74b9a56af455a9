-- Documents (either direction) due in the week, one row per document and week, and whether each was
-- closed on or before its due_date.
-- Inputs: weeks (week_start, week_end) and the documents ledger.
with due_in_week as (
    select
        weeks.week_start,
        documents.*
    from documents
    inner join weeks on cast(date_trunc('week', documents.due_date) as date) = weeks.week_start
),

final as (
    select
        week_start,
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

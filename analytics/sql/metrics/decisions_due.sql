-- due(W): non-cancelled decisions whose due_date falls in the week, one row per decision and week.
-- light: an item due by Sunday and still open then is red (decisions_open.sql); follow-up columns
-- default as in decisions_original_due.sql.
-- Inputs (given by analytics/metrics/engine.py): weeks (week_start, week_end) and the decisions ledger.
with due_in_week as (
    select
        weeks.week_start,
        weeks.week_end,
        decisions.*
    from decisions
    inner join weeks on cast(date_trunc('week', decisions.due_date) as date) = weeks.week_start
    where decisions.status is distinct from 'cancelled'
),

final as (
    select
        week_start,
        owner_dept as department,
        decision_id,
        item,
        owner,
        meeting_id,
        case when coalesce(completed_date <= week_end, false) then null else 'red' end as light,
        created_date,
        coalesce(original_due_date, due_date) as original_due_date,
        due_date,
        coalesce(extension_count, case when original_due_date < due_date then 1 else 0 end) as extension_count,
        coalesce(reminder_count, 0) as reminder_count,
        last_reminder_date,
        completed_date,
        status,
        coalesce(completed_date <= week_end, false) as completed_by_week_end,
        coalesce(completed_date <= due_date, false) as completed_on_time,
        case
            when completed_date <= due_date then '按期完成'
            when completed_date <= week_end then '逾期完成（本周内）'
            when completed_date is not null then '本周末后完成'
            else '未完成'
        end as outcome,
        case when completed_date > due_date then completed_date - due_date end as days_late
    from due_in_week
)

select * from final

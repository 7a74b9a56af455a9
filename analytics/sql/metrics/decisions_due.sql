-- due(W): non-cancelled decisions whose due_date falls in the window (dated in [start, cut-off]), one
-- row per decision and window; "completed by week end" means by the window's cut-off (Sun(W), or today).
-- light: an item due by the cut-off and still open then is red (decisions_open.sql); follow-up columns
-- default as in decisions_original_due.sql.
-- Inputs (given by analytics/metrics/engine.py): window_days (window_id, window_start, window_end, day)
-- and the decisions ledger.
with due_in_week as (
    select
        window_days.window_id,
        window_days.window_end,
        decisions.*
    from decisions
    inner join window_days on window_days.day = decisions.due_date
    where decisions.status is distinct from 'cancelled'
),

final as (
    select
        window_id,
        owner_dept as department,
        decision_id,
        item,
        owner,
        meeting_id,
        case when coalesce(completed_date <= window_end, false) then null else 'red' end as light,
        created_date,
        coalesce(original_due_date, due_date) as original_due_date,
        due_date,
        coalesce(extension_count, case when original_due_date < due_date then 1 else 0 end) as extension_count,
        coalesce(reminder_count, 0) as reminder_count,
        last_reminder_date,
        completed_date,
        status,
        coalesce(completed_date <= window_end, false) as completed_by_week_end,
        coalesce(completed_date <= due_date, false) as completed_on_time,
        case
            when completed_date <= due_date then '按期完成'
            when completed_date <= window_end then '逾期完成（本周内）'
            when completed_date is not null then '本周末后完成'
            else '未完成'
        end as outcome,
        case when completed_date > due_date then completed_date - due_date end as days_late
    from due_in_week
)

select * from final

-- due(W): non-cancelled decisions whose due_date falls in the window (dated in [start, cut-off]), one
-- row per decision and window; "completed by week end" means by the window's cut-off (Sun(W), or today).
-- light: an item due by the cut-off and still open then is red (bulletin/decisions_open.sql); follow-up columns
-- default as in inputs/followed_up.sql.
-- Inputs (given by analytics/metrics/engine.py): window_days (window_id, window_start, window_end, day) and
-- followed_up (the non-cancelled decisions, follow-up columns defaulted, with decision_status_seen).
-- Completed by a cut-off C: completed_date <= C; for a decision done without a completed_date
-- (metrics.md, "Status-only exports"), true when the first load that saw it done ran on or before C,
-- false when a load on or after C saw it open, else unknown (null: left out and counted by the engine).
with due_in_week as (
    select
        window_days.window_id,
        window_days.window_end,
        followed_up.*
    from followed_up
    inner join window_days on window_days.day = followed_up.due_date
),

completion as (
    select
        *,
        completed_by(completed_date, status, first_done_seen, last_open_seen, window_end) as completed_by_cutoff,
        completed_by(completed_date, status, first_done_seen, last_open_seen, due_date) as completed_by_due
    from due_in_week
),

final as (
    select
        window_id,
        owner_dept as department,
        decision_id,
        item,
        owner,
        meeting_id,
        case when completed_by_cutoff is false then 'red' end as light,
        created_date,
        original_due as original_due_date,
        due_date,
        extensions as extension_count,
        reminders as reminder_count,
        last_reminder_date,
        completed_date,
        status,
        coalesce(completed_by_cutoff, false) as completed_by_week_end,
        coalesce(completed_by_due, false) as completed_on_time,
        completed_by_cutoff is null as completion_unknown,
        completed_by_due is null as on_time_unknown,
        first_done_seen,
        last_open_seen,
        case
            when completed_by_due then '按期完成'
            when completed_by_cutoff then '逾期完成（本周内）'
            when completed_date is not null then '本周末后完成'
            when completed_by_cutoff is null or completed_by_due is null then '已办结，办结时间未知'
            else '未完成'
        end as outcome,
        case when completed_date > due_date then completed_date - due_date end as days_late
    from completion
)

select * from final

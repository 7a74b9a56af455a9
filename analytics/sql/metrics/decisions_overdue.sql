-- Decisions overdue at the window's cut-off (a stock, not limited to those due in it): non-cancelled,
-- due on or before the cut-off (Sun(W), or today while the week is in progress), and not completed by
-- it. One row per decision and window. Each is a red card (light); follow-up columns default as in
-- inputs/followed_up.sql.
-- Inputs (analytics/metrics/engine.py): windows (window_id, window_start, window_end), followed_up (the
-- non-cancelled decisions, follow-up columns defaulted, with decision_status_seen) and work_calendar.
-- Completed by a cut-off C: completed_date <= C; for a decision done without a completed_date
-- (metrics.md, "Status-only exports"), true when the first load that saw it done ran on or before C,
-- false when a load on or after C saw it open, else unknown (null: left out and counted by the engine).
with overdue_at_week_end as (
    select
        windows.window_id,
        windows.window_end,
        followed_up.*,
        completed_by(
            followed_up.completed_date,
            followed_up.status,
            followed_up.first_done_seen,
            followed_up.last_open_seen,
            windows.window_end
        ) as completed_by_cutoff
    from followed_up
    inner join windows
        on followed_up.due_date <= windows.window_end
        and (followed_up.completed_date is null or followed_up.completed_date > windows.window_end)
),

final as (
    select
        overdue.window_id,
        overdue.owner_dept as department,
        overdue.decision_id,
        overdue.item,
        overdue.owner,
        overdue.meeting_id,
        'red' as light,
        overdue.created_date,
        overdue.original_due as original_due_date,
        overdue.due_date,
        overdue.extensions as extension_count,
        overdue.reminders as reminder_count,
        overdue.last_reminder_date,
        overdue.completed_date,
        overdue.status,
        overdue.window_end - overdue.due_date as days_overdue,
        week_end_day.working_day_number - due_day.working_day_number as working_days_overdue,
        overdue.completed_by_cutoff is null as completion_unknown
    from overdue_at_week_end as overdue
    left join work_calendar as due_day on due_day.day = overdue.due_date
    left join work_calendar as week_end_day on week_end_day.day = overdue.window_end
    where overdue.completed_by_cutoff is not true
)

select * from final

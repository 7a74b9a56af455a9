-- Decisions due soon (即将到期) at the end of the week: non-cancelled, not completed by Sunday, and due
-- after Sunday but on or before the $warn_working_days-th working day after it (work_calendar: PRC
-- holidays and adjusted working weekends). One row per decision and week; every one is a yellow card.
-- Follow-up columns default as in inputs/followed_up.sql.
-- Completed by a cut-off C (metrics.md, "Status-only exports"): completed_date <= C; for a decision done
-- without a completed_date, true when the first load that saw it done ran on or before C, false when a
-- load on or after C saw it open, else unknown (null): such a row has no card and is left out (counted).
-- Inputs (analytics/metrics/engine.py): cutoffs (window_id, window_start, window_end: the cut-off,
-- warn_until), followed_up (the non-cancelled decisions, follow-up columns defaulted, with
-- decision_status_seen) and work_calendar.
with due_in_warning as (
    select
        cutoffs.window_id,
        cutoffs.window_end,
        cutoffs.warn_until,
        followed_up.*
    from followed_up
    inner join cutoffs
        on followed_up.due_date > cutoffs.window_end
        and followed_up.due_date <= cutoffs.warn_until
        and (followed_up.completed_date is null or followed_up.completed_date > cutoffs.window_end)
),

due_soon as (
    select
        *,
        completed_by(completed_date, status, first_done_seen, last_open_seen, window_end) as done_by_cutoff
    from due_in_warning
),

final as (
    select
        due_soon.window_id,
        due_soon.owner_dept as department,
        due_soon.decision_id,
        due_soon.item,
        due_soon.owner,
        due_soon.meeting_id,
        'yellow' as light,
        due_soon.created_date,
        due_soon.original_due as original_due_date,
        due_soon.due_date,
        due_soon.extensions as extension_count,
        due_soon.reminders as reminder_count,
        due_soon.last_reminder_date,
        due_soon.completed_date,
        due_soon.status,
        due_day.working_day_number - cutoff_day.working_day_number as working_days_left,
        due_soon.done_by_cutoff is null as completion_unknown
    from due_soon
    left join work_calendar as due_day on due_day.day = due_soon.due_date
    left join work_calendar as cutoff_day on cutoff_day.day = due_soon.window_end
    where due_soon.done_by_cutoff is not true
)

select * from final

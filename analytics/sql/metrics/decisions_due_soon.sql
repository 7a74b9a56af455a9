-- Decisions due soon (即将到期) at the end of the week: non-cancelled, not completed by Sunday, and due
-- after Sunday but on or before the $warn_working_days-th working day after it (work_calendar: PRC
-- holidays and adjusted working weekends). One row per decision and week; every one is a yellow card.
-- Follow-up columns default as in decisions_original_due.sql.
-- Completed by a cut-off C (metrics.md, "Status-only exports"): completed_date <= C; for a decision done
-- without a completed_date, true when the first load that saw it done ran on or before C, false when a
-- load on or after C saw it open, else unknown (null): such a row has no card and is left out (counted).
-- Inputs: windows (window_id, window_start, window_end: the cut-off), the decisions ledger,
-- decision_status_seen and work_calendar.
with followed_up as (
    select
        decisions.*,
        coalesce(decisions.original_due_date, decisions.due_date) as original_due,
        coalesce(
            decisions.extension_count, case when decisions.original_due_date < decisions.due_date then 1 else 0 end
        ) as extensions,
        coalesce(decisions.reminder_count, 0) as reminders,
        seen.first_done_seen,
        seen.last_open_seen
    from decisions
    left join decision_status_seen as seen on seen.decision_id = decisions.decision_id
    where decisions.status is distinct from 'cancelled'
),

cutoffs as (
    select
        windows.window_id,
        windows.window_start,
        windows.window_end,
        warn.day as warn_until
    from windows
    inner join work_calendar as cutoff_day on cutoff_day.day = windows.window_end
    inner join work_calendar as warn
        on warn.is_working_day and warn.working_day_number = cutoff_day.working_day_number + $warn_working_days
),

due_in_warning as (
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

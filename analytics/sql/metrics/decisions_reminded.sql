-- Decisions chased this week (本周催办): non-cancelled, with their latest reminder (last_reminder_date)
-- in the week. One row per decision and week, with its light at the week's end (the rule of
-- decisions_original_due.sql) and the follow-up columns defaulted as there.
-- Completed by a cut-off C (metrics.md, "Status-only exports"): completed_date <= C; for a decision done
-- without a completed_date, true when the first load that saw it done ran on or before C, false when a
-- load on or after C saw it open, else unknown (null): such a row has no card and is left out (counted).
-- Inputs: windows (window_id, window_start, window_end: the cut-off), the decisions ledger,
-- decision_status_seen and work_calendar. `_lacking` (given with the ledger): the columns the row's load
-- did not supply; a decision whose load gave no last_reminder_date is in every window, to be left out
-- and counted (metrics.md, "Missing inputs": no 催办 column is no data, not 0 reminders).
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

reminded_in_week as (
    select
        cutoffs.window_id,
        cutoffs.window_end,
        cutoffs.warn_until,
        followed_up.*
    from followed_up
    inner join cutoffs on followed_up.last_reminder_date between cutoffs.window_start and cutoffs.window_end
    union all
    select
        cutoffs.window_id,
        cutoffs.window_end,
        cutoffs.warn_until,
        followed_up.*
    from followed_up
    cross join cutoffs
    where list_contains(followed_up._lacking, 'last_reminder_date')
),

completion as (
    select
        *,
        completed_by(completed_date, status, first_done_seen, last_open_seen, window_end) as done_by_cutoff
    from reminded_in_week
),

final as (
    select
        window_id,
        owner_dept as department,
        decision_id,
        item,
        owner,
        meeting_id,
        case
            when done_by_cutoff is null or done_by_cutoff then null
            when due_date <= window_end then 'red'
            when due_date <= warn_until or extensions >= 1 then 'yellow'
            else 'blue'
        end as light,
        created_date,
        original_due as original_due_date,
        due_date,
        extensions as extension_count,
        reminders as reminder_count,
        last_reminder_date,
        completed_date,
        status,
        _lacking
    from completion
)

select * from final

-- Decisions chased this week (本周催办): non-cancelled, with their latest reminder (last_reminder_date)
-- in the week. One row per decision and week, with its light at the week's end (the card_light
-- macro, analytics/db.py) and the follow-up columns defaulted (inputs/followed_up.sql).
-- Completed by a cut-off C (metrics.md, "Status-only exports"): completed_date <= C; for a decision done
-- without a completed_date, true when the first load that saw it done ran on or before C, false when a
-- load on or after C saw it open, else unknown (null): such a row has no card and is left out (counted).
-- Inputs (analytics/metrics/engine.py): cutoffs (window_id, window_start, window_end: the cut-off,
-- warn_until) and followed_up (the non-cancelled decisions, follow-up columns defaulted, with
-- decision_status_seen). `_lacking` (given with the ledger, kept by followed_up): the columns the row's
-- load did not supply; a decision whose load gave no last_reminder_date is in every window, to be left
-- out and counted (metrics.md, "Missing inputs": no 催办 column is no data, not 0 reminders).
with reminded_in_week as (
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
        card_light(done_by_cutoff, due_date, window_end, warn_until, extensions) as light,
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

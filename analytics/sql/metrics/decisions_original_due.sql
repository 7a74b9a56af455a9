-- Decisions whose original deadline (原定时限) falls in the week, one row per decision and week: which
-- were extended (the current deadline is later than the original) and which were completed by the
-- original deadline. Follow-up columns default as in inputs/followed_up.sql (ledgers.md's defaults).
-- light: the decision's card at the week's end, by the card_light macro (analytics/db.py; metrics.md)
-- — red overdue, yellow due within $warn_working_days working days after Sunday or extended at least
-- once, blue otherwise; none once completed.
-- Completed by a cut-off C (metrics.md, "Status-only exports"): completed_date <= C; for a decision done
-- without a completed_date, true when the first load that saw it done ran on or before C, false when a
-- load on or after C saw it open, else unknown (null): such a row has no card and is left out (counted).
-- Inputs (analytics/metrics/engine.py): cutoffs (window_id, window_start, window_end: the cut-off,
-- warn_until) and followed_up (the non-cancelled decisions, follow-up columns defaulted, with
-- decision_status_seen).
with original_due_in_week as (
    select
        cutoffs.window_id,
        cutoffs.window_end,
        cutoffs.warn_until,
        followed_up.*
    from followed_up
    inner join cutoffs on followed_up.original_due between cutoffs.window_start and cutoffs.window_end
),

completion as (
    select
        *,
        completed_by(completed_date, status, first_done_seen, last_open_seen, window_end) as done_by_cutoff,
        completed_by(completed_date, status, first_done_seen, last_open_seen, original_due) as done_by_original
    from original_due_in_week
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
        due_date > original_due as is_extended,
        case when due_date > original_due then due_date - original_due end as days_extended,
        coalesce(done_by_original, false) as completed_by_original_due,
        done_by_original is null as original_unknown
    from completion
)

select * from final

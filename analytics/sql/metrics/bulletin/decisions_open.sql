-- Every decision open at the window's cut-off, with its card (督办灯), for the bulletin's 红牌 and 黄牌:
-- non-cancelled, created by the cut-off (or without a created date) and not completed by it. One row
-- per decision and window.
-- light, by the card_light macro (analytics/db.py; metrics.md, "Follow-up on resolutions"): red when
-- overdue at the cut-off (as decisions_overdue), yellow when due within $warn_working_days working days
-- after it (as decisions_due_soon) or extended at least once, blue otherwise. Follow-up columns default
-- as in ../inputs/followed_up.sql.
-- Completed by a cut-off C (metrics.md, "Status-only exports"): completed_date <= C; for a decision done
-- without a completed_date, true when the first load that saw it done ran on or before C, false when a
-- load on or after C saw it open, else unknown (null): such a row has no card and is left out (counted).
-- Inputs (analytics/metrics/engine.py): cutoffs (window_id, window_start, window_end: the cut-off,
-- warn_until), followed_up (the non-cancelled decisions, follow-up columns defaulted, with
-- decision_status_seen) and work_calendar.
with open_at_cutoff as (
    select
        cutoffs.window_id,
        cutoffs.window_end,
        cutoffs.warn_until,
        followed_up.*
    from followed_up
    inner join cutoffs
        on (followed_up.created_date is null or followed_up.created_date <= cutoffs.window_end)
        and (followed_up.completed_date is null or followed_up.completed_date > cutoffs.window_end)
),

completion as (
    select
        *,
        completed_by(completed_date, status, first_done_seen, last_open_seen, window_end) as done_by_cutoff
    from open_at_cutoff
),

lit as (
    select
        *,
        card_light(done_by_cutoff, due_date, window_end, warn_until, extensions) as light
    from completion
    where done_by_cutoff is not true
),

final as (
    select
        lit.window_id,
        lit.owner_dept as department,
        lit.decision_id,
        lit.item,
        lit.owner,
        lit.meeting_id,
        lit.light,
        lit.created_date,
        lit.original_due as original_due_date,
        lit.due_date,
        lit.extensions as extension_count,
        lit.reminders as reminder_count,
        lit.last_reminder_date,
        lit.status,
        coalesce(lit.light = 'red', false) as is_red,
        coalesce(lit.light = 'yellow', false) as is_yellow,
        lit.done_by_cutoff is null as completion_unknown,
        case when lit.due_date <= lit.window_end then lit.window_end - lit.due_date end as days_overdue,
        case
            when lit.due_date <= lit.window_end then cutoff_day.working_day_number - due_day.working_day_number
        end as working_days_overdue,
        case
            when lit.due_date > lit.window_end then due_day.working_day_number - cutoff_day.working_day_number
        end as working_days_left
    from lit
    left join work_calendar as due_day on due_day.day = lit.due_date
    left join work_calendar as cutoff_day on cutoff_day.day = lit.window_end
)

select * from final

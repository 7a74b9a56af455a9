-- Non-cancelled decisions completed in the window, with their cycle: completed_date − created_date in days.
-- Inputs (analytics/metrics/engine.py): window_days (window_id, window_start, window_end, day) and
-- followed_up (the non-cancelled decisions, follow-up columns defaulted).
with completed_in_week as (
    select
        window_days.window_id,
        followed_up.*
    from followed_up
    inner join window_days on window_days.day = followed_up.completed_date
),

final as (
    select
        window_id,
        owner_dept as department,
        decision_id,
        item,
        owner,
        created_date,
        original_due as original_due_date,
        due_date,
        extensions as extension_count,
        reminders as reminder_count,
        last_reminder_date,
        completed_date,
        cast(completed_date - created_date as double) as cycle_days,
        _lacking
    from completed_in_week
)

select * from final

-- Non-cancelled decisions completed in the window, with their cycle: completed_date − created_date in days.
-- Inputs: window_days (window_id, window_start, window_end, day) and the decisions ledger.
with completed_in_week as (
    select
        window_days.window_id,
        decisions.*
    from decisions
    inner join window_days on window_days.day = decisions.completed_date
    where decisions.status is distinct from 'cancelled'
),

final as (
    select
        window_id,
        owner_dept as department,
        decision_id,
        item,
        owner,
        created_date,
        coalesce(original_due_date, due_date) as original_due_date,
        due_date,
        coalesce(extension_count, case when original_due_date < due_date then 1 else 0 end) as extension_count,
        coalesce(reminder_count, 0) as reminder_count,
        last_reminder_date,
        completed_date,
        cast(completed_date - created_date as double) as cycle_days,
        _lacking
    from completed_in_week
)

select * from final

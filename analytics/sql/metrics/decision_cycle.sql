-- Non-cancelled decisions completed in the week, with their cycle: completed_date − created_date in days.
-- Inputs: weeks (week_start, week_end) and the decisions ledger.
with completed_in_week as (
    select
        weeks.week_start,
        decisions.*
    from decisions
    inner join weeks on cast(date_trunc('week', decisions.completed_date) as date) = weeks.week_start
    where decisions.status is distinct from 'cancelled'
),

final as (
    select
        week_start,
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
        cast(completed_date - created_date as double) as cycle_days
    from completed_in_week
)

select * from final

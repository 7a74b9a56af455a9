-- GM calendar entries starting in the week, cancelled ones included (the change rate counts them),
-- one row per entry and week. ev(W) of metrics.md is the rows with in_schedule.
-- Inputs: weeks (week_start, week_end) and the schedule ledger.
with starting_in_week as (
    select
        weeks.week_start,
        schedule.*
    from schedule
    inner join weeks on cast(date_trunc('week', schedule.start) as date) = weeks.week_start
),

final as (
    select
        week_start,
        requested_by as department,
        event_id,
        title,
        category,
        coalesce(priority, 'normal') as priority,
        start,
        "end",
        location,
        coalesce(status, 'planned') as status,
        (epoch("end") - epoch(start)) / 3600 as hours,
        coalesce(status, 'planned') <> 'cancelled' as in_schedule,
        coalesce(priority, 'normal') = 'strategic' and coalesce(status, 'planned') <> 'cancelled' as is_strategic,
        coalesce(status in ('rescheduled', 'cancelled'), false) as changed
    from starting_in_week
)

select * from final

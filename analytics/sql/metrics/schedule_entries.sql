-- GM calendar entries starting in the window, cancelled ones included (the change rate counts them),
-- one row per entry and window. ev(W) of metrics.md is the rows with in_schedule.
-- Inputs: window_days (window_id, window_start, window_end, day) and the schedule ledger.
-- `_lacking` (given with the ledger): the columns the row's load did not supply (metrics.md, "Missing
-- inputs"); the engine leaves such rows out of the metrics that need those columns.
with starting_in_week as (
    select
        window_days.window_id,
        schedule.*
    from schedule
    inner join window_days on window_days.day = cast(schedule.start as date)
),

final as (
    select
        window_id,
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
        coalesce(status in ('rescheduled', 'cancelled'), false) as changed,
        _lacking
    from starting_in_week
)

select * from final

-- Conflicts: unordered pairs of non-cancelled entries starting in the same window whose [start, end)
-- intervals overlap (touching, end = start, is not an overlap). One row per pair and window; `a` is the
-- entry that starts first (ties: smaller event_id), and a pair belongs to the department that
-- requested `b`, the entry booked into time already taken.
-- The GM has one calendar: `a` is looked up in the whole ledger (main.schedule), so under a department
-- filter a department keeps every conflict it is attributed to (its `b`), whoever booked `a` — the
-- filtered view and the company view's breakdown agree.
-- Inputs: window_days (window_id, window_start, window_end, day), the schedule ledger (scoped) and
-- main.schedule (whole).
-- `_lacking` (given with the ledger): the columns the row's load did not supply (metrics.md, "Missing
-- inputs"); the engine leaves such rows out of the metrics that need those columns.
-- An entry whose load gave no end cannot be checked: it is one row of its own (no pair), to be left out
-- and counted.
with entries as (
    select
        window_days.window_id,
        schedule.*
    from schedule
    inner join window_days on window_days.day = cast(schedule.start as date)
    where coalesce(schedule.status, 'planned') <> 'cancelled'
),

every_entry as (
    select
        window_days.window_id,
        whole.*
    from main.schedule as whole
    inner join window_days on window_days.day = cast(whole.start as date)
    where coalesce(whole.status, 'planned') <> 'cancelled'
),

overlapping_pairs as (
    select
        a.window_id,
        a.event_id as event_id_a,
        a.title as title_a,
        a.priority as priority_a,
        a.requested_by as requested_by_a,
        a.start as start_a,
        a."end" as end_a,
        b.event_id as event_id_b,
        b.title as title_b,
        b.priority as priority_b,
        b.requested_by as requested_by_b,
        b.start as start_b,
        b."end" as end_b
    from every_entry as a
    inner join entries as b
        on a.window_id = b.window_id
        and (a.start < b.start or (a.start = b.start and a.event_id < b.event_id))
        and a.start < b."end"
        and b.start < a."end"
),

final as (
    select
        requested_by_b as department,
        *,
        (epoch(least(end_a, end_b)) - epoch(greatest(start_a, start_b))) / 60 as overlap_minutes,
        concat('「', title_b, '」与「', title_a, '」重叠') as reason,
        []::varchar[] as _lacking
    from overlapping_pairs
    union all by name
    select
        window_id,
        requested_by as department,
        event_id as event_id_a,
        title as title_a,
        start as start_a,
        _lacking
    from entries
    where list_contains(_lacking, 'end')
)

select * from final

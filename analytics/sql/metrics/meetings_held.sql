-- held(W): meetings held with scheduled_start in the window, one row per meeting and window, with every
-- low-efficiency rule that fires, person-hours and whether the minutes came out in time.
-- Inputs: window_days (window_id, window_start, window_end, day), the meetings ledger, and the whole decisions ledger
-- (main.decisions: a meeting's outcome is looked up across every department).
-- `_lacking` (given with the ledger): the columns the row's load did not supply (metrics.md, "Missing
-- inputs"); the engine leaves such rows out of the metrics that need those columns.
-- A rule fires only on a meeting whose load supplied the rule's inputs ($inputs_<rule>, declared in
-- analytics/metrics/registry.py); no_outcome only when some decision's load supplied meeting_id.
with held_in_week as (
    select
        window_days.window_id,
        meetings.*
    from meetings
    inner join window_days on window_days.day = cast(meetings.scheduled_start as date)
    where coalesce(meetings.status, 'held') = 'held'
),

decisions_ledger as (
    select count(*) > 0 as has_rows
    from main.decisions
    left join load_log on load_log.load_id = decisions._load_id
    where load_log.columns_supplied is null or list_has_all(load_log.columns_supplied, $inputs_no_outcome)
),

meetings_with_outcome as (
    select distinct meeting_id
    from main.decisions
    where status is distinct from 'cancelled' and meeting_id is not null
),

durations as (
    select
        held_in_week.*,
        (epoch(scheduled_end) - epoch(scheduled_start)) / 60 as planned_minutes,
        case
            when actual_start is not null and actual_end is not null
                then (epoch(actual_end) - epoch(actual_start)) / 60
        end as measured_minutes,
        coalesce(actual_end, scheduled_end) + to_seconds($minutes_sla_hours * 3600) as minutes_deadline
    from held_in_week
),

rules as (
    select
        durations.*,
        coalesce(measured_minutes, planned_minutes) as actual_minutes,
        coalesce(not has_agenda, false) and not list_has_any(_lacking, $inputs_no_agenda) as no_agenda,
        decisions_ledger.has_rows and meetings_with_outcome.meeting_id is null as no_outcome,
        coalesce(measured_minutes > planned_minutes * $overrun_factor, false)
        and not list_has_any(_lacking, $inputs_overrun) as overrun,
        coalesce(rating <= $low_rating_max, false) and not list_has_any(_lacking, $inputs_low_rating) as low_rating
    from durations
    cross join decisions_ledger
    left join meetings_with_outcome on meetings_with_outcome.meeting_id = durations.meeting_id
),

final as (
    select
        window_id,
        organizer_dept as department,
        meeting_id,
        title,
        category,
        organizer,
        scheduled_start,
        scheduled_end,
        actual_start,
        actual_end,
        attendees,
        has_agenda,
        rating,
        minutes_issued_at,
        planned_minutes,
        actual_minutes,
        attendees * actual_minutes / 60 as person_hours,
        no_agenda,
        no_outcome,
        overrun,
        low_rating,
        no_agenda or no_outcome or overrun or low_rating as low_efficiency,
        concat_ws(
            '、',
            case when no_agenda then '无议程' end,
            case when no_outcome then '无决议产出' end,
            case when overrun then '超时' end,
            case when low_rating then '评分低' end
        ) as reasons,
        concat_ws(
            ',',
            case when no_agenda then 'no_agenda' end,
            case when no_outcome then 'no_outcome' end,
            case when overrun then 'overrun' end,
            case when low_rating then 'low_rating' end
        ) as reason_codes,
        minutes_deadline,
        coalesce(minutes_issued_at <= minutes_deadline, false) as minutes_on_time,
        _lacking
    from rules
)

select * from final

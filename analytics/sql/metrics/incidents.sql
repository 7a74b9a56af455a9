-- inc(W): incidents reported in the window, one row per incident and window, with each service level
-- (response within response_sla_minutes; for resolved ones, a progress update every
-- update_interval_minutes and the summary report within report_sla_hours) and the ones it missed.
-- Inputs: window_days (window_id, window_start, window_end, day) and the incidents ledger.
-- `_lacking` (given with the ledger): the columns the row's load did not supply (metrics.md, "Missing
-- inputs"); the engine leaves such rows out of the metrics that need those columns.
-- is_resolved is null when the load did not supply resolved_at (whether it was resolved is unknown).
with reported_in_week as (
    select
        window_days.window_id,
        incidents.*
    from incidents
    inner join window_days on window_days.day = cast(incidents.reported_at as date)
),

service_levels as (
    select
        *,
        case when not list_contains(_lacking, 'resolved_at') then resolved_at is not null end as is_resolved,
        (epoch(responded_at) - epoch(reported_at)) / 60 as response_minutes,
        coalesce(responded_at <= reported_at + to_seconds($response_sla_minutes * 60), false) as responded_on_time,
        coalesce(progress_updates, 0) as updates_given,
        cast(floor(
            (epoch_us(resolved_at) - epoch_us(coalesce(responded_at, reported_at)))
            / ($update_interval_minutes * 60000000)
        ) as bigint) as updates_required,
        resolved_at + to_seconds($report_sla_hours * 3600) as report_deadline
    from reported_in_week
),

checked as (
    select
        *,
        case when is_resolved then updates_given >= updates_required end as update_compliant,
        case when is_resolved then coalesce(report_issued_at <= report_deadline, false) end as report_on_time
    from service_levels
),

final as (
    select
        window_id,
        lead_dept as department,
        incident_id,
        incident_type,
        severity,
        summary,
        reported_at,
        responded_at,
        resolved_at,
        progress_updates,
        report_issued_at,
        response_minutes,
        responded_on_time,
        is_resolved,
        updates_required,
        update_compliant,
        report_deadline,
        report_on_time,
        concat_ws(
            '、',
            case when not responded_on_time then '未在时限内响应' end,
            case when not update_compliant
                then '进展通报不足（应' || updates_required || '次，实际' || updates_given || '次）' end,
            case when not report_on_time then '总结报告超时' end
        ) as missed_service_levels,
        _lacking
    from checked
)

select * from final

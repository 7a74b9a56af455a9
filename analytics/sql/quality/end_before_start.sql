-- Records whose end is before their start: meetings (planned and actual), calendar entries,
-- incidents (resolved or answered before they were reported).
with meeting_planned as (
    select 'meetings' as ledger, meeting_id as record_id, 'scheduled_end' as field,
           strftime(scheduled_end, '%Y-%m-%d %H:%M') as value,
           '计划结束 ' || strftime(scheduled_end, '%Y-%m-%d %H:%M') || ' 早于计划开始 ' || strftime(scheduled_start, '%Y-%m-%d %H:%M') as detail
    from meetings
    where scheduled_end < scheduled_start
),

meeting_actual as (
    select 'meetings', meeting_id, 'actual_end', strftime(actual_end, '%Y-%m-%d %H:%M'),
           '实际结束 ' || strftime(actual_end, '%Y-%m-%d %H:%M') || ' 早于实际开始 ' || strftime(actual_start, '%Y-%m-%d %H:%M')
    from meetings
    where actual_end < actual_start
),

calendar_entries as (
    select 'schedule', event_id, 'end', strftime("end", '%Y-%m-%d %H:%M'),
           '结束 ' || strftime("end", '%Y-%m-%d %H:%M') || ' 早于开始 ' || strftime(start, '%Y-%m-%d %H:%M')
    from schedule
    where "end" < start
),

incident_resolved as (
    select 'incidents', incident_id, 'resolved_at', strftime(resolved_at, '%Y-%m-%d %H:%M'),
           '处置完成 ' || strftime(resolved_at, '%Y-%m-%d %H:%M') || ' 早于接报 ' || strftime(reported_at, '%Y-%m-%d %H:%M')
    from incidents
    where resolved_at < reported_at
),

incident_responded as (
    select 'incidents', incident_id, 'responded_at', strftime(responded_at, '%Y-%m-%d %H:%M'),
           '响应 ' || strftime(responded_at, '%Y-%m-%d %H:%M') || ' 早于接报 ' || strftime(reported_at, '%Y-%m-%d %H:%M')
    from incidents
    where responded_at < reported_at
),

final as (
    select * from meeting_planned
    union all select * from meeting_actual
    union all select * from calendar_entries
    union all select * from incident_resolved
    union all select * from incident_responded
)

select * from final order by ledger, record_id

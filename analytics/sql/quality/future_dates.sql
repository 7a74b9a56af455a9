-- Dates after today where only the past makes sense (deadlines and planned entries may be in the future).
with facts as (
    select 'meetings' as ledger, meeting_id as record_id, 'actual_start' as field, actual_start as happened_at from meetings
    union all select 'meetings', meeting_id, 'minutes_issued_at', minutes_issued_at from meetings
    union all select 'meetings', meeting_id, 'scheduled_start', scheduled_start from meetings
        where status = 'held' and actual_start is not null
    union all select 'decisions', decision_id, 'created_date', created_date from decisions
    union all select 'decisions', decision_id, 'completed_date', completed_date from decisions
    union all select 'supplies', txn_id, 'txn_date', txn_date from supplies
    union all select 'documents', doc_id, 'received_date', received_date from documents
    union all select 'documents', doc_id, 'registered_date', registered_date from documents
    union all select 'documents', doc_id, 'closed_date', closed_date from documents
    union all select 'incidents', incident_id, 'reported_at', reported_at from incidents
    union all select 'incidents', incident_id, 'resolved_at', resolved_at from incidents
    union all select 'incidents', incident_id, 'report_issued_at', report_issued_at from incidents
    union all select 'schedule', event_id, 'start', start from schedule where status = 'done'
),

final as (
    select ledger, record_id, field, strftime(happened_at, '%Y-%m-%d %H:%M') as value,
           '日期晚于今天（' || strftime($today, '%Y-%m-%d') || '）' as detail
    from facts
    where cast(happened_at as date) > $today
)

select * from final order by ledger, record_id, field

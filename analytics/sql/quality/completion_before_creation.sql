-- Items closed before they existed: resolutions completed before they were given, documents closed
-- before they were registered (or received, when not registered).
with resolutions as (
    select 'decisions' as ledger, decision_id as record_id, 'completed_date' as field,
           strftime(completed_date, '%Y-%m-%d') as value,
           '办结 ' || strftime(completed_date, '%Y-%m-%d') || ' 早于下达 ' || strftime(created_date, '%Y-%m-%d') as detail
    from decisions
    where completed_date < created_date
),

documents_closed as (
    select 'documents', doc_id, 'closed_date', strftime(closed_date, '%Y-%m-%d'),
           '办结 ' || strftime(closed_date, '%Y-%m-%d') || ' 早于' ||
           case when registered_date is not null then '登记 ' || strftime(registered_date, '%Y-%m-%d')
                else '收文 ' || strftime(received_date, '%Y-%m-%d') end
    from documents
    where closed_date < coalesce(registered_date, received_date)
),

documents_registered as (
    select 'documents', doc_id, 'registered_date', strftime(registered_date, '%Y-%m-%d'),
           '登记 ' || strftime(registered_date, '%Y-%m-%d') || ' 早于收文 ' || strftime(received_date, '%Y-%m-%d')
    from documents
    where registered_date < received_date
),

final as (
    select * from resolutions
    union all select * from documents_closed
    union all select * from documents_registered
)

select * from final order by ledger, record_id

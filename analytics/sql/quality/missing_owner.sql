-- Work nobody answers for: resolutions without an owner, documents without a handling department,
-- incidents without a lead department, issues and returns of supplies without a department.
with resolutions as (
    select 'decisions' as ledger, decision_id as record_id, 'owner' as field, owner_dept as value,
           '决议「' || item || '」没有责任人' as detail
    from decisions
    where coalesce(trim(owner), '') = '' and coalesce(status, 'open') <> 'cancelled'
),

documents_unassigned as (
    select 'documents', doc_id, 'handler_dept', null,
           '公文「' || title || '」没有承办部门'
    from documents
    where coalesce(trim(handler_dept), '') = ''
),

incidents_unled as (
    select 'incidents', incident_id, 'lead_dept', null,
           '事件「' || incident_type || '」没有牵头部门'
    from incidents
    where coalesce(trim(lead_dept), '') = ''
),

supplies_unassigned as (
    select 'supplies', txn_id, 'department', null,
           case txn_type when 'issue' then '领用' else '退库' end || '「' || item || '」没有部门'
    from supplies
    where txn_type in ('issue', 'return') and coalesce(trim(department), '') = ''
),

final as (
    select * from resolutions
    union all select * from documents_unassigned
    union all select * from incidents_unled
    union all select * from supplies_unassigned
)

select * from final order by ledger, record_id

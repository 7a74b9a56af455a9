-- Rows kept out of the ledgers by "load the valid rows", newest load first.
select q.file_name, q.sheet, q.ledger, q.row_number, q.column_name, q.value, q.reason, l.loaded_at
from quarantine as q
left join load_log as l using (load_id)
order by l.loaded_at desc nulls last, q.file_name, q.row_number
limit $limit

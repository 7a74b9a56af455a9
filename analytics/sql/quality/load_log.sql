-- The latest loads, newest first.
select loaded_at, file_name, ledger, sheet, mode, rows_loaded, rows_replaced, rows_rejected,
       rows_skipped, loaded_by, notes, sha256
from load_log
order by loaded_at desc, load_id desc
limit $limit

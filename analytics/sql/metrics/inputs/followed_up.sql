-- followed_up: the non-cancelled decisions with their follow-up columns defaulted (ledgers.md) and what
-- the loads saw of their status (decision_status_seen, for status-only exports). A row without the
-- follow-up columns (a file without them, or loaded before they existed) has the current deadline as its
-- original one (original_due), one extension when its original deadline is earlier than the current one,
-- else none (extensions), and no reminder (reminders). Every column of the ledger (with `_lacking`) is kept.
-- Put in front of every population query that reads it by analytics/metrics/engine.py.
select
    decisions.*,
    coalesce(decisions.original_due_date, decisions.due_date) as original_due,
    coalesce(
        decisions.extension_count, case when decisions.original_due_date < decisions.due_date then 1 else 0 end
    ) as extensions,
    coalesce(decisions.reminder_count, 0) as reminders,
    seen.first_done_seen,
    seen.last_open_seen
from decisions
left join decision_status_seen as seen on seen.decision_id = decisions.decision_id
where decisions.status is distinct from 'cancelled'

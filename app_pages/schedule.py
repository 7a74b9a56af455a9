"""总经理日程 — the GM's calendar: strategic time share, conflicts, rescheduling."""

from analytics.ui.ledger import ledger_sections
from analytics.ui.page import page_header, require_data

view = page_header("schedule", ":material/calendar_month:")
require_data(view)
ledger_sections(view, "schedule")

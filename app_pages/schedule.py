"""总经理日程 — the GM's calendar: strategic time share, conflicts, rescheduling."""

from analytics.ui import components as ui

view = ui.page_header("schedule", ":material/calendar_month:")
ui.require_data(view)
ui.ledger_sections(view, "schedule")

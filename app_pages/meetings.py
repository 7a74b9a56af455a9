"""会议 — meetings held, low-efficiency meetings with their reasons, minutes in 24 h."""

from analytics.ui import components as ui

view = ui.page_header("meetings", ":material/groups:")
ui.require_data(view)
ui.ledger_sections(view, "meetings")

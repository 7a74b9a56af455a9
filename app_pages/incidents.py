"""突发事件 — incidents and the service level each one missed (5-minute response, 30-minute updates, 24-hour report)."""

from analytics.ui import components as ui

view = ui.page_header("incidents", ":material/e911_emergency:")
ui.require_data(view)
ui.ledger_sections(view, "incidents")

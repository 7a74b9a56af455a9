"""决议督办 — resolutions: completion and on-time rates, overdue items with their age in working days and source meeting."""

from analytics.ui import components as ui

view = ui.page_header("decisions", ":material/task_alt:")
ui.require_data(view)
ui.ledger_sections(view, "decisions")

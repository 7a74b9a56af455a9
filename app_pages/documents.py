"""公文 — documents: registration in 1 working day, overdue and on-time closing."""

from analytics.ui import components as ui

view = ui.page_header("documents", ":material/description:")
ui.require_data(view)
ui.ledger_sections(view, "documents")

"""公文 — documents: registration in 1 working day, overdue and on-time closing."""

from analytics.ui.ledger import ledger_sections
from analytics.ui.page import page_header, require_data

view = page_header("documents", ":material/description:")
require_data(view)
ledger_sections(view, "documents")

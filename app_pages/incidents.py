"""突发事件 — incidents and the service level each one missed (5-minute response, 30-minute updates, 24-hour report)."""

from analytics.ui.ledger import ledger_sections
from analytics.ui.page import page_header, require_data

view = page_header("incidents", ":material/e911_emergency:")
require_data(view)
ledger_sections(view, "incidents")

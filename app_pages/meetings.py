"""会议 — meetings held, low-efficiency meetings with their reasons, minutes in 24 h."""

from analytics.ui.ledger import ledger_sections
from analytics.ui.page import page_header, require_data

view = page_header("meetings", ":material/groups:")
require_data(view)
ledger_sections(view, "meetings")

"""办公用品 — supplies: waste rate and value by item and reason, idle stock and items at risk of shortage."""

from analytics.ui.ledger import ledger_sections, waste_chart
from analytics.ui.page import page_header, require_data

view = page_header("supplies", ":material/inventory_2:")
require_data(view)
ledger_sections(view, "supplies")
waste_chart(view)

"""办公用品 — supplies: waste rate and value by item and reason, idle stock and items at risk of shortage."""

from analytics.ui import components as ui

view = ui.page_header("supplies", ":material/inventory_2:")
ui.require_data(view)
ui.ledger_sections(view, "supplies")
ui.waste_chart(view)

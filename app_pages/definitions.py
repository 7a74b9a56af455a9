"""指标说明 — every metric's definition and target from the registry the engine uses; thresholds editable."""

from analytics.ui import admin
from analytics.ui.i18n import t
from analytics.ui.page import page_header

view = page_header("definitions", ":material/menu_book:", t("definitions_intro"))
admin.settings_form(view)
admin.definitions_table(view)

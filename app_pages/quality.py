"""数据质量 — checks a careful assistant runs before the weekly meeting, the load log and the quarantine."""

from analytics.ui import admin
from analytics.ui.i18n import t
from analytics.ui.page import page_header

view = page_header("quality", ":material/fact_check:", t("quality_intro"))
admin.quality_checks(view)
admin.freshness(view)
admin.load_log(view)
admin.quarantine(view)

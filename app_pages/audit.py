"""审计日志 — who did what, when: sign-ins, uploads, exports, settings and account changes."""

from analytics.ui import admin
from analytics.ui.i18n import t
from analytics.ui.page import page_header

view = page_header("audit", ":material/policy:", t("audit_intro"))
admin.audit_log(view)

"""数据导入 — upload OA exports: detected ledger, preview, header mapping, validation, load, history."""

from analytics.ui import admin, upload
from analytics.ui.i18n import t
from analytics.ui.page import page_header

view = page_header("upload", ":material/upload_file:", t("upload_intro"))
upload.upload_section(view)
admin.load_log(view)

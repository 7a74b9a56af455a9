"""Interface strings in Chinese and English; Chinese first.

Metric and ledger names come from their declarations (label_zh / label_en); this table holds only
the words of the interface itself. `t(key)` reads the language the user picked in the sidebar.
"""

from __future__ import annotations

import streamlit as st

from analytics.formatting import Lang
from analytics.wording import english_plurals

LANGS: dict[Lang, str] = {"zh": "中文", "en": "English"}

STRINGS: dict[str, tuple[str, str]] = {
    # frame
    "app_title": ("总经理助理周度复盘工作台", "GM assistant's weekly review"),
    "nav_review": ("周度复盘", "Weekly review"),
    "nav_ledgers": ("台账", "Ledgers"),
    "nav_data": ("数据", "Data"),
    "page_overview": ("总览", "Overview"),
    "page_meetings": ("会议", "Meetings"),
    "page_decisions": ("决议督办", "Resolutions"),
    "page_supplies": ("办公用品", "Office supplies"),
    "page_documents": ("公文", "Documents"),
    "page_incidents": ("突发事件", "Incidents"),
    "page_schedule": ("总经理日程", "GM schedule"),
    "page_upload": ("数据导入", "Load data"),
    "page_quality": ("数据质量", "Data quality"),
    "page_definitions": ("指标说明", "Metric definitions"),
    "week": ("周次", "Week"),
    "week_help": (
        "默认为最近一个有数据的完整周期；进行中的周期截至今天计算，并与上一期的相同天数比较",
        "Defaults to the latest complete period with data; a period in progress is computed as of today "
        "and compared with the same days of the period before",
    ),
    "departments": ("部门", "Departments"),
    "department": ("部门", "Department"),
    "all_departments": ("全部部门", "All departments"),
    "language": ("语言", "Language"),
    "language_is": ("语言：{lang}", "Language: {lang}"),
    "week_label": ("{week}（{start}–{end}）", "{week} ({start}–{end})"),
    "month_label": ("{year}年{month}月", "{year}-{month:02d}"),
    "quarter_label": ("{year}年第{quarter}季度", "{year} Q{quarter}"),
    "year_label": ("{year}年", "{year}"),
    "period": ("统计期间", "Period"),
    "period_kind": ("按周、月、季度或年查看", "View by week, month, quarter or year"),
    "kind_week": ("周", "Week"),
    "kind_month": ("月", "Month"),
    "kind_quarter": ("季度", "Quarter"),
    "kind_year": ("年", "Year"),
    "compare": ("对比", "Compare with"),
    "compare_previous": ("上一期（默认）", "The period before (default)"),
    "compared_with": ("对比 {period}", "vs {period}"),
    "vs_previous_same_days": ("较上期同期", "vs the same days of the period before"),
    "vs_period": ("较{period}", "vs {period}"),
    "vs_last_month": ("较上月", "vs last month"),
    "vs_last_quarter": ("较上季度", "vs last quarter"),
    "vs_last_year": ("较上年", "vs last year"),
    "showing": ("{week} · {depts}", "{week} · {depts}"),
    "bad_week_in_link": (
        "链接中的周次「{value}」无效，已改为默认周。",
        "The week “{value}” in the link is not valid; showing the default week.",
    ),
    "db_busy": (
        "数据库正被另一个程序使用（例如命令行正在导入数据），请稍后刷新页面。",
        "The database is in use by another program (for example a load from the command line); refresh in a moment.",
    ),
    "data_updating": (
        "数据更新中，请稍候……页面会自动刷新。",
        "Data is being updated; a moment, please. The page refreshes by itself.",
    ),
    "data_version": ("数据版本 v{version}（{at} 发布）", "Data version v{version} (published {at})"),
    # empty database
    "empty_title": ("数据库里还没有台账数据", "There is no ledger data yet"),
    "empty_body": (
        "可以在「数据导入」页上传 OA 导出的台账（CSV/XLSX），或先加载一家示例公司看看效果。",
        "Upload OA ledger exports (CSV/XLSX) on the Load data page, or load a sample company to look around.",
    ),
    "load_sample": ("加载示例公司数据", "Load the sample company"),
    "loading_sample": ("正在生成并导入示例公司的台账……", "Generating and loading the sample company's ledgers…"),
    "sample_loaded": ("示例公司数据已加载。", "The sample company is loaded."),
    "go_upload": ("去导入数据", "Load data"),
    "no_data_week": (
        "{week} 没有数据。请换一周，或导入这一周的台账。",
        "No data in {week}. Pick another week or load its ledgers.",
    ),
    # KPI tiles
    "headline": ("核心指标", "Headline numbers"),
    "service_levels": ("服务时效", "Service levels"),
    "vs_last_week": ("较上周", "vs last week"),
    "no_rows_in_period": ("无数据：{ledger}本期没有记录", "No data: no {ledger} rows in this period"),
    "only_missed": ("只看未达标（{n} / {total}）", "Only the ones that missed ({n} of {total})"),
    "report_weekly_only": (
        "周报（Excel、Word、PDF）按周导出：请在左侧选择「周」。",
        "The review documents (Excel, Word, PDF) are weekly: pick a week on the left.",
    ),
    "show_all_rows": ("显示全部明细", "Show all rows"),
    "attention_rows": ("需要关注：{kind}，共 {n} 项", "Needs attention: {kind}, {n} items"),
    "no_previous": ("上周无数据", "no figure last week"),
    "no_data": ("无数据", "No data"),
    "colour_legend": (
        "颜色表示好坏而非涨跌：**绿色=改善**，**红色=变差**，灰色=持平或无对比；箭头表示升降。小图为近 {n} 周走势。",
        "Colour shows better or worse, not up or down: **green = better**, **red = worse**, grey = flat "
        "or no comparison; the arrow shows the direction. Sparklines show the last {n} weeks.",
    ),
    "fraction": ("{num} / {den}", "{num} / {den}"),
    "status_good": ("达标", "on target"),
    "status_watch": ("需留意", "watch"),
    "status_bad": ("未达标", "off target"),
    "status_unknown": ("无目标", "no target"),
    # overview
    "tab_summary": (":material/summarize: 本周小结", ":material/summarize: This week in brief"),
    "tab_attention": (
        ":material/notification_important: 需要关注",
        ":material/notification_important: Needs attention",
    ),
    "tab_charts": (":material/monitoring: 走势与部门", ":material/monitoring: Trend and departments"),
    "tab_rows": (":material/table_rows: 明细", ":material/table_rows: Rows"),
    "summary_caption": (
        "结论先行 → 数据支撑 → 改进建议；由本周指标自动生成，可复制到周报。",
        "Conclusion → data → proposals; generated from this week's numbers.",
    ),
    "proposals": ("建议", "Proposals"),
    "attention_caption": ("逾期与临期事项、未达时效的记录。", "Overdue and soon-due items, service-level breaches."),
    "attention_none": ("本周没有需要特别关注的事项。", "Nothing needs special attention this week."),
    "kind": ("类别", "Kind"),
    "open_ledger": ("查看明细", "Open details"),
    "copy_summary": ("纯文本（便于复制）", "Plain text (to copy)"),
    "copy_summary_hint": (
        "点进文本框，Ctrl+A 全选，Ctrl+C 复制。",
        "Click into the box, Ctrl+A to select all, Ctrl+C to copy.",
    ),
    # ledger pages
    "trend": ("近期走势", "Recent trend"),
    "trend_weeks": ("周数", "Weeks"),
    "by_department": ("按部门", "By department"),
    "rows_behind": ("明细：{label}", "Rows behind: {label}"),
    "pick_metric": ("查看指标", "Metric"),
    "no_rows": ("没有对应的记录。", "No rows."),
    "rows_count": ("共 {n} 条记录", "{n} rows"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "followup_papers": ("督办单与催办", "Follow-up papers"),
    "push_to_group": ("推送到群", "Send to a group"),
    "push_caption": (
        "把本周书面小结（结论先行，全公司口径，不含日程与密件内容）发到企业微信 / 钉钉 / 飞书群。",
        "Sends this week's written summary (conclusion first, whole company, nothing from the calendar or "
        "secret documents) to a WeCom / DingTalk / Feishu group.",
    ),
    "push_robot": ("群机器人", "Group robot"),
    "push_send": ("发送", "Send"),
    "push_none": (
        "尚未配置群机器人：在 {path} 中添加 [push.名称]，含 kind（wecom / dingtalk / feishu）、url 和可选的 secret。",
        "No group robot configured: add [push.NAME] with kind (wecom / dingtalk / feishu), url and an optional "
        "secret to {path}.",
    ),
    "followup_caption": (
        "督办灯（本周日）：红牌＝已逾期；黄牌＝{n}个工作日内到期或已延期；蓝牌＝其他未办结事项。"
        "下列文件取自所选指标「{label}」的明细。",
        "Cards at Sunday: red = overdue; yellow = due within {n} working days or extended; blue = other open "
        "items. The files below hold the rows of the chosen metric, {label}.",
    ),
    "lights_line": (
        "截至 {day} 未办结：:red-badge[红牌 {red}] :orange-badge[黄牌 {yellow}] :blue-badge[蓝牌 {blue}]",
        "Open at {day}: :red-badge[Red {red}] :orange-badge[Yellow {yellow}] :blue-badge[Blue {blue}]",
    ),
    "download_bulletin_docx": ("督办通报 {month}（Word）", "Follow-up bulletin {month} (Word)"),
    "download_bulletin_xlsx": ("督办通报 {month}（Excel）", "Follow-up bulletin {month} (Excel)"),
    "download_supervision": ("督办单（Word，每项一页）", "Follow-up sheets (Word, one item a page)"),
    "download_reminders_docx": ("催办通知（Word，按部门）", "Reminders by department (Word)"),
    "download_reminders_xlsx": ("催办清单（Excel，按部门）", "Reminder lists by department (Excel)"),
    "no_department": ("该指标没有部门维度。", "This metric has no department breakdown."),
    "waste_by_item": ("近 {n} 周浪费金额：按物品与原因", "Waste of the last {n} weeks by item and reason"),
    "definition": ("口径", "Definition"),
    # upload
    "upload_intro": (
        "一次可上传多个 OA 导出的 CSV / XLSX 文件。系统会自动识别台账类型和编码（UTF-8 / GB18030），"
        "先预览、核对，再导入。",
        "Upload several CSV / XLSX exports at once. The ledger and the encoding (UTF-8 / GB18030) are "
        "detected; preview and check before loading.",
    ),
    "uploader": ("选择文件", "Choose files"),
    "file_section": ("文件：{name}", "File: {name}"),
    "sheet": ("工作表", "Sheet"),
    "detected": ("识别为：**{ledger}**", "Detected: **{ledger}**"),
    "not_detected": ("未能识别台账类型：{why}", "Ledger not recognised: {why}"),
    "choose_ledger": ("指定台账类型", "Ledger"),
    "auto_detect": ("自动识别", "Detect"),
    "mapping": ("列名对应", "Column mapping"),
    "sheet_skipped": ("工作表「{sheet}」不是台账，导入时跳过。", "Sheet “{sheet}” is not a ledger and is skipped."),
    "mapping_help": (
        "以下列名系统不认识。请选择对应的标准列（不需要的选「保留为附加列」）。",
        "These headers are not known. Pick the canonical column for each (or keep it as an extra column).",
    ),
    "keep_extra": ("保留为附加列", "Keep as extra column"),
    "save_mapping": (
        "导入时会保存这些列名对应，下次自动识别。",
        "The mapping is saved with the load and used automatically next time.",
    ),
    "recognised_columns": ("已识别的列", "Recognised columns"),
    "direction_question": (
        "文件里看不出这些公文是收文还是发文，请选择：",
        "The file does not say whether these documents came in or went out; please choose:",
    ),
    "direction_incoming": ("收文（外来公文）", "Incoming"),
    "direction_outgoing": ("发文（本单位发出）", "Outgoing"),
    "department_constant": (
        "文件没有「{column}」列。如果整份文件都属于同一个部门，可在此填写（可不填）：",
        "The file has no “{column}” column. If the whole file belongs to one department, type it here (optional):",
    ),
    "values_title": ("不认识的取值", "Values not understood"),
    "values_help": (
        "文件里有些取值系统不认识。请为每个取值选择含义；选好后会保存，下次自动识别。",
        "Some values in the file are not known. Choose what each means; the choice is saved for next time.",
    ),
    "value_question": ("「{header}」列中的「{word}」表示：", "“{word}” in column “{header}” means:"),
    "value_unknown": ("（不知道，先不导入这些行）", "(don't know: leave these rows out)"),
    "columns_missing": ("文件中没有这些列：{columns}。", "The file has no columns for: {columns}."),
    "review_cannot": (
        "复盘中以下指标无法从这个文件算出（会显示“无数据”，不会当作 0）：{metrics}。",
        "The review cannot compute these from this file (shown as “no data”, never 0): {metrics}.",
    ),
    "review_can": ("复盘所需的列都在，相关指标都能算出。", "Every column the review needs is there."),
    "derived_keys": (
        "文件没有编号列：系统按每行的内容生成编号（以 auto- 开头），重复导入同一行不会重复计数。",
        "The file has no ID column: each row gets an ID made from its content (starting auto-), so loading "
        "it again counts nothing twice.",
    ),
    "ambiguous": (
        "这个表同时符合 {ledgers}，请在上面的「指定台账类型」中选择它是哪一种。",
        "This table fits {ledgers} alike; choose which it is in “Ledger” above.",
    ),
    "files_left_out": (
        "这些文件不会导入（未能识别为台账，见上面的说明）：{names}",
        "These files will not be loaded (not recognised as a ledger, see above): {names}",
    ),
    "preview_rows": ("前几行预览", "First rows"),
    "validation": ("校验结果", "Validation"),
    "validation_ok": ("校验通过：{n} 行可导入。", "All {n} rows are valid."),
    "validation_errors": ("发现 {n} 处问题（涉及 {rows} 行）。", "{n} problems found (in {rows} rows)."),
    "download_report": ("下载校验报告 CSV", "Download the validation report (CSV)"),
    "mode": ("导入方式", "How to load"),
    "mode_all": ("全部或不导入（有错误则整个文件不导入）", "All or nothing (a file with any error loads nothing)"),
    "mode_valid": ("只导入有效行（无效行进入隔离区）", "Load the valid rows (invalid rows are quarantined)"),
    "mode_all_short": ("全部或不导入", "all or nothing"),
    "mode_valid_short": ("只导入有效行", "valid rows"),
    "load_button": ("导入 {n} 个文件", "Load {n} files"),
    "loading": ("正在导入 {name}……", "Loading {name}…"),
    "load_done": (
        "{name}：导入 {loaded} 行（替换 {replaced} 行，拒绝 {rejected} 行，跳过 {skipped} 行）",
        "{name}: {loaded} rows loaded ({replaced} replaced, {rejected} rejected, {skipped} skipped)",
    ),
    "load_failed": ("{name} 未导入：{message}", "{name} was not loaded: {message}"),
    "results": ("导入结果", "Results"),
    "history": ("导入记录", "Load history"),
    "preview_failed": ("{name} 无法预览：{message}", "{name} cannot be previewed: {message}"),
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "value": ("值", "Value"),
    "reason": ("原因", "Reason"),
    "file": ("文件", "File"),
    "unknown_headers": ("未识别的列：{headers}", "Unknown headers: {headers}"),
    "counts": ("共 {rows} 行", "{rows} rows"),
    # quality
    "quality_intro": (
        "导入日志、隔离区和数据检查：周会之前先看一眼。",
        "Load log, quarantine and data checks: look before the weekly meeting.",
    ),
    "checks": ("数据检查", "Checks"),
    "check_ok": ("未发现问题", "no findings"),
    "check_found": ("{n} 条", "{n} rows"),
    "load_log": ("导入日志", "Load log"),
    "quarantine": ("隔离区（未导入的行）", "Quarantine (rows not loaded)"),
    "quarantine_empty": ("隔离区为空。", "The quarantine is empty."),
    "log_empty": ("还没有导入记录。", "Nothing has been loaded yet."),
    "freshness": ("各台账更新情况", "Ledger freshness"),
    # definitions
    "definitions_intro": (
        "每个指标的口径与本页的阈值设置，和计算引擎使用的是同一份声明。修改阈值后所有页面立即按新口径计算。",
        "Each metric's definition and the thresholds on this page come from the declarations the engine uses; "
        "changes apply to every page at once.",
    ),
    "settings": ("阈值设置", "Thresholds"),
    "save_settings": ("保存设置", "Save settings"),
    "reset_settings": ("恢复默认", "Restore defaults"),
    "settings_saved": ("设置已保存，所有页面和报告即刻使用。", "Settings saved; every page and report uses them now."),
    "targets_title": ("目标值", "Targets"),
    "targets_help": (
        "每个指标的目标与需处理线（比率按百分数填写）：达标、关注、需处理的判断，以及卡片、图表、小结和报告中的目标都用这里的值。",
        "Each metric's target and action line (rates in percent): the on-target / watch / off-target status and "
        "every target shown on tiles, charts, the summary and the report use these values.",
    ),
    "target_good": ("目标", "Target"),
    "target_alert": ("需处理线", "Action line"),
    "settings_used": ("用到的设置", "Settings used"),
    "target": ("目标", "Target"),
    "unit": ("单位", "Unit"),
    "direction": ("方向", "Direction"),
    "higher_better": ("越高越好", "higher is better"),
    "lower_better": ("越低越好", "lower is better"),
    "neutral": ("中性", "neutral"),
    "metric": ("指标", "Metric"),
    "ledger": ("台账", "Ledger"),
    "unit_rate": ("比率", "rate"),
    "unit_count": ("数量", "count"),
    "unit_money": ("金额（元）", "money (CNY)"),
    "unit_hours": ("小时", "hours"),
    "unit_days": ("天", "days"),
    # access (analytics/ui/access.py)
    "page_audit": ("审计日志", "Audit log"),
    "sign_in": ("登录", "Sign in"),
    "sign_in_with": ("通过 {provider} 登录", "Sign in with {provider}"),
    "sign_in_company": ("通过公司统一身份认证登录", "Sign in with the company account"),
    "account_name": ("账号", "Account"),
    "password": ("密码", "Password"),
    "sign_out": ("退出登录", "Sign out"),
    "signed_in_as": ("当前用户：{name} · {role}", "Signed in: {name} · {role}"),
    "local_admin_note": (
        "尚未设置账号：仅本机可以访问，并以管理员身份运行。",
        "No accounts yet: only this computer can open the app, as administrator.",
    ),
    "session_ended": (
        "您的账号已被停用或修改，请重新登录。",
        "Your account was disabled or changed: please sign in again.",
    ),
    "no_accounts": (
        "没有可用的账号。请管理员在服务器上运行：python -m analytics users add 账号 --role assistant",
        "No account can sign in. The administrator adds one on the server: python -m analytics users add NAME --role assistant",
    ),
    "cross_origin": (
        "此页面是由另一个网站打开的连接，不显示任何数据。请直接在浏览器地址栏打开工作台的地址。",
        "This connection was opened by a page of another site; no data is shown. Open the workbench's address directly.",
    ),
    "setup_needed": (
        "此工作台尚未设置访问权限，因此只允许在运行它的电脑上打开，这里不显示任何数据。",
        "Access to this workbench has not been set up, so it opens only on the computer it runs on; no data is shown here.",
    ),
    "setup_steps": (
        "管理员在服务器上任选一种方式设置：\n\n"
        "1. 本地账号：`python -m analytics users add 账号 --role assistant`（角色：assistant 总经理助理、gm 总经理、"
        "dept_head 部门负责人（加 `--dept 部门`）、viewer 查看者）；\n"
        "2. 公司统一身份认证（OIDC）：在 `.streamlit/secrets.toml` 中配置 `[auth]`，见 README。\n\n"
        "设置后刷新本页即可登录。",
        "The administrator sets up one of these on the server:\n\n"
        "1. Local accounts: `python -m analytics users add NAME --role assistant` (roles: assistant, gm, "
        "dept_head with `--dept DEPARTMENT`, viewer);\n"
        "2. The company's identity provider (OIDC): an `[auth]` section in `.streamlit/secrets.toml`, see the README.\n\n"
        "Then reload this page and sign in.",
    ),
    "page_refused": ("您的角色无权打开此页面。", "Your role may not open this page."),
    "audit_busy": ("审计记录暂未写入：数据库繁忙。", "Audit entry not written: the database is busy."),
    "audit_intro": (
        "谁在何时做了什么：登录（含失败）、导入、导出与下载、阈值设置和账号变更。",
        "Who did what, when: sign-ins (and failures), uploads, exports and downloads, settings and account changes.",
    ),
    "audit_action": ("操作", "Action"),
    "audit_actor": ("操作人", "Who"),
    "audit_all": ("全部", "All"),
    "audit_when": ("时间", "When"),
    "audit_outcome": ("结果", "Outcome"),
    "audit_target": ("对象", "Target"),
    "audit_detail": ("说明", "Detail"),
    "audit_source": ("登录方式", "Signed in via"),
    "audit_role": ("角色", "Role"),
    "local_admin_name": ("本机管理员", "Local administrator"),
    "loaded_by_sample": ("示例数据", "sample data"),
    "audit_empty": ("还没有记录。", "Nothing recorded yet."),
    "settings_read_only": (
        "阈值只能由总经理助理修改。",
        "Only the assistant can change the thresholds.",
    ),
    "download_weekly_report": ("下载周报（Excel）", "Download the weekly report (Excel)"),
    "present": ("演示模式", "Present"),
    "present_help": (
        "周例会投屏用：结论与核心数字在第一屏，无侧栏和控件",
        "For the weekly meeting's projector: the conclusion and numbers on the first screen, no controls",
    ),
    "present_title": (
        "总经理办公室周度运行复盘（{year}年第{week}周）",
        "GM office weekly review ({year}, week {week})",
    ),
    "present_data": ("本周数据", "This week's data"),
    "present_exit": ("退出演示模式", "Leave the presentation"),
    "download_weekly_word": ("下载周报（Word）", "Download the review (Word)"),
    "download_weekly_pdf": ("下载周报（PDF）", "Download the review (PDF)"),
    "report_comment_title": (
        "助理意见（写入 Word / PDF 周报最后一页）",
        "Your comment (last page of the Word / PDF review)",
    ),
    "report_comment": ("总经理助理意见", "The assistant's comment"),
    "report_comment_hint": (
        "例如：本周整体平稳；决议执行率低于目标，主要在财务部，建议周例会上请其说明原因。",
        "E.g. a steady week; the decision rate is below target, mostly in Finance — ask them at the weekly meeting.",
    ),
}


def lang() -> Lang:
    """The language picked in the sidebar (Chinese until the user switches)."""
    value = st.session_state.get("lang", "zh")
    return value if value in LANGS else "zh"


def t(key: str, **values: object) -> str:
    """The interface string `key` in the current language, formatted with `values`."""
    zh, en = STRINGS[key]
    if lang() == "zh":
        return zh.format(**values) if values else zh
    return english_plurals(en.format(**values)) if values else en


def label(definition: object) -> str:
    """A declaration's label (metric or ledger) in the current language."""
    return getattr(definition, "label_zh" if lang() == "zh" else "label_en")

"""决议督办 — resolutions: completion and on-time rates, overdue items with their age in working days and source
meeting, extensions, reminders and each open item's card; the rows as 督办单 and 催办 lists."""

from analytics.ui import components as ui
from analytics.ui.followup import followup_papers

view = ui.page_header("decisions", ":material/task_alt:")
ui.require_data(view)
ui.ledger_sections(view, "decisions", after=lambda chosen: followup_papers(view, chosen))

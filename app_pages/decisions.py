"""决议督办 — resolutions: completion and on-time rates, overdue items with their age in working days and source
meeting, extensions, reminders and each open item's card; the rows as 督办单 and 催办 lists."""

from analytics.ui.followup import followup_papers
from analytics.ui.ledger import ledger_sections
from analytics.ui.page import page_header, require_data

view = page_header("decisions", ":material/task_alt:")
require_data(view)
ledger_sections(view, "decisions", after=lambda chosen: followup_papers(view, chosen))

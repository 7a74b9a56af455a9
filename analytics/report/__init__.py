"""The exported weekly report: `python -m analytics report --week YYYY-Www --out FILE.xlsx|FILE.md`.

`build_xlsx` and `build_markdown` are also what the dashboard's download buttons call.
"""

from analytics.report.command import run
from analytics.report.content import ReportContent, gather
from analytics.report.markdown import build_markdown, render_markdown
from analytics.report.xlsx import build_xlsx

__all__ = ["ReportContent", "build_markdown", "build_xlsx", "gather", "render_markdown", "run"]

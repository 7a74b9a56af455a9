"""总经理助理周度复盘工作台 — entry point: the menu, the shared week / department / language controls.

The pages themselves live in app_pages/ (st.navigation; see analytics/ui/frame.py). Run with
`bash scripts/app.sh`, or `streamlit run app.py`.
"""

from analytics.ui.frame import run_app

run_app()

"""The Streamlit side of the workbench: the only part of analytics/ that imports streamlit.

frame (menu, shared week / department / language controls, URL state) → data (cached reads keyed
by data version, week, departments and settings) → page, kpi, tables, ledger, overview, upload, admin (what pages lay out).
"""

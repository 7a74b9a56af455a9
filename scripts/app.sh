#!/usr/bin/env bash
# Sets up (first time) and runs the app on the embedded database, at http://127.0.0.1:8501.
# An empty database is filled with the sample company first.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # the database, its log and reports: readable by their owner only
bash scripts/setup.sh
.venv/bin/python -m analytics.bootstrap
exec .venv/bin/streamlit run app.py --server.address="${APP_ADDRESS:-127.0.0.1}" --server.port="${APP_PORT:-8501}" "$@"

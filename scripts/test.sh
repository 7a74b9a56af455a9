#!/usr/bin/env bash
# Sets up (first time, including chromium and CJK fonts for the browser tests) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
.venv/bin/python -m ruff check analytics tests app.py app_pages
exec .venv/bin/python -m pytest -q "$@"

#!/usr/bin/env bash
# The benchmark of issue 7 (bench/README.md): sets up (first time, including chromium and CJK fonts when
# root), then measures every speed and memory goal beside its baseline and writes bench/results/.
#   bash scripts/bench.sh [--sizes 1,10,30] [--quick] [--results DIR] [--no-browser]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
exec .venv/bin/python -m bench.run "$@"

#!/usr/bin/env bash
# The Monday run (cron or a systemd timer, see README "Scheduled weekly run"): the last complete week's
# report files, then the week's summary to each group robot named in WEEKLY_PUSH.
#
#   OPS_DB        the database (default data/ops.duckdb); robots and dashboard_url in settings.toml beside it
#   WEEKLY_OUT    where the files go (default data/reports); one folder per week
#   WEEKLY_PUSH   robot names of [push.NAME], separated by spaces (empty: no message)
#   WEEKLY_LOG    a log file the summary line is appended to as well (default data/weekly.log)
#
# On the first Monday after a month ends, the month's 督办通报 (bulletin) is written beside the report.
#
# Every step prints its own line; the last line says what was done, e.g.
#   2026-11-30T08:05:02+08:00 weekly 2026-W48: report 3/3 files in data/reports/2026-W48; push office ok, ding FAILED
# Exit status 0 when everything was written and sent, 1 when anything failed (the rest still runs).
set -uo pipefail
cd "$(dirname "$0")/.."
umask 077  # the reports hold every department's numbers: readable by their owner only
PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || PYTHON=python3

week=$("$PYTHON" -c "from analytics.weeks import last_complete_week; print(last_complete_week())") || {
  echo "$(date -Iseconds) weekly: cannot tell the week (is the virtual environment set up? bash scripts/setup.sh)" >&2
  exit 1
}
out="${WEEKLY_OUT:-data/reports}/$week"
log="${WEEKLY_LOG:-data/weekly.log}"
mkdir -p "$out" "$(dirname "$log")"
status=0
written=0
files=("周报_$week.xlsx" "周报_$week.docx" "周报_$week.md")
for file in "${files[@]}"; do
  if "$PYTHON" -m analytics report --week "$week" --out "$out/$file"; then
    written=$((written + 1))
  else
    status=1
  fi
done
# The first run within a week after a month ended also writes that month's 督办通报.
month=$("$PYTHON" -c "
from datetime import timedelta
from analytics.weeks import today
ended = today().replace(day=1) - timedelta(days=1)
print(f'{ended:%Y-%m}' if (today() - ended).days <= 7 else '')
") || month=""
if [ -n "$month" ]; then
  files+=("督办通报_$month.docx")
  if "$PYTHON" -m analytics bulletin --period "$month" --out "$out/督办通报_$month.docx"; then
    written=$((written + 1))
  else
    status=1
  fi
fi
pushed=()
for robot in ${WEEKLY_PUSH:-}; do
  if "$PYTHON" -m analytics push --week "$week" --to "$robot"; then
    pushed+=("$robot ok")
  else
    pushed+=("$robot FAILED")
    status=1
  fi
done
summary="$(date -Iseconds) weekly $week: report $written/${#files[@]} files in $out"
if [ ${#pushed[@]} -gt 0 ]; then
  summary="$summary; push $(IFS=,; echo "${pushed[*]}" | sed 's/,/, /g')"
else
  summary="$summary; push: none configured (WEEKLY_PUSH)"
fi
[ "$status" -eq 0 ] || summary="$summary; EXIT 1"
echo "$summary"
echo "$summary" >> "$log"
exit "$status"

#!/bin/bash
# clean.sh - a clean server: exit 0, verdict clean, no findings.
. "$(dirname "$0")/lib.sh"

build clean --spec "$SPECS/clean.spec"
run_scan "$SCRATCH/clean.json" -f json "$SCRATCH/clean"
expect_rc 0 "clean"
j=$SCRATCH/clean.json
json_valid "$j" clean
jqt "verdict clean" "$j" '.summary.verdict == "clean" and .summary.exit_status == 0'
jqt "no findings" "$j" '(.findings | length) == 0 and .summary.malicious == 0 and .summary.suspicious == 0'
jqt "crontabs and jobs were still read" "$j" \
    '(.crontabs | length) >= 3 and .summary.cron_jobs >= 4 and .summary.every_15_min_jobs == 0'
jqt "the */15 9-17 job is not every 15 minutes" "$j" \
    'any(.cron_jobs[]; (.command | contains("/usr/local/bin/report")) and .schedule == "*/15 9-17 * * *" and .every_15_minutes == false)'
jqt "files were examined" "$j" '.summary.files_examined > 0 and (.examined | length) > 0'
check_volumes "$j" "$SCRATCH/clean"

run_scan "$SCRATCH/clean.txt" "$SCRATCH/clean"
expect_rc 0 "clean, text"
check "text report is not empty" test -s "$SCRATCH/clean.txt"
finish

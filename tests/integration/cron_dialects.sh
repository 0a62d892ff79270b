#!/bin/bash
# cron_dialects.sh - crontabs read as the image's own cron reads them
#: the dialect comes from the image (dpkg status, cronie's
# crond), every rejected line is listed with line and byte offset in JSON,
# text, HTML and CSV, '%' stdin and CRON_TZ are shown, guarded absent
# programs are no finding, '~' and stdin-fed shells link the program.
. "$(dirname "$0")/lib.sh"

# ---- Debian: clean, though /etc/crontab is full of dialect traps ----------
build deb --spec "$SPECS/cron_debian.spec"
run_scan "$SCRATCH/deb.json" -f json "$SCRATCH/deb"
expect_rc 0 "Debian with removed php (guarded program absent)"
j=$SCRATCH/deb.json
json_valid "$j" deb
jqt "verdict clean, no findings" "$j" \
    '.summary.verdict == "clean" and (.findings | length) == 0'
jqt "dialect from dpkg status" "$j" \
    'all(.crontabs[]; .dialect == "debian-vixie-3.0pl1" and (.dialect_evidence | contains("3.0pl1-137")))'
jqt "php's sessionclean is guarded and absent" "$j" \
    'any(.cron_jobs[].programs[]; .as_written == "/usr/lib/php/sessionclean" and .status == "guarded_absent" and .guarded == true)'
jqt "sysstat's debian-sa1 is guarded and absent" "$j" \
    'any(.cron_jobs[].programs[]; .as_written == "debian-sa1" and .status == "guarded_absent")'
ct='.crontabs[] | select(.path == "/etc/crontab")'
jqt "every rejected line of /etc/crontab, with line and offset" "$j" \
    "[$ct | .rejected_lines[] | [.line, .offset]] == [[4,102],[5,129],[6,157],[9,264],[10,301],[11,311]] and ($ct | .rejected_lines_total) == 6"
jqt "reasons say why" "$j" \
    "[$ct | .rejected_lines[].reason] | (.[0] | contains(\"step after a single value\")) and (.[3] | contains(\"cronie 1.6 extension\"))"
jqt "Debian runs */61 (minute 0) and '1 **' (hour '*')" "$j" \
    '[.cron_jobs[] | select(.file == "/etc/crontab") | .line] == [7, 8, 12]'
jqt "stdin after % is shown, command cut before it" "$j" \
    'any(.cron_jobs[]; .line == 12 and .command == "/usr/bin/mail -s hi root " and .stdin == "hello\nworld")'
jqt "CRON_TZ shown, ignored by Debian's cron" "$j" \
    'any(.cron_jobs[]; .line == 7 and (.time_zone | contains("CRON_TZ=Europe/Berlin is set, but Debian")))'
jqt "no capped note" "$j" "($ct | .note) == null"
jqt "Debian skips /etc/cron.d/php.dpkg-old: no job, its line rejected" "$j" \
    'any(.crontabs[]; .path == "/etc/cron.d/php.dpkg-old" and (.note | contains("Debian'"'"'s cron skips")) and .rejected_lines[0].line == 1) and ([.cron_jobs[] | select(.file == "/etc/cron.d/php.dpkg-old")] | length) == 0'
jqt "anacron jobs with period, delay and identifier" "$j" \
    'any(.cron_jobs[]; .file == "/etc/anacrontab" and .line == 3 and .schedule == "1 5 cron.daily" and .schedule_words == "once a day (anacron), 5 minutes after anacron starts" and any(.programs[]; .as_written == "run-parts" and .status == "found"))'
jqt "a bad anacrontab line is rejected" "$j" \
    'any(.crontabs[]; .path == "/etc/anacrontab" and .rejected_lines == [{"line":5,"offset":152,"reason":"period is not a number of days or a known @keyword"}])'
jqt "run-parts scripts are jobs, resolved like cron programs" "$j" \
    'any(.cron_jobs[]; .file == "/etc/cron.daily" and .command == "/etc/cron.daily/logrotate" and .dialect_note == null and .programs[0].status == "found")'
jqt "a script Debian's run-parts skips says so" "$j" \
    'any(.cron_jobs[]; .command == "/etc/cron.daily/old.sh" and (.dialect_note | contains("Debian'"'"'s run-parts skips it")))'

run_scan "$SCRATCH/deb.txt" "$SCRATCH/deb"
check "text lists rejected line 11 with its offset" \
    grep -q "rejected    line 11 (byte 311): " "$SCRATCH/deb.txt"
check "text shows stdin" grep -q "stdin       hello" "$SCRATCH/deb.txt"
run_scan "$SCRATCH/deb.html" -f html "$SCRATCH/deb"
check "HTML lists rejected lines" grep -q "Crontab lines cron rejects (8)" "$SCRATCH/deb.html"
check "HTML shows offset 285" grep -q "<td>9</td><td>264</td>" "$SCRATCH/deb.html"
run_scan "$SCRATCH/deb.csv" -f csv "$SCRATCH/deb"
check "CSV has one row per rejected line (6 crontab, 1 anacrontab, 1 skipped file)" \
    test "$(grep -c '^"cron_rejected_line"' "$SCRATCH/deb.csv")" -eq 8
check "CSV row names line and offset" \
    grep -q '"line 10, byte offset 301: ' "$SCRATCH/deb.csv"
run_scan "$SCRATCH/deb.ts" -f timesketch "$SCRATCH/deb"
check "Timesketch has one event per rejected line" \
    test "$(grep -c '"data_type":"mumblescan:cron_rejected_line"' "$SCRATCH/deb.ts")" -eq 8
check "Timesketch event names line and offset" \
    grep -q '"line":9,"offset":264' "$SCRATCH/deb.ts"

# ---- cronie 1.7.2: '~' and a shell fed by stdin run the backdoor ---------
build rh --spec "$SPECS/cron_cronie.spec"
run_scan "$SCRATCH/rh.json" -f json "$SCRATCH/rh"
expect_rc 1 "cronie with ~ and stdin-fed shell"
j=$SCRATCH/rh.json
json_valid "$j" rh
jqt "dialect from cronie's crond" "$j" \
    'all(.crontabs[]; .dialect == "cronie-1.6-or-later" and (.dialect_evidence | contains("cronie 1.7.2")))'
jqt "'~' line is a job, once an hour at a random minute" "$j" \
    'any(.cron_jobs[]; .line == 3 and (.schedule_words | startswith("once an hour at a random minute")) and any(.programs[]; .as_written == "/var/tmp/qCVwOWA" and .status == "found"))'
jqt "program named on stdin is linked and found" "$j" \
    'any(.cron_jobs[]; .line == 4 and .every_15_minutes and .stdin == "/var/tmp/qCVwOWA" and any(.programs[]; .as_written == "/var/tmp/qCVwOWA" and .via_stdin and .status == "found"))'
jqt "the backdoor path is a finding" "$j" 'any(.findings[]; .path == "/var/tmp/qCVwOWA")'
jqt "cronie refuses a group-writable cron.d file and skips .rpmnew" "$j" \
    '([.cron_jobs[] | select(.file == "/etc/cron.d/writable" or .file == "/etc/cron.d/old.rpmnew")] | length) == 0 and any(.crontabs[]; .path == "/etc/cron.d/writable" and (.rejected_lines[0].reason | contains("BAD FILE MODE"))) and any(.crontabs[]; .path == "/etc/cron.d/old.rpmnew" and (.note | contains(".rpmnew")))'
jqt "0hourly (0644, root) runs" "$j" 'any(.cron_jobs[]; .file == "/etc/cron.d/0hourly")'
jqt "1/2 rejected by cronie" "$j" \
    'any(.crontabs[].rejected_lines[]; .line == 5 and (.reason | contains("step after a single value")))'

# ---- nothing names the cron: every reading is compared -------------------
build unk --spec "$SPECS/cron_unknown.spec"
run_scan "$SCRATCH/unk.json" -f json "$SCRATCH/unk"
j=$SCRATCH/unk.json
json_valid "$j" unk
jqt "dialect unknown" "$j" 'all(.crontabs[]; .dialect == "unknown")'
jqt "'~' is a job with both readings" "$j" \
    'any(.cron_jobs[]; .line == 1 and (.dialect_note | contains("Debian/Ubuntu cron 3.0pl1 rejects it") and contains("cronie 1.6 or later runs it once an hour at a random minute")))'
jqt "'*/15' reads the same everywhere" "$j" \
    'any(.cron_jobs[]; .line == 2 and .dialect_note == null and .every_15_minutes)'
jqt "'1/2' rejected by all" "$j" \
    '[.crontabs[].rejected_lines[].line] == [3] and ([.cron_jobs[].line] | index(3)) == null'

# ---- Debian without its /var: the package's doc directory -----------------
build dd --spec "$SPECS/cron_debdoc.spec"
run_scan "$SCRATCH/dd.json" -f json "$SCRATCH/dd"
j=$SCRATCH/dd.json
jqt "Debian from /usr/share/doc/cron" "$j" \
    'all(.crontabs[]; .dialect == "debian-vixie-3.0pl1" and (.dialect_evidence | contains("/usr/share/doc/cron")))'
jqt "Debian rules applied: '~' rejected, '1 **' runs" "$j" \
    '[.cron_jobs[].line] == [2] and [.crontabs[].rejected_lines[].line] == [1]'
finish

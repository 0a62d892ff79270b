#!/bin/bash
# history.sh - execution history and the incident story: cron records in
# a Debian syslog (current, rotated, gzip-rotated across a year turn), a
# RHEL-style /var/log/cron, a systemd journal written by
# systemd-journal-remote, sshd lines in auth.log and a wtmp record built
# from bytes; the inert packed look-alike of infected-debian.spec is the
# flagged program.  Asserts first/last run, counts, gaps, year inference
# and the story steps in every format.
. "$(dirname "$0")/lib.sh"

spec=$SCRATCH/hist.spec
cp "$SPECS/infected-debian.spec" "$spec"
cmd='/var/tmp/qCVwOWA >/dev/null 2>&1'

# gzip-rotated syslog across the new year (root's hourly run-parts job)
printf 'Dec 31 23:17:01 web1 CRON[5]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)\nJan  1 00:17:01 web1 CRON[6]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)\n' |
    gzip -9 >"$SCRATCH/syslog.2.gz"
# a gzip bomb look-alike: 64 MiB of newlines compress to a few KiB
head -c 67108864 /dev/zero | tr '\0' '\n' | gzip -9 >"$SCRATCH/bomb.gz"

# wtmp: one USER_PROCESS record, glibc x86-64 layout (384 bytes)
python3 - "$SCRATCH/wtmp" <<'PY'
import struct, sys
rec = struct.pack('<hxxi32s4s32s256shhiii4i20s', 7, 880, b'pts/0', b'ts/0',
                  b'www-data', b'198.51.100.7', 0, 0, 0, 1428400693, 0,
                  0, 0, 0, 0, b'')
assert len(rec) == 384
open(sys.argv[1], 'wb').write(rec)
PY

have_journal=0
JR=/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || JR=/usr/lib/systemd/systemd-journal-remote
if [ -x "$JR" ]; then
    printf '__REALTIME_TIMESTAMP=1430395501000000\n_PID=4242\nSYSLOG_IDENTIFIER=CRON\nMESSAGE=(www-data) CMD (%s)\n_BOOT_ID=0123456789abcdef0123456789abcdef\n_MACHINE_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=web1\n\n' "$cmd" |
        "$JR" -o "$SCRATCH/system.journal" - 2>/dev/null && have_journal=1
fi
[ "$have_journal" = 1 ] || say "note: systemd-journal-remote missing, journal not tested"

cat >>"$spec" <<SPEC
dir /var/log 0755
file /var/log/syslog 0640 text "Apr 30 23:30:01 web1 CRON[300]: (www-data) CMD ($cmd)\nApr 30 23:45:01 web1 CRON[301]: (www-data) CMD ($cmd)\nApr 30 23:50:00 web1 systemd[1]: noise\n"
time /var/log/syslog 2015-05-01T00:00:00Z
file /var/log/syslog.1 0640 text "Apr  7 10:15:01 web1 CRON[100]: (www-data) CMD ($cmd)\nApr  7 10:30:01 web1 CRON[101]: (www-data) CMD ($cmd)\nApr 20 12:00:01 web1 CRON[102]: (www-data) CMD ($cmd)\n"
time /var/log/syslog.1 2015-04-21T00:00:00Z
file /var/log/syslog.2.gz 0640 copy $SCRATCH/syslog.2.gz
time /var/log/syslog.2.gz 2015-01-01T01:00:00Z
file /var/log/syslog.3.gz 0640 copy $SCRATCH/bomb.gz
file /var/log/cron 0600 text "Apr 29 09:15:01 web1 CROND[77]: (root) CMD (/usr/local/bin/report)\nApr 29 09:30:01 web1 CROND[78]: (root) CMD (/usr/local/bin/report)\n"
time /var/log/cron 2015-04-30T00:00:00Z
file /var/log/auth.log 0640 text "Apr  7 09:57:00 web1 sshd[879]: Failed password for invalid user admin from 203.0.113.5 port 4444 ssh2\nApr  7 09:58:12 web1 sshd[880]: Accepted password for www-data from 198.51.100.7 port 50122 ssh2\n"
time /var/log/auth.log 2015-04-30T00:00:00Z
file /var/log/wtmp 0664 copy $SCRATCH/wtmp
SPEC
if [ "$have_journal" = 1 ]; then
    echo "file /var/log/journal/0123456789abcdef0123456789abcdef/system.journal 0640 copy $SCRATCH/system.journal" >>"$spec"
fi

build hist --spec "$spec" --size-mb 40
img=$SCRATCH/hist
run_scan "$SCRATCH/h.json" -f json "$img"
expect_rc 1 "infected image with logs"
j=$SCRATCH/h.json
H='.execution_history'
F="$H.jobs[] | select(.user == \"www-data\")"
want_runs=5; want_srcs=2
[ "$have_journal" = 1 ] && { want_runs=6; want_srcs=3; }
jqt "the flagged job's runs from syslog, syslog.1 (and the journal)" "$j" \
    "[$F] | length == 1 and .[0].flagged and .[0].runs == $want_runs and (.[0].sources | length) == $want_srcs"
jqt "first and last recorded run" "$j" \
    "[$F][0] | .first_run == \"2015-04-07T10:15:01.000000000Z\" and .last_run == \"2015-04-30T23:45:01.000000000Z\""
jqt "longest gap first" "$j" \
    "[$F][0].gaps[0] | .from == \"2015-04-07T10:30:01.000000000Z\" and .to == \"2015-04-20T12:00:01.000000000Z\""
jqt "linked exactly to the www-data crontab job" "$j" \
    "[$F][0] | .link == \"exact\" and .job != null and .year_inferred"
jqt "year wrap in the gzip-rotated file" "$j" \
    "$H.jobs[] | select(.command == \"cd / && run-parts --report /etc/cron.hourly\") | .runs == 2 and .first_run == \"2014-12-31T23:17:01.000000000Z\" and .last_run == \"2015-01-01T00:17:01.000000000Z\""
jqt "the gzip source says how its year was inferred" "$j" \
    "$H.log_sources[] | select(.path == \"/var/log/syslog.2.gz\") | .compressed and .records == 2 and (.year_inference | test(\"1 year turn\"))"
jqt "the bomb is cut at the output bound, not read whole" "$j" \
    "$H.log_sources[] | select(.path == \"/var/log/syslog.3.gz\") | .records == 0 and .compressed"
jqt "RHEL CROND records linked to /etc/crontab" "$j" \
    "$H.jobs[] | select(.command == \"/usr/local/bin/report\") | .runs == 2 and .link == \"exact\" and (.flagged | not)"
jqt "log sources carry inodes" "$j" "all($H.log_sources[]; .inode != null)"
jqt "sshd accepted and failed logins" "$j" \
    "[$H.logins[] | select(.kind == \"accepted\" and .user == \"www-data\" and .host == \"198.51.100.7\")] | length == 1"
jqt "failed login of an invalid user" "$j" \
    "[$H.logins[] | select(.kind == \"failed\" and .user == \"admin\")] | length == 1"
jqt "wtmp login record (384-byte layout)" "$j" \
    "[$H.logins[] | select(.kind == \"login\" and .line == \"pts/0\" and .time == \"2015-04-07T09:58:13.000000000Z\")] | length == 1"
jqt "story: six steps in order" "$j" \
    '[.story[].kind] == ["web_shell_request","dropper_written","crontab_changed","first_cron_run","last_cron_run","deleted"]'
jqt "story: no web evidence, said so" "$j" \
    '.story[0] | .evidence == false and .time == null and (.text | test("no evidence"))'
jqt "story: what the entry vector examined, in the entry's own counts" "$j" \
    '.entry as $e | .story[0].text | (test("not examined") | not)
     and test("\\b\($e.web_roots | length) web roots? \\(\([$e.web_roots[].scripts] | add // 0) script files?, \($e.scripts_scanned) scanned with the web-shell rules, 0 flagged\\) and \($e.access_logs_read) access log files? examined; no web shell was found")'
jqt "story: dropper and crontab times" "$j" \
    '.story[1].time == "2015-04-07T10:00:00.000000000Z" and .story[2].time == "2015-04-07T10:00:02.000000000Z"'
jqt "story: first and last run with source and certainty" "$j" \
    '.story[3].time == "2015-04-07T10:15:01.000000000Z" and (.story[3].source | test("/var/log/syslog.1")) and .story[3].certainty == "low" and (.story[3].source | test("TREATED AS UTC")) and .story[4].time == "2015-04-30T23:45:01.000000000Z"'
jqt "story: nothing deleted" "$j" '.story[5].evidence == false'
jqt "story comes before the details" "$j" --raw-output 'keys_unsorted | index("story") < index("findings")'

run_scan "$SCRATCH/h.txt" -f text "$img"
CHECKS=$((CHECKS + 1))
grep -q '^INCIDENT STORY' "$SCRATCH/h.txt" || fail "text: no story"
CHECKS=$((CHECKS + 1))
[ "$(grep -n '^INCIDENT STORY' "$SCRATCH/h.txt" | cut -d: -f1)" -lt "$(grep -n '^FINDINGS\|^Findings\|FINDINGS' "$SCRATCH/h.txt" | head -1 | cut -d: -f1)" ] ||
    fail "text: story not before the findings"
CHECKS=$((CHECKS + 1))
grep -q '4. first_cron_run     2015-04-07T10:15:01' "$SCRATCH/h.txt" || fail "text: first run step"
CHECKS=$((CHECKS + 1))
grep -q 'runs a flagged file' "$SCRATCH/h.txt" || fail "text: flagged history"
CHECKS=$((CHECKS + 1))
grep -q '2015-04-30T23:30:01.000000000Z .. 2015-04-30T23:45:01.000000000Z  2 runs' "$SCRATCH/h.txt" ||
    fail "text: dense runs collapsed to a range"

run_scan "$SCRATCH/h.html" -f html "$img"
CHECKS=$((CHECKS + 1))
grep -q 'id="story"' "$SCRATCH/h.html" || fail "html: no story"
CHECKS=$((CHECKS + 1))
grep -q 'id="history"' "$SCRATCH/h.html" || fail "html: no history"

run_scan "$SCRATCH/h.csv" -f csv "$img"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '^"cron_run"' "$SCRATCH/h.csv")" -ge "$want_runs" ] || fail "csv: cron runs kept individually"
CHECKS=$((CHECKS + 1))
grep -q '^"story","2015-04-07T10:15:01' "$SCRATCH/h.csv" || fail "csv: story step"

run_scan "$SCRATCH/h.ts" -f timesketch "$img"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '"data_type":"mumblescan:cron_run"' "$SCRATCH/h.ts")" -ge "$want_runs" ] || fail "timesketch: cron runs"
CHECKS=$((CHECKS + 1))
grep -q '"data_type":"mumblescan:story"' "$SCRATCH/h.ts" || fail "timesketch: story"

run_scan "$SCRATCH/h.body" -f bodyfile "$img"
CHECKS=$((CHECKS + 1))
grep -q "\[cron_run flagged\] (www-data) CMD (/var/tmp/qCVwOWA >/dev/null 2>&1) in /var/log/syslog|[0-9]*|-/----------|0|0|0|0|1430437501|" "$SCRATCH/h.body" ||
    fail "bodyfile: cron run line"

[ -n "${KEEP_SCRATCH:-}" ] && cp -r "$SCRATCH" /tmp/h14/keep
finish

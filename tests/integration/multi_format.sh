#!/bin/bash
# multi_format.sh - several formats in one run (-f a,b -o DIR), the CSV
# and Timesketch contracts, and failed writes: exit 2, one error line,
# never a partial report.
. "$(dirname "$0")/lib.sh"

build deb --spec "$SPECS/infected-debian.spec"
img=$SCRATCH/deb
out=$SCRATCH/all
run_scan "$SCRATCH/all.out" -f text,json,bodyfile,html,timesketch,csv -o "$out" \
    --case 'Case 7' --notes '=HYPERLINK("x")' --examiner '@evil' --evidence-id '+1' "$img"
expect_rc 1 "six formats"
check "nothing on stdout" test ! -s "$SCRATCH/all.out"
for f in report.txt report.json report.body report.html report.timesketch.jsonl report.csv; do
    check "$f written" test -s "$out/$f"
done
check "only the six reports in DIR (no temporary files)" test "$(ls -A "$out" | wc -l)" -eq 6
jqt "report.json is the full report" "$out/report.json" '.summary.verdict == "malicious"'
check "report.txt starts with the verdict" bash -c "head -n1 '$out/report.txt' | grep -q '^VERDICT: MALICIOUS'"
check "report.body is a bodyfile" bash -c "head -n1 '$out/report.body' | grep -qE '^[0-9a-f]*\\|v0:'"

# Same bytes as separate runs (times aside).
run_scan "$SCRATCH/one.json" -f json --case 'Case 7' --notes '=HYPERLINK("x")' --examiner '@evil' --evidence-id '+1' "$img"
check "multi-format JSON equals a single-format run (run-time fields aside)" \
    cmp -s <(jq -S 'del(.scan.started, .scan.finished, .provenance)' "$out/report.json") \
           <(jq -S 'del(.scan.started, .scan.finished, .provenance)' "$SCRATCH/one.json")

# CSV: RFC 4180 (CRLF, every field quoted), formula injection neutralised.
csv=$out/report.csv
check "CSV lines end in CRLF" test "$(grep -c $'\r$' "$csv")" -eq "$(wc -l <"$csv")"
check "CSV header" bash -c "head -n1 '$csv' | grep -q '^\"record\",\"time\",\"event\"'"
check "CSV: one row per timeline event" \
    test "$(grep -c '^"event"' "$csv")" -eq "$(jq '.timeline | length' "$out/report.json")"
check "CSV: persistence rows name the kind" \
    test "$(grep -c '^"persistence",' "$csv")" -eq "$(jq '[.persistence[] | select(.kind == "cron")] | length' "$out/report.json")"
check "CSV: formula cell neutralised, quotes doubled" grep -qF "\"'=HYPERLINK(\"\"x\"\")\"" "$csv"
check "CSV: @ and + cells neutralised" bash -c "grep -qF \"\\\"'@evil\\\"\" '$csv' && grep -qF \"\\\"'+1\\\"\" '$csv'"
check "CSV: no cell starts with a formula character" \
    bash -c "! tr -d '\r' <'$csv' | grep -qE '(^|,)\"[=+@-]'"
check "CSV: the backdoor's row carries its reasons and rule" \
    grep -qE '/var/tmp/qCVwOWA.*YARA_MATCH.*Mumblehard_Packer_DecryptLoop' "$csv"
check "CSV: nanosecond times" grep -qE '^"event","[0-9-]{10}T[0-9:]{8}\.[0-9]{9}Z"' "$csv"

# Timesketch: every line a JSON object with the three mandatory fields.
ts=$out/report.timesketch.jsonl
check "Timesketch: every line has message, datetime, timestamp_desc" \
    bash -c "jq -e 'select((.message|type) != \"string\" or (.datetime|test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\\\.[0-9]{6}\\\\+00:00$\")|not) or (.timestamp_desc|type) != \"string\")' '$ts' | grep -q . && exit 1 || exit 0"
check "Timesketch: one line per timeline event" \
    test "$(grep -c '"data_type":"mumblescan:file"' "$ts")" -eq "$(jq '.timeline | length' "$out/report.json")"
check "Timesketch: one line per persistence record" \
    test "$(grep -c '"data_type":"mumblescan:persistence"' "$ts")" -eq "$(jq '.persistence | length' "$out/report.json")"
check "Timesketch: full precision kept in time" \
    bash -c "jq -e -s 'all(.[]; .time | test(\"\\\\.[0-9]{9}Z$\"))' '$ts' >/dev/null"
check "Timesketch: case metadata on events" \
    bash -c "head -n1 '$ts' | jq -e '.case == \"Case 7\"' >/dev/null"

# Errors: several formats need a directory.
run_scan "$SCRATCH/e1" -f html,json "$img"
expect_rc 2 "several formats without -o"
one_error_line "$SCRATCH/e1.err" "several formats without -o"
touch "$SCRATCH/afile"
run_scan "$SCRATCH/e2" -f html,json -o "$SCRATCH/afile" "$img"
expect_rc 2 "several formats, -o names a file"
one_error_line "$SCRATCH/e2.err" "several formats, -o names a file"
run_scan "$SCRATCH/e3" -f html,html -o "$SCRATCH/d3" "$img"
expect_rc 2 "a format repeated"

# A full device: exit 2, one line.
if [ -w /dev/full ]; then
    for fmt in json html csv; do
        run_scan "$SCRATCH/full.$fmt" -f "$fmt" -o /dev/full "$img"
        expect_rc 2 "-f $fmt -o /dev/full"
        one_error_line "$SCRATCH/full.$fmt.err" "-f $fmt -o /dev/full"
    done
fi
# A directory that cannot hold files (a path below a regular file).
run_scan "$SCRATCH/e4" -f html -o "$SCRATCH/afile/r.html" "$img"
expect_rc 2 "-o below a regular file"
one_error_line "$SCRATCH/e4.err" "-o below a regular file"

# A write that fails half-way (file size limit): no report at all, no
# temporary file left, for one format and for several.
mkdir "$SCRATCH/lim1" "$SCRATCH/lim2"
RC=0
(trap '' XFSZ; ulimit -f 8; exec "$MUMBLESCAN" -f html -o "$SCRATCH/lim1/r.html" "$img") \
    >"$SCRATCH/lim1.out" 2>"$SCRATCH/lim1.err" || RC=$?
expect_rc 2 "html larger than the file size limit"
one_error_line "$SCRATCH/lim1.err" "file size limit, one format"
check "no partial report, no temporary file (one format)" test -z "$(ls -A "$SCRATCH/lim1")"
RC=0
(trap '' XFSZ; ulimit -f 8; exec "$MUMBLESCAN" -f csv,html,json -o "$SCRATCH/lim2" "$img") \
    >"$SCRATCH/lim2.out" 2>"$SCRATCH/lim2.err" || RC=$?
expect_rc 2 "several formats larger than the file size limit"
one_error_line "$SCRATCH/lim2.err" "file size limit, several formats"
check "no report at all when one format fails (several formats)" test -z "$(ls -A "$SCRATCH/lim2")"
finish

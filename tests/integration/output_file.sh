#!/bin/bash
# output_file.sh - -o FILE writes the report to FILE and nothing to
# stdout, in every format; the exit status is unchanged.
. "$(dirname "$0")/lib.sh"

build deb --spec "$SPECS/infected-debian.spec"
for fmt in json text bodyfile; do
    out=$SCRATCH/report.$fmt
    run_scan "$SCRATCH/stdout.$fmt" -f "$fmt" -o "$out" "$SCRATCH/deb"
    expect_rc 1 "-o with -f $fmt"
    check "-f $fmt -o: nothing on stdout" test ! -s "$SCRATCH/stdout.$fmt"
    check "-f $fmt -o: nothing on stderr" test ! -s "$SCRATCH/stdout.$fmt.err"
    check "-f $fmt -o: report written" test -s "$out"
    check "-f $fmt -o: report names the backdoor" grep -q qCVwOWA "$out"
done
json_valid "$SCRATCH/report.json" "-o report.json"
jqt "-o report.json is the full report" "$SCRATCH/report.json" '.summary.verdict == "malicious"'

# Long option spelling, and the same bytes as stdout apart from run times.
run_scan "$SCRATCH/stdout2" --format json --output "$SCRATCH/r2.json" "$SCRATCH/deb"
expect_rc 1 "--output"
run_scan "$SCRATCH/r3.json" -f json "$SCRATCH/deb"
check "--output and stdout reports agree (times aside)" \
    cmp -s <(jq -S 'del(.scan.started, .scan.finished, .provenance.command_line, .provenance.host)' "$SCRATCH/r2.json") \
           <(jq -S 'del(.scan.started, .scan.finished, .provenance.command_line, .provenance.host)' "$SCRATCH/r3.json")

# The report gets the mode the umask gives any new file (not mkstemp's 0600).
(umask 022; exec "$MUMBLESCAN" -f json -o "$SCRATCH/m022.json" "$SCRATCH/deb") 2>/dev/null
(umask 027; exec "$MUMBLESCAN" -f json -o "$SCRATCH/m027.json" "$SCRATCH/deb") 2>/dev/null
check "report mode follows umask 022" test "$(stat -c %a "$SCRATCH/m022.json")" = 644
check "report mode follows umask 027" test "$(stat -c %a "$SCRATCH/m027.json")" = 640

# Unwritable output path: an error, exit 2.
run_scan "$SCRATCH/bad" -f json -o "$SCRATCH/no/such/dir/r.json" "$SCRATCH/deb"
expect_rc 2 "-o into a missing directory"
one_error_line "$SCRATCH/bad.err" "-o into a missing directory"
finish

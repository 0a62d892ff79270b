#!/bin/bash
# determinism.sh - the same image and options give byte-identical JSON,
# HTML, CSV and Timesketch output apart from the documented run-time
# fields (docs/json-format.md, "Determinism").
. "$(dirname "$0")/lib.sh"

build deb --spec "$SPECS/infected-debian.spec"
args=(--hash --case C1 --examiner E --evidence-id X --notes N -f json,html,csv,timesketch,text)
run_scan "$SCRATCH/o1" "${args[@]}" -o "$SCRATCH/run1" "$SCRATCH/deb"
expect_rc 1 "first run"
sleep 1.1   # so the run-time fields really differ
# A different command line (other option order, other output directory)
# must not matter either: it is a run-time field.  The image path is the
# same: paths are recorded as given (scan.images).
run_scan "$SCRATCH/o2" -o "$SCRATCH/run2" "${args[@]}" "$SCRATCH/deb"
expect_rc 1 "second run"

strip_json() {
    jq -S 'del(.scan.started, .scan.finished, .provenance.host, .provenance.command_line)' "$1"
}
strip_html() { sed -E 's/(data-runtime="[a-z_]+">)[^<]*/\1/g' "$1"; }

check "JSON identical apart from run-time fields" \
    cmp -s <(strip_json "$SCRATCH/run1/report.json") <(strip_json "$SCRATCH/run2/report.json")
check "JSON run-time fields are present" \
    jq -e '.scan.started and .scan.finished and .provenance.host and .provenance.command_line' "$SCRATCH/run1/report.json" >/dev/null
check "JSON is byte-identical in key order too (only run-time lines differ)" \
    test "$(diff "$SCRATCH/run1/report.json" "$SCRATCH/run2/report.json" | grep -c '^<')" -le 4
check "HTML identical apart from data-runtime values" \
    cmp -s <(strip_html "$SCRATCH/run1/report.html") <(strip_html "$SCRATCH/run2/report.html")
check "HTML differs before stripping (the stripping is what makes it equal)" \
    bash -c "! cmp -s '$SCRATCH/run1/report.html' '$SCRATCH/run2/report.html'"
check "CSV byte-identical (no run-time fields)" \
    cmp -s "$SCRATCH/run1/report.csv" "$SCRATCH/run2/report.csv"
check "Timesketch byte-identical (no run-time fields without an alert)" \
    cmp -s "$SCRATCH/run1/report.timesketch.jsonl" "$SCRATCH/run2/report.timesketch.jsonl"
finish

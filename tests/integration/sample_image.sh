#!/bin/bash
# sample_image.sh - the bundled images/sample.E01 is detected, and
# images/build-sample.sh still reproduces it byte for byte.
. "$(dirname "$0")/lib.sh"

s=$SRCDIR/images/sample.E01
[ -f "$s" ] || die "images/sample.E01 is missing"
run_scan "$SCRATCH/s.json" -f json "$s"
expect_rc 1 "sample.E01"
j=$SCRATCH/s.json
json_valid "$j" sample
jqt "sample: qCVwOWA malicious via YARA and 15-minute cron" "$j" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious"
         and any(.reasons[]; .code == "YARA_MATCH")
         and any(.reasons[]; .code == "CRON_15MIN_TEMP_PROGRAM"))'
jqt "sample: ewf image, one ext4 volume examined" "$j" \
    '.scan.image_type == "ewf" and .summary.volumes_examined == 1'
jqt "sample: provenance names every library that can change a result" "$j" \
    '[.provenance.libraries[].name] as $n | all("libtsk","libyara","libmagic","libewf","libcrypto","jansson","libqcow","libfsxfs","libunicorn"; . as $l | $n | index($l))'
jqt "sample: provenance lists each rule file with its SHA-256" "$j" \
    '(.provenance.rule_files | length) >= 3 and all(.provenance.rule_files[]; (.sha256 | test("^[0-9a-f]{64}$")))'
# --version lists the same libraries the reports record
"$MUMBLESCAN" --version >"$SCRATCH/version.txt"
check "--version names every library of the provenance" \
    bash -c "for l in libtsk libyara libmagic libewf libcrypto jansson libqcow libfsxfs libunicorn; do grep -q \"^\$l \" '$SCRATCH/version.txt' || exit 1; done"
finish

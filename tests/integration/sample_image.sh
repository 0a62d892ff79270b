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
finish

#!/bin/bash
# infected_mbr_raw.sh - infected Debian ext4 on an MBR disk, raw image:
# the full set of detection, cron, volume and timeline assertions, in
# JSON and in text form.
. "$(dirname "$0")/lib.sh"

build deb --spec "$SPECS/infected-debian.spec" --fs ext4 --layout mbr --format raw
img=$SCRATCH/deb

run_scan "$SCRATCH/out.json" -f json "$img"
expect_rc 1 "infected raw"
assert_infected_debian "$SCRATCH/out.json" 1 "$img"
jqt "image type raw, sector size 512, size 16 MiB" "$SCRATCH/out.json" \
    '.scan.image_type == "raw" and .scan.sector_size == 512 and .scan.image_size == 16777216'
jqt "ext4 volume at 1 MiB, dos volume system" "$SCRATCH/out.json" \
    'any(.volumes[]; .offset == 1048576 and .fs_type == "ext4" and .vs_type == "dos" and .state == "examined")'
jqt "no volume left unexamined" "$SCRATCH/out.json" '.summary.volumes_not_examined == 0'
jqt "tool name" "$SCRATCH/out.json" '.tool.name == "mumblescan" and (.tool.version | length) > 0'

# Text report: same exit status, names the backdoor, no JSON.
run_scan "$SCRATCH/out.txt" "$img"
expect_rc 1 "infected raw, text"
check "text report names /var/tmp/qCVwOWA" grep -q '/var/tmp/qCVwOWA' "$SCRATCH/out.txt"
check "text report says malicious" grep -qi 'malicious' "$SCRATCH/out.txt"

finish

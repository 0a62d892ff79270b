#!/bin/bash
# infected_layouts.sh - the infected file system in other places: GPT,
# a logical partition inside an extended one (next to a swap partition),
# a bare file system without partition table, and the second of two file
# systems (the first a clean decoy).
. "$(dirname "$0")/lib.sh"

spec=$SPECS/infected-debian.spec

build gpt --spec "$spec" --layout gpt
run_scan "$SCRATCH/gpt.json" -f json "$SCRATCH/gpt"
expect_rc 1 "GPT"
assert_infected_debian "$SCRATCH/gpt.json" 1 "$SCRATCH/gpt"
jqt "GPT volume system" "$SCRATCH/gpt.json" \
    'any(.volumes[]; .state == "examined" and .vs_type == "gpt" and .offset == 1048576)'

build ext --spec "$spec" --layout mbr-ext
run_scan "$SCRATCH/ext.json" -f json "$SCRATCH/ext"
expect_rc 1 "mbr-ext"
assert_infected_debian "$SCRATCH/ext.json" 1 "$SCRATCH/ext"
jqt "logical partition (sector 6144) examined" "$SCRATCH/ext.json" \
    'any(.volumes[]; .offset == 3145728 and .state == "examined" and .fs_type == "ext4")'
jqt "swap partition listed, no file system expected" "$SCRATCH/ext.json" \
    'any(.volumes[]; .offset == 1048576 and .length == 1048576 and .state == "no_fs")'
jqt "swap does not make the scan incomplete" "$SCRATCH/ext.json" \
    '.summary.volumes_not_examined == 0'

build bare --spec "$spec" --layout bare --fs ext3
run_scan "$SCRATCH/bare.json" -f json "$SCRATCH/bare"
expect_rc 1 "bare ext3"
assert_infected_debian "$SCRATCH/bare.json" 1 "$SCRATCH/bare"
jqt "bare: one volume at offset 0 covering the image, ext3" "$SCRATCH/bare.json" \
    '([.volumes[] | select(.state == "examined")] | length) == 1
     and any(.volumes[]; .offset == 0 and .length == 16777216 and .fs_type == "ext3")'

build two --spec "$spec" --layout two-fs
run_scan "$SCRATCH/two.json" -f json "$SCRATCH/two"
expect_rc 1 "two-fs"
assert_infected_debian "$SCRATCH/two.json" 2 "$SCRATCH/two"
# Partition 2 starts after 2048 + half of the rest, 1 MiB aligned.
p2=$(mmls_parts "$SCRATCH/two" | sed -n 2p | cut -d' ' -f1)
check "two-fs: mmls shows two partitions" test -n "$p2"
jqt "two-fs: every finding is on the second file system" "$SCRATCH/two.json" \
    --argjson o "${p2:-0}" \
    '([.volumes[] | select(.offset == $o) | .index] | first) as $v
     | $v != null and all(.findings[]; .volume == $v)'
jqt "two-fs: the decoy file system's crontab is listed too" "$SCRATCH/two.json" \
    --argjson o "${p2:-0}" \
    '([.volumes[] | select(.offset == $o) | .index] | first) as $v
     | any(.crontabs[]; .volume != $v and .path == "/etc/crontab")'
finish

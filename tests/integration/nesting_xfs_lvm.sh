#!/bin/bash
# nesting_xfs_lvm.sh - the deepest stack we support: an E01 and a
# qcow2 of a GPT disk whose partition holds an LVM2 PV whose LV holds a
# bigtime XFS with the infected Debian layout.  The backdoor must be found
# through every layer, with its planted mtime exact.
. "$(dirname "$0")/lib.sh"

MKLVM=${MKLVM:-}
if [ -z "$MKLVM" ]; then
    gcc -std=c11 -O2 -o "$SCRATCH/mklvm" "$SRCDIR/tests/tools/mklvm.c" ||
        die "cannot build mklvm"
    MKLVM=$SCRATCH/mklvm
fi
has_tool sfdisk || skip "sfdisk missing"
has_tool mkfs.xfs || skip "xfsprogs missing"

build xfs --spec "$SPECS/infected-debian.spec" --fs xfs --layout bare --format raw
"$MKLVM" "$SCRATCH/pv.img" vg0 "root=$SCRATCH/xfs" || die "mklvm failed"
sectors=$(( $(stat -c %s "$SCRATCH/pv.img") / 512 ))
truncate -s $(( (sectors + 4096) * 512 )) "$SCRATCH/disk.raw"
printf 'label: gpt\nstart=2048, size=%d, type=E6D6D379-F507-44C2-A23C-238F2A3DF928, name="lvm"\n' \
    "$sectors" | sfdisk -q "$SCRATCH/disk.raw" || die "sfdisk failed"
dd if="$SCRATCH/pv.img" of="$SCRATCH/disk.raw" bs=512 seek=2048 conv=notrunc status=none

check_stack() { # JSON IMAGE-LAYER
    local j=$1 top=$2
    jqt "$top: stack down to XFS" "$j" --arg s "$top > gpt partition 1 (lvm) > LVM2 VG vg0 > LV root > xfs" \
        'any(.volumes[]; .state == "examined" and .stack == $s and .fs_type == "xfs")'
    jqt "$top: backdoor malicious with its planted mtime" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious"
             and .times.mtime == "2015-04-07T10:00:00.000000000Z")'
    jqt "$top: the 15-minute job resolves to it" "$j" \
        'any(.cron_jobs[]; .every_15_minutes and any(.programs[]; .resolved == "/var/tmp/qCVwOWA" and .status == "found"))'
}

run_scan "$SCRATCH/raw.json" -f json "$SCRATCH/disk.raw"
expect_rc 1 "raw > GPT > PV > LV > XFS"
check_stack "$SCRATCH/raw.json" "raw image"

if has_tool qemu-img; then
    qemu-img convert -q -f raw -O qcow2 "$SCRATCH/disk.raw" "$SCRATCH/disk.qcow2"
    run_scan "$SCRATCH/q.json" -f json "$SCRATCH/disk.qcow2"
    expect_rc 1 "qcow2 > GPT > PV > LV > XFS"
    check_stack "$SCRATCH/q.json" "qcow2 image"
else
    say "note: qemu-img missing, qcow2 case skipped"
fi
if has_tool ewfacquire; then
    ewfacquire -q -u -t "$SCRATCH/disk" -c none -f encase6 "$SCRATCH/disk.raw" \
        >/dev/null 2>&1 || die "ewfacquire failed"
    run_scan "$SCRATCH/e.json" -f json "$SCRATCH/disk.E01"
    expect_rc 1 "E01 > GPT > PV > LV > XFS"
    check_stack "$SCRATCH/e.json" "ewf image"
else
    say "note: ewfacquire missing, E01 case skipped"
fi
finish

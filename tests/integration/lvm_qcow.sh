#!/bin/bash
# lvm_qcow.sh - the infected ext4 behind every new layer and nesting:
# LVM2 linear LVs (one and two segments) on a bare PV and in a GPT
# partition, the same disk as qcow2, qcow v1 and E01, an LV holding
# another PV, and the LVs that cannot be read (striped, thin) or whose
# metadata is damaged, which must be "not examined" with a reason.
# PVs come from tests/tools/mklvm (no root, no LVM tools).
. "$(dirname "$0")/lib.sh"

MKLVM=${MKLVM:-}
if [ -z "$MKLVM" ]; then
    gcc -std=c11 -O2 -o "$SCRATCH/mklvm" "$SRCDIR/tests/tools/mklvm.c" ||
        die "cannot build mklvm"
    MKLVM=$SCRATCH/mklvm
fi
has_tool sfdisk || skip "sfdisk missing"

build fs --spec "$SPECS/infected-debian.spec" --layout bare --format raw
build clean --spec "$SPECS/clean.spec" --layout bare --format raw --size-mb 8

# gpt_disk OUT PV: a GPT disk with one Linux LVM partition holding PV.
gpt_disk() {
    local out=$1 pv=$2 sectors
    sectors=$(( $(stat -c %s "$pv") / 512 ))
    truncate -s $(( (sectors + 2048 + 2048) * 512 )) "$out"
    printf 'label: gpt\nstart=2048, size=%d, type=E6D6D379-F507-44C2-A23C-238F2A3DF928, name="lvm"\n' \
        "$sectors" | sfdisk -q "$out" || die "sfdisk failed"
    dd if="$pv" of="$out" bs=512 seek=2048 conv=notrunc status=none ||
        die "dd failed"
}

# vol_stack JSON STACK: some examined volume has exactly this stack.
vol_stack() {
    jqt "$1: examined volume with stack '$2'" "$1" --arg s "$2" \
        'any(.volumes[]; .state == "examined" and .stack == $s)'
}

# ---- a bare PV: raw image of the whole PV, one linear LV ---------------
"$MKLVM" "$SCRATCH/pv.img" vg0 "root=$SCRATCH/fs" || die "mklvm failed"
run_scan "$SCRATCH/pv.json" -f json "$SCRATCH/pv.img"
expect_rc 1 "bare PV"
assert_infected_debian "$SCRATCH/pv.json" 1 "$SCRATCH/pv.img"
vol_stack "$SCRATCH/pv.json" "raw image > LVM2 VG vg0 > LV root > ext4"
jqt "bare PV: the PV is a volume without file system, naming its VG" "$SCRATCH/pv.json" \
    'any(.volumes[]; .state == "no_fs" and .stack == "raw image > LVM2 PV"
         and (.uuid | test("^[A-Za-z0-9]{6}(-[A-Za-z0-9]{4}){5}-[A-Za-z0-9]{6}$"))
         and .label == "vg0" and (.note | contains("VG '"'"'vg0'"'"'")))'
jqt "bare PV: the LV's file system UUID and label" "$SCRATCH/pv.json" \
    'any(.volumes[]; .state == "examined" and .vs_type == "lvm"
         and .label == "fixture1" and (.uuid | test("^[0-9a-f-]{36}$"))
         and (.description | contains("LV root in VG vg0 (linear)")))'
jqt "bare PV: LV offset is its first extent (1 MiB data area)" "$SCRATCH/pv.json" \
    'any(.volumes[]; .state == "examined" and .offset == 1048576 and .length == 16777216)'

# The metadata text wrapping around the end of the circular metadata area.
"$MKLVM" --wrap "$SCRATCH/wrap.img" vgw "root=$SCRATCH/fs" || die "mklvm failed"
check "wrapped metadata: text starts in the last 256 bytes of the area" \
    test "$(od -An -t u8 -j $((4096 + 40)) -N 8 "$SCRATCH/wrap.img" | tr -d ' ')" -eq $((1044480 - 256))
run_scan "$SCRATCH/wrap.json" -f json "$SCRATCH/wrap.img"
expect_rc 1 "PV with wrapped metadata"
vol_stack "$SCRATCH/wrap.json" "raw image > LVM2 VG vgw > LV root > ext4"

# ---- GPT > PV > LV in two segments, as raw, qcow2, qcow, E01 -----------
"$MKLVM" "$SCRATCH/pv2.img" vg0 "data=$SCRATCH/fs:split" || die "mklvm failed"
gpt_disk "$SCRATCH/disk.raw" "$SCRATCH/pv2.img"
run_scan "$SCRATCH/disk.json" -f json "$SCRATCH/disk.raw"
expect_rc 1 "GPT > PV > split LV (raw)"
assert_infected_debian "$SCRATCH/disk.json" 1 "$SCRATCH/disk.raw"
vol_stack "$SCRATCH/disk.json" "raw image > gpt partition 1 (lvm) > LVM2 VG vg0 > LV data > ext4"
jqt "split LV described as several segments" "$SCRATCH/disk.json" \
    'any(.volumes[]; .state == "examined" and (.description | contains("linear, several segments")))'

if has_tool qemu-img; then
    qemu-img convert -q -f raw -O qcow2 "$SCRATCH/disk.raw" "$SCRATCH/disk.qcow2"
    run_scan "$SCRATCH/q2.json" -f json "$SCRATCH/disk.qcow2"
    expect_rc 1 "qcow2 > GPT > PV > LV"
    assert_infected_debian "$SCRATCH/q2.json" 1 "$SCRATCH/disk.qcow2"
    jqt "qcow2: image type and guest size" "$SCRATCH/q2.json" \
        --argjson n "$(stat -c %s "$SCRATCH/disk.raw")" \
        '.scan.image_type == "qcow2" and .scan.image_size == $n'
    vol_stack "$SCRATCH/q2.json" "qcow2 image > gpt partition 1 (lvm) > LVM2 VG vg0 > LV data > ext4"

    # libqcow opens the evidence read-only: bytes and mtime unchanged.
    before=$(stat -c '%s %Y' "$SCRATCH/disk.qcow2")$(sha256sum <"$SCRATCH/disk.qcow2")
    run_scan "$SCRATCH/q2b.json" -f json "$SCRATCH/disk.qcow2"
    after=$(stat -c '%s %Y' "$SCRATCH/disk.qcow2")$(sha256sum <"$SCRATCH/disk.qcow2")
    check "qcow2 evidence unchanged by the scan" test "$before" = "$after"

    qemu-img convert -q -f raw -O qcow "$SCRATCH/disk.raw" "$SCRATCH/disk.qcow"
    run_scan "$SCRATCH/q1.json" -f json "$SCRATCH/disk.qcow"
    expect_rc 1 "qcow v1 > GPT > PV > LV"
    assert_infected_debian "$SCRATCH/q1.json" 1 "$SCRATCH/disk.qcow"
    vol_stack "$SCRATCH/q1.json" "qcow image > gpt partition 1 (lvm) > LVM2 VG vg0 > LV data > ext4"

    # compressed qcow2 clusters too
    qemu-img convert -q -c -f raw -O qcow2 "$SCRATCH/disk.raw" "$SCRATCH/diskc.qcow2"
    run_scan "$SCRATCH/q2c.json" -f json "$SCRATCH/diskc.qcow2"
    expect_rc 1 "compressed qcow2"
    assert_infected_debian "$SCRATCH/q2c.json" 1 "$SCRATCH/diskc.qcow2"
else
    say "note: qemu-img missing, qcow cases skipped"
fi

if has_tool ewfacquire; then
    ewfacquire -q -u -t "$SCRATCH/disk" -c best -S 0 "$SCRATCH/disk.raw" \
        >/dev/null 2>&1 || die "ewfacquire failed"
    run_scan "$SCRATCH/e01.json" -f json "$SCRATCH/disk.E01"
    expect_rc 1 "E01 > GPT > PV > LV"
    assert_infected_debian "$SCRATCH/e01.json" 1 "$SCRATCH/disk.E01"
    vol_stack "$SCRATCH/e01.json" "ewf image > gpt partition 1 (lvm) > LVM2 VG vg0 > LV data > ext4"
else
    say "note: ewfacquire missing, E01 case skipped"
fi

# ---- an LV that holds another PV: LVM inside LVM -----------------------
"$MKLVM" "$SCRATCH/outer.img" vgouter "inner=$SCRATCH/pv.img" || die "mklvm failed"
run_scan "$SCRATCH/nest.json" -f json "$SCRATCH/outer.img"
expect_rc 1 "PV > LV > PV > LV"
assert_infected_debian "$SCRATCH/nest.json" 1 "$SCRATCH/outer.img"
vol_stack "$SCRATCH/nest.json" "raw image > LVM2 VG vgouter > LV inner > LVM2 VG vg0 > LV root > ext4"

# ---- a VG on two PVs: both in one GPT disk, then one PV missing ----------
"$MKLVM" "$SCRATCH/sp.img" vgs "big=$SCRATCH/fs:span" || die "mklvm failed"
check "mklvm wrote the second PV" test -s "$SCRATCH/sp.img.pv1"
s0=$(( $(stat -c %s "$SCRATCH/sp.img") / 512 ))
s1=$(( $(stat -c %s "$SCRATCH/sp.img.pv1") / 512 ))
truncate -s $(( (2048 + s0 + s1 + 2048) * 512 )) "$SCRATCH/two.raw"
# the PV holding the LV's second half comes first on the disk
printf 'label: gpt\nstart=2048, size=%d, name="b"\nstart=%d, size=%d, name="a"\n' \
    "$s1" $((2048 + s1)) "$s0" | sfdisk -q "$SCRATCH/two.raw" || die "sfdisk failed"
dd if="$SCRATCH/sp.img.pv1" of="$SCRATCH/two.raw" bs=512 seek=2048 conv=notrunc status=none
dd if="$SCRATCH/sp.img" of="$SCRATCH/two.raw" bs=512 seek=$((2048 + s1)) conv=notrunc status=none
run_scan "$SCRATCH/two.json" -f json "$SCRATCH/two.raw"
expect_rc 1 "LV spanning two PVs in two partitions"
assert_infected_debian "$SCRATCH/two.json" 1 "$SCRATCH/two.raw"
vol_stack "$SCRATCH/two.json" "raw image > LVM2 VG vgs (2 of 2 PVs here) > LV big > ext4"
jqt "both PVs listed as no_fs volumes of VG vgs" "$SCRATCH/two.json" \
    '[.volumes[] | select(.state == "no_fs" and .label == "vgs" and (.stack | endswith("LVM2 PV")))] | length == 2'
# Only the first PV: the LV must be reported, with the missing PV named.
run_scan "$SCRATCH/miss.json" -f json "$SCRATCH/sp.img"
expect_rc 2 "LV whose second PV is missing"
one_error_line "$SCRATCH/miss.json.err" "LV whose second PV is missing"
jqt "missing PV: LV not examined, PV named" "$SCRATCH/miss.json" \
    'any(.volumes[]; .state == "not_examined" and .stack == "raw image > LVM2 VG vgs (1 of 2 PVs here) > LV big"
         and (.note | contains("pv1") and contains("missing PV")))'

# ---- LVs that cannot be read ------------------------------------------
"$MKLVM" "$SCRATCH/pv3.img" vg1 "root=$SCRATCH/clean" "fast=$SCRATCH/fs:striped" pool:thin ||
    die "mklvm failed"
run_scan "$SCRATCH/st.json" -f json "$SCRATCH/pv3.img"
expect_rc 3 "clean LV next to striped and thin LVs (incomplete)"
jqt "striped LV not examined, named with its type" "$SCRATCH/st.json" \
    'any(.volumes[]; .state == "not_examined" and .stack == "raw image > LVM2 VG vg1 > LV fast"
         and (.note | contains("LV '"'"'fast'"'"' is striped, 2 stripes")))'
jqt "thin LV not examined, named with its type" "$SCRATCH/st.json" \
    'any(.volumes[]; .state == "not_examined" and (.note | contains("LV '"'"'pool'"'"' is thin")))'
jqt "the linear LV next to them was examined" "$SCRATCH/st.json" \
    '.summary.volumes_examined == 1 and .summary.volumes_not_examined == 2 and .summary.verdict == "incomplete"'
jqt "nothing found in the striped LV's bytes" "$SCRATCH/st.json" '.findings | length == 0'

# ---- unsupported contents of LVs: LUKS, btrfs (signatures only) ---------
head -c 1048576 /dev/zero >"$SCRATCH/luks.bin"
printf 'LUKS\272\276\000\001' | dd of="$SCRATCH/luks.bin" conv=notrunc status=none
head -c 1048576 /dev/zero >"$SCRATCH/btrfs.bin"
printf '_BHRfS_M' | dd of="$SCRATCH/btrfs.bin" bs=1 seek=$((65536 + 64)) conv=notrunc status=none
"$MKLVM" "$SCRATCH/pv4.img" vgx "crypt=$SCRATCH/luks.bin" "bt=$SCRATCH/btrfs.bin" \
    "root=$SCRATCH/clean" || die "mklvm failed"
run_scan "$SCRATCH/lb.json" -f json "$SCRATCH/pv4.img"
expect_rc 3 "LUKS and btrfs LVs next to a clean ext4 LV"
jqt "LUKS LV not examined with reason" "$SCRATCH/lb.json" \
    'any(.volumes[]; .state == "not_examined" and .stack == "raw image > LVM2 VG vgx > LV crypt" and (.note | contains("LUKS")))'
jqt "btrfs LV not examined with reason" "$SCRATCH/lb.json" \
    'any(.volumes[]; .state == "not_examined" and .stack == "raw image > LVM2 VG vgx > LV bt" and (.note | contains("btrfs")))'

# ---- LVM-internal (hidden) LVs -------------------------------------------
head -c 2097152 /dev/urandom >"$SCRATCH/rnd.bin"
"$MKLVM" "$SCRATCH/pv5.img" vgh "pool_tdata=$SCRATCH/rnd.bin:hidden" \
    "mirror_rimage_0=$SCRATCH/fs:hidden" || die "mklvm failed"
run_scan "$SCRATCH/hid.json" -f json "$SCRATCH/pv5.img"
expect_rc 1 "hidden LVs"
jqt "hidden LV without file system is no_fs, not an incomplete scan" "$SCRATCH/hid.json" \
    'any(.volumes[]; .state == "no_fs" and .stack == "raw image > LVM2 VG vgh > LV pool_tdata"
         and (.description | contains("hidden")) and (.note | contains("LVM-internal")))'
jqt "hidden LV with a file system (a RAID image) is still examined" "$SCRATCH/hid.json" \
    'any(.volumes[]; .state == "examined" and .stack == "raw image > LVM2 VG vgh > LV mirror_rimage_0 > ext4")
     and any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious")'

# ---- LVM nesting is bounded --------------------------------------------
prev=$SCRATCH/pv.img
for i in 1 2 3 4; do
    "$MKLVM" "$SCRATCH/o$i.img" "vgo$i" "in=$prev" || die "mklvm failed"
    prev=$SCRATCH/o$i.img
done
run_scan "$SCRATCH/o3.json" -f json "$SCRATCH/o3.img"
expect_rc 1 "LVM nested 4 deep"
vol_stack "$SCRATCH/o3.json" "raw image > LVM2 VG vgo3 > LV in > LVM2 VG vgo2 > LV in > LVM2 VG vgo1 > LV in > LVM2 VG vg0 > LV root > ext4"
run_scan "$SCRATCH/o4.json" -f json "$SCRATCH/o4.img"
expect_rc 2 "LVM nested 5 deep"
jqt "fifth LVM level not examined, with the bound named" "$SCRATCH/o4.json" \
    'any(.volumes[]; .state == "not_examined" and (.note | contains("nested more than 4 deep")))'
rm -f "$SCRATCH"/o?.img

# ---- damaged metadata: one flipped byte in the text ----------------------
cp "$SCRATCH/pv.img" "$SCRATCH/bad.img"
printf 'X' | dd of="$SCRATCH/bad.img" bs=1 seek=$((4096 + 512 + 2)) conv=notrunc status=none
run_scan "$SCRATCH/bad.json" -f json "$SCRATCH/bad.img"
expect_rc 2 "PV with damaged metadata"
one_error_line "$SCRATCH/bad.json.err" "PV with damaged metadata"
jqt "damaged PV not examined, checksum named" "$SCRATCH/bad.json" \
    'any(.volumes[]; .state == "not_examined" and (.note | contains("checksum mismatch")))'

# ---- text report shows the stack -----------------------------------------
run_scan "$SCRATCH/pv.txt" "$SCRATCH/pv.img"
check "text report lists the volume stack" \
    grep -q 'raw image > LVM2 VG vg0 > LV root > ext4  uuid ' "$SCRATCH/pv.txt"
finish

#!/bin/bash
# vmdk_extents.sh - VMDK disks made of a text descriptor and separate
# extent files (qemu-img subformat monolithicFlat: NAME.vmdk +
# NAME-flat.vmdk; twoGbMaxExtentFlat: NAME-f001.vmdk; twoGbMaxExtentSparse:
# NAME-s001.vmdk).  With the extents beside the descriptor the disk is
# read through libvmdk and the infection found.  With an extent missing,
# the scan writes its report, names the missing extent in the volume's
# note and on stderr (one line), says "incomplete" and exits 2, never
# clean.  An extent named with directories ("../elsewhere/x-flat.vmdk")
# is refused (not examined): a path from the evidence is never followed.
. "$(dirname "$0")/lib.sh"
has_tool qemu-img || skip "qemu-img missing"

cat >"$SCRATCH/v.spec" <<'SPEC'
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /usr/bin 0755
file /usr/bin/sh 0755 text "#!placeholder shell\n"
dir /var/spool/cron/crontabs 1730
file /var/spool/cron/crontabs/www-data 0600 text "*/15 * * * * /var/tmp/qCVwOWA >/dev/null 2>&1\n"
owner /var/spool/cron/crontabs/www-data 33 102
dir /var/tmp 1777
file /var/tmp/qCVwOWA 0755 packed --key 4
SPEC
build raw --spec "$SCRATCH/v.spec" --size-mb 16

for sub in monolithicFlat twoGbMaxExtentFlat twoGbMaxExtentSparse; do
    d=$SCRATCH/$sub
    mkdir -p "$d"
    qemu-img convert -q -f raw -O vmdk -o subformat=$sub "$SCRATCH/raw" "$d/disk.vmdk" ||
        die "qemu-img cannot write $sub"
    ext=$(cd "$d" && ls disk-*.vmdk)
    check "$sub: qemu-img wrote a separate extent ($ext)" test -s "$d/$ext"
    check "$sub: the descriptor names it" grep -q "\"$ext\"" "$d/disk.vmdk"

    run_scan "$SCRATCH/$sub.json" -f json "$d/disk.vmdk"
    expect_rc 1 "$sub: extents present"
    jqt "$sub: read as vmdk, the file system examined" "$SCRATCH/$sub.json" \
        '.scan.image_type == "vmdk" and any(.volumes[]; .state == "examined" and (.stack | startswith("vmdk image")))'
    jqt "$sub: the backdoor found" "$SCRATCH/$sub.json" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious")'

    # the descriptor alone: the extent is missing
    m=$SCRATCH/$sub-missing
    mkdir -p "$m"
    cp "$d/disk.vmdk" "$m/disk.vmdk"
    run_scan "$SCRATCH/$sub-m.json" -f json "$m/disk.vmdk"
    expect_rc 2 "$sub: extent missing"
    one_error_line "$SCRATCH/$sub-m.json.err" "$sub: extent missing"
    check "$sub: stderr names the missing extent" \
        grep -qF "extent file '$ext'" "$SCRATCH/$sub-m.json.err"
    json_valid "$SCRATCH/$sub-m.json" "$sub-missing"
    jqt "$sub: the volume is not examined, its note names the missing extent" "$SCRATCH/$sub-m.json" \
        --arg e "$ext" \
        'any(.volumes[]; .state == "not_examined" and (.note | contains("extent file '"'"'" + $e + "'"'"'") and contains("missing")))'
    jqt "$sub: never clean" "$SCRATCH/$sub-m.json" \
        '.summary.verdict == "incomplete" and .summary.exit_status == 2'
done

# An extent named with directories: only its name in the descriptor's
# directory counts.  The real extent lies in ../elsewhere.
h=$SCRATCH/hostile
mkdir -p "$h/desc" "$h/elsewhere"
cp "$SCRATCH/monolithicFlat/disk-flat.vmdk" "$h/elsewhere/x-flat.vmdk"
sed 's#"disk-flat.vmdk"#"../elsewhere/x-flat.vmdk"#' "$SCRATCH/monolithicFlat/disk.vmdk" >"$h/desc/disk.vmdk"
check "hostile: the descriptor names ../elsewhere/x-flat.vmdk" \
    grep -qF '"../elsewhere/x-flat.vmdk"' "$h/desc/disk.vmdk"
run_scan "$SCRATCH/hostile.json" -f json "$h/desc/disk.vmdk"
expect_rc 2 "hostile: extent outside the descriptor's directory"
jqt "hostile: not examined, the extent's directory part not followed" "$SCRATCH/hostile.json" \
    'any(.volumes[]; .state == "not_examined" and (.note | contains("../elsewhere/x-flat.vmdk") and contains("not followed")))'
# the same with a file of that bare name beside the descriptor: still
# refused (libvmdk is never asked to open the path)
cp "$SCRATCH/monolithicFlat/disk-flat.vmdk" "$h/desc/x-flat.vmdk"
run_scan "$SCRATCH/hostile2.json" -f json "$h/desc/disk.vmdk"
expect_rc 2 "hostile: directory part refused even with the bare name present"
jqt "hostile: still not examined" "$SCRATCH/hostile2.json" \
    'any(.volumes[]; .state == "not_examined" and (.note | contains("not followed")))'
jqt "hostile: nothing of the disk elsewhere was read" "$SCRATCH/hostile.json" \
    '[.findings[] | select(.path == "/var/tmp/qCVwOWA")] | length == 0'
finish

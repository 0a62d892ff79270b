#!/bin/bash
# container_features.sh - nothing lost to container features (issue 9,
# parts 5-7):
#  - an infected ext4 kept only in a qcow2 internal snapshot (the current
#    state overwritten with a clean disk) is found, exit 1, the volume
#    stack naming the snapshot; plain, compressed and 4 KiB-cluster
#    qcow2; a snapshot whose L1 table is damaged is "not examined" and
#    the scan never exits 0;
#  - --hash on a qcow2 equals sha256sum of `qemu-img convert -O raw`,
#    stated as "media" in every format; a raw image likewise; a container
#    that cannot be decoded is hashed and labelled as the container file;
#  - qcow2 with zstd compression or an external data file, a differencing
#    VHD, a differencing VHDX (AVHDX), a seSparse VMDK and a delta VMDK
#    write the full report, name the feature (and the parent as recorded
#    in the child), never open a path taken from the evidence, and never
#    exit 0.
. "$(dirname "$0")/lib.sh"

has_tool qemu-img || skip "qemu-img missing"
has_tool sfdisk || skip "sfdisk missing"
MKDIFFDISK=${MKDIFFDISK:-}
if [ -z "$MKDIFFDISK" ]; then
    gcc -std=c11 -O2 -o "$SCRATCH/mkdiffdisk" "$SRCDIR/tests/tools/mkdiffdisk.c" ||
        die "cannot build mkdiffdisk"
    MKDIFFDISK=$SCRATCH/mkdiffdisk
fi

build inf --spec "$SPECS/infected-debian.spec" --layout mbr --format raw
build clean --spec "$SPECS/clean.spec" --layout mbr --format raw
inf=$SCRATCH/inf
clean=$SCRATCH/clean
run_scan "$SCRATCH/inf.json" -f json "$inf"
expect_rc 1 "the raw infected disk"
backdoor_sha=$(jq -r '.findings[] | select(.path == "/var/tmp/qCVwOWA") | .hashes.sha256' "$SCRATCH/inf.json")
check "raw scan finds the backdoor" test -n "$backdoor_sha"

# ---- part 5: the infection only in an internal snapshot -----------------
# snapshot_disk OUT CONVERT-OPTS...: the infected disk as qcow2, saved as
# snapshot 'before-clean', then overwritten in place with the clean disk.
snapshot_disk() {
    local out=$1; shift
    qemu-img convert -q "$@" -f raw -O qcow2 "$inf" "$out" || die "qemu-img convert"
    qemu-img snapshot -c before-clean "$out" || die "qemu-img snapshot"
    qemu-img convert -q -n -f raw -O qcow2 "$clean" "$out" || die "qemu-img convert -n"
}
for variant in plain compressed small-clusters; do
    case $variant in
        plain) opts=() ;;
        compressed) opts=(-c) ;;
        small-clusters) opts=(-o cluster_size=4096) ;;
    esac
    q=$SCRATCH/snap-$variant.qcow2
    snapshot_disk "$q" ${opts[@]+"${opts[@]}"}
    check "$variant: the current state is clean (qemu-img)" \
        bash -c "qemu-img snapshot -l '$q' | grep -q before-clean"
    run_scan "$SCRATCH/snap-$variant.json" -f json "$q"
    expect_rc 1 "$variant: infection in a snapshot only"
    j=$SCRATCH/snap-$variant.json
    jqt "$variant: the backdoor is malicious, on the snapshot's volume" "$j" \
        --arg h "$backdoor_sha" '
        (.volumes | map({key: (.index | tostring), value: .}) | from_entries) as $v
        | any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious"
              and .hashes.sha256 == $h
              and ($v[.volume | tostring].stack
                   | test("^qcow2 image snapshot '"'"'before-clean'"'"' \\(id 1, [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\\) > dos partition 1 .* > ext4$")))'
    jqt "$variant: the cron job is in the snapshot too" "$j" \
        'any(.cron_jobs[]; .every_15_minutes and (.command | startswith("/var/tmp/qCVwOWA")))'
    jqt "$variant: current state and snapshot both examined" "$j" \
        '.summary.volumes_examined == 2 and any(.volumes[]; .state == "examined" and (.stack | startswith("qcow2 image > dos partition 1")))'
done
run_scan "$SCRATCH/snap.txt" "$SCRATCH/snap-plain.qcow2"
check "text report names the snapshot in the volume stack" \
    grep -q "qcow2 image snapshot 'before-clean' (id 1, " "$SCRATCH/snap.txt"

# The snapshot's L1 table pointing beyond the file: not examined, never 0.
cp "$SCRATCH/snap-plain.qcow2" "$SCRATCH/snapbad.qcow2"
sn_off=$(od -An -t x1 -j 64 -N 8 "$SCRATCH/snapbad.qcow2" | tr -d ' \n')
printf '\x00\x00\x7f\x00\x00\x00\x00\x00' |
    dd of="$SCRATCH/snapbad.qcow2" bs=1 seek=$((16#$sn_off)) conv=notrunc status=none
run_scan "$SCRATCH/snapbad.json" -f json "$SCRATCH/snapbad.qcow2"
expect_rc 3 "damaged snapshot next to a clean current state"
jqt "damaged snapshot: not examined, named, L1 table blamed" "$SCRATCH/snapbad.json" \
    'any(.volumes[]; .state == "not_examined" and (.stack | startswith("qcow2 image snapshot '"'"'before-clean'"'"'"))
         and (.note | contains("L1 table")))
     and .summary.verdict == "incomplete"'

# ---- part 6: --hash covers the media the scan reads -----------------------
q=$SCRATCH/plain.qcow2
qemu-img convert -q -f raw -O qcow2 "$inf" "$q"
qemu-img convert -q -f qcow2 -O raw "$q" "$SCRATCH/plain.raw"
want=$(sha256sum <"$SCRATCH/plain.raw" | cut -d' ' -f1)
check "qcow2 and its guest disk differ as files" \
    test "$want" != "$(sha256sum <"$q" | cut -d' ' -f1)"
for fmt in json text html; do
    run_scan "$SCRATCH/h.$fmt" -f "$fmt" --hash "$q"
    expect_rc 1 "qcow2 --hash ($fmt)"
done
jqt "qcow2 --hash: SHA-256 of the guest disk (qemu-img convert -O raw)" "$SCRATCH/h.json" \
    --arg h "$want" --argjson n "$(stat -c %s "$SCRATCH/plain.raw")" \
    '.evidence.computed.sha256 == $h and .evidence.hashed_what == "media"
     and .evidence.bytes_hashed == $n and .evidence.media_bytes_hashed == $n'
check "qcow2 --hash text: what was hashed is stated" \
    grep -qE "hashed +$(stat -c %s "$SCRATCH/plain.raw") bytes of the media" "$SCRATCH/h.text"
check "qcow2 --hash text: the guest disk's SHA-256" grep -q "$want (computed)" "$SCRATCH/h.text"
check "qcow2 --hash html: what was hashed is stated" \
    grep -q "$(stat -c %s "$SCRATCH/plain.raw") bytes of the media hashed" "$SCRATCH/h.html"
# A snapshot-bearing image: the current state is what is hashed.  Its
# zero clusters (written by convert -n over shared clusters) must read as
# zeros: libqcow 20201213 read them from the file header.
qemu-img convert -q -f qcow2 -O raw "$SCRATCH/snap-compressed.qcow2" "$SCRATCH/cur.raw"
run_scan "$SCRATCH/hs.json" -f json --hash "$SCRATCH/snap-compressed.qcow2"
jqt "compressed qcow2 with a snapshot: hash of the current guest disk" "$SCRATCH/hs.json" \
    --arg h "$(sha256sum <"$SCRATCH/cur.raw" | cut -d' ' -f1)" \
    '.evidence.computed.sha256 == $h and .evidence.hashed_what == "media"'
# Raw: the file is the media.
run_scan "$SCRATCH/hr.json" -f json --hash "$inf"
jqt "raw --hash: sha256sum of the file, stated as media" "$SCRATCH/hr.json" \
    --arg h "$(sha256sum <"$inf" | cut -d' ' -f1)" --argjson n "$(stat -c %s "$inf")" \
    '.evidence.computed.sha256 == $h and .evidence.hashed_what == "media" and .evidence.bytes_hashed == $n'
run_scan "$SCRATCH/hn.json" -f json "$inf"
jqt "no --hash: nothing stated as hashed" "$SCRATCH/hn.json" \
    '.evidence.hashed_what == null and .evidence.bytes_hashed == null'

# ---- part 7: container features that cannot be read -----------------------
# feature NAME IMAGE EXPECTED-TYPE NOTE-SUBSTRING...: the full report is
# written (-o), never exit 0, one volume not examined whose note holds
# every substring; --hash labels the container file.
feature() {
    local name=$1 img=$2 type=$3; shift 3
    local out=$SCRATCH/feat-$name
    rm -rf "$out"
    run_scan "$out.stdout" --hash -f json,text,html -o "$out" "$img"
    expect_rc 2 "$name: nothing examined (exit 2)"
    check "$name: the JSON report was written" test -s "$out/report.json"
    check "$name: the text report was written" test -s "$out/report.txt"
    check "$name: the HTML report was written" test -s "$out/report.html"
    json_valid "$out/report.json" "$name"
    jqt "$name: image type $type" "$out/report.json" --arg t "$type" '.scan.image_type == $t'
    local s
    for s in "$@"; do
        jqt "$name: note names '$s'" "$out/report.json" --arg s "$s" \
            'any(.volumes[]; .state == "not_examined" and (.note | contains($s)))'
        check "$name: text report names '$s'" grep -qF -- "$s" "$out/report.txt"
    done
    jqt "$name: verdict never clean" "$out/report.json" \
        '.summary.verdict == "incomplete" and .summary.exit_status == 2'
    jqt "$name: the container file was hashed, and says so" "$out/report.json" \
        --argjson n "$(stat -c %s "$img")" \
        '.evidence.hashed_what == "container file" and .evidence.bytes_hashed == $n and .evidence.media_bytes_hashed == null'
    check "$name: no terminal escape reached the text report" \
        bash -c "! grep -q \$'\\e' '$out/report.txt'"
}

qemu-img convert -q -c -f raw -O qcow2 -o compression_type=zstd "$inf" "$SCRATCH/zstd.qcow2" ||
    die "qemu-img cannot write zstd qcow2"
feature zstd "$SCRATCH/zstd.qcow2" qcow2 "zstd compression" "compression_type 1"

# The external data file is made a FIFO after the image is written: were
# it opened, the scan would block (and time out).
qemu-img convert -q -f raw -O qcow2 -o data_file="$SCRATCH/guest.data" "$inf" "$SCRATCH/ext.qcow2" ||
    die "qemu-img cannot write an external data file"
rm -f "$SCRATCH/guest.data"
mkfifo "$SCRATCH/guest.data"
feature datafile "$SCRATCH/ext.qcow2" qcow2 "external data file '$SCRATCH/guest.data'" "not opened"

# Differencing VHD: parent recorded as a FIFO path with an escape byte.
qemu-img convert -q -f raw -O vpc -o subformat=dynamic "$inf" "$SCRATCH/base.vhd"
parent=$SCRATCH/$'par\e[2Jent.vhd'
mkfifo "$parent"
"$MKDIFFDISK" vhd "$SCRATCH/base.vhd" "$SCRATCH/diff.vhd" "$parent" || die "mkdiffdisk vhd"
feature vhd "$SCRATCH/diff.vhd" vhd "differencing VHD (disk type 4)" "recorded as '$SCRATCH/par"
jqt "vhd: the parent's escape byte is kept, escaped, in JSON" "$SCRATCH/feat-vhd/report.json" \
    'any(.volumes[]; .note | contains("par\u001b[2Jent.vhd"))'

qemu-img convert -q -f raw -O vhdx "$inf" "$SCRATCH/base.vhdx"
"$MKDIFFDISK" vhdx "$SCRATCH/base.vhdx" "$SCRATCH/diff.avhdx" 'base-disk.vhdx' || die "mkdiffdisk vhdx"
feature avhdx "$SCRATCH/diff.avhdx" vhdx "differencing VHDX (AVHDX, HasParent set" \
    "relative_path 'base-disk.vhdx'"

"$MKDIFFDISK" sesparse "$SCRATCH/ses.vmdk" 'base-flat.vmdk' || die "mkdiffdisk sesparse"
check "qemu-img reads the seSparse descriptor's parent" \
    bash -c "qemu-img info '$SCRATCH/ses.vmdk' | grep -q 'backing file: base-flat.vmdk'"
feature sesparse "$SCRATCH/ses.vmdk" vmdk "VMDK seSparse extent" "recorded as 'base-flat.vmdk'"
feature sesparse-extent "$SCRATCH/ses-sesparse.vmdk" vmdk "VMDK seSparse extent" "magic 0xcafebabe"

qemu-img convert -q -f raw -O vmdk "$inf" "$SCRATCH/base.vmdk"
qemu-img create -q -f vmdk -b "$SCRATCH/base.vmdk" -F vmdk "$SCRATCH/delta.vmdk"
feature vmdk-delta "$SCRATCH/delta.vmdk" vmdk "differencing VMDK (snapshot delta" \
    "recorded as '$SCRATCH/base.vmdk'"
# The same containers without the feature are still examined.
run_scan "$SCRATCH/basevmdk.json" -f json "$SCRATCH/base.vmdk"
expect_rc 1 "plain VMDK still examined"
run_scan "$SCRATCH/basevhd.json" -f json "$SCRATCH/base.vhd"
expect_rc 1 "plain dynamic VHD still examined"
run_scan "$SCRATCH/basevhdx.json" -f json "$SCRATCH/base.vhdx"
expect_rc 1 "plain VHDX still examined"
finish

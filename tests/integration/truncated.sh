#!/bin/bash
# truncated.sh - damaged and truncated evidence:
# what is present is examined, every unreadable range is listed with the
# volumes and files it touches, and the scan never exits 0.
#
# Fixtures (built here): a two-partition MBR disk (infected-debian in
# partition 1, clean in partition 2) and a two-partition GPT disk
# (infected-debian, infected-rhel), cut short as raw, split raw and E01
# copies.
. "$(dirname "$0")/lib.sh"

has_tool sfdisk || skip "sfdisk missing"
MiB=1048576

# common JSON checks for a truncated copy of the MBR disk
assert_damaged() { # JSON DESC
    jqt "$2: summary says evidence incomplete" "$1" \
        '.summary.evidence_incomplete == true and .summary.unreadable_bytes > 0'
    jqt "$2: evidence_alert names the incompleteness" "$1" \
        '.evidence_alert | test("^EVIDENCE INCOMPLETE: [0-9]+ bytes")'
    jqt "$2: unreadable list present and flagged" "$1" \
        '.unreadable.evidence_incomplete == true and (.unreadable.ranges | length) >= 1'
    jqt "$2: the partition table is kept (two dos partitions)" "$1" \
        '(.volumes | length) == 2 and all(.volumes[]; .vs_type == "dos")
         and .volumes[0].offset == 1048576 and .volumes[1].offset == 12582912'
    jqt "$2: partition 1 complete, examined, not partial" "$1" \
        '.volumes[0].state == "examined" and .volumes[0].partial == false'
    jqt "$2: partition 2 marked partial" "$1" '.volumes[1].partial == true'
    jqt "$2: every range touches partition 2 only and lies inside it" "$1" \
        'all(.unreadable.ranges[]; .volumes == [1] and .offset >= 12582912
             and .offset + .length <= 25165824)'
}

MKARGS=(--layout two-fs --size-mb 24 --decoy-spec "$SPECS/infected-debian.spec")
build disk --spec "$SPECS/clean.spec" "${MKARGS[@]}"
disk=$SCRATCH/disk
check "fixture is 24 MiB" test "$(stat -c %s "$disk")" -eq $((24 * MiB))

# --- raw copy cut in the middle of partition 2 ---------------------------
head -c $((18 * MiB)) "$disk" >"$SCRATCH/cut18.raw"
run_scan "$SCRATCH/cut18.json" -f json "$SCRATCH/cut18.raw"
expect_rc 1 "raw cut mid-partition 2"
assert_damaged "$SCRATCH/cut18.json" "raw cut at 18 MiB"
jqt "raw cut: the backdoor in partition 1 is found" "$SCRATCH/cut18.json" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious" and .volume == 0 and .partial == false)'
jqt "raw cut: partition 2 extends beyond the end, examined" "$SCRATCH/cut18.json" \
    '.volumes[1].state == "examined" and (.volumes[1].note | test("extends beyond the end of the image \\(truncated copy\\)"))'
jqt "raw cut: exactly the missing tail is unreadable" "$SCRATCH/cut18.json" \
    '.unreadable.ranges == [{"offset": 18874368, "length": 6291456,
      "cause": "beyond the end of the image (truncated copy)", "volumes": [1], "files": []}]'
run_scan "$SCRATCH/cut18.txt" "$SCRATCH/cut18.raw"
check "text: verdict line says evidence incomplete" \
    grep -q '^VERDICT: MALICIOUS (EVIDENCE INCOMPLETE' "$SCRATCH/cut18.txt"
check "text: unreadable media section lists the range" \
    grep -qE '^  18874368 +6291456 +beyond the end of the image' "$SCRATCH/cut18.txt"
run_scan "$SCRATCH/cut18.html" -f html "$SCRATCH/cut18.raw"
check "html: incomplete banner and unreadable section" \
    bash -c 'grep -q "id=\"evidence-incomplete\"" "$1" && grep -q "id=\"unreadable\"" "$1" && grep -q "18874368" "$1"' _ "$SCRATCH/cut18.html"

# --- raw copy cut before partition 2 starts (part 8) ---------------------
# libtsk refuses a DOS table whose partition starts past the end of the
# image; it used to be reported as "whole image (no partition table)".
head -c $((8 * MiB)) "$disk" >"$SCRATCH/cut8.raw"
run_scan "$SCRATCH/cut8.json" -f json "$SCRATCH/cut8.raw"
expect_rc 1 "raw cut inside partition 1"
jqt "cut8: partition table kept, no 'whole image' volume" "$SCRATCH/cut8.json" \
    '(.volumes | length) == 2 and all(.volumes[]; .description != "whole image (no partition table)")'
jqt "cut8: partition 1 extends beyond the end and was examined" "$SCRATCH/cut8.json" \
    '.volumes[0].state == "examined" and .volumes[0].partial and (.volumes[0].note | test("extends beyond the end of the image"))'
jqt "cut8: partition 2 lies beyond the end, not examined" "$SCRATCH/cut8.json" \
    '.volumes[1].state == "not_examined" and .volumes[1].partial and (.volumes[1].note | test("beyond the end of the image \\(truncated copy\\)"))'
jqt "cut8: libtsk's reason is kept" "$SCRATCH/cut8.json" \
    'any(.errors[]; test("libtsk refused the table: .*too large"))'
jqt "cut8: the unreadable tail touches both partitions" "$SCRATCH/cut8.json" \
    '.unreadable.ranges == [{"offset": 8388608, "length": 16777216,
      "cause": "beyond the end of the image (truncated copy)", "volumes": [0, 1], "files": []}]'
jqt "cut8: the backdoor in the present part is still found" "$SCRATCH/cut8.json" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious")'

# --- split raw copy whose last segment is missing ------------------------
build split --spec "$SPECS/clean.spec" "${MKARGS[@]}" --format split
segments split segs
check "split fixture has 3 segments" test "${#segs[@]}" -eq 3
run_scan "$SCRATCH/split.json" -f json "${segs[0]}" "${segs[1]}"
expect_rc 1 "split raw without its last segment"
assert_damaged "$SCRATCH/split.json" "split raw, 2 of 3 segments"
jqt "split: the missing segment is the unreadable range" "$SCRATCH/split.json" \
    '.unreadable.ranges == [{"offset": 16777216, "length": 8388608,
      "cause": "beyond the end of the image (truncated copy)", "volumes": [1], "files": []}]'

# --- clean variant: nothing found, evidence incomplete -> exit 3 --------
build clean --spec "$SPECS/clean.spec" --layout two-fs --size-mb 24
head -c $((18 * MiB)) "$SCRATCH/clean" >"$SCRATCH/clean18.raw"
run_scan "$SCRATCH/clean18.json" -f json "$SCRATCH/clean18.raw"
expect_rc 3 "clean raw cut mid-partition 2"
jqt "clean cut: verdict incomplete, never clean" "$SCRATCH/clean18.json" \
    '.summary.verdict == "incomplete" and .summary.exit_status == 3 and .summary.evidence_incomplete'
run_scan "$SCRATCH/clean-full.json" -f json "$SCRATCH/clean"
expect_rc 0 "the complete clean disk"
jqt "complete disk: nothing unreadable, nothing partial" "$SCRATCH/clean-full.json" \
    '.unreadable.ranges == [] and .summary.evidence_incomplete == false
     and all(.volumes[]; .partial == false) and (has("evidence_alert") | not)'

# --- sparse VMDK cut short: libvmdk reads the lost grains as zeros --------
if has_tool qemu-img; then
    qemu-img convert -q -f raw -O vmdk "$SCRATCH/clean" "$SCRATCH/clean.vmdk" || die "qemu-img vmdk"
    run_scan "$SCRATCH/vmdk-full.json" -f json "$SCRATCH/clean.vmdk"
    expect_rc 0 "the complete clean VMDK"
    head -c $(( $(stat -c %s "$SCRATCH/clean.vmdk") * 2 / 3 )) "$SCRATCH/clean.vmdk" >"$SCRATCH/cut.vmdk"
    run_scan "$SCRATCH/cut.json" -f json "$SCRATCH/cut.vmdk"
    expect_rc 3 "clean VMDK cut short (never clean)"
    jqt "cut VMDK: the lost grains are the unreadable ranges" "$SCRATCH/cut.json" \
        '.summary.evidence_incomplete and (.unreadable.ranges | length) >= 1
         and all(.unreadable.ranges[]; .cause == "VMDK grain beyond the end of the extent file (truncated copy)")'
    jqt "cut VMDK: the damage is explained" "$SCRATCH/cut.json" \
        'any(.errors[]; test("^damaged VMDK \\(extent file cut short at [0-9]+ bytes\\): [0-9]+ of [0-9]+ allocated grains"))'
else
    say "note: qemu-img missing, VMDK case skipped"
fi

# --- GPT disk cut inside a reported file: the file is marked partial -----
if has_tool istat && has_tool fsstat; then
    build fs1 --spec "$SPECS/infected-debian.spec" --layout bare --size-mb 8
    build fs2 --spec "$SPECS/infected-rhel.spec" --layout bare --size-mb 8
    gpt=$SCRATCH/gpt.raw
    truncate -s $((18 * MiB)) "$gpt"
    printf 'label: gpt\nstart=2048, size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="one"\nstart=18432, size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="two"\n' |
        sfdisk -q "$gpt" >/dev/null 2>&1 || die "sfdisk gpt failed"
    dd if="$SCRATCH/fs1" of="$gpt" bs=512 seek=2048 conv=notrunc status=none
    dd if="$SCRATCH/fs2" of="$gpt" bs=512 seek=18432 conv=notrunc status=none
    run_scan "$SCRATCH/gpt.json" -f json "$gpt"
    expect_rc 1 "complete GPT disk"
    ino=$(jq -r '.findings[] | select(.volume == 1 and .path == "/var/tmp/PlKmNbV") | .inode' "$SCRATCH/gpt.json")
    [ -n "$ino" ] && [ "$ino" != null ] || die "no rhel backdoor on the GPT disk"
    blk=$(istat -o 18432 "$gpt" "$ino" | awk '/^Direct Blocks:/ { getline; print $1 }')
    bs=$(fsstat -o 18432 "$gpt" | awk '/^Block Size:/ { print $3 }')
    [ -n "$blk" ] && [ -n "$bs" ] || die "cannot map inode $ino"
    cut=$((18432 * 512 + blk * bs))
    head -c "$cut" "$gpt" >"$SCRATCH/gptcut.raw"
    run_scan "$SCRATCH/gptcut.json" -f json "$SCRATCH/gptcut.raw"
    expect_rc 1 "GPT disk cut inside the second backdoor's content"
    jqt "gpt cut: two gpt partitions kept" "$SCRATCH/gptcut.json" \
        '(.volumes | length) == 2 and all(.volumes[]; .vs_type == "gpt")'
    jqt "gpt cut: first backdoor found, not partial" "$SCRATCH/gptcut.json" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .volume == 0 and .verdict == "malicious" and .partial == false)'
    jqt "gpt cut: the cut file is partial with PARTIAL_CONTENT" "$SCRATCH/gptcut.json" \
        'any(.findings[], .examined[]; .path == "/var/tmp/PlKmNbV" and .volume == 1 and .partial == true
             and any(.reasons[]; .code == "PARTIAL_CONTENT" and .severity == "info"))'
    jqt "gpt cut: the range names the file and volume 1" "$SCRATCH/gptcut.json" --argjson c "$cut" \
        '.unreadable.ranges | length == 1 and .[0].offset == $c and .[0].volumes == [1]
         and any(.[0].files[]; .path == "/var/tmp/PlKmNbV" and .volume == 1)'
    jqt "gpt cut: files of partition 1 not partial" "$SCRATCH/gptcut.json" \
        'all(.findings[], .examined[]; .volume != 0 or .partial == false)'
else
    say "note: istat/fsstat missing, GPT file-level case skipped"
fi

# --- E01 cut in half (an interrupted copy) -------------------------------
has_tool ewfacquire || { say "note: ewfacquire missing, E01 cases skipped"; finish; }
for comp in best none; do
    build "e01$comp" --spec "$SPECS/clean.spec" "${MKARGS[@]}" --format e01 --compress "$comp"
    e01=$SCRATCH/e01$comp.E01
    size=$(stat -c %s "$e01")
    head -c $((size / 2)) "$e01" >"$SCRATCH/half$comp.E01"
    j=$SCRATCH/half$comp.json
    run_scan "$j" -f json "$SCRATCH/half$comp.E01"
    expect_rc 1 "E01 ($comp) cut in half"
    assert_damaged "$j" "E01 ($comp) cut in half"
    jqt "E01 ($comp) half: image type ewf" "$j" '.scan.image_type == "ewf" and .scan.image_size == 25165824'
    jqt "E01 ($comp) half: the backdoor in partition 1 is found" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious" and .volume == 0)'
    jqt "E01 ($comp) half: missing chunks are the unreadable ranges" "$j" \
        'all(.unreadable.ranges[]; .cause == "E01 chunk missing or damaged" and .offset % 32768 == 0)
         and (.unreadable.ranges[-1] | .offset + .length) == 25165824'
    jqt "E01 ($comp) half: the damage is explained" "$j" \
        'any(.errors[]; test("^damaged E01 \\(segment 1 is cut short.*chunks present, recovered without their chunk table"))'
    # the complete E01 reads through libewf as before
    run_scan "$SCRATCH/full$comp.json" -f json "$e01"
    expect_rc 1 "complete E01 ($comp)"
    jqt "complete E01 ($comp): nothing unreadable" "$SCRATCH/full$comp.json" \
        '.unreadable.ranges == [] and .summary.evidence_incomplete == false'
done

build e01clean --spec "$SPECS/clean.spec" --layout two-fs --size-mb 24 --format e01 --compress best
size=$(stat -c %s "$SCRATCH/e01clean.E01")
head -c $((size / 2)) "$SCRATCH/e01clean.E01" >"$SCRATCH/cleanhalf.E01"
run_scan "$SCRATCH/cleanhalf.json" -f json "$SCRATCH/cleanhalf.E01"
expect_rc 3 "clean E01 cut in half"
jqt "clean E01 half: incomplete, not clean" "$SCRATCH/cleanhalf.json" \
    '.summary.verdict == "incomplete" and .summary.evidence_incomplete'

# A multi-segment E01 whose copy stopped after segment 12 of 25.
build multi --spec "$SPECS/clean.spec" "${MKARGS[@]}" --format e01-multi
segments multi msegs
mkdir "$SCRATCH/mcut"
for s in "${msegs[@]:0:12}"; do cp "$s" "$SCRATCH/mcut/"; done
head -c 500000 "${msegs[12]}" >"$SCRATCH/mcut/$(basename "${msegs[12]}")"
run_scan "$SCRATCH/mcut.json" -f json "$SCRATCH/mcut/multi.E01"
expect_rc 1 "E01 copy interrupted in segment 13"
jqt "multi cut: backdoor found, partition 2 partial" "$SCRATCH/mcut.json" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA") and .volumes[1].partial and .summary.evidence_incomplete'
jqt "multi cut: segment 13 named" "$SCRATCH/mcut.json" \
    'any(.errors[]; test("segment 13 is cut short"))'
finish

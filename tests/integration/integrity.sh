#!/bin/bash
# integrity.sh - --hash: MD5/SHA-1/SHA-256 of the media stream match
# md5sum/sha1sum/sha256sum of the raw disk; an E01's stored acquisition
# hashes are verified; a byte flipped inside an E01 chunk is a mismatch,
# exit status 4, reported first in every format.
. "$(dirname "$0")/lib.sh"

spec=$SPECS/infected-debian.spec
build raw --spec "$spec" --size-mb 8
raw=$SCRATCH/raw
md5=$(md5sum <"$raw" | cut -d' ' -f1)
sha1=$(sha1sum <"$raw" | cut -d' ' -f1)
sha256=$(sha256sum <"$raw" | cut -d' ' -f1)

# Raw: computed hashes equal the coreutils ones; nothing stored.
run_scan "$SCRATCH/raw.json" -f json --hash "$raw"
expect_rc 1 "raw --hash"
jqt "raw: hashes equal md5sum/sha1sum/sha256sum" "$SCRATCH/raw.json" \
    --arg a "$md5" --arg b "$sha1" --arg c "$sha256" \
    '.evidence.computed == {md5: $a, sha1: $b, sha256: $c}'
jqt "raw: the image identity carries the media hashes" "$SCRATCH/raw.json" \
    '.image.media_hashes == .evidence.computed and .image.media_size == .scan.image_size'
jqt "raw: every media byte hashed" "$SCRATCH/raw.json" --argjson n "$(stat -c %s "$raw")" \
    '.evidence.media_bytes_hashed == $n'
jqt "raw: nothing stored to compare, integrity computed" "$SCRATCH/raw.json" \
    '.evidence.stored == null and .evidence.integrity == "computed" and .evidence.opened_read_only == true'
jqt "raw: exit status 1 in the summary" "$SCRATCH/raw.json" '.summary.exit_status == 1 and .summary.integrity_mismatch == false'

# Without --hash: no hash, the report says so.
run_scan "$SCRATCH/nohash.json" -f json "$raw"
jqt "no --hash: nothing computed" "$SCRATCH/nohash.json" \
    '.evidence.computed == null and .evidence.hash_requested == false and .evidence.integrity == "not_checked"'

has_tool ewfacquire || { say "note: ewfacquire missing, E01 checks skipped"; finish; }
# E01 without compression, so planted bytes are findable in the file.
build e01 --spec "$spec" --size-mb 8 --format e01 --compress none
e01=$SCRATCH/e01.E01
run_scan "$SCRATCH/e01.json" -f json --hash "$e01"
expect_rc 1 "E01 --hash"
jqt "E01: media hashes equal the raw disk's" "$SCRATCH/e01.json" \
    --arg a "$md5" --arg b "$sha1" --arg c "$sha256" \
    '.evidence.computed == {md5: $a, sha1: $b, sha256: $c}'
jqt "E01: stored MD5 verified" "$SCRATCH/e01.json" --arg a "$md5" \
    '.evidence.stored.md5 == $a and .evidence.check.md5 == "verified" and .evidence.integrity == "verified"'
jqt "E01: stored SHA-1 verified or honestly not stored" "$SCRATCH/e01.json" \
    '.evidence.check.sha1 == "verified" or (.evidence.check.sha1 == "not_stored" and .evidence.stored.sha1 == null)'
jqt "E01: no alert when verified" "$SCRATCH/e01.json" 'has("integrity_alert") | not'

# Stored hashes are reported even without --hash, as not verified.
run_scan "$SCRATCH/e01n.json" -f json "$e01"
jqt "E01 without --hash: stored but not computed" "$SCRATCH/e01n.json" \
    '.evidence.check.md5 == "not_computed" and .summary.exit_status == 1'

# Flip one byte of a planted file inside the segment's chunk data.
cp "$e01" "$SCRATCH/bad.E01"
off=$(grep -oba 'office-hours report' "$SCRATCH/bad.E01" | head -n1 | cut -d: -f1)
check "planted bytes found in the uncompressed E01" test -n "$off"
printf 'X' | dd of="$SCRATCH/bad.E01" bs=1 seek="${off:-0}" conv=notrunc status=none
for fmt in json text html csv timesketch; do
    run_scan "$SCRATCH/bad.$fmt" -f "$fmt" --hash "$SCRATCH/bad.E01"
    expect_rc 4 "tampered E01, $fmt: exit status 4"
    check "tampered E01, $fmt: one stderr line names the failure" \
        grep -q '^mumblescan: INTEGRITY FAILURE' "$SCRATCH/bad.$fmt.err"
done
jqt "tampered: MD5 mismatch" "$SCRATCH/bad.json" \
    '.evidence.check.md5 == "mismatch" and .evidence.integrity == "mismatch" and .summary.integrity_mismatch and .summary.exit_status == 4'
jqt "tampered: the alert is the first JSON key" "$SCRATCH/bad.json" \
    'keys_unsorted[0] == "integrity_alert" and (.integrity_alert | test("MD5 stored"))'
jqt "tampered: the alert states what was hashed (media, bytes)" "$SCRATCH/bad.json" \
    '.integrity_alert | test("the media read from the image \\(8388608 bytes hashed\\)")'
for fmt in csv timesketch text html; do
    check "tampered $fmt: the alert states what was hashed" \
        grep -q 'the media read from the image (8388608 bytes hashed)' "$SCRATCH/bad.$fmt"
done
check "tampered text: first line is the alert" \
    bash -c "head -n1 '$SCRATCH/bad.text' | grep -q '^!!! INTEGRITY FAILURE'"
check "tampered html: alert before the verdict" \
    bash -c "grep -n -e 'id=\"integrity-alert\"' -e 'VERDICT:' '$SCRATCH/bad.html' | head -n1 | grep -q integrity-alert"
check "tampered csv: first record after the header is the alert" \
    bash -c "sed -n 2p '$SCRATCH/bad.csv' | grep -q '^\"integrity_alert\"'"
check "tampered timesketch: first event is the alert" \
    bash -c "head -n1 '$SCRATCH/bad.timesketch' | jq -e '.data_type == \"mumblescan:integrity\" and (.message | test(\"INTEGRITY FAILURE\"))' >/dev/null"
check "the evidence copy was not modified by the scan" \
    test "$(grep -c . <(cmp "$e01" "$SCRATCH/bad.E01" 2>&1 || true))" -eq 1
finish

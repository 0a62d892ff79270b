#!/bin/bash
# options.sh - every long option is documented in --help, the man page and
# the README; the safety bounds (--max-entries, --max-file-size) and
# --image-type do what they say.
. "$(dirname "$0")/lib.sh"

# --- documentation ------------------------------------------------------
# The getopt_long table is the truth: every entry must be in all three.
mapfile -t longopts < <(sed -n '/long_opts\[\] = {/,/^};/p' \
    "$SRCDIR/src/cli/options.c" | grep -o '{ "[a-z0-9-]*"' | cut -d'"' -f2)
check "the option table was found in src/cli/options.c" test "${#longopts[@]}" -ge 10
"$MUMBLESCAN" --help >"$SCRATCH/help.txt" 2>&1
man_txt=$(sed 's/\\-/-/g' "$SRCDIR/docs/mumblescan.1")
for o in "${longopts[@]}"; do
    check "--$o is in --help" grep -q -- "--$o\\b" "$SCRATCH/help.txt"
    check "--$o is in the man page" grep -q -- "--$o\\b" <<<"$man_txt"
    check "--$o is in README.md" grep -q -- "--$o\\b" "$SRCDIR/README.md"
done

# --- bounds and image type on a real image -----------------------------
build inf --spec "$SPECS/infected-debian.spec"
img=$SCRATCH/inf

# --max-entries: the walk stops at the bound and says so.
run_scan "$SCRATCH/all.json" -f json "$img"
expect_rc 1 "default bounds"
all=$(jq '.summary.temp_entries' "$SCRATCH/all.json")
check "the fixture's temp dirs hold more than 3 names ($all)" test "$all" -gt 3
run_scan "$SCRATCH/me.json" -f json --max-entries 3 "$img"
expect_rc "0|1|3" "--max-entries 3"
jqt "--max-entries 3: at most 3 names listed per temp dir" "$SCRATCH/me.json" \
    '[.coverage[] | select(.kind == "temp_dir") | .entries] | all(. <= 3)'
jqt "--max-entries 3: the flooded /tmp is partial, /var/tmp still walked in full" "$SCRATCH/me.json" \
    'any(.coverage[]; .path == "/tmp" and .state == "partial") and any(.coverage[]; .path == "/var/tmp" and .state == "read")'
jqt "--max-entries 3: the backdoor in /var/tmp is still examined" "$SCRATCH/me.json" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA")'
jqt "--max-entries 3: a cut-short walk is never clean" "$SCRATCH/me.json" '.summary.verdict != "clean"'
jqt "--max-entries 3: the bound is reported" "$SCRATCH/me.json" \
    '[.errors[], (.volumes[].note // "")] | any(test("3 names|limit|bound"; "i"))'

# --max-file-size: YARA sees only the first bytes; hashes still cover all.
run_scan "$SCRATCH/fs.json" -f json --max-file-size 64 "$img"
expect_rc "0|1|3" "--max-file-size 64"
jqt "--max-file-size 64: the backdoor is marked as scanned in part" "$SCRATCH/fs.json" \
    'any(.findings[], .examined[]?; .path == "/var/tmp/qCVwOWA" and .content == "truncated"
        and any(.reasons[]; .code == "SCAN_TRUNCATED")
        and (.yara | length) == 0)'
jqt "without the bound the backdoor's YARA matches are there" "$SCRATCH/all.json" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .content == "scanned" and (.yara | length) > 0)'
jqt "--max-file-size 64: hashes still cover the whole file" "$SCRATCH/fs.json" \
    --slurpfile a "$SCRATCH/all.json" \
    '[.findings[], .examined[]? | select(.path == "/var/tmp/qCVwOWA") | .hashes.sha256][0]
     == ([$a[0].findings[] | select(.path == "/var/tmp/qCVwOWA") | .hashes.sha256][0])'
for bad in 0 -1 12Q 99999999999G ''; do
    run_scan "$SCRATCH/bad.out" --max-file-size "$bad" "$img"
    expect_rc 2 "--max-file-size '$bad' is refused"
    one_error_line "$SCRATCH/bad.out.err" "--max-file-size '$bad'"
done
run_scan "$SCRATCH/bad.out" --max-entries 0 "$img"
expect_rc 2 "--max-entries 0 is refused"
one_error_line "$SCRATCH/bad.out.err" "--max-entries 0"

# -t / --image-type
run_scan "$SCRATCH/list.txt" -t list
expect_rc 0 "-t list"
check "-t list names raw and ewf" grep -qw raw "$SCRATCH/list.txt"
check "-t list names ewf" grep -qw ewf "$SCRATCH/list.txt"
run_scan "$SCRATCH/raw.json" -f json -t raw "$img"
expect_rc 1 "-t raw on a raw image"
jqt "-t raw: image type raw, backdoor found" "$SCRATCH/raw.json" \
    '.scan.image_type == "raw" and any(.findings[]; .path == "/var/tmp/qCVwOWA")'
run_scan "$SCRATCH/ewf.out" --image-type=ewf "$img"
expect_rc 2 "--image-type=ewf on a raw image"
one_error_line "$SCRATCH/ewf.out.err" "--image-type=ewf on a raw image"
run_scan "$SCRATCH/bogus.out" -t bogus "$img"
expect_rc 2 "-t bogus"
one_error_line "$SCRATCH/bogus.out.err" "-t bogus"
finish

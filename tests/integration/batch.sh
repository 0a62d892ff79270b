#!/bin/bash
# batch.sh - mumblescan --manifest: result directories named by evidence
# identity (two files called disk.raw do not collide), one state per
# manifest line, hostile lines fail alone, resume repeats no completed
# image, a crashing, stalled or slow scan is recorded as failed with the
# reason (crash, watchdog, time limit), --lines selects a stride.
. "$(dirname "$0")/lib.sh"

build clean --spec "$SPECS/clean.spec"
build inf --spec "$SPECS/infected-debian.spec"
mkdir -p "$SCRATCH/a" "$SCRATCH/b"
cp "$SCRATCH/clean" "$SCRATCH/a/disk.raw"
cp "$SCRATCH/inf" "$SCRATCH/b/disk.raw"
M=$SCRATCH/m.txt
{
    echo "# fleet test"
    echo "a/disk.raw"
    echo '{"image": "b/disk.raw", "case": "C-17", "evidence_id": "EV-2"}'
    echo "missing.raw"
    echo '{"image": "a/disk.raw", "bogus": 1}'
    printf 'a/disk.raw\001x\n'
    echo '{"segments": [], "case": "x"}'
    echo ""
} >"$M"
R=$SCRATCH/results
run_scan "$SCRATCH/b1.out" --manifest "$M" -o "$R" -J 2 -f json,html
expect_rc 2 "a batch with failed lines exits 2"
S=$R/batch-summary.jsonl
check "the summary exists" test -s "$S"
check "one summary line per image line (6)" test "$(wc -l <"$S")" -eq 6
jqt "line 2 is clean" "$S" --slurp 'any(.[]; .line == 2 and .state == "clean" and (.reasons | length) == 0)'
jqt "line 3 has findings" "$S" --slurp 'any(.[]; .line == 3 and .state == "findings")'
jqt "missing, unknown-key, control-byte and empty lines failed with a reason" "$S" --slurp \
    '[.[] | select(.line >= 4 and .line <= 7) | select(.state == "failed" and (.reasons | length) > 0)] | length == 4'
jqt "the unknown key is named as the reason" "$S" --slurp \
    'any(.[]; .line == 5 and (.reasons[0] | test("unknown key")))'
n1=$(jq -r 'select(.line == 2) | .result' "$S")
n2=$(jq -r 'select(.line == 3) | .result' "$S")
check "two files called disk.raw get two result directories ($n1, $n2)" \
    test -n "$n1" -a -n "$n2" -a "$n1" != "$n2"
case $n1 in disk.raw-????????????????????????) pass ;; *) fail "result name '$n1' is not disk.raw-<24 hex>" ;; esac
check "the result holds report.json" test -s "$R/$n1/report.json"
check "the result holds report.html (-f)" test -s "$R/$n1/report.html"
check "the result holds identity.json" test -s "$R/$n1/identity.json"
jqt "identity.json names the same evidence" "$R/$n2/identity.json" \
    --arg n "$n2" '.name == $n and (.files[0].path | endswith("/b/disk.raw")) and (.media_sample_sha256 | length) == 64'
jqt "the line's case metadata reached the report" "$R/$n2/report.json" '.case.case == "C-17" and .case.evidence_id == "EV-2"'
check "no temporary directory is left" test -z "$(find "$R" -name '.tmp-*' -o -name '.log-*')"

# --- resume: nothing completed is scanned again -------------------------
before=$(stat -c %Y.%i "$R/$n1/report.json")
run_scan "$SCRATCH/b2.out" --manifest "$M" -o "$R" -J 2
expect_rc 2 "rerun"
jqt "the rerun takes completed images from their results" "$S" --slurp \
    '[.[] | select(.line == 2 or .line == 3) | .resumed] == [true, true]'
check "the completed result was not rewritten" test "$(stat -c %Y.%i "$R/$n1/report.json")" = "$before"
# changed evidence with the same name is not the same evidence
truncate -s +1M "$SCRATCH/a/disk.raw"
run_scan "$SCRATCH/b3.out" --manifest "$M" -o "$R" --lines 2
jqt "--lines 2: one line, summary named for the range" "$R/batch-summary-2-2.jsonl" --slurp \
    'length == 1 and .[0].resumed == false and .[0].result != "'"$n1"'"'

# --- one result set for a single scan ------------------------------------
run_scan "$SCRATCH/one.out" --result-dir "$SCRATCH/one" "$SCRATCH/clean"
expect_rc 0 "--result-dir"
check "--result-dir writes one result directory" test "$(ls "$SCRATCH/one" | wc -l)" -eq 1
check "--result-dir writes report.json" test -s "$(echo "$SCRATCH"/one/clean-*/report.json)"
run_scan "$SCRATCH/one2.out" --result-dir "$SCRATCH/one" "$SCRATCH/clean"
check "a second scan replaces the result, it does not add one" test "$(ls -A "$SCRATCH/one" | wc -l)" -eq 1

# --- failures: crash, watchdog, time limit ------------------------------
# The child is stopped (SIGSTOP: it reads nothing, like a hung scan) or
# killed with SIGSEGV (like a crash) by this test; the batch must record
# the right reason and still finish the other image.
printf '%s\n%s\n' "$SCRATCH/clean" "$SCRATCH/inf" >"$SCRATCH/f.txt"
child_of() { # batch pid -> first child pid
    local i
    for i in $(seq 1 100); do
        c=$(pgrep -P "$1" | head -1)
        [ -n "$c" ] && { echo "$c"; return; }
        sleep 0.05
    done
}
failrun() { # name signal batch-options...
    local name=$1 sig=$2; shift 2
    "$MUMBLESCAN" --manifest "$SCRATCH/f.txt" -o "$SCRATCH/$name" "$@" \
        2>"$SCRATCH/$name.err" &
    local bp=$!
    local c; c=$(child_of $bp)
    [ -n "$c" ] && kill "-$sig" "$c"
    wait $bp
    RC=$?
}
# ASan's own SIGSEGV handler would turn the signal into "exit 1" when it
# is installed before the kill lands (a race); let the signal kill.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0" failrun crash SEGV -J 1
expect_rc 2 "a crashed image does not end the batch (exit 2: an image failed)"
jqt "crash: line 1 failed with the signal as reason" "$SCRATCH/crash/batch-summary.jsonl" --slurp \
    '.[0].state == "failed" and any(.[0].reasons[]; test("signal 11"))'
jqt "crash: line 2 still scanned" "$SCRATCH/crash/batch-summary.jsonl" --slurp '.[1].state == "findings"'
failrun wd STOP -J 1 --watchdog 2
jqt "watchdog: a scan without progress fails with the watchdog reason" "$SCRATCH/wd/batch-summary.jsonl" --slurp \
    '.[0].state == "failed" and any(.[0].reasons[]; test("^watchdog"))'
failrun tl STOP -J 1 --watchdog 0 --time-limit 2
jqt "time limit: recorded as the reason" "$SCRATCH/tl/batch-summary.jsonl" --slurp \
    '.[0].state == "failed" and any(.[0].reasons[]; test("^time limit"))'
check "no process of the batch is left" test -z "$(pgrep -f "$SCRATCH/f.txt")"

# --- identical evidence is scanned once -----------------------------------
# c1 is a byte copy of clean (a duplicate); near differs from clean in one
# byte that the media sample does not read (8400000 lies between sampled
# regions 32 and 33 of a 16 MiB image): the sample matches, the full
# media hash does not, so it must be scanned, not called a duplicate.
cp "$SCRATCH/clean" "$SCRATCH/c1.raw"
cp "$SCRATCH/clean" "$SCRATCH/near.raw"
check "the clean fixture is 16 MiB" test "$(stat -c %s "$SCRATCH/clean")" -eq 16777216
printf 'Z' | dd of="$SCRATCH/near.raw" bs=1 seek=8400000 conv=notrunc status=none
printf '%s\n%s\n%s\n' "$SCRATCH/clean" "$SCRATCH/c1.raw" "$SCRATCH/near.raw" >"$SCRATCH/d.txt"
run_scan "$SCRATCH/d.out" --manifest "$SCRATCH/d.txt" -o "$SCRATCH/d" -J 3
D=$SCRATCH/d/batch-summary.jsonl
orig=$(jq -r 'select(.line == 1) | .result' "$D")
jqt "the copy is a duplicate of the first image, with its state" "$D" --slurp --arg o "$orig" \
    '.[1].duplicate_of == $o and .[1].state == "clean"'
dupdir=$(jq -r 'select(.line == 2) | .result' "$D")
check "the duplicate has no report of its own" test ! -e "$SCRATCH/d/$dupdir/report.json"
jqt "duplicate.json names the full media hash compared" "$SCRATCH/d/$dupdir/duplicate.json" \
    --arg o "$orig" '.duplicate_of == $o and (.media_sha256 | length) == 64'
jqt "same sample, other media: scanned, not a duplicate" "$D" --slurp \
    '.[2].duplicate_of == null and .[2].result != null'
s1=$(jq -r .media_sample_sha256 "$SCRATCH/d/$orig/identity.json")
s3=$(jq -r .media_sample_sha256 "$SCRATCH/d/$(jq -r 'select(.line == 3) | .result' "$D")/identity.json")
check "the near copy's media sample equals the original's (the hash decided)" test "$s1" = "$s3"
check "the near copy has a report of its own" \
    test -s "$SCRATCH/d/$(jq -r 'select(.line == 3) | .result' "$D")/report.json"
run_scan "$SCRATCH/d2.out" --manifest "$SCRATCH/d.txt" -o "$SCRATCH/d"
jqt "rerun: the duplicate is resumed as a duplicate" "$D" --slurp --arg o "$orig" \
    '.[1].resumed and .[1].duplicate_of == $o and .[1].state == "clean"'

# --- per-path coverage: which temp dirs and crontab locations were read --
# A clean image with /var/tmp's inode cleared (damaged inode), and one cut
# short exactly where /var/tmp's directory block starts (unreadable range):
# both end "incomplete" (never clean) with /var/tmp named and why.
if has_tool debugfs; then
    run_scan "$SCRATCH/cov0.json" -f json "$SCRATCH/clean"
    off=$(jq -r '.volumes[0].offset' "$SCRATCH/cov0.json")
    jqt "coverage: every temp dir and crontab location of the clean image listed" "$SCRATCH/cov0.json" \
        '.summary.locations_not_read == 0 and .summary.locations_read > 0
         and ([.coverage[] | select(.state == "read") | .path] as $r
              | ["/tmp", "/var/tmp", "/etc/crontab", "/etc/cron.d", "/var/spool/cron/crontabs"]
              | all(. as $p | $r | index($p)))
         and all(.coverage[]; .state == "read" or .state == "absent")'
    cp "$SCRATCH/clean" "$SCRATCH/vt-inode.raw"
    debugfs -w -R "clri /var/tmp" "$SCRATCH/vt-inode.raw?offset=$off" >/dev/null 2>&1 ||
        die "debugfs clri failed"
    bs=$(debugfs -R stats "$SCRATCH/clean?offset=$off" 2>/dev/null | awk '/^Block size:/ {print $3}')
    blk=$(debugfs -R "blocks /var/tmp" "$SCRATCH/clean?offset=$off" 2>/dev/null | awk '{print $1}')
    check "debugfs names /var/tmp's block ($blk, block size $bs)" test -n "$blk" -a -n "$bs"
    head -c $((off + blk * bs)) "$SCRATCH/clean" >"$SCRATCH/vt-cut.raw"
    printf '%s\n%s\n%s\n' "$SCRATCH/clean" "$SCRATCH/vt-inode.raw" "$SCRATCH/vt-cut.raw" >"$SCRATCH/cov.txt"
    run_scan "$SCRATCH/cov.out" --manifest "$SCRATCH/cov.txt" -o "$SCRATCH/cov" -J 2
    expect_rc 3 "a batch of clean and not fully examined images exits 3"
    C=$SCRATCH/cov/batch-summary.jsonl
    jqt "coverage: the intact image is clean with nothing not read" "$C" --slurp \
        '.[0].state == "clean" and .[0].not_read == []'
    jqt "coverage: damaged /var/tmp inode: incomplete, /var/tmp unreadable (damaged inode)" "$C" --slurp \
        '.[1].state == "incomplete" and (.[1].not_read | length) == 1
         and .[1].not_read[0].path == "/var/tmp" and .[1].not_read[0].state == "unreadable"
         and (.[1].not_read[0].reason | test("^damaged inode [0-9]+"))
         and any(.[1].reasons[]; test("^volume 0: /var/tmp unreadable: damaged inode"))'
    jqt "coverage: /var/tmp's block cut off: incomplete, /var/tmp unreadable (unreadable range)" "$C" --slurp \
        '.[2].state == "incomplete"
         and any(.[2].not_read[]; .path == "/var/tmp" and .state == "unreadable"
                 and (.reason | test("^unreadable range: [0-9]+ bytes")))
         and all(.[2].not_read[]; .path != "/tmp")'
    rd=$SCRATCH/cov/$(jq -r 'select(.line == 2) | .result' "$C")
    jqt "coverage: the report's summary counts the location not read" "$rd/report.json" \
        '.summary.locations_not_read == 1 and .summary.verdict == "incomplete" and .summary.exit_status == 3'
    run_scan "$SCRATCH/cov-txt.out" -f text "$SCRATCH/vt-inode.raw"
    check "coverage: the text report names /var/tmp as unreadable" \
        grep -qE '^  system v0  v0 /var/tmp +temp directory +unreadable: damaged inode' "$SCRATCH/cov-txt.out"
    check "coverage: the text summary counts it" grep -q '^  coverage: .* 1 NOT READ' "$SCRATCH/cov-txt.out"
    run_scan "$SCRATCH/cov.html" -f html "$SCRATCH/vt-inode.raw"
    check "coverage: the HTML report has the section" \
        bash -c 'grep -q "id=\"coverage\"" "$1" && grep -q "damaged inode" "$1"' _ "$SCRATCH/cov.html"
    run_scan "$SCRATCH/cov-merge.json" merge -f json "$SCRATCH/cov"
    jqt "coverage: merge lists, per host, /var/tmp not examined and why" "$SCRATCH/cov-merge.json" \
        '[.hosts[] | select(any(.not_examined[]; .what == "volume 0 /var/tmp"
                                and (.why | test("^unreadable: "))))] | length == 2'
else
    say "note: debugfs missing, per-path coverage checks skipped"
fi

run_scan "$SCRATCH/bad.out" --manifest "$M"
expect_rc 2 "--manifest without -o DIR is refused"
run_scan "$SCRATCH/bad.out" --manifest "$M" -o "$R" --lines 3-2
expect_rc 2 "--lines 3-2 is refused"
finish

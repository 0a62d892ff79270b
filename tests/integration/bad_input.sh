#!/bin/bash
# bad_input.sh - images that cannot be examined: exit 2, exactly one line
# "mumblescan: ..." on stderr, never a crash or sanitizer report.
. "$(dirname "$0")/lib.sh"

# bad CASE ARGS...: scan ARGS and require an honest error.
bad() {
    local name=$1; shift
    run_scan "$SCRATCH/$name.out" "$@"
    expect_rc 2 "$name"
    one_error_line "$SCRATCH/$name.out.err" "$name"
}

bad nonexistent "$SCRATCH/no-such-image.raw"
: >"$SCRATCH/empty.raw"
bad empty "$SCRATCH/empty.raw"
head -c 1048576 /dev/urandom >"$SCRATCH/random.raw"
bad random "$SCRATCH/random.raw"
mkdir "$SCRATCH/adir"
bad directory "$SCRATCH/adir"
bad bad-option --no-such-option "$SCRATCH/random.raw"
bad bad-format -f yaml "$SCRATCH/random.raw"

# ext4 without partition table, primary superblock zeroed.
build nosb --spec "$SPECS/clean.spec" --layout bare --size-mb 8
dd if=/dev/zero of="$SCRATCH/nosb" bs=1024 seek=1 count=1 conv=notrunc status=none
bad zeroed-superblock "$SCRATCH/nosb"

if has_tool ewfacquire; then
    build trunc --spec "$SPECS/clean.spec" --format e01 --compress best --size-mb 8
    size=$(stat -c %s "$SCRATCH/trunc.E01")
    head -c $((size / 2)) "$SCRATCH/trunc.E01" >"$SCRATCH/half.E01"
    # Its chunks present are read (ewf_salvage.h): examined, never clean
    # (truncated.sh asserts the details).
    run_scan "$SCRATCH/half.json" -f json "$SCRATCH/half.E01"
    expect_rc 3 "truncated-e01 (clean, half present)"
    check "truncated-e01: evidence incomplete, unreadable ranges listed" \
        jq -e '.summary.evidence_incomplete and (.unreadable.ranges | length) > 0' "$SCRATCH/half.json"
    # Cut inside its section list, before any chunk: nothing to examine.
    head -c 1000 "$SCRATCH/trunc.E01" >"$SCRATCH/stub.E01"
    bad truncated-e01-headers "$SCRATCH/stub.E01"
else
    say "note: ewfacquire missing, truncated E01 case skipped"
fi

if has_tool qemu-img; then
    # A qcow2 overlay is only half an image: its unallocated clusters live
    # in the backing file.  Not resolved here, so the scan must say so.
    build q --spec "$SPECS/infected-debian.spec" --format qcow2
    qemu-img create -q -f qcow2 -b "$SCRATCH/q" -F qcow2 "$SCRATCH/over.qcow2" ||
        die "qemu-img create failed"
    bad qcow2-overlay "$SCRATCH/over.qcow2"
    run_scan "$SCRATCH/over.json" -f json "$SCRATCH/over.qcow2"
    check "qcow2 overlay: volume not examined, naming the backing file" \
        jq -e '.volumes | length == 1 and (.[0].state == "not_examined") and
               (.[0].note | test("backing file .*/q"))' "$SCRATCH/over.json"
    check "qcow2 overlay: no 'clean' verdict" \
        bash -c '! grep -q "\"verdict\": *\"clean\"" "$1"' _ "$SCRATCH/over.json"
    # A truncated qcow2: its tables point past the end of the file.
    size=$(stat -c %s "$SCRATCH/q")
    head -c $((size / 3)) "$SCRATCH/q" >"$SCRATCH/half.qcow2"
    run_scan "$SCRATCH/half.out" "$SCRATCH/half.qcow2"
    check "truncated qcow2: never exit 0" test "$RC" -ne 0
else
    say "note: qemu-img missing, qcow2 cases skipped"
fi
finish

#!/bin/bash
# readonly.sh - a scan never changes the evidence: the image's sha256 and
# mtime stay the same and nothing new appears next to it (raw and E01).
. "$(dirname "$0")/lib.sh"

# snapshot DIR: hashes, sizes and mtimes of everything in DIR.
snapshot() {
    (cd "$1" && find . -mindepth 1 -printf '%p %s %T@ %m\n' | sort &&
     find . -type f -exec sha256sum {} + | sort)
}

ev_check() {
    local dir=$1 desc=$2; shift 2
    chmod a-w "$dir"/*
    snapshot "$dir" >"$SCRATCH/before"
    run_scan "$SCRATCH/$desc.json" -f json "$@"
    expect_rc 1 "$desc"
    snapshot "$dir" >"$SCRATCH/after"
    check "$desc: evidence directory unchanged by the scan" \
        cmp -s "$SCRATCH/before" "$SCRATCH/after"
    # Writable image: still not touched.
    chmod u+w "$dir"/*
    snapshot "$dir" >"$SCRATCH/before"
    run_scan "$SCRATCH/$desc.txt" "$@"
    snapshot "$dir" >"$SCRATCH/after"
    check "$desc: writable evidence unchanged by the scan" \
        cmp -s "$SCRATCH/before" "$SCRATCH/after"
}

mkdir "$SCRATCH/ev"
"$MKIMAGE" --spec "$SPECS/infected-debian.spec" --out "$SCRATCH/ev/disk.raw" >/dev/null ||
    die "mkimage failed"
touch -d 2015-06-01T00:00:00Z "$SCRATCH/ev/disk.raw"
ev_check "$SCRATCH/ev" raw "$SCRATCH/ev/disk.raw"

if has_tool ewfacquire; then
    mkdir "$SCRATCH/ev2"
    "$MKIMAGE" --spec "$SPECS/infected-debian.spec" --out "$SCRATCH/ev2/disk" \
        --format e01-multi --size-mb 4 >/dev/null || die "mkimage failed"
    touch -d 2015-06-01T00:00:00Z "$SCRATCH"/ev2/*
    ev_check "$SCRATCH/ev2" e01 "$SCRATCH/ev2/disk.E01"
fi
chmod -R u+w "$SCRATCH"
finish

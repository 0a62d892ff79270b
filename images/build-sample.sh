#!/bin/bash
# build-sample.sh - rebuild images/sample.E01 from images/sample.spec.
#
# Deterministic: running it twice gives a byte-identical sample.E01 (fixed
# UUIDs, hash seed, mke2fs configuration and clock; see docs/fixtures.md).
# Needs: gcc (for mkpacked and the fixed-clock shim), e2fsprogs, fdisk,
# ewf-tools.  No root.
# Env: MKPACKED  use this mkpacked instead of compiling tests/tools/mkpacked.c
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "${MKPACKED:-}" ]; then
    gcc -std=c11 -O2 -o "$tmp/mkpacked" "$top/tests/tools/mkpacked.c"
    MKPACKED=$tmp/mkpacked
fi
export MKPACKED

# 16 MiB disk, MBR, one ext4 partition at 1 MiB, E01 with best compression.
"$top/tests/fixtures/mkimage.sh" --spec "$top/images/sample.spec" \
    --out "$tmp/sample" --fs ext4 --layout mbr --format e01 --compress best \
    --size-mb 16 >/dev/null
mv "$tmp/sample.E01" "$top/images/sample.E01"
ls -l "$top/images/sample.E01"

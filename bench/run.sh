#!/usr/bin/env bash
# bench/run.sh - speed and memory of a scan on a busy temp directory.
#
# Builds (once, cached in $BENCH_DIR) an ext4 image whose /tmp holds
# N_FILES small files (session files, a few hundred executables, nested
# directories) plus the planted backdoor, then times mumblescan on it and
# reports wall time, max RSS, and names listed per second.  Targets (on
# the 2-core reference machine): a 100000-name /tmp scanned in under 10 s
# with under 64 MiB RSS.  Not part of `make check`: timings are not tests.
#
# Usage: bench/run.sh [N_FILES]   (env: MUMBLESCAN, MKPACKED, BENCH_DIR)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
bin=${MUMBLESCAN:-$top/mumblescan}
mkpacked=${MKPACKED:-$top/tests/tools/mkpacked}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/mumblescan-bench}
img=$dir/busy-$n.img
mkdir -p "$dir"

if [ ! -f "$img" ]; then
    root=$(mktemp -d "$dir/root.XXXXXX")
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/tmp" "$root/var/tmp" "$root/var/spool/cron/crontabs" "$root/etc"
    for ((d = 0; d < 100; d++)); do mkdir -p "$root/tmp/d$d/sub"; done
    for ((i = 0; i < n; i++)); do
        : >"$root/tmp/d$((i % 100))/sess_$i"
    done
    for ((i = 0; i < 300; i++)); do
        printf '#!/bin/sh\nexit 0\n' >"$root/tmp/d$((i % 100))/sub/tool$i.sh"
        chmod 755 "$root/tmp/d$((i % 100))/sub/tool$i.sh"
    done
    "$mkpacked" -o "$root/var/tmp/qCVwOWA" >/dev/null
    chmod 755 "$root/var/tmp/qCVwOWA"
    printf '*/15 * * * * /var/tmp/qCVwOWA >/dev/null 2>&1\n' \
        >"$root/var/spool/cron/crontabs/www-data"
    size=$(( (n / 1000 + 64) ))
    mke2fs -q -F -t ext4 -N $((n + 2000)) -d "$root" "$img" "${size}M"
fi

out=$(mktemp)
/usr/bin/time -f '%e %M' -o "$out.time" "$bin" -f json "$img" >"$out" || true
read -r secs rss_kib < <(tail -n 1 "$out.time")
names=$(jq '.summary.temp_entries' "$out")
verdict=$(jq -r '.summary.verdict' "$out")
printf 'names=%s verdict=%s wall=%ss max_rss=%sMiB names_per_s=%s\n' \
    "$names" "$verdict" "$secs" "$((rss_kib / 1024))" \
    "$(awk -v n="$names" -v s="$secs" 'BEGIN { printf "%d", (s > 0 ? n / s : n) }')"
rm -f "$out" "$out.time"

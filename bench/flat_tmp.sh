#!/usr/bin/env bash
# bench/flat_tmp.sh - triage of an ext4 image whose /tmp holds N names in
# ONE directory (a neglected PHP server's sess_* files), default 1,000,000.
#
# mke2fs -d and debugfs add names with ext2fs_link, which scans the whole
# directory for room each time: quadratic, hours for a million names.  So
# the directory is generated: mke2fs -d lays down a regular file
# /tmp.blob of the right size, this script writes ext4 directory entries
# straight into that file's blocks (found with debugfs `blocks`), then
# debugfs turns the inode into a directory and links it as /tmp.  Every
# session name points at one real empty file (/sessdata), so each listed
# name has metadata to stat.  The file system has no metadata_csum (no
# directory checksum tails to compute).  The planted look-alike sample and
# its */15 crontab live elsewhere, as on an infected server.
#
# Built once, cached in $BENCH_CACHE (default /work/bench-cache).
# Prints wall time and peak RSS of `mumblescan -f json`, median of R runs,
# and of `fls -r -p` for comparison when FLS_TIMEOUT (s, default 120)
# allows.  Not part of make check.
#
# Usage: bench/flat_tmp.sh [N] [R]   (env: MUMBLESCAN, MKPACKED, BENCH_CACHE)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000000}
runs=${2:-3}
bin=${MUMBLESCAN:-$top/mumblescan}
mkpacked=${MKPACKED:-$top/tests/tools/mkpacked}
cache=${BENCH_CACHE:-/work/bench-cache}
img=$cache/flat-tmp-$n.img
mkdir -p "$cache"

if [ ! -f "$img" ]; then
    bs=4096
    per=$((bs / 40))                       # 40-byte records: sess_ + 27 chars
    blocks=$(( (n + 2 + per - 1) / per ))
    root=$(mktemp -d "$cache/root.XXXXXX")
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/var/tmp" "$root/var/spool/cron/crontabs" "$root/etc"
    : >"$root/sessdata"
    truncate -s $((blocks * bs)) "$root/tmp.blob"
    "$mkpacked" -o "$root/var/tmp/qCVwOWA" >/dev/null
    chmod 755 "$root/var/tmp/qCVwOWA"
    printf '*/15 * * * * /var/tmp/qCVwOWA >/dev/null 2>&1\n' \
        >"$root/var/spool/cron/crontabs/www-data"
    mb=$(( blocks * bs / 1048576 + 64 ))
    # the blob must own real blocks: fill it with a non-zero byte first
    python3 -c "import sys; open(sys.argv[1],'wb').write(b'\x01'*int(sys.argv[2]))" \
        "$root/tmp.blob" $((blocks * bs))
    mke2fs -q -F -t ext4 -b $bs -O ^metadata_csum -N 4096 -d "$root" \
        "$img.part" "${mb}M"
    ino_blob=$(debugfs -R "stat /tmp.blob" "$img.part" 2>/dev/null |
               sed -n 's/^Inode: \([0-9]*\).*/\1/p')
    ino_sess=$(debugfs -R "stat /sessdata" "$img.part" 2>/dev/null |
               sed -n 's/^Inode: \([0-9]*\).*/\1/p')
    debugfs -R "blocks /tmp.blob" "$img.part" 2>/dev/null >"$root/blocks"
    python3 - "$img.part" "$root/blocks" "$n" "$ino_blob" "$ino_sess" $bs <<'PY'
import struct, sys
img, blist, n, ino_dir, ino_sess, bs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
blocks = [int(x) for x in open(blist).read().split()]
def ent(ino, name, ftype, reclen):
    return struct.pack('<IHBB', ino, reclen, len(name), ftype) + name + b'\0' * (reclen - 8 - len(name))
names = [(ino_dir, b'.', 2), (2, b'..', 2)] + [(ino_sess, b'sess_%027d' % i, 1) for i in range(n)]
with open(img, 'r+b') as f:
    k = 0
    for b in blocks:
        out, used = [], 0
        while k < len(names):
            ino, nm, t = names[k]
            rl = (8 + len(nm) + 3) & ~3
            if used + rl > bs:
                break
            out.append([ino, nm, t, rl]); used += rl; k += 1
        if out:
            out[-1][3] += bs - used        # last record spans the block
            data = b''.join(ent(*e) for e in out)
        else:
            data = struct.pack('<IHBB', 0, bs, 0, 0) + b'\0' * (bs - 8)
        f.seek(b * bs); f.write(data)
    assert k == len(names), (k, len(names))
PY
    debugfs -w -f - "$img.part" >/dev/null 2>&1 <<EOF2
sif /tmp.blob mode 040755
sif /tmp.blob links_count 2
link /tmp.blob /tmp
unlink /tmp.blob
sif /sessdata links_count 1
EOF2
    mv "$img.part" "$img"
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t=$(mktemp); o=$(mktemp)
: >"$t.all"
for ((r = 0; r < runs; r++)); do
    /usr/bin/time -f '%e %M' -o "$t" "$bin" -f json "$img" >"$o" || true
    tail -n 1 "$t" >>"$t.all"
done
names=$(jq '.summary.temp_entries' "$o")
verdict=$(jq -r '.summary.verdict' "$o")
printf 'mumblescan: names=%s verdict=%s wall_median=%ss max_rss=%sMiB (runs: %s)\n' \
    "$names" "$verdict" "$(cut -d' ' -f1 "$t.all" | median)" \
    "$(( $(cut -d' ' -f2 "$t.all" | sort -n | tail -1) / 1024 ))" \
    "$(cut -d' ' -f1 "$t.all" | tr '\n' ' ')"
if command -v fls >/dev/null; then
    if /usr/bin/time -f '%e %M' -o "$t" timeout "${FLS_TIMEOUT:-120}" \
        fls -r -p "$img" >/dev/null 2>&1; then
        printf 'fls -r -p: wall=%ss max_rss=%sMiB\n' "$(cut -d' ' -f1 "$t")" \
            "$(( $(cut -d' ' -f2 "$t") / 1024 ))"
    else
        printf 'fls -r -p: did not finish within %ss\n' "${FLS_TIMEOUT:-120}"
    fi
fi
rm -f "$t" "$t.all" "$o"

#!/bin/bash
# ext_dir.sh - the linear ext directory listing (src/evidence/ext_dir.c)
# returns the same live and deleted names as libtsk's own listing, for
# ordinary, hashed (htree) and filetype-less directories, and lists a
# large flat /tmp with work proportional to its size.
. "$(dirname "$0")/lib.sh"

for t in mke2fs debugfs e2fsck python3 fls; do has_tool "$t" || skip "$t missing"; done
[ -x "${EXTDIRDIFF:-}" ] || skip "EXTDIRDIFF not built"

# A tree with small directories, one of 600 names (hashed after e2fsck -D)
# and names deleted in several places of their blocks.
mktree() {
    local r=$1
    mkdir -p "$r/etc/cron.d" "$r/var/tmp" "$r/tmp/big" "$r/home/u/.ssh"
    printf 'root\n' >"$r/etc/hostname"
    printf '*/15 * * * * root /bin/true\n' >"$r/etc/cron.d/job"
    for i in $(seq 1 40); do printf 'x%s\n' "$i" >"$r/var/tmp/f$i"; done
    for i in $(seq 1 600); do : >"$r/tmp/big/sess_$(printf '%08d' "$i")"; done
    ln -s /etc/hostname "$r/home/u/link"
    mkfifo "$r/home/u/fifo" 2>/dev/null || true
}
# deletions: the first entry of a block (inode zeroed), middle ones (left
# in the previous entry's rec_len slack), runs of neighbours
rmcmds() {
    echo "rm /var/tmp/f1"
    for i in 5 6 7 20 33 40; do echo "rm /var/tmp/f$i"; done
    for i in $(seq 3 7 600); do echo "rm /tmp/big/sess_$(printf '%08d' "$i")"; done
    echo "rm /etc/cron.d/job"
    echo "rm /home/u/link"
}

for variant in ext4 ext4-htree ext2-nofiletype; do
    tree=$SCRATCH/tree-$variant
    img=$SCRATCH/$variant.img
    mktree "$tree"
    case $variant in
    ext4*) mke2fs -q -F -t ext4 -b 1024 -d "$tree" "$img" 8M >/dev/null 2>&1 ;;
    ext2-nofiletype)
        mke2fs -q -F -t ext2 -O ^filetype -b 1024 -d "$tree" "$img" 8M \
            >/dev/null 2>&1 ;;
    esac || die "mke2fs $variant failed"
    if [ "$variant" = ext4-htree ]; then
        e2fsck -fyD "$img" >/dev/null 2>&1
        debugfs -R "htree_dump /tmp/big" "$img" 2>/dev/null | grep -q "Root node" ||
            fail "$variant: /tmp/big was not indexed by e2fsck -D"
    fi
    rmcmds | debugfs -w -f - "$img" >/dev/null 2>&1 || die "debugfs $variant"
    out=$("$EXTDIRDIFF" "$img" 2>&1)
    rc=$?
    [ $rc -eq 0 ] || fail "$variant: listings differ: $(printf '%s' "$out" | head -20)"
    summary=$(printf '%s\n' "$out" | tail -1)
    say "$variant: $summary"
    del=$(printf '%s' "$summary" | sed -n 's/.*deleted=\([0-9]*\).*/\1/p')
    ent=$(printf '%s' "$summary" | sed -n 's/.* entries=\([0-9]*\).*/\1/p')
    [ "${del:-0}" -ge 90 ] || fail "$variant: only ${del:-0} deleted names compared (want >= 90)"
    [ "${ent:-0}" -ge 600 ] || fail "$variant: only ${ent:-0} names compared"
    CHECKS=$((CHECKS + 2))
done

# A live name listed twice (a second live record for the same name and
# inode, written into the block by hand: debugfs refuses it), a deleted
# copy of it in slack, and a deleted name that differs only by inode.
# libtsk keeps one live copy and the other-inode deleted name.
dup=$SCRATCH/dup
mkdir -p "$dup/d"
for i in 1 2 3 4 5; do echo "$i" >"$dup/d/f$i"; done
mke2fs -q -F -t ext4 -O ^metadata_csum -b 1024 -d "$dup" "$SCRATCH/dup.img" 4M \
    >/dev/null 2>&1 || die "mke2fs dup failed"
blk=$(debugfs -R "blocks /d" "$SCRATCH/dup.img" 2>/dev/null | awk '{print $1}')
python3 - "$SCRATCH/dup.img" "$blk" <<'PY' || die "writing the duplicate failed"
import struct, sys
img, blk, bs = sys.argv[1], int(sys.argv[2]), 1024
with open(img, 'r+b') as f:
    f.seek(blk * bs)
    b = bytearray(f.read(bs))
    off, ents = 0, []
    while off < bs:
        ino, rl, nl, t = struct.unpack_from('<IHBB', b, off)
        ents.append((off, ino, nl, bytes(b[off + 8:off + 8 + nl])))
        off += rl
    size = lambda nl: (8 + nl + 3) & ~3
    lo, _, lnl, _ = ents[-1]
    f3 = [e for e in ents if e[3] == b'f3'][0][1]
    other = [e for e in ents if e[3] == b'f2'][0][1]
    struct.pack_into('<H', b, lo + 4, size(lnl))
    def put(p, ino, name, rl):
        struct.pack_into('<IHBB', b, p, ino, rl, len(name), 1)
        b[p + 8:p + 8 + len(name)] = name
    p = lo + size(lnl)
    put(p, f3, b'f3', bs - p)               # second live f3
    put(p + 12, f3, b'f3', 12)              # deleted copy of it
    put(p + 24, other, b'f3', 12)           # deleted f3, other inode
    f.seek(blk * bs)
    f.write(b)
PY
out=$("$EXTDIRDIFF" "$SCRATCH/dup.img" 2>&1) || true
check "duplicated live name: same listing as libtsk ($(printf '%s' "$out" | tail -1))" \
    test "$(printf '%s' "$out" | tail -1 | sed -n 's/.*mismatches=\([0-9]*\).*/\1/p')" = 0
check "duplicated live name: the other-inode deleted f3 is listed" \
    test "$(printf '%s' "$out" | tail -1 | sed -n 's/.*deleted=\([0-9]*\).*/\1/p')" = 1
libtsk_n=$(fls -r -p "$SCRATCH/dup.img" 2>/dev/null | grep -c 'd/f3$')
check "libtsk lists f3 twice (live once, other-inode deleted once)" test "$libtsk_n" = 2

# The scan itself still sees a deleted name through the new listing.
img=$SCRATCH/ext4.img
run_scan "$SCRATCH/scan.json" -f json "$img"
jqt "deleted cron.d/job still reported" "$SCRATCH/scan.json" \
    '[.. | objects | select(.path? == "/etc/cron.d/job")] | length > 0'

# A large flat directory: the hash-set work stays linear in the names.
N=${EXT_DIR_NAMES:-20000}
big=$SCRATCH/flat
mkdir -p "$big/tmp"
(cd "$big/tmp" && seq -f 'sess_%08g' 1 "$N" | xargs touch)
mke2fs -q -F -t ext4 -N $((N + 64)) -d "$big" "$SCRATCH/flat.img" 64M \
    >/dev/null 2>&1 || die "mke2fs flat failed"
stats=$("$EXTDIRDIFF" "$SCRATCH/flat.img" --count /tmp) || fail "count listing failed"
say "flat /tmp of $N names: $stats"
entries=$(printf '%s' "$stats" | sed -n 's/^entries=\([0-9]*\).*/\1/p')
probes=$(printf '%s' "$stats" | sed -n 's/.*probes=\([0-9]*\).*/\1/p')
check "all $N names listed" test "${entries:-0}" -eq "$N"
# n^2/2 comparisons would be 2e8 here; a hash set needs a few per name
# (two passes, rehashing included)
check "hash probes linear (<= 8 per name)" test "${probes:-999999999}" -le $((8 * N))
# With deleted names the lookups are made (binary search in the sorted
# live keys, then the delivered set): still a bounded number per name.
dstats=$("$EXTDIRDIFF" "$SCRATCH/ext4.img" --count /tmp/big) || fail "count listing of /tmp/big failed"
say "/tmp/big with deleted names: $dstats"
dprobes=$(printf '%s' "$dstats" | sed -n 's/.*probes=\([0-9]*\).*/\1/p')
dcand=$(printf '%s' "$dstats" | sed -n 's/.*candidates=\([0-9]*\).*/\1/p')
check "deleted names are looked up (probes > 0)" test "${dprobes:-0}" -gt 0
check "lookups bounded (<= 16 per candidate)" test "${dprobes:-999999999}" -le $((16 * ${dcand:-0}))
out=$("$EXTDIRDIFF" "$SCRATCH/flat.img" | tail -1)
check "flat image: same listing as libtsk ($out)" test "${out##*mismatches=}" = 0
finish

#!/bin/bash
# batch_overhead.sh [N] - the batch run's own cost per image against a
# plain scan of the same images.  Builds the clean fixture image once
# (tests/fixtures/mkimage.sh), copies it N times (default 8; distinct
# files, so no duplicate is folded) and times, one image at a time:
#   plain     mumblescan -f json -o /dev/null IMAGE, N times
#   resultdir mumblescan --result-dir DIR -f json IMAGE, N times
#   batch     mumblescan --manifest M -o DIR -J 1
#   resumed   the same batch again (every image resumed)
#   batch-J2  mumblescan --manifest M -o DIR2 -J 2 (both cores)
# Prints wall seconds total and per image for each.  A benchmark, never a
# test (env: MUMBLESCAN, BENCH_DIR).
set -eu
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
MS=${MUMBLESCAN:-$SRCDIR/mumblescan}
N=${1:-8}
DIR=${BENCH_DIR:-/tmp/ms-batch-bench}
mkdir -p "$DIR"
[ -f "$DIR/clean.raw" ] ||
    "$SRCDIR/tests/fixtures/mkimage.sh" --out "$DIR/clean.raw" \
        --spec "$SRCDIR/tests/fixtures/specs/clean.spec" >/dev/null
rm -rf "$DIR/img" "$DIR/rd" "$DIR/b1" "$DIR/b2"
mkdir -p "$DIR/img"
: >"$DIR/m.txt"
for ((i = 1; i <= N; i++)); do
    cp "$DIR/clean.raw" "$DIR/img/disk$i.raw"
    # one byte in the unused tail makes each copy distinct media
    printf '%d' "$i" | dd of="$DIR/img/disk$i.raw" bs=1 seek=$((16 * 1048576 - 16)) conv=notrunc status=none
    echo "$DIR/img/disk$i.raw" >>"$DIR/m.txt"
done
now() { date +%s.%N; }
row() { printf '%-10s %8.2f s  %6.3f s/image\n' "$1" "$2" "$(echo "$2 / $N" | bc -l)"; }
t0=$(now)
for ((i = 1; i <= N; i++)); do "$MS" -f json -o /dev/null "$DIR/img/disk$i.raw" || [ $? -le 3 ]; done
row plain "$(echo "$(now) - $t0" | bc -l)"
t0=$(now)
for ((i = 1; i <= N; i++)); do "$MS" --result-dir "$DIR/rd" -f json "$DIR/img/disk$i.raw" >/dev/null || [ $? -le 3 ]; done
row resultdir "$(echo "$(now) - $t0" | bc -l)"
t0=$(now)
"$MS" --manifest "$DIR/m.txt" -o "$DIR/b1" -J 1 >/dev/null 2>&1 || [ $? -le 3 ]
row batch "$(echo "$(now) - $t0" | bc -l)"
t0=$(now)
"$MS" --manifest "$DIR/m.txt" -o "$DIR/b1" -J 1 >/dev/null 2>&1 || [ $? -le 3 ]
row resumed "$(echo "$(now) - $t0" | bc -l)"
t0=$(now)
"$MS" --manifest "$DIR/m.txt" -o "$DIR/b2" -J 2 >/dev/null 2>&1 || [ $? -le 3 ]
row batch-J2 "$(echo "$(now) - $t0" | bc -l)"
echo "states: $(jq -r .state "$DIR/b1/batch-summary.jsonl" | sort | uniq -c | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

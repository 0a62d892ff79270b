#!/bin/bash
# fleet_merge.sh [N...] - time and peak memory of `mumblescan merge` over N
# synthetic per-image results (tests/tools/fleetgen.py: 30% infected, 20
# examined files per result, ~28 KiB each), for each N (default 1000 4000
# 16000).  Results are generated once into $BENCH_DIR (default
# /tmp/ms-fleet-bench) and reused.  Prints one line per N: results, input
# MiB, wall seconds, max RSS MiB, for the JSON report and for all seven
# formats at once.  A benchmark, never a test.
set -eu
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
MS=${MUMBLESCAN:-$SRCDIR/mumblescan}
DIR=${BENCH_DIR:-/tmp/ms-fleet-bench}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 4000 16000)
printf '%8s %9s %9s %9s %12s %12s\n' results input_MiB json_s json_MiB all7_s all7_MiB
for n in "${sizes[@]}"; do
    d=$DIR/n$n
    if [ ! -f "$d/.done" ]; then
        rm -rf "$d"
        "$PY" "$SRCDIR/tests/tools/fleetgen.py" --seed 1 "$d" "$n"
        touch "$d/.done"
    fi
    mib=$(du -sm "$d" | cut -f1)
    out=$(mktemp -d)
    /usr/bin/time -f '%e %M' -o "$out/t1" "$MS" merge --no-progress -f json -o "$out/f.json" "$d"
    /usr/bin/time -f '%e %M' -o "$out/t2" "$MS" merge --no-progress \
        -f text,json,csv,html,sqlite,stix,misp -o "$out/all" "$d"
    read -r s1 m1 <"$out/t1"
    read -r s2 m2 <"$out/t2"
    printf '%8d %9d %9s %9d %12s %12d\n' "$n" "$mib" "$s1" $((m1 / 1024)) "$s2" $((m2 / 1024))
    rm -rf "$out"
done

#!/usr/bin/env bash
# bench/suite.sh - mumblescan against the examiner's usual pipeline, side
# by side, on cached ext4 images of real content.  Not part of make check:
# timings are measurements, never tests.
#
# Images (built once, cached in $BENCH_CACHE, default /work/bench-cache,
# never in the repository):
#   usr-1g, usr-4g, usr-12g  ext4 images of about 1, 4 and 12 GiB whose
#       /usr holds files of this machine's /usr (real ELF binaries,
#       libraries, scripts), taken in sorted path order up to the size;
#       past the size of /usr the tree is copied again as /usr2, /usr3 ...
#       The sample infection is planted: the tests/tools/mkpacked
#       look-alike as /var/tmp/qCVwOWA with a */15 crontab for www-data
#       (as bench/run.sh), and a renamed copy /usr/local/lib/.cache/dbus-srv
#       that only a whole-file-system sweep can find.
#   flat-tmp-1000000  /tmp with 1,000,000 names in one directory, built
#       by bench/flat_tmp.sh's generator.
#
# Measured, R runs each, median wall time and the largest peak RSS
# (/usr/bin/time -f '%e %M'):
#   triage            mumblescan -f json IMG        vs  fls -r -p IMG
#   sweep             mumblescan --sweep -f json    vs  tsk_recover -a + yara -r
#                                                   vs  yara -r on the extracted tree
#   sweep -j1 / -j2   and a check that the JSON reports are identical
#                     (after dropping the fields that say when and how the
#                     run was made: started, finished, command_line,
#                     workers, elapsed_seconds, duration_ms)
#   hash              mumblescan --hash -f json     vs  sha256sum IMG
# Rows that need --sweep say "not measured: binary has no --sweep" when
# `mumblescan --help` does not mention it.
#
# Dependencies (Debian bookworm): e2fsprogs (mke2fs -d), sleuthkit (fls,
# tsk_recover), yara (the yara CLI), jq, python3, GNU time (/usr/bin/time).
# yara is NOT in .ci/packages.txt: this script is not a test.
#
# Usage: bench/suite.sh [SIZES] [R]
#   SIZES: comma list among 1,4,12 and flat (default 1,4,flat)
#   R: runs per measurement (default 3)
# Env: MUMBLESCAN, MKPACKED, BENCH_CACHE, RULES (default: the repository's
#   rules/*.yar), SCRATCH (tsk_recover output, default $BENCH_CACHE/scratch),
#   SUITE_OUT (results table, default $BENCH_CACHE/suite-<date>.md),
#   FLS_TIMEOUT (s, default 600), FLAT_FLS_TIMEOUT (s, default 60: fls on
#   the million-name /tmp, one run), BUILD_ONLY=1 (build the images, no runs).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
sizes=${1:-1,4,flat}
runs=${2:-3}
R0=$runs
bin=${MUMBLESCAN:-$top/mumblescan}
mkpacked=${MKPACKED:-$top/tests/tools/mkpacked}
cache=${BENCH_CACHE:-/work/bench-cache}
scratch=${SCRATCH:-$cache/scratch}
out=${SUITE_OUT:-$cache/suite-$(date -u +%Y%m%dT%H%M%SZ).md}
fls_timeout=${FLS_TIMEOUT:-600}
if [ -n "${RULES:-}" ]; then read -r -a rules <<<"$RULES"
else rules=("$top"/rules/*.yar); fi
mkdir -p "$cache" "$scratch"
case $cache in "$top"/*) echo "BENCH_CACHE must be outside the repository" >&2; exit 2;; esac

for t in mke2fs fls tsk_recover yara jq python3 sha256sum /usr/bin/time; do
    command -v "$t" >/dev/null || { echo "suite.sh: $t is missing" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "suite.sh: $bin not built" >&2; exit 2; }
[ -x "$mkpacked" ] || { echo "suite.sh: $mkpacked not built (make tests/tools/mkpacked)" >&2; exit 2; }
has_sweep=0
"$bin" --help 2>&1 | grep -q -- --sweep && has_sweep=1

# ---- images ----

# stage_usr DIR BYTES: hard links (same file system) or copies of /usr's
# regular files and symlinks, in sorted order, until BYTES of content.
# Each replica past the first is a real copy: mke2fs -d turns files that
# share an inode into hard links, which would not add content.
stage_usr() {
    python3 - "$1" "$2" <<'PY'
import os, shutil, sys
dst, budget = sys.argv[1], int(sys.argv[2])
total, rep = 0, 0
def walk():
    for d, dirs, files in os.walk('/usr'):
        dirs.sort()
        for f in sorted(files):
            yield os.path.join(d, f)
while total < budget:
    base = os.path.join(dst, 'usr' if rep == 0 else 'usr%d' % (rep + 1))
    added = 0
    for src in walk():
        if total >= budget:
            break
        try:
            st = os.lstat(src)
        except OSError:
            continue
        rel = os.path.relpath(src, '/usr')
        tgt = os.path.join(base, rel)
        os.makedirs(os.path.dirname(tgt), exist_ok=True)
        try:
            if os.path.islink(src):
                os.symlink(os.readlink(src), tgt)
            elif os.path.isfile(src):
                if rep == 0:
                    try:
                        os.link(src, tgt)
                    except OSError:
                        shutil.copy2(src, tgt)
                else:
                    shutil.copy2(src, tgt)
                total += st.st_size
                added += 1
        except OSError:
            continue
    if added == 0:
        break
    rep += 1
print(total)
PY
}

build_usr_image() {  # GiB
    local g=$1 img=$cache/usr-${1}g.img
    [ -f "$img" ] && return 0
    local root; root=$(mktemp -d "$cache/root.XXXXXX")
    local content=$(( g * 1024 * 1024 * 1024 * 85 / 100 ))
    echo "building $img (content $((content >> 20)) MiB from /usr)" >&2
    stage_usr "$root" "$content" >/dev/null
    mkdir -p "$root/var/tmp" "$root/var/spool/cron/crontabs" "$root/etc" \
             "$root/tmp" "$root/usr/local/lib/.cache"
    "$mkpacked" -o "$root/var/tmp/qCVwOWA" >/dev/null
    chmod 755 "$root/var/tmp/qCVwOWA"
    cp "$root/var/tmp/qCVwOWA" "$root/usr/local/lib/.cache/dbus-srv"
    printf '*/15 * * * * /var/tmp/qCVwOWA >/dev/null 2>&1\n' \
        >"$root/var/spool/cron/crontabs/www-data"
    mke2fs -q -F -t ext4 -d "$root" "$img.part" "${g}G"
    rm -rf "$root"
    mv "$img.part" "$img"
}

build_flat_image() {
    [ -f "$cache/flat-tmp-1000000.img" ] && return 0
    BENCH_CACHE=$cache MUMBLESCAN=$bin MKPACKED=$mkpacked FLS_TIMEOUT=1 \
        "$top/bench/flat_tmp.sh" 1000000 1 >/dev/null
}

# ---- measurement ----

median() { sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "-")}'; }
tf=$(mktemp); trap 'rm -f "$tf" "$tf".*' EXIT

# timeit LABEL CMD...: R runs; appends "wall rss_kib" lines to $tf.LABEL;
# a run that fails (exit status > 1: mumblescan exits 1 for "malicious")
# or times out is marked.
timeit() {
    local label=$1; shift
    : >"$tf.$label"
    for ((r = 0; r < runs; r++)); do
        local rc=0
        /usr/bin/time -f '%e %M' -o "$tf.t" "$@" >/dev/null 2>"$tf.err" || rc=$?
        if [ $rc -eq 124 ]; then
            echo "TIMEOUT" >>"$tf.$label"
            return 0
        elif [ $rc -gt 1 ]; then
            echo "FAIL rc=$rc" >>"$tf.$label"
            return 0
        fi
        tail -n 1 "$tf.t" >>"$tf.$label"
    done
}
wall() { [ -s "$tf.$1" ] || { echo -; return; }
         grep -q TIMEOUT "$tf.$1" && { echo "timeout"; return; }
         grep -q FAIL "$tf.$1" && { echo fail; return; }; cut -d' ' -f1 "$tf.$1" | median; }
rss()  { [ -s "$tf.$1" ] || { echo -; return; }
         grep -q 'FAIL\|TIMEOUT' "$tf.$1" && { echo -; return; }
         echo $(( $(cut -d' ' -f2 "$tf.$1" | sort -n | tail -1) / 1024 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2f", b / a; else print "-" }'; }
row() {  # IMAGE WHAT LABEL [BASELINE_LABEL]
    local w; w=$(wall "$3")
    local r="-"
    [ -n "${4:-}" ] && r=$(ratio "$w" "$(wall "$4")")
    [ "$w" = timeout ] && w="did not finish in ${fls_timeout}"
    printf '| %s | %s | %s s | %s MiB | %s |\n' "$1" "$2" "$w" "$(rss "$3")" "$r" | tee -a "$out"
}
skip() { printf '| %s | %s | not measured: %s | - | - |\n' "$1" "$2" "$3" | tee -a "$out"; }

# JSON reports for -j1 and -j2 with the run's own clock fields removed
same_reports() {
    local img=$1
    "$bin" --sweep -j 1 -f json "$img" >"$tf.j1" 2>/dev/null || true
    "$bin" --sweep -j 2 -f json "$img" >"$tf.j2" 2>/dev/null || true
    # what may differ: the clock, the command line, the worker count
    local f='walk(if type == "object" then del(.started, .finished, .command_line, .workers, .elapsed_seconds, .duration_ms) else . end)'
    if cmp -s <(jq -S "$f" "$tf.j1" 2>/dev/null) <(jq -S "$f" "$tf.j2" 2>/dev/null) &&
       [ -s "$tf.j1" ]; then echo identical; else echo DIFFERENT; fi
}

bench_image() {
    local name=$1 img=$2
    local ext=$scratch/$name
    local fls_timeout=$fls_timeout
    timeit triage "$bin" -f json "$img"
    if [ "$name" = flat-tmp-1M ]; then
        # libtsk lists a directory in n^2: one bounded run, no extraction
        local runs=1 fls_timeout=${FLAT_FLS_TIMEOUT:-60}
        timeit fls timeout "$fls_timeout" fls -r -p "$img"
        runs=$R0
        timeit triage_all "$bin" --max-entries 2000000 -f json "$img"
        row "$name" "mumblescan triage (default --max-entries, 4,000,000 per temp dir)" triage fls
        row "$name" "mumblescan triage --max-entries 2000000" triage_all fls
        row "$name" "fls -r -p" fls
        timeit hash "$bin" --hash -f json "$img"
        timeit sha sha256sum "$img"
        row "$name" "mumblescan --hash (MD5+SHA-1+SHA-256)" hash sha
        row "$name" "sha256sum" sha
        return 0
    fi
    timeit fls timeout "$fls_timeout" fls -r -p "$img"
    row "$name" "mumblescan triage" triage fls
    row "$name" "fls -r -p" fls
    if [ $has_sweep = 1 ]; then
        timeit sweep "$bin" --sweep -f json "$img"
        timeit sweepx "$bin" --sweep=executables -f json "$img"
        timeit sj1 "$bin" --sweep -j 1 -f json "$img"
        timeit sj2 "$bin" --sweep -j 2 -f json "$img"
    fi
    # the examiner's pipeline: extract everything, then yara over the tree
    timeit rec bash -c 'rm -rf "$1" && mkdir -p "$1" && tsk_recover -a "$2" "$1" >/dev/null &&
                        yara -r "${@:3}" "$1"' _ "$ext" "$img" "${rules[@]}"
    rm -rf "$ext"; mkdir -p "$ext"; tsk_recover -a "$img" "$ext" >/dev/null
    timeit yara yara -r "${rules[@]}" "$ext"
    local scratch_mib; scratch_mib=$(du -sm "$ext" | cut -f1)
    if [ $has_sweep = 1 ]; then
        row "$name" "mumblescan --sweep" sweep rec
        row "$name" "mumblescan --sweep=executables" sweepx rec
        row "$name" "mumblescan --sweep -j1 (ratio: -j2 speed-up)" sj1
        row "$name" "mumblescan --sweep -j2" sj2 sj1
        printf '| %s | JSON report -j1 vs -j2 | %s | - | - |\n' "$name" "$(same_reports "$img")" | tee -a "$out"
    else
        for w in "mumblescan --sweep" "mumblescan --sweep=executables" \
                 "mumblescan --sweep -j1" "mumblescan --sweep -j2" \
                 "JSON report -j1 vs -j2"; do
            skip "$name" "$w" "binary has no --sweep"
        done
    fi
    row "$name" "tsk_recover -a + yara -r (scratch ${scratch_mib} MiB)" rec sweep
    row "$name" "yara -r on the extracted tree" yara sweep
    rm -rf "$ext"
    timeit hash "$bin" --hash -f json "$img"
    timeit sha sha256sum "$img"
    row "$name" "mumblescan --hash (MD5+SHA-1+SHA-256)" hash sha
    row "$name" "sha256sum" sha
}

{
    echo "## suite run $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -r)"
    echo "- mumblescan: $bin ($(git -C "$(dirname "$bin")" describe --always --dirty 2>/dev/null || echo '?')), --sweep: $([ $has_sweep = 1 ] && echo yes || echo no)"
    echo "- rules (yara CLI): ${rules[*]}; yara $(yara --version)"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- runs per row: $runs (median wall, largest peak RSS)"
    echo "- ratio column: baseline time / this row's time (>1: this row is faster), baseline named per row"
    echo
    echo "| image | what | wall (median) | peak RSS | ratio |"
    echo "|---|---|---|---|---|"
} | tee "$out"

IFS=, read -r -a want <<<"$sizes"
for s in "${want[@]}"; do
    case $s in
    flat)
        build_flat_image
        [ -n "${BUILD_ONLY:-}" ] && continue
        bench_image flat-tmp-1M "$cache/flat-tmp-1000000.img" ;;
    1|4|12)
        build_usr_image "$s"
        [ -n "${BUILD_ONLY:-}" ] && continue
        bench_image "usr-${s}g" "$cache/usr-${s}g.img" ;;
    *) echo "suite.sh: unknown size $s" >&2 ;;
    esac
done
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
echo "results: $out" >&2

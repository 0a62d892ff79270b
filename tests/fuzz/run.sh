#!/bin/bash
# run.sh SECONDS - build every libFuzzer target in tests/fuzz/ against the
# whole library (compiled again with clang, fuzzer instrumentation, ASan
# and UBSan), replay the committed regression inputs, then fuzz each target
# for SECONDS from the committed seed corpus.  Called by `make fuzz-check`,
# which passes the compiler and the flags configure found:
#   FUZZ_CC   clang
#   FUZZ_CPPFLAGS, FUZZ_LIBS   include and link flags of the libraries
#   SRCDIR, BUILDDIR           source and build trees
# Only the build directory is written (BUILDDIR/fuzz/); a crash leaves its
# input in BUILDDIR/fuzz/artifacts/ and fails the run.  Exit 0 when every
# target ran clean.
set -euo pipefail
secs=${1:-30}
: "${FUZZ_CC:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
out=$BUILDDIR/fuzz
mkdir -p "$out/obj" "$out/artifacts"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -std=c11 -D_GNU_SOURCE $san -fno-omit-frame-pointer -I$SRCDIR/src -I$BUILDDIR -include $BUILDDIR/config.h ${FUZZ_CPPFLAGS:-}"

# Every library source but the CLI: new modules are picked up without a
# list to keep in step.
mapfile -t srcs < <(cd "$SRCDIR" && ls src/common/*.c src/evidence/*.c \
    src/artifacts/*.c src/detection/*.c src/report/*.c src/scan/*.c)
printf '%s\n' "${srcs[@]}" | xargs -P"$(nproc)" -I{} sh -c '
    o="$1/obj/$(echo "$2" | tr / _ | sed "s/\.c$/.o/")"
    [ "$o" -nt "$3/$2" ] || exec $4 $5 -fsanitize=fuzzer-no-link -c "$3/$2" -o "$o"
' _ "$out" {} "$SRCDIR" "$FUZZ_CC" "$cflags"
rm -f "$out/libfuzzms.a"
ar rcs "$out/libfuzzms.a" "$out"/obj/*.o

ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export ASAN_OPTIONS UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
LSAN_OPTIONS="suppressions=$SRCDIR/tests/lsan.supp:print_suppressions=0"
export LSAN_OPTIONS
status=0
for t in "$SRCDIR"/tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c); kind=${name#fuzz_}
    # shellcheck disable=SC2086
    $FUZZ_CC $cflags -fsanitize=fuzzer "$t" "$out/libfuzzms.a" \
        ${FUZZ_LIBS:-} -o "$out/$name"
    # Regression inputs: each once, must not crash.
    reg=("$SRCDIR/tests/fuzz/regress/$kind"/*)
    if [ -e "${reg[0]}" ]; then
        "$out/$name" -runs=1 "${reg[@]}" >"$out/$name.regress.log" 2>&1 || {
            echo "fuzz: $name: a regression input fails again:"; tail -40 "$out/$name.regress.log"
            status=1; continue; }
    fi
    # Fuzz from a scratch copy of the seeds (libFuzzer adds to its corpus).
    work=$out/corpus-$kind
    rm -rf "$work"; mkdir -p "$work"
    cp "$SRCDIR/tests/fuzz/corpus/$kind"/* "$work/" 2>/dev/null || true
    [ -x "$BUILDDIR/tests/tools/mkpacked" ] && [ "$kind" = binary ] && {
        "$BUILDDIR/tests/tools/mkpacked" -o "$work/packed.tmp" >/dev/null 2>&1 &&
            { printf '\0'; cat "$work/packed.tmp"; } >"$work/packed" && rm -f "$work/packed.tmp"
    }
    echo "fuzz: $name for ${secs}s ($(ls "$work" | wc -l) seeds)"
    if ! "$out/$name" -max_total_time="$secs" -max_len=65536 -timeout=10 \
            -rss_limit_mb=2048 -artifact_prefix="$out/artifacts/$name-" \
            "$work" >"$out/$name.log" 2>&1; then
        echo "fuzz: $name FOUND A CRASH (input in $out/artifacts/):"; tail -60 "$out/$name.log"
        status=1
    else
        grep -E '^(Done|#[0-9]+.*DONE)' "$out/$name.log" | tail -1 || true
    fi
done
exit $status

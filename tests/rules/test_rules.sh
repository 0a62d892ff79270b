#!/bin/sh
# test_rules.sh - check rules/mumblehard.yar against generated fixtures,
# and against ESET's published rule when ../shared is present.
#
# Environment:
#   MKPACKED   path to a built tests/tools/mkpacked (built here with $CC if
#              unset)
#   YARA       yara command line tool (default: yara)
#   RULES_DIR  directory holding mumblehard.yar (default: <repo>/rules)
#   ESET_RULE  ESET's rule (default: <repo>/../shared/iocs/eset-mumblehard/
#              mumblehard_packer.yar)
# Exit: 0 pass, 1 fail, 77 skip (nothing could be checked).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=$(dirname "$repo")/shared
YARA=${YARA:-yara}
RULES_DIR=${RULES_DIR:-$repo/rules}
OURS=$RULES_DIR/mumblehard.yar
ESET=${ESET_RULE:-$shared/iocs/eset-mumblehard/mumblehard_packer.yar}
FACTS=$shared/research/mumblehard-facts.md

fails=0
checks=0
pass() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }

if ! command -v "$YARA" >/dev/null 2>&1; then
    echo "SKIP: yara ($YARA) not found"
    exit 77
fi
if [ ! -r "$OURS" ]; then
    echo "FAIL: rule file $OURS not readable"
    exit 1
fi

work=$(mktemp -d /tmp/ms_rules_test.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
mkdir "$work/fx" "$work/neg" "$work/raw" "$work/cut" "$work/real"

if [ -z "${MKPACKED:-}" ]; then
    MKPACKED=$work/mkpacked
    if ! ${CC:-cc} -std=c11 -O1 -o "$MKPACKED" "$repo/tests/tools/mkpacked.c"
    then
        echo "SKIP: cannot build mkpacked"
        exit 77
    fi
fi

# mk DIR NAME ARGS... : build one fixture, keep its JSON summary in NAME.json
mk() {
    d=$1 n=$2
    shift 2
    if ! "$MKPACKED" "$@" -o "$work/$d/$n" >"$work/$n.json"; then
        fail "mkpacked $* failed"
        return 1
    fi
}

# json FILE KEY : numeric field from a mkpacked summary line
json() {
    sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1"
}

# hits RULEFILE DIR RULE : sorted basenames of files in DIR matching RULE
hits() {
    "$YARA" "$1" "$2" 2>"$work/yara.err" |
        awk -v r="$3" '$1 == r { n = split($2, p, "/"); print p[n] }' | sort
    if [ -s "$work/yara.err" ]; then
        fail "yara reported errors for $1 on $2: $(cat "$work/yara.err")" >&2
    fi
}

# all_hits RULEFILE DIR : sorted basenames of files matching any rule
all_hits() {
    "$YARA" "$1" "$2" 2>/dev/null |
        awk '{ n = split($2, p, "/"); print p[n] }' | sort -u
}

listing() { ls "$1" | sort; }

# few TEXT : count and the first names of a newline-separated list
few() {
    printf '%s\n' "$1" | awk 'NF { n++; if (n <= 5) s = s " " $0 }
        END { printf "%d:%s%s", n, s, (n > 5 ? " ..." : "") }'
}

# hex2bin HEX OUT : write hex digits as bytes (POSIX printf octal escapes)
hex2bin() {
    fmt=$(printf '%s' "$1" | tr 'abcdef' 'ABCDEF' | awk '{
        d = "0123456789ABCDEF"; s = ""
        for (i = 1; i < length($0); i += 2) {
            v = (index(d, substr($0, i, 1)) - 1) * 16 + \
                index(d, substr($0, i + 1, 1)) - 1
            s = s sprintf("\\%03o", v)
        }
        print s }')
    printf "$fmt" >"$2"
}

# ---- fixture matrix ----------------------------------------------------

for key in 0 1 2 4 10 15; do
  for lim in 0x10 0x20; do
    for wrap in 0x80 0x100 0x180 0x1ff; do
      for form in 565f 89f7; do
        for gap in 0 6 7 16; do
          osabi=0
          [ $(((key + gap) % 2)) -eq 1 ] && osabi=9
          mk fx "k${key}_l${lim}_w${wrap}_${form}_g${gap}_o${osabi}" \
             --key "$key" --limit "$lim" --wrap "$wrap" --form "$form" \
             --gap "$gap" --osabi "$osabi"
        done
      done
    done
  done
done
mk fx step32 --step 0x20 --wrap 0x100
mk fx limit256 --limit 0x100 --wrap 0x200 --step 0x100
mk fx key200 --key 200 --limit 0x100 --osabi 9
mk fx interp --interp /usr/local/bin/perl5.8 --form 89f7
printf 'print "x" x 5000, "\\n";\n' >"$work/script.pl"
mk fx script --script "$work/script.pl" --key 2
# real-sample parameters (facts 2.3): key 4 and key 2, limit 0x10, wrap 0x80
mk fx real_k4 --key 4
mk fx real_k2 --key 2 --osabi 9

mk neg decoy --decoy
mk neg decoy9 --decoy --osabi 9
mk neg decoy_interp --decoy --interp /usr/bin/python3
printf '#!/bin/sh\necho hello\n' >"$work/neg/script.sh"
head -c 4096 /dev/zero >"$work/neg/zeros"
for b in /bin/ls /bin/sh; do
    [ -r "$b" ] && cp "$b" "$work/neg/$(basename "$b")"
done

nfx=$(listing "$work/fx" | wc -l)
echo "info: $nfx fixtures, $(listing "$work/neg" | wc -l) negatives"

# ---- our rules, always -------------------------------------------------

listing "$work/fx" >"$work/all"
hits "$OURS" "$work/fx" Mumblehard_Packer_DecryptLoop >"$work/ours"
missed=$(comm -23 "$work/all" "$work/ours")
if [ -z "$missed" ]; then
    pass "Mumblehard_Packer_DecryptLoop matches all $nfx fixtures"
else
    fail "Mumblehard_Packer_DecryptLoop missed $(few "$missed")"
fi

hits "$OURS" "$work/fx" Mumblehard_Packer_OSProbe >"$work/probe"
missed=$(comm -23 "$work/all" "$work/probe")
[ -z "$missed" ] && pass "OSProbe matches all fixtures" ||
    fail "OSProbe missed $(few "$missed")"

hits "$OURS" "$work/fx" Mumblehard_Packer_DecryptLoop_Raw >"$work/rawfx"
[ ! -s "$work/rawfx" ] && pass "Raw rule silent on i386 ELF fixtures" ||
    fail "Raw rule fired on ELF fixtures: $(cat "$work/rawfx")"

neg=$(all_hits "$OURS" "$work/neg")
[ -z "$neg" ] && pass "no rule of ours matches the negatives" ||
    fail "our rules matched negatives: $neg"

# Raw rule: the loop without (or behind a foreign) ELF header.
base=$work/fx/real_k4
tail -c +53 "$base" >"$work/raw/no_header"
cp "$base" "$work/raw/x86_64_header"
printf '\076' | dd of="$work/raw/x86_64_header" bs=1 seek=18 conv=notrunc \
    2>/dev/null
cp "$base" "$work/raw/elf64_class"
printf '\002' | dd of="$work/raw/elf64_class" bs=1 seek=4 conv=notrunc \
    2>/dev/null
listing "$work/raw" >"$work/rawall"
hits "$OURS" "$work/raw" Mumblehard_Packer_DecryptLoop_Raw >"$work/rawhit"
hits "$OURS" "$work/raw" Mumblehard_Packer_DecryptLoop >"$work/rawelf"
if cmp -s "$work/rawall" "$work/rawhit" && [ ! -s "$work/rawelf" ]; then
    pass "Raw rule (and only it) matches header-less/foreign-header copies"
else
    fail "raw copies: Raw hit [$(cat "$work/rawhit")]," \
         "ELF rule hit [$(cat "$work/rawelf")]"
fi

# Truncation: cut inside the loop -> no loop hit; cut just after -> hit.
loop_off=$(json "$work/real_k4.json" loop_off)
mk cut inside --key 4 --truncate $((loop_off + 20))
mk cut after --key 4 --truncate $((loop_off + 30))
mk cut header_only --key 4 --truncate 40
hits "$OURS" "$work/cut" Mumblehard_Packer_DecryptLoop >"$work/cuthit"
[ "$(cat "$work/cuthit")" = "after" ] &&
    pass "truncation: loop rule needs the whole loop" ||
    fail "truncation hits: $(cat "$work/cuthit")"

# Determinism and the key stream (facts 2.3: key 4 turns /usr/bin/perl into
# 2b 70 75 75 27 6b 63 65 23 7d 6b 7d 6d).
"$MKPACKED" --key 4 -o "$work/again" >/dev/null
cmp -s "$work/again" "$base" && pass "mkpacked is deterministic" ||
    fail "mkpacked output differs between runs"
off=$(json "$work/real_k4.json" interp_off)
got=$(od -An -tx1 -j "$off" -N 13 "$base" | tr -d ' \n')
[ "$got" = "2b707575276b6365237d6b7d6d" ] &&
    pass "interp blob matches the published key-4 ciphertext" ||
    fail "interp blob is $got"

# Inert: if this machine can run i386 code, the fixture just exits 0.
case $(uname -m) in
x86_64 | i?86)
    chmod 700 "$base" "$work/fx/k1_l0x10_w0x80_89f7_g0_o9"
    for f in "$base" "$work/fx/k1_l0x10_w0x80_89f7_g0_o9"; do
        "$f" >/dev/null 2>&1
        rc=$?
        case $rc in
        0) pass "fixture $(basename "$f") runs and exits 0" ;;
        126 | 127) echo "info: cannot execute fixtures here (rc $rc)" ;;
        *) fail "fixture $(basename "$f") exited with $rc" ;;
        esac
    done
    ;;
esac

# ---- comparison with ESET's rule, when available -----------------------

if [ ! -r "$ESET" ]; then
    echo "SKIP: ../shared not present (no ESET comparison)"
else
    hits "$ESET" "$work/fx" mumblehard_packer >"$work/eset"
    ne=$(wc -l <"$work/eset")
    notours=$(comm -23 "$work/eset" "$work/ours")
    [ -z "$notours" ] && pass "ours matches every fixture ESET matches ($ne)" ||
        fail "ESET matches but ours does not: $(few "$notours")"
    [ "$ne" -gt 0 ] && pass "ESET matches the real-parameter fixtures" ||
        fail "ESET rule matched nothing: is $ESET the right file?"
    grep -qx real_k4 "$work/eset" && grep -qx real_k2 "$work/eset" ||
        fail "ESET does not match real_k4/real_k2"
    extra=$(comm -13 "$work/eset" "$work/ours")
    nx=$(printf '%s\n' "$extra" | grep -c .)
    if [ "$nx" -gt 0 ]; then
        pass "ours covers $nx variants ESET misses," \
             "e.g. $(printf '%s\n' "$extra" | head -n 3 | tr '\n' ' ')"
    else
        fail "no variant shows the extension over ESET's rule"
    fi
    for v in k4_l0x10_w0x100_565f_g0_o0 k4_l0x10_w0x80_565f_g7_o9 \
             k2_l0x10_w0x1ff_89f7_g16_o0 limit256; do
        [ -e "$work/fx/$v" ] || fail "variant fixture $v was not built"
        grep -qx "$v" "$work/eset" &&
            fail "ESET unexpectedly matches variant $v"
    done
    eneg=$(all_hits "$ESET" "$work/neg")
    [ -z "$eneg" ] && pass "ESET's rule matches no negative" ||
        fail "ESET matched negatives: $eneg"
    ehdr=$(all_hits "$ESET" "$work/raw" | wc -l)
    [ "$ehdr" -eq 3 ] && pass "ESET also sees the raw copies (Raw rule needed)" ||
        fail "ESET raw copy hits: $ehdr"

    # Bytes of a real sample's entry stub as recorded in the facts file
    # (ClamAV $a0, which ends one byte early: append the loop's e2).
    a0=$(sed -n 's/^\$a0 = { \([0-9A-Fa-f]*\) }$/\1/p' "$FACTS" 2>/dev/null |
         head -n 1)
    if [ -n "$a0" ]; then
        hex2bin "${a0}E2" "$work/real/a0_raw"
        head -c 84 "$work/neg/decoy" >"$work/real/a0_elf"
        cat "$work/real/a0_raw" >>"$work/real/a0_elf"
        r=$("$YARA" "$OURS" "$work/real" | sort | tr '\n' ' ')
        e=$("$YARA" "$ESET" "$work/real" | sort | tr '\n' ' ')
        exp="Mumblehard_Packer_DecryptLoop $work/real/a0_elf"
        exp="$exp Mumblehard_Packer_DecryptLoop_Raw $work/real/a0_raw"
        exp="$exp Mumblehard_Packer_OSProbe $work/real/a0_elf "
        [ "$r" = "$exp" ] && pass "real stub bytes: loop, raw and probe rules" ||
            fail "real stub bytes: got [$r]"
        case $e in
        *a0_elf*a0_raw* | *a0_raw*a0_elf*) pass "ESET matches real stub bytes" ;;
        *) fail "ESET on real stub bytes: [$e]" ;;
        esac
    else
        echo "info: no \$a0 bytes found in $FACTS"
    fi
fi

echo "$checks checks, $fails failed"
[ "$fails" -gt 0 ] && exit 1
[ "$checks" -eq 0 ] && exit 77
exit 0

# shellcheck shell=bash
# lib.sh - shared helpers for the mumblescan integration tests.
#
# Sourced by every tests/integration/*.sh.  A test builds its images at run
# time with tests/fixtures/mkimage.sh, runs the binary, and asserts on the
# JSON report with jq.  Exit status: 0 pass, 1 fail, 77 skip.
#
# Environment (set by the automake harness; defaults for running by hand):
#   SRCDIR      repository top
#   MUMBLESCAN  the binary under test
#   MKIMAGE     tests/fixtures/mkimage.sh
#   MKPACKED    tests/tools/mkpacked (compiled into the scratch dir if unset)
#
# Assertions do not stop the test: each failure is printed and counted, and
# finish() exits 1 if any failed, so one run shows every broken property.

set -u
export LC_ALL=C TZ=UTC

SRCDIR=${SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
MKIMAGE=${MKIMAGE:-$SRCDIR/tests/fixtures/mkimage.sh}
SPECS=$SRCDIR/tests/fixtures/specs
TEST_NAME=$(basename "$0" .sh)
FAILS=0
CHECKS=0

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ms-$TEST_NAME.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

say() { printf '%s: %s\n' "$TEST_NAME" "$*"; }
fail() { FAILS=$((FAILS + 1)); printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2; }
pass() { :; }
skip() { say "SKIP: $*"; exit 77; }
# A hard error in the test setup: stop now.
die() { printf '%s: ERROR: %s\n' "$TEST_NAME" "$*" >&2; exit 1; }

finish() {
    if [ "$FAILS" -gt 0 ]; then
        say "$FAILS of $CHECKS checks failed"
        exit 1
    fi
    say "all $CHECKS checks passed"
    exit 0
}

command -v jq >/dev/null 2>&1 || die "jq is required by the integration tests"
[ -n "${MUMBLESCAN:-}" ] || {
    for c in "$SRCDIR/mumblescan" "$SRCDIR/src/mumblescan"; do
        [ -x "$c" ] && MUMBLESCAN=$c && break
    done
}
[ -n "${MUMBLESCAN:-}" ] && [ -x "$MUMBLESCAN" ] || die "MUMBLESCAN is not set to an executable"
[ -x "$MKIMAGE" ] || die "MKIMAGE ($MKIMAGE) is not executable"
if [ -z "${MKPACKED:-}" ]; then
    gcc -std=c11 -O2 -o "$SCRATCH/mkpacked" "$SRCDIR/tests/tools/mkpacked.c" ||
        die "cannot build mkpacked"
    MKPACKED=$SCRATCH/mkpacked
fi
export MKPACKED

# has_tool NAME: true when an optional tool is installed.
has_tool() { command -v "$1" >/dev/null 2>&1; }

# build NAME MKIMAGE-ARGS...: build an image into $SCRATCH/NAME, prints the
# created files (one per line) into $SCRATCH/NAME.files.
build() {
    local name=$1; shift
    "$MKIMAGE" --out "$SCRATCH/$name" "$@" >"$SCRATCH/$name.files" ||
        die "mkimage failed for $name ($*)"
}
# segments NAME ARRAY: the files created for image NAME into ARRAY.
segments() { mapfile -t "$2" <"$SCRATCH/$1.files"; }

# run_scan OUT ARGS...: run the scanner with a time limit; stdout to OUT,
# stderr to OUT.err, exit status to $RC.  A crash or sanitizer report is
# a failure whatever the test expects.
run_scan() {
    local out=$1; shift
    RC=0
    timeout 120 "$MUMBLESCAN" "$@" >"$out" 2>"$out.err" || RC=$?
    check_no_crash "$out.err" "$*"
}
check_no_crash() {
    CHECKS=$((CHECKS + 1))
    if [ "$RC" -eq 124 ]; then fail "scan timed out: $2"
    elif [ "$RC" -ge 128 ]; then fail "scan crashed (exit $RC): $2"
    elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$1"; then
        fail "sanitizer report: $2"; sed -n '1,20p' "$1" >&2
    fi
}

# expect_rc WANT DESC: exit status check (WANT may be "0|1").
expect_rc() {
    CHECKS=$((CHECKS + 1))
    case "|$1|" in *"|$RC|"*) ;; *) fail "$2: exit status $RC, expected $1" ;; esac
}

# jqt DESC FILE [jq options...] FILTER: FILTER must produce true.
jqt() {
    local desc=$1 file=$2; shift 2
    local filter=${*: -1}
    local opts=("${@:1:$#-1}")
    CHECKS=$((CHECKS + 1))
    local got
    got=$(jq -e ${opts[@]+"${opts[@]}"} "$filter" "$file" 2>&1) ||
        fail "$desc [${filter:0:300} -> ${got:0:200}]"
    return 0
}

# json_valid FILE DESC
json_valid() {
    CHECKS=$((CHECKS + 1))
    jq -e 'type == "object"' "$1" >/dev/null 2>&1 || fail "$2: output is not a JSON object"
}

# check ERRMSG COMMAND...: a shell condition as a check.
check() {
    local msg=$1; shift
    CHECKS=$((CHECKS + 1))
    "$@" || fail "$msg"
}

# one_error_line FILE DESC: stderr is exactly one line "mumblescan: ...".
one_error_line() {
    CHECKS=$((CHECKS + 1))
    local n; n=$(wc -l <"$1")
    if [ "$n" -ne 1 ] || ! head -n1 "$1" | grep -q '^mumblescan: '; then
        fail "$2: stderr must be one line starting 'mumblescan: ', got $n lines:"
        sed -n '1,5p' "$1" | cat -v >&2
    fi
}

# mmls_parts IMAGE...: "offset length" in bytes of every allocated
# partition mmls lists (empty when there is no partition table).
mmls_parts() {
    mmls "$@" 2>/dev/null | awk '
        /^Units are in/ { ss = $4; sub(/-byte/, "", ss) }
        $2 ~ /^[0-9]+(:[0-9]+)?$/ { printf "%d %d\n", ($3 + 0) * ss, ($5 + 0) * ss }'
}

# check_volumes JSON IMAGE...: every allocated mmls partition is a volume
# with the same offset and length.
check_volumes() {
    local json=$1; shift
    has_tool mmls || { say "note: mmls missing, volume offsets not cross-checked"; return 0; }
    # mmls reads qcow files as raw bytes: nothing to cross-check against.
    [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' ')" = 514649fb ] && return 0
    local off len n=0
    while read -r off len; do
        n=$((n + 1))
        jqt "volume at offset $off (length $len) listed as mmls shows it" "$json" \
            --argjson o "$off" --argjson l "$len" \
            'any(.volumes[]; .offset == $o and .length == $l)'
    done < <(mmls_parts "$@")
    # (a bare LVM2 PV is a volume at offset 0 too; its LVs follow it)
    [ "$n" -gt 0 ] || jqt "image without partition table: one volume at offset 0" "$json" \
        'any(.volumes[]; .offset == 0 and (.state == "examined" or (.stack // "" | endswith("LVM2 PV"))))'
}

# check_timeline_sorted JSON: sorted by time, then path.
check_timeline_sorted() {
    jqt "timeline sorted by time then path" "$1" \
        '[.timeline[] | [.time, .path]] as $t | $t == ($t | sort)'
    jqt "timeline times are ISO-8601 UTC with 9 fraction digits" "$1" \
        'all(.timeline[]; .time | test("^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z$"))'
}

# has_reason JSON PATH CODE
has_reason() {
    jqt "$2 has reason $3" "$1" --arg p "$2" --arg c "$3" \
        'any(.findings[]; .path == $p and any(.reasons[]; .code == $c))'
}

# not_flagged JSON PATH-PREFIX: nothing at or below PREFIX is a finding.
not_flagged() {
    jqt "decoy $2 is not a finding" "$1" --arg p "$2" \
        'all(.findings[]; (.path | startswith($p)) | not)'
}

# assert_infected_debian JSON EXAMINED_VOLUMES IMAGE...: everything the
# infected-debian fixture must produce, whatever the container.
assert_infected_debian() {
    local j=$1 nvol=$2; shift 2
    local what="infected-debian ($*)"
    json_valid "$j" "$what"
    jqt "$what: verdict malicious" "$j" '.summary.verdict == "malicious"'
    jqt "$what: summary.exit_status 1" "$j" '.summary.exit_status == 1'
    jqt "$what: $nvol volume(s) examined" "$j" --argjson n "$nvol" \
        '.summary.volumes_examined == $n and ([.volumes[] | select(.state == "examined")] | length) == $n'
    jqt "$what: scan.images lists the arguments" "$j" --argjson n "$#" '.scan.images | length == $n'

    # The backdoor.
    jqt "$what: /var/tmp/qCVwOWA malicious" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious" and .deleted == false)'
    has_reason "$j" /var/tmp/qCVwOWA YARA_MATCH
    has_reason "$j" /var/tmp/qCVwOWA CRON_15MIN_TEMP_PROGRAM
    jqt "$what: qCVwOWA has YARA matches and an i386 ELF header" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and (.yara | length) > 0 and .elf.class == 32 and .elf.machine == 3)'
    jqt "$what: qCVwOWA owner/mode/size" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .uid == 33 and .gid == 33 and .mode == "0755" and .size > 0 and .executable == true and .referenced_by_cron == true)'
    jqt "$what: qCVwOWA hashes present" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and (.hashes.sha256 | test("^[0-9a-f]{64}$")))'
    jqt "$what: qCVwOWA mtime is 2015-04-07" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .times.mtime == "2015-04-07T10:00:00.000000000Z")'
    jqt "$what: timeline has the qCVwOWA modification" "$j" \
        'any(.timeline[]; .path == "/var/tmp/qCVwOWA" and .event == "m" and .time == "2015-04-07T10:00:00.000000000Z")'

    # Its crontab and job.
    jqt "$what: www-data user crontab found" "$j" \
        'any(.crontabs[]; .path == "/var/spool/cron/crontabs/www-data" and .system == false and .owner == "www-data" and .readable == true and .deleted == false)'
    jqt "$what: /etc/crontab is a system crontab" "$j" \
        'any(.crontabs[]; .path == "/etc/crontab" and .system == true)'
    jqt "$what: backdoor job every 15 minutes, program resolved" "$j" '
        [.findings[] | select(.path == "/var/tmp/qCVwOWA") | .id] as $ids
        | any(.cron_jobs[]; .file == "/var/spool/cron/crontabs/www-data"
              and .every_15_minutes == true and .schedule == "*/15 * * * *"
              and (.command | startswith("/var/tmp/qCVwOWA"))
              and any(.programs[]; .as_written == "/var/tmp/qCVwOWA"
                      and .resolved == "/var/tmp/qCVwOWA" and .status == "found"
                      and (.file as $f | $ids | index($f)) != null))'
    jqt "$what: */15 9-17 job is not every 15 minutes" "$j" \
        'any(.cron_jobs[]; .file == "/etc/crontab" and (.command | contains("/usr/local/bin/report")) and .every_15_minutes == false and .user == "root")'
    jqt "$what: hourly run-parts job parsed" "$j" \
        'any(.cron_jobs[]; .file == "/etc/crontab" and (.command | contains("run-parts --report /etc/cron.hourly")) and .every_15_minutes == false)'
    jqt "$what: cron.d/php job parsed" "$j" \
        'any(.cron_jobs[]; .file == "/etc/cron.d/php" and .user == "root" and .every_15_minutes == false)'
    jqt "$what: two every-15-minute jobs" "$j" '.summary.every_15_min_jobs == 2'

    # The job whose program is gone.
    jqt "$what: /var/tmp/gone job program missing" "$j" \
        'any(.cron_jobs[]; .every_15_minutes == true and any(.programs[]; .as_written == "/var/tmp/gone" and .status == "missing"))'
    jqt "$what: /var/tmp/gone reported as missing" "$j" \
        'any(.findings[]; .path == "/var/tmp/gone" and .missing == true)'
    has_reason "$j" /var/tmp/gone CRON_PROGRAM_MISSING

    # The random-named ELF that cron does not run.
    jqt "$what: /tmp/xKzPqRt suspicious" "$j" \
        'any(.findings[]; .path == "/tmp/xKzPqRt" and .verdict == "suspicious")'
    has_reason "$j" /tmp/xKzPqRt TEMP_EXEC_RANDOM_NAME

    # Decoys.
    local d
    for d in /usr/lib/php/sessionclean /tmp/backup.sh /tmp/systemd-private- \
             /tmp/hsperfdata_root /tmp/.X11-unix /var/tmp/sess_ /usr/local/bin/report \
             /etc/crontab /etc/cron.d /var/spool/cron; do
        not_flagged "$j" "$d"
    done
    jqt "$what: exactly one malicious finding" "$j" \
        '([.findings[] | select(.verdict == "malicious")] | length) == 1 and .summary.malicious == 1'

    check_volumes "$j" "$@"
    check_timeline_sorted "$j"
}

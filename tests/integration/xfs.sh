#!/bin/bash
# xfs.sh - the infected RHEL (and Debian, and clean) layouts on XFS
# (libfsxfs backend): v5 with
# bigtime timestamps (mkfs.xfs's default since xfsprogs 5.15), v5 with
# legacy timestamps, and v4; bare, inside an MBR partition, and as E01.
# Times are checked against the planted values AND against xfs_db's own
# decoding of the inode: Debian's libfsxfs reads bigtime stamps wrongly
# (2015 comes out as 1996), which the backend must not repeat.
. "$(dirname "$0")/lib.sh"

has_tool mkfs.xfs && has_tool xfs_db || skip "xfsprogs (mkfs.xfs, xfs_db) not installed"

spec=$SPECS/infected-rhel.spec
bd=/var/tmp/PlKmNbV
T0=2015-04-07T10:00:00.000000000Z

# assert_rhel_xfs JSON DESC [crtime expected: yes|no]
assert_rhel_xfs() {
    local j=$1 what=$2 cr=${3:-yes}
    json_valid "$j" "$what"
    jqt "$what: one XFS volume examined" "$j" \
        '([.volumes[] | select(.state == "examined" and .fs_type == "xfs")] | length) == 1
         and .summary.volumes_not_examined == 0'
    jqt "$what: verdict malicious, exit_status 1" "$j" \
        '.summary.verdict == "malicious" and .summary.exit_status == 1'
    jqt "$what: $bd malicious" "$j" --arg p "$bd" \
        'any(.findings[]; .path == $p and .verdict == "malicious" and .deleted == false)'
    has_reason "$j" "$bd" YARA_MATCH
    has_reason "$j" "$bd" CRON_15MIN_TEMP_PROGRAM
    jqt "$what: $bd owner 48:48, mode 0755, inode" "$j" --arg p "$bd" \
        'any(.findings[]; .path == $p and .uid == 48 and .gid == 48 and .mode == "0755"
             and .size > 0 and (.inode | type) == "number" and .inode > 0)'
    jqt "$what: $bd mtime exactly as planted" "$j" --arg p "$bd" --arg t "$T0" \
        'any(.findings[]; .path == $p and .times.mtime == $t and .times.atime == $t and .times.ctime == $t)'
    if [ "$cr" = yes ]; then
        jqt "$what: $bd creation time (v5)" "$j" --arg p "$bd" --arg t "$T0" \
            'any(.findings[]; .path == $p and .times.crtime == $t)'
    else
        jqt "$what: no creation time on v4" "$j" --arg p "$bd" \
            'any(.findings[]; .path == $p and .times.crtime == null)'
    fi
    jqt "$what: timeline has the modification" "$j" --arg p "$bd" --arg t "$T0" \
        'any(.timeline[]; .path == $p and .event == "m" and .time == $t)'
    jqt "$what: crontab /var/spool/cron/apache, owner apache" "$j" \
        'any(.crontabs[]; .path == "/var/spool/cron/apache" and .owner == "apache"
             and .system == false and .readable == true
             and .times.mtime == "2015-04-07T10:00:02.000000000Z")'
    jqt "$what: backdoor job every 15 minutes, program found" "$j" --arg p "$bd" \
        'any(.cron_jobs[]; .file == "/var/spool/cron/apache" and .every_15_minutes == true
             and any(.programs[]; .resolved == $p and .status == "found"))'
    jqt "$what: cron.d/0hourly parsed, not every 15 minutes" "$j" \
        'any(.cron_jobs[]; .file == "/etc/cron.d/0hourly" and .user == "root" and .every_15_minutes == false)'
    jqt "$what: /bin symlink resolved (run-parts found via PATH)" "$j" \
        'any(.cron_jobs[]; .file == "/etc/cron.d/0hourly" and any(.programs[]; .status == "found"))'
    jqt "$what: exactly one malicious finding" "$j" '.summary.malicious == 1'
    check_timeline_sorted "$j"
}

# xfs_db_check JSON FSIMAGE DESC [PATH]: inode number, owner, mode, size
# and every timestamp of PATH (default: the backdoor) as xfs_db, the
# reference implementation, decodes them must be what the scan reports.
xfs_db_check() {
    local j=$1 img=$2 what=$3 p=${4:-$bd} out ino f key sec nsec iso
    out=$(xfs_db -r -c "path $p" -c "inode" -c "print" "$img" 2>/dev/null)
    ino=$(printf '%s\n' "$out" | sed -n 's/^current inode number is \([0-9]*\).*/\1/p')
    val() { printf '%s\n' "$out" | sed -n "s/^$1 = //p" | head -n1; }
    check "$what: xfs_db decodes $p" test -n "$ino" -a -n "$(val core.mode)"
    local mode; mode=$(printf '%04o' $(( $(val core.mode) & 07777 )))
    jqt "$what: $p inode/uid/gid/mode/size agree with xfs_db" "$j" \
        --arg p "$p" --argjson i "${ino:-0}" --argjson u "$(val core.uid)" \
        --argjson g "$(val core.gid)" --arg m "$mode" --argjson s "$(val core.size)" \
        'any(.findings[]; .path == $p and .inode == $i and .uid == $u and .gid == $g
             and .mode == $m and .size == $s)'
    for f in core.mtime core.atime core.ctime v3.crtime; do
        sec=$(val "$f.sec") nsec=$(val "$f.nsec")
        key=${f#*.}; key=${key%time}time
        if [ -z "$sec" ]; then
            jqt "$what: $p has no $key where xfs_db shows none" "$j" --arg p "$p" --arg k "$key" \
                'any(.findings[]; .path == $p and .times[$k] == null)'
            continue
        fi
        iso=$(date -u -d "$sec" +%Y-%m-%dT%H:%M:%S).$(printf '%09d' "$nsec")Z
        jqt "$what: $p $key $iso as xfs_db decodes it" "$j" --arg p "$p" --arg k "$key" --arg t "$iso" \
            'any(.findings[]; .path == $p and .times[$k] == $t)'
    done
}

# with_mtime_ns FSIMAGE RAW: write the backdoor's raw on-disk mtime.
with_mtime_ns() {
    xfs_db -x -c "path $bd" -c "write -- core.mtime.sec $2" "$1" >/dev/null 2>&1 ||
        die "xfs_db cannot patch $1"
}

# ---- v5, bigtime: bare, MBR partition, E01 --------------------------------
build big --spec "$spec" --fs xfs --layout bare
xfs_db -r -c "sb" -c "print features_incompat" "$SCRATCH/big" 2>/dev/null |
    grep -q '= 0x[0-9a-f]*[89a-f]$' || fail "bigtime image lacks the bigtime feature bit"
CHECKS=$((CHECKS + 1))
run_scan "$SCRATCH/big.json" -f json "$SCRATCH/big"
expect_rc 1 "bigtime bare"
assert_rhel_xfs "$SCRATCH/big.json" "bigtime bare"
jqt "bigtime bare: the volume is the whole image" "$SCRATCH/big.json" \
    'any(.volumes[]; .offset == 0 and .length == 16777216 and .vs_type == "none")'
xfs_db_check "$SCRATCH/big.json" "$SCRATCH/big" "bigtime bare"

# ---- the backend's contract, through tests/tools/fsprobe ----------------------
# lstat semantics: /bin is the symlink itself and is not descended into;
# list_dir refuses what is not a directory; the root lists exactly the
# staged top-level names.
if [ -n "${FSPROBE:-}" ] && [ -x "$FSPROBE" ]; then
    "$FSPROBE" "$SCRATCH/big" 0 xfs / /bin /bin/run-parts /usr/bin/run-parts \
        /var/spool/cron/apache /nonexistent >"$SCRATCH/probe.out" 2>&1
    pr() { grep -qxF -- "$1" "$SCRATCH/probe.out" || { fail "fsprobe: missing line '$1'"; sed -n '1,40p' "$SCRATCH/probe.out" >&2; }; CHECKS=$((CHECKS + 1)); }
    pr "fs xfs"
    pr "list / rc=0"
    check "fsprobe: root lists bin etc sbin tmp usr var" test \
        "$(sed -n 's/^entry //p' "$SCRATCH/probe.out" | sort | tr '\n' ' ')" = "bin etc sbin tmp usr var "
    check "fsprobe: /bin is a symlink to usr/bin (type 3)" \
        grep -qE '^open /bin rc=0 type=3 inode=[0-9]+ size=7 mode=0777 link=usr/bin$' "$SCRATCH/probe.out"
    pr "list /bin rc=5"
    pr "open /bin/run-parts rc=5"
    check "fsprobe: /usr/bin/run-parts regular, 41 bytes" \
        grep -qE '^open /usr/bin/run-parts rc=0 type=1 inode=[0-9]+ size=41 mode=0755$' "$SCRATCH/probe.out"
    pr "list /usr/bin/run-parts rc=5"
    check "fsprobe: crontab mode 0600" \
        grep -qE '^open /var/spool/cron/apache rc=0 type=1 inode=[0-9]+ size=[0-9]+ mode=0600$' "$SCRATCH/probe.out"
    pr "open /nonexistent rc=5"
    pr "list /nonexistent rc=5"
else
    say "note: FSPROBE not set, backend contract checks not run"
fi

build bigmbr --spec "$spec" --fs xfs --layout mbr --size-mb 20
run_scan "$SCRATCH/bigmbr.json" -f json "$SCRATCH/bigmbr"
expect_rc 1 "bigtime in MBR partition"
assert_rhel_xfs "$SCRATCH/bigmbr.json" "bigtime mbr"
jqt "bigtime mbr: XFS at 1 MiB in a dos partition" "$SCRATCH/bigmbr.json" \
    'any(.volumes[]; .offset == 1048576 and .vs_type == "dos" and .fs_type == "xfs")'
check_volumes "$SCRATCH/bigmbr.json" "$SCRATCH/bigmbr"

if has_tool ewfacquire; then
    build bige01 --spec "$spec" --fs xfs --layout mbr --size-mb 20 --format e01
    segments bige01 segs
    run_scan "$SCRATCH/bige01.json" -f json "${segs[@]}"
    expect_rc 1 "bigtime E01"
    assert_rhel_xfs "$SCRATCH/bige01.json" "bigtime E01"
    jqt "bigtime E01: image type ewf" "$SCRATCH/bige01.json" '.scan.image_type == "ewf"'
else
    say "note: ewfacquire missing, E01 case not run"
fi

# ---- the whole Debian artifact walk on XFS (same assertions as on ext4) -------
build deb --spec "$SPECS/infected-debian.spec" --fs xfs --layout gpt --size-mb 20
run_scan "$SCRATCH/deb.json" -f json "$SCRATCH/deb"
expect_rc 1 "infected-debian on XFS"
assert_infected_debian "$SCRATCH/deb.json" 1 "$SCRATCH/deb"
jqt "infected-debian: the examined volume is XFS" "$SCRATCH/deb.json" \
    'any(.volumes[]; .state == "examined" and .fs_type == "xfs" and .vs_type == "gpt")'
build clean --spec "$SPECS/clean.spec" --fs xfs --layout bare
run_scan "$SCRATCH/clean.json" -f json "$SCRATCH/clean"
expect_rc 0 "clean XFS"
jqt "clean XFS: verdict clean, volume examined" "$SCRATCH/clean.json" \
    '.summary.verdict == "clean" and .summary.volumes_examined == 1 and ([.findings[]] | length) == 0'

# ---- v5 legacy timestamps, and v4 -----------------------------------------
build v5old --spec "$spec" --fs xfs-nobigtime --layout bare
run_scan "$SCRATCH/v5old.json" -f json "$SCRATCH/v5old"
expect_rc 1 "v5 without bigtime"
assert_rhel_xfs "$SCRATCH/v5old.json" "v5 legacy times"
xfs_db_check "$SCRATCH/v5old.json" "$SCRATCH/v5old" "v5 legacy times"

build v4 --spec "$spec" --fs xfs-v4 --layout mbr --size-mb 20
run_scan "$SCRATCH/v4.json" -f json "$SCRATCH/v4"
expect_rc 1 "v4"
assert_rhel_xfs "$SCRATCH/v4.json" "v4" no
build v4bare --spec "$spec" --fs xfs-v4 --layout bare
run_scan "$SCRATCH/v4bare.json" -f json "$SCRATCH/v4bare"
expect_rc 1 "v4 bare"
xfs_db_check "$SCRATCH/v4bare.json" "$SCRATCH/v4bare" "v4 bare"

# ---- nanoseconds -------------------------------------------------------------
# 2015-04-07T10:00:00.123456789Z written as raw on-disk values: bigtime
# (ns since 1901-12-13T20:45:52Z) and legacy (sec32 << 32 | nsec32).
cp "$SCRATCH/big" "$SCRATCH/bigns"
with_mtime_ns "$SCRATCH/bigns" $(((1428400800 + 2147483648) * 1000000000 + 123456789))
run_scan "$SCRATCH/bigns.json" -f json "$SCRATCH/bigns"
jqt "bigtime: mtime nanoseconds" "$SCRATCH/bigns.json" --arg p "$bd" \
    'any(.findings[]; .path == $p and .times.mtime == "2015-04-07T10:00:00.123456789Z")'
xfs_db_check "$SCRATCH/bigns.json" "$SCRATCH/bigns" "bigtime ns"
cp "$SCRATCH/v5old" "$SCRATCH/oldns"
with_mtime_ns "$SCRATCH/oldns" $(((1428400800 << 32) | 123456789))
run_scan "$SCRATCH/oldns.json" -f json "$SCRATCH/oldns"
jqt "legacy: mtime nanoseconds" "$SCRATCH/oldns.json" --arg p "$bd" \
    'any(.findings[]; .path == $p and .times.mtime == "2015-04-07T10:00:00.123456789Z")'
xfs_db_check "$SCRATCH/oldns.json" "$SCRATCH/oldns" "legacy ns"

# ---- times outside 1970..2038 ----------------------------------------------
# bigtime: after 2038 and before 1970 (down to its 1901 floor).
cp "$spec" "$SCRATCH/wide.spec"
echo 'time /etc/crontab 2100-01-01T00:00:00Z 1960-06-15T12:00:00Z 2038-01-19T03:14:08Z 1901-12-13T20:45:52Z' \
    >>"$SCRATCH/wide.spec"
build wide --spec "$SCRATCH/wide.spec" --fs xfs --layout bare
run_scan "$SCRATCH/wide.json" -f json "$SCRATCH/wide"
expect_rc 1 "bigtime wide times"
jqt "bigtime: /etc/crontab times after 2038 and before 1970" "$SCRATCH/wide.json" \
    'any(.crontabs[]; .path == "/etc/crontab"
         and .times.mtime == "2100-01-01T00:00:00.000000000Z"
         and .times.atime == "1960-06-15T12:00:00.000000000Z"
         and .times.ctime == "2038-01-19T03:14:08.000000000Z"
         and .times.crtime == "1901-12-13T20:45:52.000000000Z")'
# legacy: the signed 32-bit range, both ends.
cp "$spec" "$SCRATCH/wide4.spec"
echo 'time /etc/crontab 2038-01-19T03:14:07Z 1960-06-15T12:00:00Z 1901-12-13T20:45:52Z' \
    >>"$SCRATCH/wide4.spec"
build wide4 --spec "$SCRATCH/wide4.spec" --fs xfs-v4 --layout bare
run_scan "$SCRATCH/wide4.json" -f json "$SCRATCH/wide4"
expect_rc 1 "v4 wide times"
jqt "v4: /etc/crontab times at both ends of the 32-bit range" "$SCRATCH/wide4.json" \
    'any(.crontabs[]; .path == "/etc/crontab"
         and .times.mtime == "2038-01-19T03:14:07.000000000Z"
         and .times.atime == "1960-06-15T12:00:00.000000000Z"
         and .times.ctime == "1901-12-13T20:45:52.000000000Z")'

# ---- content across many blocks, a symlink stored out of the inode -----------
# 1.6 MB run by cron (hashes must match the bytes planted) through a
# symlink whose 600-byte target does not fit the inode's literal area, so
# XFS keeps it in a remote block.
cp "$spec" "$SCRATCH/content.spec"
long=/usr/local/bin$(printf '/.%.0s' $(seq 1 300))/big
{
    echo 'file /usr/local/bin/big 0755 repeat 100000 "0123456789abcdef"'
    echo "symlink /usr/local/bin/lnk $long"
    echo 'file /etc/cron.d/big 0644 text "0 3 * * * root /usr/local/bin/lnk\n"'
} >>"$SCRATCH/content.spec"
build content --spec "$SCRATCH/content.spec" --fs xfs --layout bare --size-mb 24
run_scan "$SCRATCH/content.json" -f json "$SCRATCH/content"
expect_rc 1 "content"
want=$(for _ in $(seq 1 100000); do printf '0123456789abcdef'; done | sha256sum | cut -d' ' -f1)
jqt "content: 600-byte symlink target read, program resolved" "$SCRATCH/content.json" \
    'any(.cron_jobs[]; .file == "/etc/cron.d/big" and any(.programs[];
         .as_written == "/usr/local/bin/lnk" and .resolved == "/usr/local/bin/big" and .status == "found"))'
jqt "content: 1.6 MB file read whole (sha256 of the planted bytes)" "$SCRATCH/content.json" \
    --arg h "$want" 'any(.examined[], .findings[]; .path == "/usr/local/bin/big"
         and .size == 1600000 and .content == "scanned" and .hashes.sha256 == $h)'

# ---- a name libfsxfs cannot decode -------------------------------------------
# One 0xff byte written into a name (in /tmp's short-form directory): the
# file must still be scanned, under a marked stand-in name.
cp "$spec" "$SCRATCH/undec.spec"
echo 'file /tmp/QQzzQQzz 0755 packed --key 3' >>"$SCRATCH/undec.spec"
build undec --spec "$SCRATCH/undec.spec" --fs xfs --layout bare
uino=$(xfs_db -r -c "path /tmp/QQzzQQzz" -c "inode" "$SCRATCH/undec" 2>/dev/null |
       sed -n 's/^current inode number is \([0-9]*\).*/\1/p')
uoff=$(grep -obUa QQzzQQzz "$SCRATCH/undec" | head -n1 | cut -d: -f1)
check "undecodable: name found in the image" test -n "$uoff" -a -n "$uino"
printf '\377' | dd of="$SCRATCH/undec" bs=1 seek=$((${uoff:-0} + 2)) conv=notrunc status=none
run_scan "$SCRATCH/undec.json" -f json "$SCRATCH/undec"
expect_rc 1 "undecodable name"
jqt "undecodable: the file is scanned under a stand-in name" "$SCRATCH/undec.json" \
    --arg p "/tmp/[undecodable name, inode ${uino:-0}]" --argjson i "${uino:-0}" \
    'any(.findings[]; .path == $p and .inode == $i and .verdict == "malicious")'

# ---- an XFS superblock libfsxfs must not be trusted with -------------------
# sb_blocksize = 0: reported as not examined with the XFS reason, and the
# scan cannot exit 0 as if clean.
cp "$SCRATCH/big" "$SCRATCH/badsb"
printf '\0\0\0\0' | dd of="$SCRATCH/badsb" bs=1 seek=4 conv=notrunc status=none
run_scan "$SCRATCH/badsb.json" -f json "$SCRATCH/badsb"
check "damaged XFS: exit status is not 0 (got $RC)" test "$RC" -ne 0
jqt "damaged XFS: volume not examined, reason names XFS" "$SCRATCH/badsb.json" \
    'any(.volumes[]; .state == "not_examined" and (.note | test("XFS")))'

# The root directory's inode zeroed: the volume would walk as empty and
# look clean, so it must be "not examined" too.
cp "$SCRATCH/big" "$SCRATCH/noroot"
rino=$(xfs_db -r -c sb -c "print rootino" "$SCRATCH/noroot" 2>/dev/null | sed -n 's/^rootino = //p')
roff=$(xfs_db -r -c "inode ${rino:-0}" -c stack "$SCRATCH/noroot" 2>/dev/null |
       sed -n 's/.*byte offset \([0-9]*\).*/\1/p')
check "root inode located" test -n "$roff"
dd if=/dev/zero of="$SCRATCH/noroot" bs=1 seek="${roff:-0}" count=512 conv=notrunc status=none
run_scan "$SCRATCH/noroot.json" -f json "$SCRATCH/noroot"
check "unreadable XFS root: exit status is not 0 (got $RC)" test "$RC" -ne 0
jqt "unreadable XFS root: volume not examined, reason given" "$SCRATCH/noroot.json" \
    'any(.volumes[]; .state == "not_examined" and (.note | test("XFS root directory unreadable")))'

finish

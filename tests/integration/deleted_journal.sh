#!/bin/bash
# deleted_journal.sh - ext3/ext4: the backdoor and its crontab were deleted
# and their block maps zeroed (as the kernel does); only an older copy of
# their inode-table block in the jbd2 journal knows where the content is.
# The scanner must recover both from the journal and detect the backdoor.
#
# Without root the journal is filled with debugfs: the inode-table block is
# dumped before the deletion and written back into the journal as a
# committed transaction (journal_open / journal_write / journal_close).
. "$(dirname "$0")/lib.sh"

has_tool debugfs || skip "debugfs (e2fsprogs) not installed"
debugfs -R help /dev/null 2>/dev/null | grep -q journal_write ||
    skip "this debugfs has no journal_write (e2fsprogs < 1.44)"

# The fixture's clock: dtime of the deletions below.
export E2FSPROGS_FAKE_TIME=1430438400   # 2015-05-01T00:00:00Z

dbg() { debugfs -w -f "$2" "$1" >/dev/null 2>&1 || die "debugfs failed on $1"; }
not_grep() { ! grep -q "$@"; }
ino_of() { debugfs -R "stat \"$2\"" "$1" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p'; }

# delete_wipe IMG PATH: rm, then zero the size and block map like the
# kernel (debugfs rm alone leaves both).
delete_wipe() {
    local ino f
    ino=$(ino_of "$1" "$2")
    [ -n "$ino" ] || die "$2 not found in $1"
    {
        echo "rm \"$2\""
        echo "sif <$ino> size 0"
        for f in 0 1 2 3 4 5 6 7 8 9 10 11 IND DIND TIND; do
            echo "sif <$ino> block[$f] 0"
        done
    } >"$SCRATCH/cmds"
    dbg "$1" "$SCRATCH/cmds"
}

# checkpoint IMG BS: s_start = 0, s_sequence = 2 (the next transaction),
# needs_recovery cleared.
checkpoint() {
    local j0
    j0=$(debugfs -R "bmap <8> 0" "$1" 2>/dev/null)
    printf '\x00\x00\x00\x02\x00\x00\x00\x00' |
        dd of="$1" bs=1 seek=$((j0 * $2 + 24)) conv=notrunc status=none
    echo "feature -needs_recovery" >"$SCRATCH/ckcmds"
    dbg "$1" "$SCRATCH/ckcmds"
}

# imap_of IMG PATH: "BLOCK OFFSET" of PATH's inode.
imap_of() {
    debugfs -R "imap \"$2\"" "$1" 2>/dev/null |
        sed -n 's/.*located at block \([0-9]*\), offset \(0x[0-9a-f]*\).*/\1 \2/p' |
        { read -r b o; echo "$b $((o))"; }
}

# itable_block IMG PATH: the block holding PATH's inode.
itable_block() {
    debugfs -R "imap \"$2\"" "$1" 2>/dev/null |
        sed -n 's/.*located at block \([0-9]*\),.*/\1/p'
}

for fs in ext3 ext4; do
    build "$fs" --spec "$SPECS/deleted-journal.spec" --fs "$fs" --layout bare
    img=$SCRATCH/$fs
    bs=$(dumpe2fs -h "$img" 2>/dev/null | sed -n 's/^Block size: *//p')

    # deleted before the journal copy was taken: the copy shows it dead
    delete_wipe "$img" /var/tmp/ZyXwVuT

    ino_bd=$(ino_of "$img" /var/tmp/aBcDeFg)
    debugfs -R "dump /var/tmp/aBcDeFg $SCRATCH/$fs.orig" "$img" >/dev/null 2>&1
    want_sha=$(sha256sum <"$SCRATCH/$fs.orig" | cut -d' ' -f1)
    want_size=$(stat -c %s "$SCRATCH/$fs.orig")
    check "$fs: original dumped before deletion" test "$want_size" -gt 290000
    blocks=()
    for p in /var/tmp/aBcDeFg /var/spool/cron/crontabs/www-data \
             /var/spool/cron/crontabs/root; do
        b=$(itable_block "$img" "$p")
        [ -n "$b" ] || die "$fs: no inode table block for $p"
        case " ${blocks[*]:-} " in *" $b "*) ;; *) blocks+=("$b") ;; esac
    done
    for b in "${blocks[@]}"; do
        dd if="$img" of="$SCRATCH/$fs.blk$b" bs="$bs" skip="$b" count=1 status=none
    done
    # The live root crontab's older version: in the journal copy, its inode
    # slot holds the inode of /root/old-root-crontab (whose blocks are
    # freed below), i.e. the root crontab as it was before being rewritten
    # into new blocks.
    isz=$(dumpe2fs -h "$img" 2>/dev/null | sed -n 's/^Inode size: *//p')
    read -r tb toff < <(imap_of "$img" /var/spool/cron/crontabs/root)
    read -r mb moff < <(imap_of "$img" /root/old-root-crontab)
    dd if="$img" bs=1 skip=$((mb * bs + moff)) count="$isz" status=none |
        dd of="$SCRATCH/$fs.blk$tb" bs=1 seek="$toff" conv=notrunc status=none
    delete_wipe "$img" /var/tmp/aBcDeFg
    delete_wipe "$img" /var/spool/cron/crontabs/www-data
    delete_wipe "$img" /root/old-root-crontab
    {
        echo jo
        for b in "${blocks[@]}"; do echo "jw -b $b $SCRATCH/$fs.blk$b"; done
        echo jc
    } >"$SCRATCH/jcmds"
    dbg "$img" "$SCRATCH/jcmds"
    check "$fs: the journal holds the inode table block" \
        grep -q "FS block ${blocks[0]} logged" <(debugfs -R "logdump -a" "$img" 2>/dev/null)
    # Make the journal look checkpointed, as on a cleanly unmounted
    # system.  (Left needing recovery, it would be replayed like the kernel
    # does, and the older inode copy would undo the deletion: see
    # ext_journal_replay.sh.)  The old copies stay in the log blocks; only
    # a scan of the whole log finds them.
    checkpoint "$img" "$bs"
    check "$fs: journal is clean (start 0)" \
        grep -q "^Journal start: *0$" <(dumpe2fs -h "$img" 2>/dev/null)
    # the content really is gone from the current metadata
    check "$fs: current inode has size 0" \
        grep -q "Size: 0\$" <(debugfs -R "stat <$ino_bd>" "$img" 2>/dev/null)

    j=$SCRATCH/$fs.json
    run_scan "$j" -f json "$img"
    expect_rc 1 "$fs: infected"
    json_valid "$j" "$fs"
    jqt "$fs: recovered backdoor detected malicious" "$j" \
        'any(.findings[]; .path == "/var/tmp/aBcDeFg" and .deleted == true
             and .verdict == "malicious" and .content == "scanned")'
    has_reason "$j" /var/tmp/aBcDeFg YARA_MATCH
    has_reason "$j" /var/tmp/aBcDeFg RECOVERED_FROM_JOURNAL
    jqt "$fs: recovery provenance names the journal transaction and blocks" "$j" \
        'any(.findings[]; .path == "/var/tmp/aBcDeFg" and .recovery.method == "journal"
             and (.recovery.provenance | test("journal transaction [0-9]+ \\(journal block [0-9]+, committed"))
             and (.recovery.provenance | test("data blocks [0-9]"))
             and (.recovery.certainty | IN("high", "medium"))
             and .recovery.size > 1000)'
    jqt "$fs: recovered content is the original, byte for byte" "$j" \
        --arg h "$want_sha" --argjson n "$want_size" \
        'any(.findings[]; .path == "/var/tmp/aBcDeFg" and .hashes.sha256 == $h
             and .recovery.size == $n)'
    jqt "$fs: dtime comes from the current inode" "$j" \
        'any(.findings[]; .path == "/var/tmp/aBcDeFg" and .times.dtime == "2015-05-01T00:00:00.000000000Z")'
    jqt "$fs: file deleted before the journal copy stays unrecoverable" "$j" \
        'all(.findings[], .examined[]; .path != "/var/tmp/ZyXwVuT"
             or (.recovery == null and (.yara | length) == 0
                 and (.content_note | test("journal"))))'
    jqt "$fs: deleted crontab recovered from the journal" "$j" \
        'any(.crontabs[]; .path == "/var/spool/cron/crontabs/www-data" and .deleted == true
             and .readable == true and .recovery.method == "journal")'
    jqt "$fs: its 15-minute job is parsed and flagged as recovered" "$j" \
        'any(.cron_jobs[]; .file == "/var/spool/cron/crontabs/www-data"
             and .recovered_from_journal == true and .every_15_minutes == true
             and (.command | startswith("/var/tmp/aBcDeFg")))'

    jqt "$fs: timeline marks the recovered file's deletion" "$j" \
        'any(.timeline[]; .path == "/var/tmp/aBcDeFg" and .event == "d"
             and .recovered == "journal")'
    jqt "$fs: timeline marks the recovered crontab" "$j" \
        'any(.timeline[]; .path == "/var/spool/cron/crontabs/www-data"
             and .source == "crontab" and .recovered == "journal")'
    check_timeline_sorted "$j"
    # --sweep reaches the same deleted content through the recovery layer
    run_scan "$SCRATCH/$fs.sweep.json" -f json --sweep -j2 "$img"
    expect_rc 1 "$fs: --sweep"
    jqt "$fs: --sweep recovers the deleted backdoor from the journal and scans it" \
        "$SCRATCH/$fs.sweep.json" \
        '.sweep.deleted_scanned >= 1 and .sweep.deleted_unrecoverable >= 1
         and any(.findings[]; .path == "/var/tmp/aBcDeFg" and (.origin | index("sweep")) != null
                 and .recovery.method == "journal")'
    # every report format says how the content was recovered
    mkdir -p "$SCRATCH/$fs.all"
    run_scan "$SCRATCH/$fs.all.out" -f html,csv,timesketch -o "$SCRATCH/$fs.all" --carve "$img"
    check "$fs: HTML marks the recovered file and its certainty" \
        grep -q '<th scope="row">Recovered</th><td>by <b>journal</b>, certainty <b>medium</b> &#8212; recovered from the ext journal: inode copy from journal' "$SCRATCH/$fs.all/report.html"
    check "$fs: HTML timeline marks recovered entries" \
        grep -q '\[recovered from journal\]' "$SCRATCH/$fs.all/report.html"
    check "$fs: HTML names the carved block" grep -q '<th scope="row">Carved from</th>' "$SCRATCH/$fs.all/report.html"
    check "$fs: CSV carries recovery and certainty columns" \
        bash -c "head -n1 '$SCRATCH/$fs.all/report.csv' | grep -q '\"recovery\",\"recovery_certainty\"' &&
                 grep 'aBcDeFg' '$SCRATCH/$fs.all/report.csv' | grep -q 'recovered from the ext journal: inode copy from journal.*\",\"medium\"'"
    jqt "$fs: Timesketch events carry the recovery" "$SCRATCH/$fs.all/report.timesketch.jsonl" --slurp \
        'any(.[]; .path == "/var/tmp/aBcDeFg" and (.recovery | startswith("recovered from the ext journal: inode copy from journal")) and .recovery_certainty == "medium")'
    run_scan "$SCRATCH/$fs.body" -f bodyfile --carve "$img"
    check "$fs: bodyfile marks the recovered file" \
        grep -q '^[0-9a-f]\{32\}|v0:/var/tmp/aBcDeFg (deleted) \[recovered from journal\]|' "$SCRATCH/$fs.body"
    check "$fs: bodyfile has no line for carved hits (no inode, no times)" \
        not_grep '<unallocated' "$SCRATCH/$fs.body"

    # --carve finds both backdoors in the free blocks: aBcDeFg's hit lies
    # in the blocks its journal-recovered inode used; ZyXwVuT's owner
    # cannot be told from the other deleted inodes of its block group
    c=$SCRATCH/$fs.carve.json
    run_scan "$c" -f json --carve "$img"
    expect_rc 1 "$fs: --carve infected"
    json_valid "$c" "$fs carve"
    jqt "$fs: carved hits are malicious findings of origin carve" "$c" \
        '[.findings[] | select(.origin == ["carve"] and .verdict == "malicious"
                               and any(.reasons[]; .code == "CARVED_MATCH")
                               and any(.reasons[]; .code == "YARA_MATCH"))] | length >= 2'
    jqt "$fs: carved hit's image offset is its block times the block size" "$c" \
        --argjson bs "$bs" \
        'all(.findings[] | select(.origin == ["carve"]);
             .carve_image_offset == .carve_block * $bs
             and .path == "<unallocated block \(.carve_block)>")'
    jqt "$fs: carved hit in the recovered backdoor's blocks names its inode" "$c" \
        --argjson ino "$ino_bd" \
        'any(.findings[] | select(.origin == ["carve"]);
             .recovery.method == "carve" and .recovery.certainty == "medium"
             and (.recovery.provenance | test("deleted inode \($ino) \\(/var/tmp/aBcDeFg\\)")))'
    jqt "$fs: the unrecovered backdoor is found only by carving, owner unknown" "$c" \
        'any(.findings[] | select(.origin == ["carve"]);
             .recovery.certainty == "none" and (.recovery.provenance | test("owner unknown")))'
    jqt "$fs: carved packer hits at an ELF header are unpacked statically" "$c" \
        'any(.findings[] | select(.origin == ["carve"]);
             .unpacked.status == "unpacked" and .unpacked.interpreter == "/usr/bin/perl"
             and any(.reasons[]; .code == "UNPACKED_SCRIPT"))'
    jqt "$fs: journal recovery still reported with --carve" "$c" \
        'any(.findings[]; .path == "/var/tmp/aBcDeFg" and .recovery.method == "journal")'

    jqt "$fs: live root crontab also has an older version from the journal" "$j" \
        '[.crontabs[] | select(.path == "/var/spool/cron/crontabs/root")] as $r
         | ($r | length) == 2
           and any($r[]; .recovery == null and .deleted == false)
           and any($r[]; .recovery.method == "journal"
                   and (.recovery.provenance | startswith("older version recovered from the ext journal: inode copy from journal transaction")))'
    jqt "$fs: the older version's 15-minute job is reported as recovered" "$j" \
        'any(.cron_jobs[]; .file == "/var/spool/cron/crontabs/root"
             and .recovered_from_journal == true and .every_15_minutes == true
             and (.command | startswith("/tmp/qWeRtYu")))'
    jqt "$fs: the current version's job is not marked recovered" "$j" \
        'any(.cron_jobs[]; .file == "/var/spool/cron/crontabs/root"
             and .recovered_from_journal == false and .schedule == "0 3 * * *")'
    jqt "$fs: the old job's vanished program is a finding" "$j" \
        'any(.findings[]; .path == "/tmp/qWeRtYu" and .missing == true
             and any(.reasons[]; .code == "CRON_PROGRAM_MISSING"))'

    # the text report says so too
    run_scan "$SCRATCH/$fs.txt" "$img"
    check "$fs: text report shows the recovery" \
        grep -q "recovered from the ext journal: inode copy from journal transaction" "$SCRATCH/$fs.txt"
done

# ext4 extent tree of depth 1: free space fragmented by deleting every
# other small file, then debugfs writes a packed backdoor (padded to
# 20 KiB) into the gaps, so its extents no longer fit in the inode and
# live in an index block.  Journal the inode-table block, delete, wipe.
{
    echo "now 2015-05-01T00:00:00Z"
    echo "dir /var/tmp 1777"
    for i in $(seq 1 30); do echo "file /frag/f$i 0644 repeat 1000 x"; done
} >"$SCRATCH/frag.spec"
build frag --spec "$SCRATCH/frag.spec" --fs ext4 --layout bare
fimg=$SCRATCH/frag
for i in $(seq 1 2 30); do echo "rm /frag/f$i"; done >"$SCRATCH/cmds"
dbg "$fimg" "$SCRATCH/cmds"
"$MKPACKED" --key 6 -o "$SCRATCH/pk" >/dev/null 2>&1 || die "mkpacked failed"
awk 'BEGIN { srand(3); for (i = 0; i < 20000; i++) printf "%c", int(rand() * 256) }' \
    >>"$SCRATCH/pk"
chmod 755 "$SCRATCH/pk"
echo "write $SCRATCH/pk /var/tmp/fRaGmEnT" >"$SCRATCH/cmds"
dbg "$fimg" "$SCRATCH/cmds"
check "fragmented file has an extent tree of depth 1" \
    grep -q "^ *1/ *1 " <(debugfs -R "ex /var/tmp/fRaGmEnT" "$fimg" 2>/dev/null)
fbs=$(dumpe2fs -h "$fimg" 2>/dev/null | sed -n 's/^Block size: *//p')
fb=$(itable_block "$fimg" /var/tmp/fRaGmEnT)
dd if="$fimg" of="$SCRATCH/frag.blk" bs="$fbs" skip="$fb" count=1 status=none
delete_wipe "$fimg" /var/tmp/fRaGmEnT
printf 'jo\njw -b %s %s\njc\n' "$fb" "$SCRATCH/frag.blk" >"$SCRATCH/cmds"
dbg "$fimg" "$SCRATCH/cmds"
checkpoint "$fimg" "$fbs"
run_scan "$SCRATCH/frag.json" -f json "$fimg"
expect_rc 1 "fragmented: infected"
jqt "fragmented: recovered through the index block, byte for byte, malicious" \
    "$SCRATCH/frag.json" --arg h "$(sha256sum <"$SCRATCH/pk" | cut -d' ' -f1)" \
    'any(.findings[]; .path == "/var/tmp/fRaGmEnT" and .hashes.sha256 == $h
         and .verdict == "malicious" and .recovery.method == "journal"
         and (.recovery.provenance | test("data blocks [0-9]+(-[0-9]+)?,[0-9]")))'

# Hostile journal: blocks 1..64 of the ext4 journal overwritten with
# pseudo-random bytes, every fourth one starting with a jbd2 header of a
# random type (descriptors full of garbage tags, revoke blocks with huge
# counts).  The scan must survive and still report the file system.
cp "$SCRATCH/ext4" "$SCRATCH/hostile"
jstart=$(debugfs -R "bmap <8> 1" "$SCRATCH/hostile" 2>/dev/null)
[ -n "$jstart" ] || die "cannot locate the journal"
jbs=$(dumpe2fs -h "$SCRATCH/hostile" 2>/dev/null | sed -n 's/^Block size: *//p')
awk -v n=$((64 * jbs)) 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "%c", int(rand() * 256) }' \
    >"$SCRATCH/noise"
for k in $(seq 0 4 63); do
    printf '\xc0\x3b\x39\x98\x00\x00\x00\x0%d\x00\x00\x00\x01' $((k % 5 + 1)) |
        dd of="$SCRATCH/noise" bs=1 seek=$((k * jbs)) conv=notrunc status=none
done
dd if="$SCRATCH/noise" of="$SCRATCH/hostile" bs="$jbs" seek="$jstart" conv=notrunc status=none
run_scan "$SCRATCH/hostile.json" -f json --carve "$SCRATCH/hostile"
expect_rc "0|1" "hostile journal: scan completes"
json_valid "$SCRATCH/hostile.json" "hostile journal"
jqt "hostile journal: file system still examined" "$SCRATCH/hostile.json" \
    'any(.volumes[]; .fs_type == "ext4" and .state == "examined")'

# A clean scan of the same images without the journal copy: nothing to
# recover, the note says why.
build plain --spec "$SPECS/deleted-journal.spec" --fs ext4 --layout bare
delete_wipe "$SCRATCH/plain" /var/tmp/aBcDeFg
run_scan "$SCRATCH/plain.json" -f json "$SCRATCH/plain"
jqt "no journal copy: not recovered, note explains" "$SCRATCH/plain.json" \
    'any(.findings[], .examined[]; .path == "/var/tmp/aBcDeFg" and .recovery == null
         and (.content_note | test("journal holds no copy")))'
finish

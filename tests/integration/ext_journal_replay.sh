#!/bin/bash
# ext_journal_replay.sh - ext3/ext4 seized with a journal that needs
# recovery: the infected crontab line and the backdoor it runs were
# written minutes before seizure and exist only in the journal.  The
# scanner must read the file system as the kernel would after replay
# (in memory), report the backdoor and the 15-minute job, say which files
# differ from the on-disk view and how, and never write the image.
#
# Without root the journal is written with debugfs (journal_open /
# journal_write / journal_close): the blocks that differ between the
# image "before" and the image "after" the attacker's edit become one
# committed transaction, followed by a transaction that journals garbage
# for a block, one that revokes it (3 committed transactions), and an
# uncommitted one (all three must
# leave no trace).  Oracle: `e2fsck -E journal_only` on a copy replays the
# journal; the scanner's view (tests/tools/extview) must equal it block
# for block, except the superblock and the journal superblock, which
# e2fsck rewrites after replay.
. "$(dirname "$0")/lib.sh"

has_tool debugfs || skip "debugfs (e2fsprogs) not installed"
has_tool e2fsck || skip "e2fsck (e2fsprogs) not installed"
debugfs -R help /dev/null 2>/dev/null | grep -q journal_write ||
    skip "this debugfs has no journal_write (e2fsprogs < 1.44)"
[ -n "${EXTVIEW:-}" ] && [ -x "$EXTVIEW" ] || die "EXTVIEW is not set to an executable"

dbg() { debugfs -w -f "$2" "$1" >"$SCRATCH/dbg.log" 2>&1 || die "debugfs failed on $1"
        ! grep -v '^debugfs' "$SCRATCH/dbg.log" | grep -qiE 'error|invalid|not found|usage' ||
            { cat "$SCRATCH/dbg.log" >&2; die "a debugfs command failed on $1"; }; }
CRON=/var/spool/cron/crontabs/www-data
# not_grep_cat IMG PATH WORD: PATH's content in IMG lacks WORD.
not_grep_cat() { ! debugfs -R "cat $2" "$1" 2>/dev/null | grep -q "$3"; }
# not_grep_dump IMG WORD: the superblock summary lacks WORD.
not_grep_dump() { ! dumpe2fs -h "$1" 2>/dev/null | grep -q "$2"; }

# Seizure on 2015-05-01 00:00; the attacker's edit 5 minutes before.
export E2FSPROGS_FAKE_TIME=$((1430438400 - 300))

# fs journal-options: ext3 has a 32-bit journal, ext4 a 64-bit one; "-c -v
# N" makes debugfs write checksum v2/v3 journals (other tag sizes).
for variant in "ext4 " "ext4 -c -v 2" "ext4 -c -v 3" "ext3 "; do
    fs=${variant%% *}
    jopts=${variant#* }
    name=$fs${jopts// /}
    build "$name.base" --spec "$SPECS/infected-debian.spec" --fs "$fs" --layout bare
    base=$SCRATCH/$name.base
    bs=$(dumpe2fs -h "$base" 2>/dev/null | sed -n 's/^Block size: *//p')

    # The new versions, as the infected image has them.
    debugfs -R "dump /var/tmp/qCVwOWA $SCRATCH/q" "$base" >/dev/null 2>&1
    debugfs -R "dump $CRON $SCRATCH/cron.new" "$base" >/dev/null 2>&1
    want_sha=$(sha256sum <"$SCRATCH/q" | cut -d' ' -f1)
    check "$name: backdoor dumped" test -s "$SCRATCH/q"
    grep -v 'qCVwOWA' "$SCRATCH/cron.new" >"$SCRATCH/cron.old"

    # "before": the crontab without the job, no backdoor.
    before=$SCRATCH/$name.before
    cp "$base" "$before"
    printf '%s\n' "rm /var/tmp/qCVwOWA" "rm $CRON" "write $SCRATCH/cron.old $CRON" \
        "sif $CRON uid 33" "sif $CRON gid 102" "sif $CRON mode 0100600" \
        "sif $CRON mtime 20150407100002" >"$SCRATCH/cmds"
    dbg "$before" "$SCRATCH/cmds"
    # "after": the attacker rewrote the crontab and dropped the backdoor.
    after=$SCRATCH/$name.after
    cp "$before" "$after"
    printf '%s\n' "rm $CRON" "write $SCRATCH/cron.new $CRON" \
        "sif $CRON uid 33" "sif $CRON gid 102" "sif $CRON mode 0100600" \
        "write $SCRATCH/q /var/tmp/qCVwOWA" "sif /var/tmp/qCVwOWA uid 33" \
        "sif /var/tmp/qCVwOWA gid 33" "sif /var/tmp/qCVwOWA mode 0100755" \
        >"$SCRATCH/cmds"
    dbg "$after" "$SCRATCH/cmds"

    # The changed blocks (the superblock aside) become one transaction.
    sbblk=$((1024 / bs))
    mapfile -t blocks < <(cmp -l "$before" "$after" |
        awk -v bs="$bs" -v sb="$sbblk" '{ b = int(($1 - 1) / bs); if (b != sb) print b }' | uniq)
    check "$name: the edit changed blocks" test "${#blocks[@]}" -gt 2
    : >"$SCRATCH/tx"
    for b in "${blocks[@]}"; do
        dd if="$after" bs="$bs" skip="$b" count=1 status=none >>"$SCRATCH/tx"
    done
    img=$SCRATCH/$name
    cp "$before" "$img"
    # /etc/passwd's first block: journalled as garbage, then revoked.
    pw=$(debugfs -R "bmap /etc/passwd 0" "$img" 2>/dev/null)
    cb=$(debugfs -R "bmap $CRON 0" "$img" 2>/dev/null)
    head -c "$bs" /dev/urandom >"$SCRATCH/garbage"
    blist=$(IFS=,; echo "${blocks[*]}")
    printf '%s\n' "jo $jopts" "jw -b $blist $SCRATCH/tx" "jw -b $pw $SCRATCH/garbage" \
        "jw -r $pw $SCRATCH/garbage" "jw -b $cb -c $SCRATCH/garbage" "jc" >"$SCRATCH/cmds"
    dbg "$img" "$SCRATCH/cmds"
    check "$name: the image needs recovery" \
        grep -q "needs_recovery" <(dumpe2fs -h "$img" 2>/dev/null)
    check "$name: on disk, the crontab has no 15-minute job" \
        not_grep_cat "$img" "$CRON" qCVwOWA
    before_sha=$(sha256sum <"$img")

    j=$SCRATCH/$name.json
    run_scan "$j" -f json "$img"
    expect_rc 1 "$name: infected"
    json_valid "$j" "$name"
    jqt "$name: volume stack shows the replay" "$j" \
        '.volumes[0].stack | test("> ext[34] \\(journal replayed: 3 transactions, [0-9]+ blocks\\)$")'
    jqt "$name: volume note says what was replayed and what changed" "$j" \
        '.volumes[0].note | test("journal needed recovery") and test("3 committed transactions")
         and test("trailing uncommitted transaction ignored") and test("revoked")
         and test("inode records changed: [1-9]") and test("/var/tmp/qCVwOWA")
         and test("/var/spool/cron/crontabs/www-data")'
    jqt "$name: the backdoor found only in the journal is malicious" "$j" --arg h "$want_sha" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious"
             and .hashes.sha256 == $h)'
    has_reason "$j" /var/tmp/qCVwOWA CRON_15MIN_TEMP_PROGRAM
    has_reason "$j" /var/tmp/qCVwOWA JOURNAL_REPLAY_CHANGED
    jqt "$name: the backdoor is absent from the on-disk view" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and any(.reasons[];
             .code == "JOURNAL_REPLAY_CHANGED" and (.text | test("absent from the on-disk view|only a deleted entry on disk"))))'
    jqt "$name: the crontab's 15-minute job is reported" "$j" --arg c "$CRON" \
        'any(.cron_jobs[]; .every_15_minutes == true and (.command | test("/var/tmp/qCVwOWA")))'
    jqt "$name: the crontab says how it differs from the on-disk view" "$j" --arg c "$CRON" \
        --argjson o "$(stat -c %s "$SCRATCH/cron.old")" --argjson n "$(stat -c %s "$SCRATCH/cron.new")" \
        'any(.crontabs[]; .path == $c and any(.reasons[]; .code == "JOURNAL_REPLAY_CHANGED"
             and (.text | test("size \($o) -> \($n)")) and (.text | test("content differs"))))'
    jqt "$name: unchanged files carry no replay reason" "$j" \
        'all(.crontabs[]; .path == "/var/spool/cron/crontabs/www-data"
             or all(.reasons[]; .code != "JOURNAL_REPLAY_CHANGED"))'
    run_scan "$SCRATCH/$name.out.log" -f text,html -o "$SCRATCH/$name.out" "$img"
    check "$name: text report gives the replay and the crontab's change" \
        grep -q "JOURNAL_REPLAY_CHANGED.*size [0-9]* -> [0-9]*" "$SCRATCH/$name.out/report.txt"
    check "$name: HTML report gives the crontab's change" \
        grep -q "JOURNAL_REPLAY_CHANGED</code> differs from the on-disk view" "$SCRATCH/$name.out/report.html"
    check "$name: HTML volume stack shows the replay" \
        grep -q "journal replayed: 3 transactions" "$SCRATCH/$name.out/report.html"
    check "$name: the image was not written" test "$before_sha" = "$(sha256sum <"$img")"

    # Oracle: e2fsck's replay of a copy.
    cp "$img" "$img.fsck"
    e2fsck -E journal_only -y "$img.fsck" >/dev/null 2>&1
    check "$name: e2fsck cleared needs_recovery on its copy" \
        not_grep_dump "$img.fsck" needs_recovery
    "$EXTVIEW" "$img" 0 "$(stat -c %s "$img")" >"$img.view" 2>"$img.view.err" ||
        fail "$name: extview failed: $(head -c 300 "$img.view.err")"
    j0=$(debugfs -R "bmap <8> 0" "$img" 2>/dev/null)
    diffs=$(cmp -l "$img.view" "$img.fsck" |
        awk -v bs="$bs" -v sb="$sbblk" -v j0="$j0" \
            '{ b = int(($1 - 1) / bs); if (b != sb && b != j0) print b }' | uniq | head -5)
    check "$name: the replayed view equals e2fsck's replay (blocks differing: ${diffs:-none})" \
        test -z "$diffs"
    check "$name: e2fsck's replay has the new crontab" \
        cmp -s "$SCRATCH/cron.new" <(debugfs -R "cat $CRON" "$img.fsck" 2>/dev/null)
done

# Both at once: the primary superblock of the needs-recovery ext4 zeroed.
# The backup carries no needs_recovery flag, but the journal's live log is
# replayed anyway (as e2fsck -b does).
cp "$SCRATCH/ext4" "$SCRATCH/both"
dd if=/dev/zero of="$SCRATCH/both" bs=1024 seek=1 count=1 conv=notrunc status=none
j=$SCRATCH/both.json
run_scan "$j" -f json "$SCRATCH/both"
expect_rc 1 "backup + replay: infected"
jqt "backup + replay: stack shows both" "$j" \
    '.volumes[0].stack | test("> ext4 \\(backup superblock at block 8193; journal replayed: 3 transactions, [0-9]+ blocks\\)$")'
jqt "backup + replay: the backdoor and its job are reported" "$j" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious")
     and any(.cron_jobs[]; .every_15_minutes and (.command | test("qCVwOWA")))'
jqt "backup + replay: the crontab's change is reported" "$j" --arg c "$CRON" \
    'any(.crontabs[]; .path == $c and any(.reasons[]; .code == "JOURNAL_REPLAY_CHANGED"))'

# A file system whose journal is clean is read as it is: no replay.
j=$SCRATCH/clean.json
run_scan "$j" -f json "$SCRATCH/ext4.base"
jqt "clean journal: no replay in the stack" "$j" \
    'all(.volumes[]; (.stack | test("journal replayed") | not) and ((.note // "") | test("journal") | not))'
finish

#!/bin/bash
# sweep.sh - --sweep: YARA over every regular file of the file system.
#
# The fixture hides the inert packed look-alike (tests/tools/mkpacked)
# where triage does not look: renamed into /usr/local/bin, in a home
# directory without its x bit (ELF magic only), and as a deleted copy
# whose content is still recoverable (debugfs rm leaves the extents).
# No cron job references any of them and none is in a temp directory.
# A non-executable text file holds Mumblehard's User-Agent (a rule graded
# malicious): found by --sweep, not selected by --sweep=executables.
# A 2 MiB file is over --sweep-max-file=1M and must be listed as skipped.
. "$(dirname "$0")/lib.sh"

has_tool debugfs || skip "debugfs (e2fsprogs) not installed"

UA='Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/20100101.1.1 Firefox/7.0.1'
LOCAL=/usr/local/bin/dbus-session-helper
HOMEBIN=/home/alice/.cache/libgtk-update
NOTES=/home/alice/notes.txt
DELETED=/home/alice/old-helper
BIG=/srv/data/blob.bin

# write_spec FILE WITH_DELETE(yes|no)
write_spec() {
    {
        echo 'now 2015-05-01T00:00:00Z'
        echo 'default-time 2015-01-10T08:00:00Z'
        echo 'dir /usr/bin 0755'
        echo 'file /usr/bin/sh 0755 text "#!placeholder shell\n"'
        echo 'file /usr/bin/hello 0755 text "#!/bin/sh\necho hello\n"'
        echo 'file /etc/passwd 0644 text "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n"'
        echo 'file /etc/crontab 0644 text "SHELL=/bin/sh\n0 3 * * * root /usr/bin/hello\n"'
        echo 'file /etc/motd 0644 text "Welcome.\n"'
        echo 'dir /usr/local/bin 0755'
        echo "file $LOCAL 0755 packed --key 3"
        echo 'dir /home/alice/.cache 0700'
        echo "file $HOMEBIN 0644 packed --key 7"
        echo "file $NOTES 0644 text \"user agent seen: $UA\n\""
        echo 'file /home/alice/readme 0644 text "just a readme\n"'
        echo 'dir /srv/data 0755'
        echo "file $BIG 0644 repeat 2048 \"$(printf 'x%.0s' $(seq 1 1023))\n\""
        # more hits in several directories, so workers finish out of order
        echo 'dir /opt/app/bin 0755'
        echo 'dir /opt/app/lib 0755'
        for k in 11 12 13; do
            echo "file /opt/app/bin/tool$k 0755 packed --key $k"
            echo "file /opt/app/lib/lib$k.so 0644 packed --key $((k + 10))"
            echo "file /opt/app/lib/data$k.txt 0644 text \"plain data $k\n\""
        done
        echo 'dir /tmp 1777'
        echo 'dir /var/tmp 1777'
        if [ "$2" = yes ]; then
            echo "file $DELETED 0755 packed --key 9"
            echo "delete $DELETED"
        fi
    } >"$1"
}

not_grep() { ! grep -q "$@"; }

# strip JSON: drop the documented run-time fields (docs/json-format.md)
strip() {
    jq -S 'del(.scan.started, .scan.finished, .provenance.host,
               .provenance.command_line, .sweep.workers)' "$1"
}

# sweep_checks JSON FSNAME DELETED(yes|no)
sweep_checks() {
    local j=$1 fs=$2 del=$3
    json_valid "$j" "$fs sweep"
    jqt "$fs: sweep object with mode all" "$j" \
        '.sweep.mode == "all" and .sweep.files_scanned >= 6 and .sweep.bytes_scanned > 0'
    jqt "$fs: $LOCAL found by the sweep, malicious" "$j" --arg p "$LOCAL" \
        'any(.findings[]; .path == $p and .verdict == "malicious" and .origin == ["sweep"]
             and any(.reasons[]; .code == "SWEEP_MATCH") and any(.reasons[]; .code == "YARA_MATCH"))'
    jqt "$fs: $HOMEBIN (ELF, no x bit) found" "$j" --arg p "$HOMEBIN" \
        'any(.findings[]; .path == $p and .verdict == "malicious")'
    jqt "$fs: $NOTES (text with the UA) found" "$j" --arg p "$NOTES" \
        'any(.findings[]; .path == $p and .verdict == "malicious")'
    jqt "$fs: benign files not listed" "$j" \
        'all(.findings[], .examined[]; .path != "/etc/motd" and .path != "/home/alice/readme")
         and all(.findings[], .examined[]; .path != "/usr/bin/hello" or (.origin | index("sweep")) == null)'
    jqt "$fs: $BIG listed as skipped (max_file)" "$j" --arg p "$BIG" \
        'any(.sweep.skipped[]; .path == $p and .reason == "max_file" and .size == 2097152)
         and .sweep.skipped_total == (.sweep.skipped | length) and .sweep.max_file == 1048576'
    jqt "$fs: every planted copy is a hit, nothing else" "$j" --argjson n "$([ "$del" = yes ] && echo 10 || echo 9)" \
        '.sweep.hits == $n and ([.findings[] | select(.origin | index("sweep"))] | length) == $n'
    jqt "$fs: sweep hits in the timeline" "$j" --arg p "$LOCAL" \
        'any(.timeline[]; .path == $p)'
    if [ "$del" = yes ]; then
        jqt "$fs: deleted copy $DELETED found from recovered content" "$j" --arg p "$DELETED" \
            'any(.findings[]; .path == $p and .deleted == true and .verdict == "malicious")
             and .sweep.deleted_scanned >= 1'
    fi
}

for fs in ext4 xfs; do
    del=yes
    if [ "$fs" = xfs ]; then
        has_tool mkfs.xfs && has_tool xfs_db || { say "no xfsprogs: XFS part skipped"; continue; }
        del=no          # mkimage cannot delete on XFS
    fi
    write_spec "$SCRATCH/$fs.spec" "$del"
    build "$fs" --spec "$SCRATCH/$fs.spec" --fs "$fs" --layout bare --size-mb 24
    img=$SCRATCH/$fs

    # triage alone: none of the planted copies is where it looks
    run_scan "$SCRATCH/$fs-triage.json" -f json "$img"
    expect_rc 0 "$fs triage"
    jqt "$fs: triage does not find $LOCAL" "$SCRATCH/$fs-triage.json" --arg p "$LOCAL" \
        'all(.findings[], .examined[]; .path != $p) and .sweep == null'

    run_scan "$SCRATCH/$fs-j1.json" -f json --sweep -j1 --sweep-max-file=1M "$img"
    expect_rc 1 "$fs sweep -j1"
    sweep_checks "$SCRATCH/$fs-j1.json" "$fs" "$del"
    check "$fs: no progress on a non-terminal stderr" \
        not_grep 'sweep volume' "$SCRATCH/$fs-j1.json.err"

    run_scan "$SCRATCH/$fs-j2.json" -f json --sweep -j2 --sweep-max-file=1M "$img"
    expect_rc 1 "$fs sweep -j2"
    jqt "$fs: -j2 ran two workers" "$SCRATCH/$fs-j2.json" '.sweep.workers == 2'
    strip "$SCRATCH/$fs-j1.json" >"$SCRATCH/$fs-j1.s"
    strip "$SCRATCH/$fs-j2.json" >"$SCRATCH/$fs-j2.s"
    check "$fs: -j1 and -j2 reports identical but for run-time fields" \
        cmp -s "$SCRATCH/$fs-j1.s" "$SCRATCH/$fs-j2.s"
    for n in 1 2; do
        run_scan "$SCRATCH/$fs-t$n.txt" --sweep -j$n --sweep-max-file=1M "$img"
        grep -Ev '^      (run|command|host)  ' "$SCRATCH/$fs-t$n.txt" >"$SCRATCH/$fs-t$n.s"
    done
    check "$fs: -j1 and -j2 text reports identical but for run time, host and command line" \
        cmp -s "$SCRATCH/$fs-t1.s" "$SCRATCH/$fs-t2.s"

    run_scan "$SCRATCH/$fs-x.json" -f json --sweep=executables -j2 --sweep-max-file=1M "$img"
    expect_rc 1 "$fs sweep executables"
    x=$SCRATCH/$fs-x.json
    jqt "$fs: executables mode" "$x" '.sweep.mode == "executables" and .sweep.not_selected >= 4'
    jqt "$fs: executables: non-executable $NOTES not selected" "$x" --arg p "$NOTES" \
        'all(.findings[], .examined[]; .path != $p)'
    jqt "$fs: executables: ELF without x bit still found" "$x" --arg p "$HOMEBIN" \
        'any(.findings[]; .path == $p and .verdict == "malicious")'
    jqt "$fs: executables: $LOCAL found" "$x" --arg p "$LOCAL" \
        'any(.findings[]; .path == $p and .verdict == "malicious")'
    jqt "$fs: executables: the big non-executable file is not selected, not skipped" "$x" \
        '.sweep.skipped_total == 0'

    # every report format carries the sweep hit
    out=$SCRATCH/$fs-all
    mkdir -p "$out"
    run_scan "$SCRATCH/$fs-all.log" -f text,csv,bodyfile,timesketch,html -o "$out" \
        --sweep -q --sweep-max-file=1M "$img"
    expect_rc 1 "$fs all formats"
    for f in report.txt report.csv report.body report.timesketch.jsonl report.html; do
        check "$fs: $f names $LOCAL" grep -q "$LOCAL" "$out/$f"
    done
    check "$fs: text report has the Sweep section" grep -q '^Sweep (--sweep)' "$out/report.txt"
    check "$fs: text report lists the skipped file" grep -q "$BIG: 2097152 bytes, max_file" "$out/report.txt"
    check "$fs: -q: nothing on stderr" test ! -s "$SCRATCH/$fs-all.log.err"

    # on a terminal (script(1) gives one): progress on stderr, not in the
    # report; with -q none
    if has_tool script; then
        script -qec "'$MUMBLESCAN' --sweep -j2 -f json -o '$SCRATCH/$fs-tty.json' '$img'" \
            /dev/null >"$SCRATCH/$fs-tty.out" 2>&1 </dev/null || true
        check "$fs: progress shown on a terminal" \
            grep -q 'sweep volume 0: [0-9]* files, [0-9.]* MiB' "$SCRATCH/$fs-tty.out"
        check "$fs: progress never in the report" not_grep 'sweep volume' "$SCRATCH/$fs-tty.json"
        jqt "$fs: report written under a terminal" "$SCRATCH/$fs-tty.json" '.sweep.hits > 0'
        script -qec "'$MUMBLESCAN' --sweep -q -f json -o '$SCRATCH/$fs-q.json' '$img'" \
            /dev/null >"$SCRATCH/$fs-q.out" 2>&1 </dev/null || true
        check "$fs: -q silences progress on a terminal" not_grep 'sweep volume' "$SCRATCH/$fs-q.out"
    fi
done

# bad values are refused with one line
for bad in --sweep=some -j0 --sweep-max-file=0 --sweep-timeout=0; do
    run_scan "$SCRATCH/bad.out" "$bad" "$SCRATCH/ext4"
    expect_rc 2 "option $bad refused"
    one_error_line "$SCRATCH/bad.out.err" "option $bad"
done
finish

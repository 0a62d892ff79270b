#!/bin/bash
# padded_files.sh - every text file the scanner parses, padded to hide
# the line that matters, in three variants: "padded" (a line of more than
# 1 MiB before the real content), "nul" (a run of 64 KiB of NUL bytes in
# a line, then 2000 lines of NULs) and "binary" (64 KiB of pseudo-random
# bytes: invalid UTF-8, 0xff, NULs, control bytes and newlines).  For
# each variant one image (root and /var partitions) holds, each with the
# junk before the real content:
#   user crontab (on /var), /etc/crontab, /etc/cron.d/pad, /etc/anacrontab
#       -> the */15 (or anacron) job after the junk is reported, its
#          program (a packed look-alike outside the temp directories)
#          resolved and flagged, and CRONTAB_PADDING names the file;
#   /etc/fstab -> the /var mount after the junk maps the second volume;
#   /etc/apache2/apache2.conf -> the DocumentRoot after the junk is a web
#          root and the web shell in it is found;
#   /etc/hosts, /etc/os-release -> host name and OS after the junk;
#   /var/log/syslog -> the CRON run after the junk is in the history;
# and the configuration files' padding is a note of the report.  The
# scan must not crash (run_scan fails on any crash or sanitizer report).
. "$(dirname "$0")/lib.sh"

MIB=1048576
sample=/usr/local/lib/.x/qkPzTrd

# 64 KiB of deterministic pseudo-random bytes (an LCG), built once.
junk=$SCRATCH/junk.bin
gen_junk() {
    local x=20150401 i esc='' 
    for ((i = 0; i < 4096; i++)); do
        x=$(( (x * 1103515245 + 12345) % 2147483648 ))
        esc+=$(printf '\\x%02x' $(( (x >> 16) & 255 )))
    done
    printf '%b' "$esc" >"$SCRATCH/junk4k.bin"
    : >"$junk"
    for ((i = 0; i < 16; i++)); do cat "$SCRATCH/junk4k.bin" >>"$junk"; done
    # make sure the junk holds what the brief asks for
    printf '\xff\xfe\xc3\x28\x00\x1b\n' >>"$junk"
}
gen_junk

# junk PATH VARIANT: spec lines appending the variant's junk to PATH
# (which must exist), ending with a newline.
junk() {
    local p=$1 mode=$2
    case $3 in
    padded) echo "append $p $mode repeat $((MIB + 100)) \"A\""
            echo "append $p $mode text \"\\n\"" ;;
    nul)    echo "append $p $mode text \"# x\""
            echo "append $p $mode repeat 65536 \"\\0\""
            echo "append $p $mode text \"\\n\""
            echo "append $p $mode repeat 2000 \"\\0\\n\"" ;;
    binary) echo "append $p $mode copy $junk" ;;
    esac
}

root_spec() {
    local v=$1
    cat <<SPEC
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /usr/bin 0755
file /usr/bin/sh 0755 text "#!placeholder shell\n"
file /usr/bin/true 0755 text "#!/bin/sh\nexit 0\n"
file /etc/passwd 0644 text "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
dir /usr/local/lib/.x 0755
file $sample 0755 packed --key 4
dir /var 0755
dir /tmp 1777
file /etc/fstab 0644 text "/dev/sda1 / ext4 defaults 0 1\n"
$(junk /etc/fstab 0644 "$v")
append /etc/fstab 0644 text "/dev/sda2 /var ext4 defaults 0 2\n"
file /etc/crontab 0644 text "SHELL=/bin/sh\n"
$(junk /etc/crontab 0644 "$v")
append /etc/crontab 0644 text "*/15 * * * * root $sample etc-crontab\n"
dir /etc/cron.d 0755
file /etc/cron.d/pad 0644 text "SHELL=/bin/sh\n"
$(junk /etc/cron.d/pad 0644 "$v")
append /etc/cron.d/pad 0644 text "*/15 * * * * root $sample cron-d\n"
file /etc/anacrontab 0644 text "SHELL=/bin/sh\n"
$(junk /etc/anacrontab 0644 "$v")
append /etc/anacrontab 0644 text "1 5 padjob $sample anacron\n"
file /etc/hosts 0644 text "127.0.0.1 localhost\n"
$(junk /etc/hosts 0644 "$v")
append /etc/hosts 0644 text "127.0.1.1 padhost.example padhost\n"
file /etc/os-release 0644 text "NAME=x\n"
$(junk /etc/os-release 0644 "$v")
append /etc/os-release 0644 text "ID=debian\nVERSION_ID=\"12\"\n"
file /etc/apache2/apache2.conf 0644 text "ServerRoot \"/etc/apache2\"\n"
$(junk /etc/apache2/apache2.conf 0644 "$v")
append /etc/apache2/apache2.conf 0644 text "<VirtualHost *:80>\n  DocumentRoot \"/srv/pad/public\"\n</VirtualHost>\n"
file /srv/pad/public/up/x.php 0644 text "<?php exit; /* mumblescan test fixture: inert */\neval(\$_POST[\"k\"]);\n"
SPEC
}

var_spec() {
    local v=$1
    cat <<SPEC
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /tmp 1777
dir /log 0755
file /log/syslog 0640 text "Apr  7 10:00:02 web CRON[812]: (www-data) REPLACE (www-data)\n"
$(junk /log/syslog 0640 "$v")
append /log/syslog 0640 text "Apr  7 10:15:01 web CRON[900]: (www-data) CMD ($sample user-tab)\n"
dir /spool/cron/crontabs 1730
owner /spool/cron/crontabs 0 102
file /spool/cron/crontabs/www-data 0600 text "SHELL=/bin/sh\n"
$(junk /spool/cron/crontabs/www-data 0600 "$v")
append /spool/cron/crontabs/www-data 0600 text "*/15 * * * * $sample user-tab\n"
owner /spool/cron/crontabs/www-data 33 102
SPEC
}

for v in padded nul binary; do
    root_spec "$v" >"$SCRATCH/root-$v.spec"
    var_spec "$v" >"$SCRATCH/var-$v.spec"
    build "$v" --spec "$SCRATCH/var-$v.spec" --layout two-fs \
        --decoy-spec "$SCRATCH/root-$v.spec" --size-mb 40
    run_scan "$SCRATCH/$v.json" -f json "$SCRATCH/$v"
    expect_rc 1 "$v: junk before the real lines"
    j=$SCRATCH/$v.json
    json_valid "$j" "$v"

    # --- cron types: the job after the junk, flagged, and the padding ---
    for t in "/var/spool/cron/crontabs/www-data user-tab" \
             "/etc/crontab etc-crontab" "/etc/cron.d/pad cron-d"; do
        p=${t% *} word=${t#* }
        jqt "$v: $p: the */15 job after the junk is reported with its program found" "$j" \
            --arg p "$p" --arg s "$sample" --arg w "$word" \
            'any(.cron_jobs[] as $c | select(.crontabs[$c.crontab].path == $p) | $c;
                 .every_15_minutes and (.command | endswith($w))
                 and any(.programs[]; .resolved == $s and .status == "found"))'
        jqt "$v: $p: CRONTAB_PADDING" "$j" --arg p "$p" \
            'any(.crontabs[]; .path == $p and any(.reasons[]; .code == "CRONTAB_PADDING" and .severity == "suspicious"))'
    done
    jqt "$v: anacrontab: the job after the junk is reported with its program found" "$j" \
        --arg s "$sample" \
        'any(.cron_jobs[] as $c | select(.crontabs[$c.crontab].path == "/etc/anacrontab") | $c;
             .command == ($s + " anacron") and any(.programs[]; .resolved == $s and .status == "found"))'
    jqt "$v: anacrontab: CRONTAB_PADDING" "$j" \
        'any(.crontabs[]; .path == "/etc/anacrontab" and any(.reasons[]; .code == "CRONTAB_PADDING"))'
    jqt "$v: the program the padded crontabs run is a malicious finding" "$j" --arg s "$sample" \
        'any(.findings[]; .path == $s and .verdict == "malicious")'

    # --- fstab: the /var mount after the junk ----------------------------
    jqt "$v: fstab: the /var line after the junk maps the second volume" "$j" \
        'any(.volumes[]; .mount_point == "/var"
             and .fstab_line == "/dev/sda2 /var ext4 defaults 0 2"
             and (.mount_source | test("^/etc/fstab line [0-9]+$")))'
    jqt "$v: fstab: no junk taken for a mount" "$j" \
        '[.systems[]?.mounts[]? // empty] | length <= 3'
    jqt "$v: fstab: the padding is a note" "$j" \
        'any(.errors[]; test("/etc/fstab: padding or binary junk") and test("every line was read"))'

    # --- web server configuration --------------------------------------
    jqt "$v: apache: the DocumentRoot after the junk is a web root" "$j" \
        'any(.entry.web_roots[]; .path == "/srv/pad/public" and (.source | startswith("/etc/apache2/apache2.conf:")))'
    jqt "$v: apache: the web shell under it is found" "$j" \
        'any(.findings[]; .path == "/srv/pad/public/up/x.php" and any(.yara[]?; .rule == "WebShell_PHP_Eval_Request"))'
    jqt "$v: apache: the padding is a note" "$j" \
        'any(.errors[]; test("/etc/apache2/apache2.conf: padding or binary junk"))'

    # --- host identity ---------------------------------------------------
    jqt "$v: hosts: the 127.0.1.1 name after the junk" "$j" \
        'any(.hosts[]; .hostname == "padhost.example" and .hostname_source == "/etc/hosts (127.0.1.1)")'
    jqt "$v: os-release: ID after the junk" "$j" \
        'any(.hosts[]; .os_id == "debian" and .os_version_id == "12")'
    jqt "$v: hosts: the padding is a note" "$j" \
        'any(.errors[]; test("/etc/hosts: padding or binary junk"))'

    # --- syslog: the CRON run after the junk -----------------------------
    jqt "$v: syslog: the run after the junk is in the history" "$j" --arg s "$sample" \
        'any(.execution_history.jobs[]; (.command | contains($s)) and .runs >= 1)'
done
finish

#!/bin/bash
# cron_dialects_other.sh - BusyBox crond (Alpine), systemd-cron and
# FreeBSD's cron, identified from the image and applied with their own
# rules (expectations from crond.c ParseField/FixDayDow/load_crontab,
# systemd-crontab-generator.cpp parse_period and OnCalendar's AND, and
# FreeBSD entry.c get_range); an unknown cron lists their readings too.
. "$(dirname "$0")/lib.sh"

spec() {   # NAME [bsd], then spec lines on stdin
    { printf 'now 2015-05-01T00:00:00Z\ndefault-time 2015-01-10T08:00:00Z\n'
      if [ "${2:-}" = bsd ]; then   # FreeBSD: /bin is a directory
          printf 'dir /bin 0755\nfile /bin/true 0755 text "#!/bin/sh\\nexit 0\\n"\n'
      else
          printf 'dir /usr/bin 0755\nsymlink /bin usr/bin\n'
          printf 'file /usr/bin/true 0755 text "#!/bin/sh\\nexit 0\\n"\n'
      fi
      cat; } >"$SCRATCH/$1.spec"
}
# scan_img NAME: build the image of NAME.spec, scan it to NAME.json
scan_img() {
    build "$1" --spec "$SCRATCH/$1.spec"
    run_scan "$SCRATCH/$1.json" -f json "$SCRATCH/$1"
    j=$SCRATCH/$1.json
    json_valid "$j" "$1"
}

# ---- Alpine: BusyBox crond --------------------------------------------------
spec alpine <<'S'
file /lib/apk/db/installed 0644 text "P:busybox\nV:1.36.1-r15\n\nP:musl\nV:1.2.4-r2\n\n"
file /var/spool/cron/crontabs/root 0600 text "60 * * * * /bin/true #every minute\n1/2 * * * * /bin/true\nPATH = /bin\n*/15 * * * * /bin/true %x\n"
file /var/spool/cron/crontabs/root.bak 0600 text "* * * * * /bin/true\n"
file /etc/crontab 0644 text "* * * * * root /bin/true\n"
S
scan_img alpine
r='.cron_jobs[] | select(.file == "/var/spool/cron/crontabs/root")'
jqt "BusyBox dialect from the apk database" "$j" \
    'all(.crontabs[]; .dialect == "busybox-crond")'
jqt "BusyBox: 60 sets every minute, with crond's parse error, '#' cuts the command" "$j" \
    "[$r | select(.line == 1)] | .[0] | (.schedule_words == \"every minute\") and (.dialect_note | contains(\"parse error\")) and .command == \"/bin/true \""
jqt "BusyBox: 1/2 is minute 1 of every hour" "$j" \
    "[$r | select(.line == 2)] | .[0].schedule_words | startswith(\"at minute 1 \")"
jqt "BusyBox: '%' is no stdin" "$j" \
    "[$r | select(.line == 4)] | .[0] | .command == \"/bin/true %x\" and .stdin == null and .every_15_minutes"
jqt "BusyBox: 'PATH = /bin' is a skipped line" "$j" \
    '.crontabs[] | select(.path == "/var/spool/cron/crontabs/root") | [.rejected_lines[].line] == [3]'
jqt "BusyBox skips root.bak and never reads /etc/crontab" "$j" \
    '([.cron_jobs[] | select(.file == "/var/spool/cron/crontabs/root.bak" or .file == "/etc/crontab")] | length) == 0 and any(.crontabs[]; .path == "/etc/crontab" and (.note | contains("never /etc/crontab")))'

# ---- Debian with systemd-cron -----------------------------------------------
spec sdcron <<'S'
file /var/lib/dpkg/status 0644 text "Package: systemd-cron\nStatus: install ok installed\nVersion: 2.3.3-1\n\n"
file /etc/crontab 0644 text "0 0 1 * mon root /bin/true\n0 0 * jan * root /bin/true\n50-70 * * * * root /bin/true\n@quarterly root /bin/true\n"
S
scan_img sdcron
c='.cron_jobs[] | select(.file == "/etc/crontab")'
jqt "systemd-cron dialect from dpkg" "$j" \
    '.crontabs[] | select(.path == "/etc/crontab") | .dialect == "systemd-cron" and (.dialect_evidence | contains("systemd-cron"))'
jqt "systemd-cron: day 1 AND Monday (OnCalendar), not either" "$j" \
    "[$c | .line] == [1, 3, 4] and ([$c | select(.line == 1)] | .[0].schedule_words | (contains(\"Monday\") and contains(\"day 1\")))"
jqt "systemd-cron: a month name makes no timer" "$j" \
    '.crontabs[] | select(.path == "/etc/crontab") | .rejected_lines[0].line == 2 and (.rejected_lines[0].reason | contains("month names"))'
jqt "systemd-cron: 50-70 is clamped to 50-59" "$j" \
    "[$c | select(.line == 3)] | .[0].schedule_words | contains(\"50-59\")"
jqt "systemd-cron: @quarterly known, Persistent noted" "$j" \
    "[$c | select(.line == 4)] | .[0].dialect_note | contains(\"Persistent=true\")"

# ---- FreeBSD ---------------------------------------------------------------
spec fbsd bsd <<'S'
file /bin/freebsd-version 0555 text "#!/bin/sh\necho 14.1-RELEASE\n"
file /etc/crontab 0644 text "1/2 * * * * root /bin/true\n@every_minute root /bin/true\n61 * * * * root /bin/true\n"
S
scan_img fbsd
jqt "FreeBSD: 1/2 is 1-59/2, @every_minute known, 61 rejected" "$j" \
    "[$c | .line] == [1, 2] and ([$c | select(.line == 1)] | .[0].schedule_words | contains(\"1, 3, 5\")) and (.crontabs[] | select(.path == \"/etc/crontab\") | .dialect == \"freebsd-cron\" and .rejected_lines[0].line == 3)"

# ---- unknown: BusyBox's and systemd-cron's readings are listed ------------
build unknown --spec "$SPECS/cron_unknown.spec"
run_scan "$SCRATCH/unknown.json" -f json "$SCRATCH/unknown"
j=$SCRATCH/unknown.json
jqt "unknown: the rejected 1/2 line names BusyBox's reading" "$j" \
    '.crontabs[] | select(.path == "/etc/crontab") | any(.rejected_lines[]; .line == 3 and (.reason | contains("BusyBox crond runs it")))'

finish

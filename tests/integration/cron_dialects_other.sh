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

# ---- Alpine's layout: /etc/crontabs, the spool path a link to it -----------
# crond.c load_crontab: getpwnam(file name) must succeed ("no such user")
spec alpine2 <<'S'
file /lib/apk/db/installed 0644 text "P:busybox\nV:1.36.1-r15\n\n"
file /etc/passwd 0644 text "root:x:0:0:root:/root:/bin/ash\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"
file /etc/crontabs/root 0600 text "*/15 * * * * /bin/true\n"
file /etc/crontabs/ghost 0600 text "*/15 * * * * /bin/true\n"
dir /var/spool/cron 0755
symlink /var/spool/cron/crontabs ../../../etc/crontabs
S
# a non-root crontab: crond reads 255 lines that are not blank or comments
{ printf 'file /etc/crontabs/nobody 0600 text "# header\\n\\nMAILTO=\\n'
  for i in $(seq 2 254); do printf '%s * * * * /bin/true\\n' $((i % 60)); done
  printf '# not counted\\n7 * * * * /bin/true\\n8 * * * * /bin/true\\n"\n'
} >>"$SCRATCH/alpine2.spec"
scan_img alpine2
jqt "Alpine: /etc/crontabs/root read once, though the spool path links to it" "$j" \
    '[.crontabs[] | select(.path | endswith("crontabs/root"))] | length == 1'
jqt "Alpine: root's */15 job from /etc/crontabs is every 15 minutes" "$j" \
    '[.cron_jobs[] | select(.file == "/etc/crontabs/root")] | length == 1 and .[0].every_15_minutes'
jqt "BusyBox: a non-root crontab is read for 255 lines; the 256th is no job" "$j" \
    '([.cron_jobs[] | select(.file == "/etc/crontabs/nobody")] | length == 254 and .[-1].schedule == "7 * * * *") and (.crontabs[] | select(.path == "/etc/crontabs/nobody") | [.rejected_lines[] | select(.reason | contains("too many lines"))] | length == 1 and .[0].line == 259)'
jqt "Alpine: a crontab of a user not in /etc/passwd is ignored by crond" "$j" \
    '([.cron_jobs[] | select(.file == "/etc/crontabs/ghost")] | length == 0) and (.crontabs[] | select(.path == "/etc/crontabs/ghost") | (.note | contains("no such user")) and .rejected_lines[0].line == 1)'

# ---- Alpine: /etc/passwd padded past 16 MiB before the user's line -------
# /etc/passwd is read whole (only the names are kept): the padding must not
# make alice "unknown" and drop a crontab that crond runs.
spec alpine3 <<'S'
file /lib/apk/db/installed 0644 text "P:busybox\nV:1.36.1-r15\n\n"
file /etc/passwd 0644 text "root:x:0:0:root:/root:/bin/ash\n"
append /etc/passwd 0644 repeat 8912896 "#"
append /etc/passwd 0644 repeat 8912896 "#"
append /etc/passwd 0644 text "\nalice:x:1000:1000::/home/alice:/bin/ash\n"
file /etc/crontabs/alice 0600 text "*/15 * * * * /bin/true\n"
S
build alpine3 --spec "$SCRATCH/alpine3.spec" --size-mb 48
run_scan "$SCRATCH/alpine3.json" -f json "$SCRATCH/alpine3"
j=$SCRATCH/alpine3.json
json_valid "$j" alpine3
jqt "Alpine: a user after 17 MiB of padding in /etc/passwd is known to crond" "$j" \
    '[.cron_jobs[] | select(.file == "/etc/crontabs/alice")] | length == 1 and .[0].every_15_minutes'

# ---- Debian (not BusyBox) with a stray /etc/crontabs ------------------------
spec debcrontabs <<'S'
file /var/lib/dpkg/status 0644 text "Package: cron\nStatus: install ok installed\nVersion: 3.0pl1-162\n\n"
file /etc/crontabs/root 0600 text "*/15 * * * * /bin/true\n"
S
scan_img debcrontabs
jqt "Debian's cron never reads /etc/crontabs: listed, its line rejected" "$j" \
    '([.cron_jobs[] | select(.file == "/etc/crontabs/root")] | length == 0) and (.crontabs[] | select(.path == "/etc/crontabs/root") | .note | contains("only BusyBox"))'

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

# systemd-cron's timer variables (crontab(5) of systemd-cron,
# decode_environment / generate_schedule_from_period)
spec sdvars <<'S'
file /var/lib/dpkg/status 0644 text "Package: systemd-cron\nStatus: install ok installed\nVersion: 2.3.3-1\n\n"
file /etc/crontab 0644 text "*/15 * * * * root /bin/true\nRANDOM_DELAY=10\nDELAY=7\nSTART_HOURS_RANGE=3-22\nBATCH=yes\n@daily root /bin/true\nPERSISTENT=no\nTZ=Europe/Berlin\n@hourly root /bin/true\n"
S
scan_img sdvars
c='.cron_jobs[] | select(.file == "/etc/crontab")'
jqt "systemd-cron: a five-field line before any variable: Persistent=false" "$j" \
    "[$c | select(.line == 1)] | .[0].timer | startswith(\"Persistent=false\")"
jqt "systemd-cron: RANDOM_DELAY, DELAY, BATCH, START_HOURS_RANGE reported" "$j" \
    "[$c | select(.line == 6)] | .[0].timer | contains(\"Persistent=true\") and contains(\"RandomizedDelaySec=10min\") and contains(\"OnBootSec=7min\") and contains(\"IOSchedulingClass=idle\") and contains(\"START_HOURS_RANGE=3-22\")"
jqt "systemd-cron: @daily with START_HOURS_RANGE=3-22 and DELAY=7 runs at 03:07" "$j" \
    "[$c | select(.line == 6)] | .[0].schedule_words | contains(\"03:07\")"
jqt "systemd-cron: PERSISTENT=no, @hourly at minute DELAY, scheduled in TZ" "$j" \
    "[$c | select(.line == 9)] | .[0] | (.timer | startswith(\"Persistent=false\")) and (.schedule_words | contains(\"minute 7\")) and (.time_zone | startswith(\"Europe/Berlin\"))"
jqt "systemd-cron: timer settings are a persistence attribute" "$j" \
    '[.persistence[] | select(.kind == "cron" and .line == 6) | .attributes[] | select(.key == "timer")] | length == 1'

# ---- FreeBSD ---------------------------------------------------------------
spec fbsd bsd <<'S'
file /bin/freebsd-version 0555 text "#!/bin/sh\necho 14.1-RELEASE\n"
file /etc/crontab 0644 text "1/2 * * * * root /bin/true\n@every_minute root /bin/true\n61 * * * * root /bin/true\n"
S
scan_img fbsd
jqt "FreeBSD: 1/2 is 1-59/2, @every_minute known, 61 rejected" "$j" \
    "[$c | .line] == [1, 2] and ([$c | select(.line == 1)] | .[0].schedule_words | contains(\"1, 3, 5\")) and (.crontabs[] | select(.path == \"/etc/crontab\") | .dialect == \"freebsd-cron\" and .rejected_lines[0].line == 3)"

# FreeBSD 14 entry.c load_entry: "@NUMBER" (strtol > 0, nothing after it)
# runs NUMBER seconds after the previous run ends; "-n"/"-q" before the
# command, once each, followed by a blank; "user:group"
spec fbsd2 bsd <<'S'
file /bin/freebsd-version 0555 text "#!/bin/sh\necho 14.1-RELEASE\n"
file /etc/crontab 0644 text "@900 root /bin/true\n@60 root /bin/true\n*/15 * * * * root -q -n /bin/true\n* * * * * root -x /bin/true\n* * * * * root -q -q /bin/true\n@0 root /bin/true\n@9x root /bin/true\n0 * * * * root:wheel /bin/true\n-* * * * * root /bin/true\n* * * * * root -q\n"
S
scan_img fbsd2
c='.cron_jobs[] | select(.file == "/etc/crontab")'
jqt "FreeBSD: @900 is every 15 minutes (an interval trigger of 900 s)" "$j" \
    "[$c | select(.line == 1)] | .[0] | .every_15_minutes and (.schedule_words | contains(\"900 seconds\"))"
jqt "FreeBSD: @900's persistence record: interval 900, every 15 minutes" "$j" \
    '[.persistence[] | select(.kind == "cron" and .line == 1)] | .[0] | .trigger.type == "interval" and .trigger.interval_seconds == 900 and .every_15_minutes'
jqt "FreeBSD: @60 is not every 15 minutes" "$j" \
    "[$c | select(.line == 2)] | .[0].every_15_minutes == false"
jqt "FreeBSD: -q -n are options, not the command" "$j" \
    "[$c | select(.line == 3)] | .[0] | .command == \"/bin/true\" and (.timer | contains(\"-q\") and contains(\"-n\")) and .every_15_minutes"
jqt "FreeBSD: -x, a repeated -q, @0, @9x, a leading '-' and options without a command are rejected" "$j" \
    '.crontabs[] | select(.path == "/etc/crontab") | [.rejected_lines[].line] == [4, 5, 6, 7, 9, 10]'
jqt "FreeBSD: root:wheel runs as root with group wheel" "$j" \
    "[$c | select(.line == 8)] | .[0] | .user == \"root\" and (.dialect_note | contains(\"group wheel\"))"

# ---- unknown: BusyBox's and systemd-cron's readings are listed ------------
build unknown --spec "$SPECS/cron_unknown.spec"
run_scan "$SCRATCH/unknown.json" -f json "$SCRATCH/unknown"
j=$SCRATCH/unknown.json
jqt "unknown: the rejected 1/2 line names BusyBox's reading" "$j" \
    '.crontabs[] | select(.path == "/etc/crontab") | any(.rejected_lines[]; .line == 3 and (.reason | contains("BusyBox crond runs it")))'

# unknown cron: CRON_TZ is honoured by cronie and systemd-cron, TZ by
# systemd-cron alone: both readings are given
spec unknowntz <<'S'
file /etc/crontab 0644 text "TZ=UTC\n0 2 * * * root /bin/true\nCRON_TZ=Asia/Tokyo\n0 1 * * * root /bin/true\n"
S
scan_img unknowntz
c='.cron_jobs[] | select(.file == "/etc/crontab")'
jqt "unknown cron: CRON_TZ applies if cron is cronie or systemd-cron" "$j" \
    "[$c | select(.line == 4)] | .[0].time_zone | contains(\"Asia/Tokyo if cron is cronie or systemd-cron\")"
jqt "unknown cron: TZ applies only if cron is systemd-cron" "$j" \
    "[$c | select(.line == 2)] | .[0].time_zone | contains(\"UTC if cron is systemd-cron\")"

finish

#!/bin/bash
# history_tz.sh - syslog's zoneless local times put in UTC with the
# image's own time zone (/etc/localtime a relative symlink, as Debian
# writes it, to the TZif file of Europe/Berlin, copied into the image from
# the host's tzdata), on both
# sides of a DST change; failed logins from btmp (400-byte utmp records,
# 64-bit time), a wtmp login (384-byte records, 32-bit time) and
# lastlog's per-uid records, all written by this test.
. "$(dirname "$0")/lib.sh"
zi=/usr/share/zoneinfo/Europe/Berlin
[ -f "$zi" ] || skip "host has no tzdata file $zi"

spec=$SCRATCH/tz.spec
cp "$SPECS/infected-debian.spec" "$spec"
cmd='/var/tmp/qCVwOWA >/dev/null 2>&1'

python3 - "$SCRATCH" <<'PY'
import struct, sys, os
d = sys.argv[1]
head = lambda t, pid, line, user, host: struct.pack(
    '<hxxi32s4s32s256shh', t, pid, line, line[-4:], user, host, 0, 0)
# wtmp, 384 bytes: int32 session, int32 tv_sec, int32 tv_usec
w = head(7, 880, b'pts/0', b'www-data', b'198.51.100.7') + \
    struct.pack('<iii4i20s', 0, 1428393492, 250000, 0, 0, 0, 0, b'')
assert len(w) == 384
open(os.path.join(d, 'wtmp'), 'wb').write(w)
# btmp, 400 bytes: int64 session, int64 tv_sec, int64 tv_usec
b = b''
for i, t in enumerate((1428393400, 1428393410)):
    b += head(6, 870 + i, b'ssh:notty', b'admin', b'203.0.113.5') + \
         struct.pack('<qqq4i20s4x', 0, t, 0, 0, 0, 0, 0, b'')
assert len(b) == 800
open(os.path.join(d, 'btmp'), 'wb').write(b)
# lastlog: one 292-byte record per uid; uid 0 never logged in, uid 33 did
ll = b'\0' * 292 * 33 + struct.pack('<i32s256s', 1428393492, b'pts/0',
                                    b'198.51.100.7')
open(os.path.join(d, 'lastlog'), 'wb').write(ll)
PY

cat >>"$spec" <<SPEC
dir /usr/share/zoneinfo/Europe 0755
file /usr/share/zoneinfo/Europe/Berlin 0644 copy $zi
symlink /etc/localtime ../usr/share/zoneinfo/Europe/Berlin
file /etc/timezone 0644 text "Europe/Berlin\n"
dir /var/log 0755
file /var/log/syslog 0640 text "Mar 28 12:00:01 web1 CRON[90]: (root) CMD (/usr/local/bin/report)\nApr  7 10:15:01 web1 CRON[100]: (www-data) CMD ($cmd)\nApr 30 23:45:01 web1 CRON[301]: (www-data) CMD ($cmd)\n"
time /var/log/syslog 2015-05-01T00:00:00Z
file /var/log/auth.log 0640 text "Apr  7 09:58:12 web1 sshd[880]: Accepted password for www-data from 198.51.100.7 port 50122 ssh2\n"
time /var/log/auth.log 2015-04-30T00:00:00Z
file /var/log/wtmp 0664 copy $SCRATCH/wtmp
file /var/log/btmp 0660 copy $SCRATCH/btmp
file /var/log/lastlog 0664 copy $SCRATCH/lastlog
SPEC

build tz --spec "$spec" --layout bare
img=$SCRATCH/tz
run_scan "$SCRATCH/t.json" -f json "$img"
expect_rc 1 "infected image with a time zone"
j=$SCRATCH/t.json
H='.execution_history'
jqt "syslog's source names the zone and how it was found" "$j" "
  $H.log_sources[] | select(.path == \"/var/log/syslog\") | .time_zone == \"Europe/Berlin\"
  and (.time_zone_source | test(\"/etc/localtime is a symlink to ../usr/share/zoneinfo/Europe/Berlin; rules from the image's TZif file /usr/share/zoneinfo/Europe/Berlin\"))
  and (.local_time_as_utc | not)"
jqt "CEST (+02:00): first run 10:15:01 local is 08:15:01 UTC" "$j" "
  $H.jobs[] | select(.user == \"www-data\") | .first_run == \"2015-04-07T08:15:01.000000000Z\"
  and .last_run == \"2015-04-30T21:45:01.000000000Z\""
jqt "CET (+01:00) the day before the change: 12:00:01 local is 11:00:01 UTC" "$j" "
  $H.jobs[] | select(.command == \"/usr/local/bin/report\") | .first_run == \"2015-03-28T11:00:01.000000000Z\""
jqt "sshd line converted too" "$j" "
  any($H.logins[]; .kind == \"accepted\" and .time == \"2015-04-07T07:58:12.000000000Z\")"
jqt "story: first run in UTC, says the zone, year-inferred certainty" "$j" '
  .story[] | select(.kind == "first_cron_run") | .time == "2015-04-07T08:15:01.000000000Z"
  and (.source | test("local time in Europe/Berlin, converted to UTC")) and .certainty == "medium"'
jqt "binary records keep their UTC times (wtmp, 384-byte, 32-bit time)" "$j" "
  [$H.logins[] | select(.kind == \"login\" and .line == \"pts/0\" and .time == \"2015-04-07T07:58:12.250000000Z\")] | length == 1"
jqt "btmp failed logins (400-byte records, 64-bit time)" "$j" "
  [$H.logins[] | select(.kind == \"failed\" and .user == \"admin\" and .host == \"203.0.113.5\")] | map(.time) ==
  [\"2015-04-07T07:56:40.000000000Z\", \"2015-04-07T07:56:50.000000000Z\"]"
jqt "btmp source is a btmp" "$j" "
  $H.log_sources[] | select(.path == \"/var/log/btmp\") | .kind == \"btmp\" and .records == 2 and .time_zone == null"
jqt "lastlog: only uid 33's record, indexed by uid" "$j" "
  [$H.logins[] | select(.kind == \"last_login\")] | length == 1 and .[0].user == \"uid 33\"
  and .[0].host == \"198.51.100.7\" and .[0].line == \"pts/0\" and .[0].time == \"2015-04-07T07:58:12.000000000Z\""

run_scan "$SCRATCH/t.txt" -f text "$img"
check "text: the zone of the syslog source" grep -q 'zone: Europe/Berlin (/etc/localtime is a symlink' "$SCRATCH/t.txt"

# Only /etc/timezone and no zoneinfo in the image: the name from the
# image, the rules from the examining host's tzdata, and the report says so
spec2=$SCRATCH/tz2.spec
grep -v '^symlink /etc/localtime\|zoneinfo' "$spec" >"$spec2"
build tz2 --spec "$spec2" --layout bare
run_scan "$SCRATCH/t2.json" -f json "$SCRATCH/tz2"
jqt "zone named by /etc/timezone, rules from the host's tzdata, said so" "$SCRATCH/t2.json" "
  $H.log_sources[] | select(.path == \"/var/log/syslog\") | .time_zone == \"Europe/Berlin\"
  and (.time_zone_source | test(\"named by /etc/timezone; rules from the examining host's tzdata\"))"
jqt "and applied" "$SCRATCH/t2.json" "
  $H.jobs[] | select(.user == \"www-data\") | .first_run == \"2015-04-07T08:15:01.000000000Z\""
finish

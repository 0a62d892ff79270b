#!/bin/bash
# deleted.sh - ext2: backdoor and crontab deleted, content recoverable.
. "$(dirname "$0")/lib.sh"

build del --spec "$SPECS/deleted.spec" --fs ext2
run_scan "$SCRATCH/del.json" -f json "$SCRATCH/del"
expect_rc 1 "deleted"
j=$SCRATCH/del.json
json_valid "$j" deleted
jqt "ext2 examined" "$j" 'any(.volumes[]; .fs_type == "ext2" and .state == "examined")'
jqt "deleted /var/tmp/aBcDeFg found malicious, deleted" "$j" \
    'any(.findings[]; .path == "/var/tmp/aBcDeFg" and .deleted == true and .verdict == "malicious")'
has_reason "$j" /var/tmp/aBcDeFg YARA_MATCH
jqt "deleted backdoor's dtime recorded" "$j" \
    'any(.findings[]; .path == "/var/tmp/aBcDeFg" and .times.dtime == "2015-05-01T00:00:00.000000000Z")'
jqt "deleted crontab listed as deleted and readable" "$j" \
    'any(.crontabs[]; .path == "/var/spool/cron/crontabs/www-data" and .deleted == true and .readable == true)'
jqt "deleted crontab's job parsed, every 15 minutes" "$j" \
    '([.crontabs[] | select(.path == "/var/spool/cron/crontabs/www-data") | .index]) as $c
     | any(.cron_jobs[]; (.crontab as $x | $c | index($x)) != null
           and .every_15_minutes == true and (.command | startswith("/var/tmp/aBcDeFg")))'
# ZyXwVuT's block map was wiped: its bytes read as zeros, so no YARA hit.
jqt "wiped deleted file has no YARA match" "$j" \
    'all(.findings[], .examined[]; .path != "/var/tmp/ZyXwVuT" or (.yara | length) == 0)'
check_timeline_sorted "$j"
jqt "timeline has a deletion event" "$j" 'any(.timeline[]; .event == "d")'
finish

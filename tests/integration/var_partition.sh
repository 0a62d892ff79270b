#!/bin/bash
# var_partition.sh - a server whose /var is a partition of its own: the
# crontab (/var/spool/cron/crontabs) and the backdoor (/var/tmp) both
# live on it, at /spool/... and /tmp/... of that file system.  The volume
# must be examined at /var and report the paths the server saw.  The
# root's fstab names placeholder UUIDs that match no volume: the /var
# volume is taken for its entry from its content, said to be inferred.
. "$(dirname "$0")/lib.sh"

build srv --spec "$SPECS/var-partition.spec" --layout two-fs \
    --decoy-spec "$SPECS/root-partition.spec" --size-mb 24
run_scan "$SCRATCH/srv.json" -f json "$SCRATCH/srv"
expect_rc 1 "separate /var partition"
j=$SCRATCH/srv.json
json_valid "$j" srv
jqt "two volumes examined, the second inferred as /var" "$j" \
    '[.volumes[] | select(.state == "examined")] | length == 2
     and .[0].mount_point == null and .[1].mount_point == "/var"'
jqt "the spool crontab is reported at its /var path" "$j" \
    'any(.crontabs[]; .volume == 1 and .path == "/var/spool/cron/crontabs/www-data")'
jqt "the 15-minute job resolves to /var/tmp/qCVwOWA on the /var volume" "$j" \
    'any(.cron_jobs[]; .every_15_minutes and .programs[0].status == "found"
         and .programs[0].resolved == "/var/tmp/qCVwOWA")'
jqt "the backdoor is malicious and reported under /var/tmp" "$j" \
    'any(.findings[]; .volume == 1 and .path == "/var/tmp/qCVwOWA" and .verdict == "malicious"
         and any(.reasons[]; .code == "CRON_15MIN_TEMP_PROGRAM"))'
jqt "a program on the root file system is resolved there through the mount table" "$j" \
    'any(.cron_jobs[]; .programs[0].as_written == "/usr/local/bin/backup"
         and .programs[0].status == "found"
         and .programs[0].resolved == "/usr/local/bin/backup")
     and any(.examined[]; .path == "/usr/local/bin/backup" and .volume == 0)
     and ([.findings[] | select(.path == "/usr/local/bin/backup")] | length == 0)'
jqt "nothing is reported at the partition-root paths" "$j" \
    '[.findings[], .examined[], .crontabs[] | (.path // "") | select(startswith("/spool") or startswith("/tmp/qCVwOWA"))] | length == 0'
run_scan "$SCRATCH/srv.txt" "$SCRATCH/srv"
check "text report says the mount point was inferred" grep -q 'mounted at (inferred) /var' "$SCRATCH/srv.txt"
finish

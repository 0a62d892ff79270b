#!/bin/bash
# spool_layouts.sh - per-user crontabs in the RHEL (/var/spool/cron/USER)
# and FreeBSD (/var/cron/tabs/USER) locations; FreeBSD-branded backdoor.
. "$(dirname "$0")/lib.sh"

build rhel --spec "$SPECS/infected-rhel.spec"
run_scan "$SCRATCH/rhel.json" -f json "$SCRATCH/rhel"
expect_rc 1 "RHEL"
j=$SCRATCH/rhel.json
json_valid "$j" RHEL
jqt "RHEL: crontab /var/spool/cron/apache, owner apache" "$j" \
    'any(.crontabs[]; .path == "/var/spool/cron/apache" and .owner == "apache" and .system == false)'
jqt "RHEL: backdoor job every 15 minutes" "$j" \
    'any(.cron_jobs[]; .file == "/var/spool/cron/apache" and .every_15_minutes == true
         and any(.programs[]; .resolved == "/var/tmp/PlKmNbV" and .status == "found"))'
jqt "RHEL: /var/tmp/PlKmNbV malicious" "$j" \
    'any(.findings[]; .path == "/var/tmp/PlKmNbV" and .verdict == "malicious")'
has_reason "$j" /var/tmp/PlKmNbV YARA_MATCH
has_reason "$j" /var/tmp/PlKmNbV CRON_15MIN_TEMP_PROGRAM
jqt "RHEL: cron.d/0hourly parsed, not 15-minute" "$j" \
    'any(.cron_jobs[]; .file == "/etc/cron.d/0hourly" and .user == "root" and .every_15_minutes == false)'
check_timeline_sorted "$j"

build bsd --spec "$SPECS/infected-freebsd.spec"
run_scan "$SCRATCH/bsd.json" -f json "$SCRATCH/bsd"
expect_rc 1 "FreeBSD"
j=$SCRATCH/bsd.json
json_valid "$j" FreeBSD
jqt "FreeBSD: crontab /var/cron/tabs/www, owner www" "$j" \
    'any(.crontabs[]; .path == "/var/cron/tabs/www" and .owner == "www" and .system == false)'
jqt "FreeBSD: backdoor job every 15 minutes" "$j" \
    'any(.cron_jobs[]; .file == "/var/cron/tabs/www" and .every_15_minutes == true
         and any(.programs[]; .resolved == "/tmp/XuWqEzA" and .status == "found"))'
jqt "FreeBSD: /tmp/XuWqEzA malicious, OSABI 9" "$j" \
    'any(.findings[]; .path == "/tmp/XuWqEzA" and .verdict == "malicious" and .elf.osabi == 9)'
has_reason "$j" /tmp/XuWqEzA YARA_MATCH
jqt "FreeBSD: */5 atrun and */11 save-entropy are not 15-minute jobs" "$j" \
    'all(.cron_jobs[]; (.file == "/etc/crontab") as $sys | ($sys and .every_15_minutes) | not)'
jqt "FreeBSD: system crontab user field read" "$j" \
    'any(.cron_jobs[]; .file == "/etc/crontab" and .user == "operator")'
finish

#!/bin/bash
# ufs.sh - a FreeBSD server on UFS1 (built with makefs, no root): the
# FreeBSD cron spool /var/cron/tabs and a FreeBSD-branded packed backdoor.
#
# UFS2 is not covered: Debian's makefs (a NetBSD port) writes the UFS2
# superblock at 8 KiB, where libtsk 4.11 does not look (it expects
# FreeBSD's 64 KiB), so no UFS2 fixture can be built here without root.
. "$(dirname "$0")/lib.sh"

command -v makefs >/dev/null 2>&1 || skip "makefs (package makefs) not installed"

root=$SCRATCH/root
mkdir -p "$root/var/cron/tabs" "$root/var/tmp" "$root/tmp" "$root/etc"
"$MKPACKED" --osabi 9 -o "$root/var/tmp/qCVwOWA" >/dev/null || die "mkpacked failed"
chmod 0755 "$root/var/tmp/qCVwOWA"
printf '*/15 * * * * /var/tmp/qCVwOWA >/dev/null 2>&1\n' >"$root/var/cron/tabs/www"
printf 'SHELL=/bin/sh\n0 3 * * * root /usr/libexec/save-entropy\n' >"$root/etc/crontab"
touch -d 2015-04-07T10:00:00Z "$root/var/tmp/qCVwOWA"
makefs -t ffs -o version=1 -s 8m "$SCRATCH/ufs1.img" "$root" >/dev/null ||
    die "makefs failed"

run_scan "$SCRATCH/u.json" -f json "$SCRATCH/ufs1.img"
expect_rc 1 "ufs1"
j=$SCRATCH/u.json
json_valid "$j" ufs1
jqt "volume is UFS1 and examined" "$j" \
    '.volumes | length == 1 and .[0].fs_type == "ufs1" and .[0].state == "examined"'
jqt "FreeBSD spool crontab read" "$j" \
    'any(.crontabs[]; .path == "/var/cron/tabs/www" and .owner == "www")'
jqt "15-minute job resolves to the backdoor" "$j" \
    'any(.cron_jobs[]; .every_15_minutes and .user == "www" and .programs[0].status == "found" and .programs[0].resolved == "/var/tmp/qCVwOWA")'
jqt "backdoor malicious, FreeBSD OS ABI" "$j" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious" and .elf.osabi == 9 and any(.reasons[]; .code == "YARA_MATCH"))'
jqt "mtime as planted" "$j" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .times.mtime == "2015-04-07T10:00:00.000000000Z")'
jqt "a program absent from the image is reported missing" "$j" \
    'any(.cron_jobs[]; .programs[0].as_written == "/usr/libexec/save-entropy" and .programs[0].status == "missing")'
finish

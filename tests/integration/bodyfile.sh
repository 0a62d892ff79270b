#!/bin/bash
# bodyfile.sh - -f bodyfile output is a TSK 3.x bodyfile that mactime
# reads, and it carries the backdoor with its 2015-04-07 mtime.
. "$(dirname "$0")/lib.sh"
has_tool mactime || skip "mactime (sleuthkit) not installed"

build deb --spec "$SPECS/infected-debian.spec"
run_scan "$SCRATCH/out.body" -f bodyfile "$SCRATCH/deb"
expect_rc 1 "bodyfile"
b=$SCRATCH/out.body
check "bodyfile not empty" test -s "$b"
check "every bodyfile line has 11 |-separated fields" \
    bash -c '! awk -F"|" "NF != 11 { bad = 1 } END { exit !bad }" "$1"' _ "$b"
check "bodyfile has the backdoor" grep -q '/var/tmp/qCVwOWA' "$b"
check "backdoor line carries its md5" \
    bash -c 'grep "/var/tmp/qCVwOWA" "$1" | grep -qE "^[0-9a-f]{32}\|"' _ "$b"
mactime -b "$b" -z UTC -d >"$SCRATCH/mactime.csv" 2>"$SCRATCH/mactime.err"
check "mactime -b accepts the bodyfile" test $? -eq 0 -a ! -s "$SCRATCH/mactime.err"
check "mactime shows the 2015-04-07 modification of qCVwOWA" \
    bash -c 'grep "qCVwOWA" "$1" | grep -q "Apr 07 2015 10:00:00,[0-9]*,m"' _ "$SCRATCH/mactime.csv"
finish

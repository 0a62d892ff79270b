#!/bin/bash
# unpack_emu.sh - a packer variant the static unpacker cannot read (key in
# `mov ebx, imm32`, limit by push/pop, buffer and length through eax,
# junk between the steps) inside an image: the scan unpacks it by
# emulating the stub, reports method "emulation", the C&C indicators and
# the verdict; a canonical stub beside it is still unpacked statically;
# an endless-loop stub ends within the emulator's limits with both
# unpackers' reasons.
. "$(dirname "$0")/lib.sh"

mkdir -p "$SCRATCH/spec" "$SCRATCH/evidence" "$SCRATCH/rep"

# inert Perl text shaped like the backdoor (facts §4); nothing here runs
cat >"$SCRATCH/spec/cc.pl" <<'PERL'
#!/usr/bin/perl
# mumblescan test fixture: inert text shaped like the Mumblehard backdoor
use strict;
my @cc = ('194.54.81.163', 'advertise.com', 'behance.net');
my $ua = 'Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/2.0.11 Firefox/7.0.1';
sub parse { my $h = shift; return $1 if $h =~ /Set-Cookie: PHPSESSID=([^;\r\n]+)/; }
print "inert\n";
PERL
cat >"$SCRATCH/spec/emu.spec" <<'SPEC'
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /var/spool/cron/crontabs 1730
file /var/spool/cron/crontabs/www-data 0600 text "*/15 * * * * /var/tmp/vArIaNt >/dev/null 2>&1\n"
dir /var/tmp 1777
file /var/tmp/vArIaNt 0755 packed --live --key 6 --limit 0x20 --keyload movebx --limitload pushpop --argload viaeax --junk 2 --limit-first --script cc.pl
dir /tmp 1777
file /tmp/cAnOnIc 0755 packed --live --key 4 --script cc.pl
file /tmp/lOoPiNg 0755 packed --hostile loop --keyload movebx
SPEC

build evidence/emu.img --spec "$SCRATCH/spec/emu.spec" --layout bare
IMG=$SCRATCH/evidence/emu.img
cc_sha=$(sha256sum <"$SCRATCH/spec/cc.pl" | cut -d' ' -f1)

J=$SCRATCH/rep/emu.json
run_scan "$J" -f json "$IMG"
expect_rc 1 "infected image"
json_valid "$J" "emulation image"
jqt "verdict malicious" "$J" '.summary.verdict == "malicious"'

V='.findings[] | select(.path == "/var/tmp/vArIaNt")'
jqt "variant unpacked by emulation" "$J" \
    "[$V | .unpacked | .status, .method] == [\"unpacked\", \"emulation\"]"
jqt "variant script hash, interpreter, kind" "$J" --arg h "$cc_sha" \
    "[$V | .unpacked | .sha256 == \$h and .interpreter == \"/usr/bin/perl\" and .kind == \"backdoor\"] == [true]"
jqt "variant key/limit seen at the loop" "$J" \
    "[$V | .unpacked | [.key, .limit, .wrap, .step]] == [[6, 32, 128, 16]]"
jqt "variant C&C address is a known indicator" "$J" \
    "[$V | .unpacked.indicators[] | select(.value == \"194.54.81.163\" and .class == \"known\")] | length == 1"
has_reason "$J" /var/tmp/vArIaNt C2_INDICATOR
has_reason "$J" /var/tmp/vArIaNt UNPACKED_SCRIPT
jqt "summary reason names the emulation" "$J" \
    "[$V | .reasons[] | select(.code == \"UNPACKED_SCRIPT\") | .text | test(\"by emulating the stub\")] == [true]"

C='.findings[] | select(.path == "/tmp/cAnOnIc")'
jqt "canonical stub unpacked statically, same script" "$J" --arg h "$cc_sha" \
    "[$C | .unpacked | .method == \"static\" and .sha256 == \$h] == [true]"

L='.findings[] | select(.path == "/tmp/lOoPiNg")'
jqt "endless-loop stub: failed with both reasons" "$J" \
    "[$L | .unpacked | .status == \"failed\" and .method == null and (.failure | test(\"^static: \")) and (.failure | test(\"emulation: .*instruction limit\"))] == [true]"
has_reason "$J" /tmp/lOoPiNg UNPACK_FAILED

T=$SCRATCH/rep/emu.txt
run_scan "$T" -f text "$IMG"
check "text report names the method" grep -q 'method *emulation' "$T"
H=$SCRATCH/rep/emu.html
run_scan "$H" -f html "$IMG"
check "HTML report names the method" grep -q 'Unpack method</th><td[^>]*>emulation' "$H"
finish

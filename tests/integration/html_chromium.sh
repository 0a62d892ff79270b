#!/bin/bash
# html_chromium.sh - the HTML report of the sample image renders in
# headless Chromium to a non-trivial PNG and a multi-page PDF that holds
# the verdict.  Skipped (77) when chromium is not installed.
. "$(dirname "$0")/lib.sh"

chrome=
for c in chromium chromium-browser google-chrome; do
    has_tool "$c" && chrome=$c && break
done
[ -n "$chrome" ] || skip "chromium is not installed"

run_scan "$SCRATCH/r.html" -f html --hash "$SRCDIR/images/sample.E01"
expect_rc 1 "sample, html"

# No network, no profile, no GPU: the report must render on its own.
render() {
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$(mktemp -d "$SCRATCH/prof.XXXXXX")" \
        "$@" "file://$SCRATCH/r.html" >"$SCRATCH/chrome.log" 2>&1
}
render --screenshot="$SCRATCH/r.png" --window-size=1280,2000
check "PNG written" test -s "$SCRATCH/r.png"
check "PNG signature" bash -c "head -c 8 '$SCRATCH/r.png' | od -An -tx1 | tr -d ' \n' | grep -q 89504e470d0a1a0a"
check "PNG is not trivial (> 50 kB)" test "$(wc -c <"$SCRATCH/r.png")" -gt 50000

render --print-to-pdf="$SCRATCH/r.pdf" --no-pdf-header-footer
check "PDF written" test -s "$SCRATCH/r.pdf"
check "PDF signature" bash -c "head -c 5 '$SCRATCH/r.pdf' | grep -q '%PDF-'"
check "PDF is not trivial (> 30 kB)" test "$(wc -c <"$SCRATCH/r.pdf")" -gt 30000
if has_tool pdfinfo && has_tool pdftotext; then
    pages=$(pdfinfo "$SCRATCH/r.pdf" | awk '/^Pages:/ { print $2 }')
    check "PDF has several pages (got ${pages:-?})" test "${pages:-0}" -ge 3
    pdftotext "$SCRATCH/r.pdf" "$SCRATCH/r.txt"
    check "PDF text holds the verdict" grep -q 'VERDICT: malicious' "$SCRATCH/r.txt"
    check "PDF text holds the backdoor's path" grep -q 'qCVwOWA' "$SCRATCH/r.txt"
    # Major sections start on a new page (print CSS break-before).
    check "timeline starts a page" bash -c \
        "for i in \$(seq 1 $pages); do pdftotext -f \$i -l \$i '$SCRATCH/r.pdf' - | head -n1; done | grep -q '^Timeline'"
    if has_tool pdftoppm; then
        pdftoppm -r 40 -png -f 1 -l 1 "$SCRATCH/r.pdf" "$SCRATCH/page"
        check "PDF page 1 rasterises" bash -c "ls '$SCRATCH'/page*.png >/dev/null 2>&1"
    fi
else
    say "note: poppler-utils missing, PDF content not inspected"
fi
finish

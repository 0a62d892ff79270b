#!/usr/bin/env bash
# Run the INSTALLED mumblescan on the sample image: it must find its
# installed rules (not the source tree's) and report the infection.
# Usage: installcheck.sh BINARY RULESDIR SAMPLE
set -u
bin=$1 rulesdir=$2 sample=$3
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$bin" -f json "$sample" >"$out"
rc=$?
[ "$rc" -eq 1 ] || { echo "installcheck: exit status $rc, expected 1"; exit 1; }
jq -e --arg d "$rulesdir" '.scan.rules | startswith($d)' "$out" >/dev/null ||
    { echo "installcheck: rules not taken from $rulesdir"; exit 1; }
jq -e 'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious")' \
    "$out" >/dev/null || { echo "installcheck: backdoor not found"; exit 1; }
"$bin" --version >/dev/null || exit 1
echo "installcheck: installed binary OK"

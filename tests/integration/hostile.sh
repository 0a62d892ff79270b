#!/bin/bash
# hostile.sh - hostile image content: a 100 kB crontab line, NUL bytes,
# CRLF, escape sequences, invalid UTF-8, symlink loop and root escape run
# by cron, self-referencing directory symlinks, /tmp nested 80 deep.
# The scan must end normally with valid, escaped output.
. "$(dirname "$0")/lib.sh"

build h --spec "$SPECS/hostile.spec"
img=$SCRATCH/h

# ctrl_bytes FILE: count of C0 control bytes other than TAB/LF, and DEL.
ctrl_bytes() {
    local all kept
    all=$(wc -c <"$1")
    kept=$(tr -d '\000-\010\013-\037\177' <"$1" | wc -c)
    echo $((all - kept))
}
utf8_ok() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }

run_scan "$SCRATCH/h.json" -f json "$img"
expect_rc "0|1" "hostile, json"
j=$SCRATCH/h.json
json_valid "$j" hostile
check "JSON output is valid UTF-8" utf8_ok "$j"
check "JSON output has no raw control bytes" test "$(ctrl_bytes "$j")" -eq 0
jqt "symlink loop /tmp/a unresolved" "$j" \
    'any(.cron_jobs[].programs[]; .as_written == "/tmp/a" and .status == "unresolved" and .resolved == null)'
# A link that climbs above the root stops at the IMAGE's root, as in a
# chroot: it must name the image's /etc/passwd, never the host's.
img_passwd_sha=$(printf 'root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n' | sha256sum | cut -d' ' -f1)
jqt "root escape /tmp/esc stays inside the image" "$j" \
    'any(.cron_jobs[].programs[]; .as_written == "/tmp/esc" and .status == "found" and .resolved == "/etc/passwd")'
jqt "root escape read the image's passwd, not the host's" "$j" --arg h "$img_passwd_sha" \
    'any((.findings + .examined)[]; .path == "/etc/passwd" and .hashes.sha256 == $h)'
jqt "parsing went on after the 100 kB line (job on line 4)" "$j" \
    'any(.cron_jobs[]; .line == 4 and (.command | startswith("/tmp/a")))'
jqt "job after NUL bytes keeps its line number (9)" "$j" \
    'any(.cron_jobs[]; .line == 9 and .every_15_minutes == true)'
jqt "the 100 kB line is parsed, or the crontab lists it as rejected" "$j" \
    'any(.cron_jobs[]; .line == 3 and (.command | startswith("/usr/bin/echo AAAA")))
     or any(.crontabs[]; .path == "/var/spool/cron/crontabs/www-data" and any(.rejected_lines[]; .line == 3))'
jqt "packed file with 0xff in its name found, raw name kept as path_hex" "$j" \
    'any(.findings[]; (.path_hex // "" | ascii_downcase) == "2f746d702f626164ff6e616d65" and .verdict == "malicious")'
jqt "every non-UTF-8 path has a path_hex" "$j" \
    'all(.findings[], .examined[]; ((.path | test("\\\\x")) | not) or .path_hex != null)'
jqt "crontab with a 200-byte name is listed" "$j" \
    'any(.crontabs[]; .path | endswith("xxxxxxxxxxxxxxxxxxxx"))'

run_scan "$SCRATCH/h.txt" "$img"
expect_rc "0|1" "hostile, text"
check "text output is not empty" test -s "$SCRATCH/h.txt"
check "text output has no raw control bytes" test "$(ctrl_bytes "$SCRATCH/h.txt")" -eq 0
check "text output is valid UTF-8" utf8_ok "$SCRATCH/h.txt"
check "text output names the symlink loop" grep -q '/tmp/a' "$SCRATCH/h.txt"

run_scan "$SCRATCH/h.body" -f bodyfile "$img"
expect_rc "0|1" "hostile, bodyfile"
check "bodyfile output has no raw control bytes" test "$(ctrl_bytes "$SCRATCH/h.body")" -eq 0
check "bodyfile lines have 11 fields" \
    bash -c '! awk -F"|" "NF != 11 { bad = 1 } END { exit !bad }" "$1"' _ "$SCRATCH/h.body"

# Depth bound: with --max-depth 8 nothing 80 levels down is reported.
run_scan "$SCRATCH/d.json" -f json --max-depth 8 "$img"
expect_rc "0|1" "hostile, --max-depth 8"
jqt "--max-depth 8: deep file not examined" "$SCRATCH/d.json" \
    'all(.findings[], .examined[]; (.path | endswith("zQxWvEr")) | not)'
jqt "the depth limit is reported" "$j" \
    '(.errors | length) > 0 or any(.findings[], .examined[]; any(.reasons[]; .code == "SCAN_TRUNCATED"))'
jqt "--max-depth 8: no examined path deeper than 12 components" "$SCRATCH/d.json" \
    'all(.findings[], .examined[]; (.path | split("/") | length) <= 12)'
jqt "executables whose names hide (ESC, invalid UTF-8) are flagged" "$j" \
    '[(.findings[] | select(any(.reasons[]; .code == "TEMP_EXEC_HIDDEN_NAME")) | .path_hex // .path)] | length >= 2'
finish

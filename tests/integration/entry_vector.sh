#!/bin/bash
# entry_vector.sh - web roots from the default places and from Apache and
# nginx configuration, web-shell look-alikes found (benign PHP not),
# scripts near the backdoor's birth (--window), requests to them from
# plain and gzip-rotated access logs with the first one marked, and the
# TIME_* reasons on back-dated files (times set with the spec and with
# debugfs -w on the test's own image file).
. "$(dirname "$0")/lib.sh"
has_tool gzip || skip "gzip missing"
has_tool debugfs || skip "debugfs missing"

spec=$SCRATCH/entry.spec
cp "$SPECS/infected-debian.spec" "$spec"
# the older rotated log, gzip-compressed: the first request to the shell
printf '%s\n' \
  '203.0.113.5 - - [07/Apr/2015:09:56:10 +0200] "POST /up/x.php HTTP/1.1" 200 12 "-" "Mozilla/5.0 (inert test)"' \
  '198.51.100.7 - - [07/Apr/2015:10:01:00 +0000] "GET /index.php?p=1 HTTP/1.1" 200 512 "-" "curl/8"' \
  | gzip -9n > "$SCRATCH/access.log.2.gz"
gzhex=$(od -An -v -tx1 "$SCRATCH/access.log.2.gz" | tr -d ' \n')
php='<?php exit; /* mumblescan test fixture: inert */'
cat >>"$spec" <<SPEC
# --- entry vector ------------------------------------------------------
file /etc/apache2/apache2.conf 0644 text "ServerRoot \"/etc/apache2\"\nIncludeOptional sites-enabled/*.conf\n"
file /etc/apache2/sites-available/shop.conf 0644 text "<VirtualHost *:80>\n  ServerName shop.example\n  DocumentRoot \"/srv/shop/public\"\n  Alias /files/ \"/srv/files/\"\n</VirtualHost>\n"
symlink /etc/apache2/sites-enabled/shop.conf ../sites-available/shop.conf
file /etc/nginx/nginx.conf 0644 text "http {\n  include /etc/nginx/sites-enabled/*;\n}\n"
file /etc/nginx/sites-enabled/default 0644 text "server {\n  listen 80;\n  root \$document_root_unused;\n  location /dl/ { alias /srv/dl/; }\n}\n"
file /srv/shop/public/index.php 0644 text "<?php\n// front controller\nrequire __DIR__ . '/app.php';\n"
file /srv/shop/public/up/x.php 0644 text "$php\neval(\$_POST[\"k\"]);\n"
time /srv/shop/public/up/x.php 2013-01-01T00:00:00Z 2015-04-07T09:55:00Z 2015-04-07T09:55:00Z 2015-04-07T09:55:00Z
file /srv/dl/tools.php 0644 text "$php\nsystem(\$_GET[\"c\"]);\n"
time /srv/dl/tools.php 2015-04-08T00:00:00Z 2015-04-08T00:00:00Z 2015-04-01T00:00:00Z 2015-04-01T00:00:00Z
file /srv/files/readme.txt 0644 text "not a script\n"
file /var/www/html/benign.php 0644 text "<?php\nexec(\"ls /tmp\", \$out);\n\$d = base64_decode(\$_POST[\"data\"]);\nmove_uploaded_file(\$_FILES[\"f\"][\"tmp_name\"], \"/srv/up/x\");\n"
file /var/www/html/near.php 0644 text "<?php echo 'hello';\n"
time /var/www/html/near.php 2015-04-07T11:00:00Z
file /var/www/html/old.php 0644 text "<?php echo 'old';\n"
time /var/www/html/old.php 2014-01-01T00:00:00Z
file /var/log/apache2/access.log 0640 text "203.0.113.5 - - [07/Apr/2015:10:30:00 +0000] \"POST /up/x.php HTTP/1.1\" 200 40 \"-\" \"Mozilla/5.0 (inert test)\"\n203.0.113.5 - - [07/Apr/2015:10:45:00 +0000] \"POST /up/x.php HTTP/1.1\" 200 40 \"-\" \"Mozilla/5.0 (inert test)\"\n192.0.2.9 - - [08/Apr/2015:00:00:00 +0000] \"GET /up/x.php?cmd=id HTTP/1.0\" 500 0 \"-\" \"-\"\n198.51.100.8 - - [07/Apr/2015:11:05:00 +0000] \"GET /near.php HTTP/1.1\" 200 5 \"-\" \"bot\"\ngarbage line\n"
file /var/log/apache2/access.log.2.gz 0640 bytes $gzhex
file /var/log/nginx/access.log 0640 text "192.0.2.44 - - [09/Apr/2015:12:00:00 +0000] \"GET /dl/tools.php?c=uname HTTP/1.1\" 200 30 \"-\" \"Wget/1.0\"\n"
# touch -r /usr/bin/sh: the backdoor's mtime copied from a system program
time /usr/bin/sh 2014-06-01T12:00:00Z
time /var/tmp/qCVwOWA 2014-06-01T12:00:00Z 2015-04-30T23:45:01Z 2015-04-07T10:00:00Z 2015-04-07T10:00:00Z
SPEC

build entry --spec "$spec" --layout bare
img=$SCRATCH/entry
# The file system stores nanoseconds: give system programs non-zero ones,
# as a real installation has.
for p in /usr/bin/run-parts /usr/bin/test /usr/sbin/anacron; do
    debugfs -w -R "set_inode_field $p ctime_extra 0x00001000" "$img" >/dev/null 2>&1 ||
        die "debugfs set_inode_field on $p failed"
done

run_scan "$SCRATCH/e.json" -f json "$img"
expect_rc 1 "infected image with web shells"
j=$SCRATCH/e.json
jqt "web shell via Apache DocumentRoot (sites-enabled symlink) found" "$j" '
  any(.findings[]; .path == "/srv/shop/public/up/x.php" and (.origin | index("webroot"))
      and any(.yara[]?; .rule == "WebShell_PHP_Eval_Request"))'
jqt "web shell via nginx alias found" "$j" '
  any(.findings[]; .path == "/srv/dl/tools.php" and any(.yara[]?; .rule == "WebShell_PHP_Request_To_Exec"))'
jqt "benign PHP not reported" "$j" '
  all(.findings[], .examined[]; .path != "/var/www/html/benign.php" and .path != "/srv/shop/public/index.php")'
jqt "roots: config DocumentRoot with file:line, nginx alias prefix, default" "$j" '
  any(.entry.web_roots[]; .path == "/srv/shop/public" and .url_prefix == "/" and .source == "/etc/apache2/sites-available/shop.conf:3")
  and any(.entry.web_roots[]; .path == "/srv/dl" and .url_prefix == "/dl/")
  and any(.entry.web_roots[]; .path == "/srv/files" and .url_prefix == "/files/")
  and any(.entry.web_roots[]; .path == "/var/www/html" and .source == "default location")'
jqt "a root with an unresolvable variable is not invented" "$j" \
  'all(.entry.web_roots[]; (.path | test("\\$")) | not)'
jqt "mtime before birth on the back-dated shell" "$j" '
  any(.findings[]; .path == "/srv/shop/public/up/x.php" and any(.reasons[]; .code == "TIME_MTIME_BEFORE_BIRTH")
      and (.times_unreliable | index("mtime")))'
jqt "ctime before mtime" "$j" '
  any(.findings[]; .path == "/srv/dl/tools.php" and any(.reasons[]; .code == "TIME_CTIME_BEFORE_MTIME"))'
jqt "mtime copied from /usr/bin/sh (touch -r)" "$j" '
  any(.findings[]; .path == "/var/tmp/qCVwOWA" and any(.reasons[]; .code == "TIME_COPIED_FROM_SYSTEM_FILE" and (.text | test("/usr/bin/sh"))))'
jqt "zero nanoseconds on a file system that stores them" "$j" '
  any(.findings[]; .path == "/var/tmp/qCVwOWA" and any(.reasons[]; .code == "TIME_NSEC_ZERO"))'
jqt "anchor is the backdoor's crtime" "$j" '
  .entry.anchor.path == "/var/tmp/qCVwOWA" and (.entry.anchor.time | startswith("2015-04-07T10:00:00")) and .entry.anchor.certainty == "high"'
jqt "near.php listed near the backdoor's birth, old.php not" "$j" '
  any(.entry.nearby_scripts[]; .path == "/var/www/html/near.php" and .seconds_from_anchor == 3600)
  and all(.entry.nearby_scripts[]; .path != "/var/www/html/old.php")'
jqt "first request to the shell from the gzip-rotated log, with its fields" "$j" '
  any(.entry.requests[]; .path == "/srv/shop/public/up/x.php" and .first and .client == "203.0.113.5"
      and (.time | startswith("2015-04-07T07:56:10")) and .method == "POST" and .status == 200
      and .user_agent == "Mozilla/5.0 (inert test)" and .log == "/var/log/apache2/access.log.2.gz" and .line == 1)'
jqt "every request to the shell (query strings included), one first" "$j" '
  ([.entry.requests[] | select(.path == "/srv/shop/public/up/x.php")] | length == 4 and (map(select(.first)) | length) == 1)'
jqt "nginx alias request mapped to the file" "$j" '
  any(.entry.requests[]; .path == "/srv/dl/tools.php" and .client == "192.0.2.44" and .log == "/var/log/nginx/access.log")'
jqt "request to a nearby script kept" "$j" 'any(.entry.requests[]; .path == "/var/www/html/near.php")'
jqt "story: first web-shell request and the shell's creation" "$j" '
  (.entry.first_web_shell_request.time | startswith("2015-04-07T07:56:10"))
  and (.entry.first_web_shell_request.source | test("access.log.2.gz line 1"))
  and .entry.web_shell_created.path == "/srv/dl/tools.php"
  and (.entry.web_shell_created.time | startswith("2015-04-01T00:00:00"))'

run_scan "$SCRATCH/w.json" -f json --window 60 "$img"
jqt "--window 60 narrows the list" "$SCRATCH/w.json" '
  .entry.window_seconds == 60 and all(.entry.nearby_scripts[]; .path != "/var/www/html/near.php")'
run_scan "$SCRATCH/bad.out" --window=-5 "$img"
expect_rc 2 "--window rejects a negative value"

run_scan "$SCRATCH/e.txt" -f text "$img"
CHECKS=$((CHECKS + 1))
grep -q "ENTRY VECTOR" "$SCRATCH/e.txt" && grep -q "FIRST 203.0.113.5 POST /up/x.php" "$SCRATCH/e.txt" ||
    fail "text report lacks the entry vector section"
CHECKS=$((CHECKS + 1))
grep -q "2015-04-07T10:30:00.000000000Z .. 2015-04-07T10:45:00.000000000Z (2 requests) 203.0.113.5 POST /up/x.php" "$SCRATCH/e.txt" ||
    fail "text report: a dense run of requests is not collapsed to one line"

# the same requests and nearby scripts, one row each, in the event formats
run_scan "$SCRATCH/ev.out" -f csv,timesketch,bodyfile -o "$SCRATCH/ev" "$img"
nreq=$(jq '.entry.requests | length' "$j")
check "csv: one web_request row per kept request ($nreq)" \
    test "$(grep -c '^"web_request"' "$SCRATCH/ev/report.csv")" -eq "$nreq"
check "csv: the first request to the shell with client, method, status, user agent" \
    grep -q '^"web_request","2015-04-07T07:56:10.000000000Z",.*"/var/log/apache2/access.log.2.gz",.*"\[web_request first web_shell\] 203.0.113.5 POST /up/x.php status 200 user-agent ""Mozilla/5.0 (inert test)"" -> /srv/shop/public/up/x.php (line 1)"' "$SCRATCH/ev/report.csv"
check "csv: the nearby script's birth" \
    grep -q '^"web_script","2015-04-07T11:00:00.000000000Z",.*"/var/www/html/near.php"' "$SCRATCH/ev/report.csv"
check "timesketch: one web_request event per kept request" \
    test "$(grep -c '"data_type":"mumblescan:web_request"' "$SCRATCH/ev/report.timesketch.jsonl")" -eq "$nreq"
jqt "timesketch: the dense run kept individually, the first marked" "$SCRATCH/ev/report.timesketch.jsonl" --slurp '
  [.[] | select(.data_type == "mumblescan:web_request" and (.message | test("203.0.113.5 POST /up/x.php")))]
  | (map(.time) | sort) == ["2015-04-07T07:56:10.000000000Z","2015-04-07T10:30:00.000000000Z","2015-04-07T10:45:00.000000000Z"]
    and ([.[] | select(.message | startswith("[web_request first web_shell]")) | .time] == ["2015-04-07T07:56:10.000000000Z"])'
jqt "timesketch: nearby script with its inode" "$SCRATCH/ev/report.timesketch.jsonl" --slurp '
  any(.[]; .data_type == "mumblescan:web_script" and .path == "/var/www/html/near.php" and .inode != null
      and .timestamp_desc == "Web Script Birth Near Infection")'
check "bodyfile: the first request at its time" \
    grep -q '^0|v[0-9]*:\[web_request first web_shell\] 203.0.113.5 POST /up/x.php .* in /var/log/apache2/access.log.2.gz|0|-/----------|0|0|0|0|1428393370|' "$SCRATCH/ev/report.body"
check "bodyfile: the nearby script" \
    grep -q '^0|v[0-9]*:\[web_script crtime\] /var/www/html/near.php born 3600 s after' "$SCRATCH/ev/report.body"

run_scan "$SCRATCH/e.html" -f html "$img"
CHECKS=$((CHECKS + 1))
grep -q '<section id="entry">' "$SCRATCH/e.html" || fail "HTML report lacks the entry section"
[ -n "${MS_KEEP:-}" ] && cp "$SCRATCH"/e.json "$SCRATCH"/entry "$MS_KEEP"/
finish

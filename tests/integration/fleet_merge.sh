#!/bin/bash
# fleet_merge.sh - `mumblescan merge`: per-image results (real scans of
# fixture images built here, plus synthetic ones from tests/tools/fleetgen.py)
# merged into one fleet report: per host, per sample, per indicator,
# campaigns, duplicates, refusal of an incompatible schema, determinism
# under shuffled inputs, retro-hunt, STIX 2.1 and MISP validated against
# their published schemas, SQLite queryable, hostile strings escaped.
. "$(dirname "$0")/lib.sh"

FLEETGEN=$SRCDIR/tests/tools/fleetgen.py
VALIDATE=$SRCDIR/tests/tools/validate_schema.py
# Debian's python3 (python3-jsonschema), not a python of the user's PATH
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip "python3 is needed for the synthetic results"

# --- real per-image results ---------------------------------------------
# one SSH host key (a made-up ed25519 public key) shared by web07's snapshots
KEY1="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g root@web07"
host_spec() {  # NAME HOSTNAME BASE-SPEC MACHINE-ID ADDRESS [SSH-HOST-KEY]
    cp "$SPECS/$3" "$SCRATCH/$1.spec"
    [ -z "${6:-}" ] || echo "file /etc/ssh/ssh_host_ed25519_key.pub 0644 text \"$6\\n\"" >>"$SCRATCH/$1.spec"
    cat >>"$SCRATCH/$1.spec" <<SPEC
file /etc/hostname 0644 text "$2\n"
file /etc/os-release 0644 text "PRETTY_NAME=\"Debian GNU/Linux 8 (jessie)\"\nID=debian\nVERSION_ID=\"8\"\n"
file /etc/machine-id 0444 text "$4\n"
file /etc/network/interfaces 0644 text "auto eth0\niface eth0 inet static\n    address $5\n"
SPEC
    build "$1" --spec "$SCRATCH/$1.spec"
}
host_spec web07 web07.example.net infected-debian.spec 0123456789abcdef0123456789abcdef 198.51.100.7/24 "$KEY1"
host_spec web08 web08.example.net infected-debian.spec 0123456789abcdef0123456789abcd08 198.51.100.8/24
host_spec db01 db01.example.net clean.spec fedcba9876543210fedcba9876543210 198.51.100.21/24

R=$SCRATCH/results
mkdir -p "$R/real/web07" "$R/real/web08" "$R/real/db01"
for h in web07 web08 db01; do
    run_scan "$R/real/$h/report.json" -f json --hash "$SCRATCH/$h"
    expect_rc "0|1" "scan of $h"
    echo "a text report beside the JSON" >"$R/real/$h/report.txt"
done
# the same evidence scanned again (a re-run on another machine): a duplicate
mkdir -p "$R/rerun"
run_scan "$R/rerun/web07.json" -f json --hash --case OP-2 "$SCRATCH/web07"
expect_rc 1 "second scan of web07"
check "the rerun differs byte-wise from the first result" \
    bash -c "! cmp -s '$R/rerun/web07.json' '$R/real/web07/report.json'"
# a JSON file that is not a result is ignored in a directory walk
echo '{"something": "else"}' >"$R/real/other.json"

# --- synthetic results ---------------------------------------------------
"$PY" "$FLEETGEN" --seed 7 --infected 0.5 --examined 3 --hostile "$R/syn" 40 ||
    die "fleetgen failed"

run_scan "$SCRATCH/fleet.json" merge -f json --no-progress "$R"
expect_rc 0 "merge of real and synthetic results"
check "nothing on stderr but skipped-file notes" \
    bash -c "! grep -v 'skipped' '$SCRATCH/fleet.json.err' | grep -q ."
F=$SCRATCH/fleet.json
jqt "43 hosts: 3 real, 40 synthetic; the rerun is a duplicate" "$F" \
    '.summary.hosts == 43 and .inputs.results_read == 44'
jqt "the duplicate is reported once, under web07" "$F" '
    [.hosts[] | select(.duplicates | length > 0)] | length == 1 and
    (.[0].hostname == "web07.example.net") and (.[0].duplicates | length == 1)
    and ([.[0].duplicates[0].path, .[0].result.path] | sort | .[0] | endswith("real/web07/report.json"))
    and ([.[0].duplicates[0].path, .[0].result.path] | sort | .[1] | endswith("rerun/web07.json"))'
jqt "every input listed with its SHA-256, duplicate_of set for the rerun" "$F" '
    (.inputs.results | length) == 44 and
    ([.inputs.results[] | select(.duplicate_of != null)] | length) == 1 and
    all(.inputs.results[]; .sha256 | test("^[0-9a-f]{64}$"))'
want_digest=$(for f in $(find "$R" -name '*.json' ! -name other.json); do sha256sum "$f" | cut -c1-64; done |
    sort | sha256sum | cut -c1-64)
jqt "the digest is the SHA-256 over the sorted input hashes" "$F" \
    --arg d "$want_digest" '.inputs.digest == $d'

# per host
jqt "web07: malicious, identity, samples, cron lines, first infection" "$F" '
    any(.hosts[]; .hostname == "web07.example.net" and .verdict == "malicious"
        and .os == "Debian GNU/Linux 8 (jessie)"
        and .machine_id == "0123456789abcdef0123456789abcdef"
        and .addresses == ["198.51.100.7/24"]
        and (.evidence | startswith("media-sha256:"))
        and any(.samples[]; .path == "/var/tmp/qCVwOWA" and .script_sha256 != null)
        and any(.cron_lines[]; .file == "/var/spool/cron/crontabs/www-data"
                and .schedule == "*/15 * * * *" and (.command | contains("/var/tmp/qCVwOWA")))
        and .first_infection != null and .last_activity >= .first_infection)'
jqt "db01: clean, no samples" "$F" '
    any(.hosts[]; .hostname == "db01.example.net" and .verdict == "clean"
        and (.samples | length) == 0 and .first_infection == null)'
jqt "a host with a volume not examined says what and why" "$F" '
    any(.hosts[]; any(.not_examined[]; .what == "volume 1" and (.why | contains("thin"))))'
jqt "counts by verdict add up" "$F" \
    '(.summary.by_verdict | add) == .summary.hosts'
jqt "counts by OS release add up and name jessie" "$F" \
    '([.summary.by_os[].hosts] | add) == .summary.hosts and any(.summary.by_os[]; .os == "Debian GNU/Linux 8 (jessie)")'
jqt "infections by month add up to the hosts with a first infection" "$F" \
    '([.summary.infections_by_month[].hosts] | add) == ([.hosts[] | select(.first_infection != null)] | length)'

# per sample: the real backdoor is on web07 and web08 (the rerun adds nothing)
sha=$(jq -r '.findings[] | select(.path == "/var/tmp/qCVwOWA") | .hashes.sha256' "$R/real/web07/report.json")
jqt "the real backdoor: one sample on 2 hosts, recovered script hash kept" "$F" --arg s "$sha" '
    [.samples[] | select(.sha256 == $s)] | length == 1 and .[0].hosts == 2 and
    .[0].script_sha256 != null and
    ([.[0].seen_on[].hostname] | sort) == ["web07.example.net", "web08.example.net"]'
jqt "samples: hosts count equals the hosts that list it" "$F" '
    . as $r | all(.samples[]; . as $s | .hosts == ([$r.hosts[] | select(any(.samples[]; .sha256 == $s.sha256))] | length))'
jqt "sample first_seen <= last_seen and earliest host is the first sighting" "$F" '
    all(.samples[]; .first_seen <= .last_seen and .earliest_host == .seen_on[0].host
        and .first_seen == ([.seen_on[].first_seen] | min))'
# per indicator: C&C addresses from the synthetic scripts, decoys left out
jqt "C&C address indicators with their hosts; decoys are not indicators" "$F" '
    any(.indicators[]; .type == "ipv4" and (.value | startswith("194.54.81.")) and .hosts >= 1)
    and all(.indicators[]; .value != "ya.ru")'
jqt "indicator host counts equal the hosts that reference them" "$F" '
    . as $r | all(.indicators[]; . as $i |
        .hosts == ([$r.hosts[] | select(any(.indicators[]; .type == $i.type and .value == $i.value))] | length))'
# campaigns
jqt "campaigns sorted by hosts (desc) and point at the earliest victim" "$F" '
    ([.campaigns[].hosts] | . == (sort | reverse)) and
    all(.campaigns[]; .earliest_host == .host_ids[0])'
jqt "the campaign of the real sample names a real host first seen earliest" "$F" --arg s "$sha" '
    any(.campaigns[]; .kind == "sample" and .key == $s and .hosts == 2
        and (.earliest_hostname | test("^web0[78]")))'

# --- determinism: shuffled inputs, every format --------------------------
mapfile -t files < <(find "$R" -name '*.json' | sort)
mapfile -t shuffled < <(printf '%s\n' "${files[@]}" | sort -r)
for order in a b; do
    if [ $order = a ]; then set -- "${files[@]}"; else set -- "${shuffled[@]}"; fi
    run_scan "$SCRATCH/m$order.out" merge -f text,json,csv,html,sqlite,stix,misp \
        --generated 1500000000 --no-progress -o "$SCRATCH/out$order" "$@"
    expect_rc 0 "merge in order $order"
done
for f in fleet.txt fleet.json fleet.csv fleet.html fleet.stix.json fleet.misp.json; do
    check "$f: byte-identical for shuffled inputs" cmp "$SCRATCH/outa/$f" "$SCRATCH/outb/$f"
done
if has_tool sqlite3; then
    check "fleet.sqlite: same content for shuffled inputs" \
        cmp <(sqlite3 "$SCRATCH/outa/fleet.sqlite" .dump) <(sqlite3 "$SCRATCH/outb/fleet.sqlite" .dump)
fi
check "a file named on the command line that is not a result is listed as refused" \
    jq -e '.inputs.refused | length == 1 and (.[0].path | endswith("other.json"))' "$SCRATCH/outa/fleet.json" >/dev/null
run_scan "$SCRATCH/gen1.json" merge -f json --generated 1500000000 "$R"
run_scan "$SCRATCH/gen2.json" merge -f json --generated 1600000000 "$R"
check "only the documented run-time field differs between runs" \
    cmp <(jq 'del(.generated)' "$SCRATCH/gen2.json") <(jq 'del(.generated)' "$SCRATCH/gen1.json")
check "and it does differ" bash -c "! cmp -s '$SCRATCH/gen1.json' '$SCRATCH/gen2.json'"

# --- SQLite ---------------------------------------------------------------
if has_tool sqlite3; then
    db=$SCRATCH/outa/fleet.sqlite
    check "sqlite: one row per host" test "$(sqlite3 "$db" 'select count(*) from hosts')" = 43
    check "sqlite: the real sample's hosts by join" test "$(sqlite3 "$db" \
        "select group_concat(h.hostname, ',') from (select h.hostname from host_samples s join hosts h on h.id = s.host_id where s.sha256 = '$sha' order by 1) h")" \
        = "web07.example.net,web08.example.net"
    check "sqlite: every table is there" test "$(sqlite3 "$db" \
        "select count(*) from sqlite_master where type='table' and name in ('meta','inputs','refused','hosts','host_addresses','host_ssh_keys','samples','host_samples','indicators','host_indicators','cron_lines','not_examined','campaigns','campaign_hosts')")" = 14
    check "sqlite: the digest is in meta" test "$(sqlite3 "$db" "select value from meta where key='digest'")" \
        = "$(jq -r .inputs.digest "$SCRATCH/outa/fleet.json")"
else
    say "note: sqlite3 CLI missing, database not queried"
fi

# --- STIX 2.1 and MISP against the published schemas -----------------------
S=$SCRATCH/outa/fleet.stix.json
jqt "STIX: one indicator per distinct sample, many sightings" "$S" --arg s "$sha" '
    ([.objects[] | select(.type == "indicator" and (.pattern | contains($s)))] | length) == 1 and
    ([.objects[] | select(.type == "indicator" and (.pattern | contains($s)))][0].id) as $id |
    ([.objects[] | select(.type == "sighting" and .sighting_of_ref == $id)] | length) == 2'
want_mid=$("$PY" -c 'import uuid; print("malware--" + str(uuid.uuid5(uuid.UUID("6d756d62-6c65-4d75-8a5f-666c65657431"), "malware|Linux/Mumblehard")))')
jqt "STIX: ids are RFC 4122 UUIDv5 in the documented namespace" "$S" --arg m "$want_mid" \
    'any(.objects[]; .type == "malware" and .id == $m)'
jqt "STIX: ids are unique" "$S" '([.objects[].id] | length) == ([.objects[].id] | unique | length)'
jqt "STIX: the malware object and indicates relationships" "$S" '
    any(.objects[]; .type == "malware" and .name == "Linux/Mumblehard" and .is_family)
    and any(.objects[]; .type == "relationship" and .relationship_type == "indicates")
    and any(.objects[]; .type == "indicator" and (.pattern | startswith("[ipv4-addr:value = ")))'
M=$SCRATCH/outa/fleet.misp.json
jqt "MISP: attributes for samples and C&C addresses" "$M" --arg s "$sha" '
    any(.Event.Attribute[]; .type == "sha256" and .value == $s) and
    any(.Event.Attribute[]; .type == "ip-dst" and (.value | startswith("194.54.81."))) and
    (.Event.attribute_count | tonumber) == (.Event.Attribute | length)'
if "$PY" -c 'import jsonschema' 2>/dev/null; then
    check "STIX bundle validates against the OASIS STIX 2.1 schemas" \
        "$PY" "$VALIDATE" "$SRCDIR/tests/data/stix21" common/bundle.json "$S"
    check "MISP event validates against MISP's format 2.4 schema" \
        "$PY" "$VALIDATE" "$SRCDIR/tests/data/misp" schema.json "$M"
    jq '.objects[1].is_family = "yes"' "$S" >"$SCRATCH/bad.stix"
    check "the validator rejects a broken bundle" \
        bash -c "! $PY '$VALIDATE' '$SRCDIR/tests/data/stix21' common/bundle.json '$SCRATCH/bad.stix' >/dev/null"
else
    say "note: python3-jsonschema missing, STIX/MISP not validated against the schemas"
fi

# --- hostile strings --------------------------------------------------------
T=$SCRATCH/outa/fleet.txt H=$SCRATCH/outa/fleet.html
check "text: no raw ESC or bidi override from a hostile host name" \
    bash -c "! grep -qP '\\x1b|\\xe2\\x80\\xae' '$T'"
check "text: the hostile name is shown escaped" grep -qF 'evil\x1b[31m<script>' "$T"
check "html: no markup from the hostile name" bash -c "! grep -q '<script>' '$H'"
check "html: the name is there, escaped" grep -qF 'evil\x1b[31m&lt;script&gt;' "$H"
check "html: no script, no external reference" bash -c "! grep -qiE '<script|src=|@import|url\\(' '$H'"
check "html: infections chart" grep -q '<svg' "$H"
check "csv: one row per host plus the header" test "$(grep -c $'\r$' "$SCRATCH/outa/fleet.csv")" = 44

# --- schema refusal ---------------------------------------------------------
mkdir -p "$SCRATCH/v2"
jq '.schema_version = "2.0"' "$R/real/db01/report.json" >"$SCRATCH/v2/new.json"
run_scan "$SCRATCH/v2.out" merge "$R/real" "$SCRATCH/v2"
expect_rc 2 "an incompatible schema_version is refused"
check "refusal: one line naming the file and the version" \
    bash -c "[ \$(wc -l <'$SCRATCH/v2.out.err') = 1 ] && grep -q 'v2/new.json: incompatible schema_version \"2.0\"' '$SCRATCH/v2.out.err'"
check "refusal: no report" test ! -s "$SCRATCH/v2.out"
jq '.schema_version = "1.7" | .future_field = [1,2]' "$R/real/db01/report.json" >"$SCRATCH/v2/new.json"
run_scan "$SCRATCH/v17.json" merge -f json "$R/real" "$SCRATCH/v2"
expect_rc 0 "a newer MINOR is read"
jqt "1.7: merged (its evidence is db01's, so it is a duplicate)" "$SCRATCH/v17.json" \
    '.summary.hosts == 3 and any(.hosts[]; .hostname == "db01.example.net" and (.duplicates | length) == 1)'
# hostile types: wrong types are ignored, not trusted
printf '{"schema_version":"1.0","tool":{"name":"mumblescan"},"summary":{"verdict":"clean"},"hosts":[{"hostname":42}],"findings":{"x":1},"cron_jobs":"no","image":[]}\n' \
    >"$SCRATCH/v2/new.json"
run_scan "$SCRATCH/types.json" merge -f json "$SCRATCH/v2"
expect_rc 0 "a result with wrong types"
jqt "wrong types: a host without name or findings" "$SCRATCH/types.json" \
    '.summary.hosts == 1 and .hosts[0].hostname == null and (.hosts[0].samples | length) == 0'
printf '{"schema_version":"1.0","tool":{"name":"mumblescan"},"summary":{"verdict":"owned"}}\n' >"$SCRATCH/v2/new.json"
run_scan "$SCRATCH/bad.json" merge -f json "$SCRATCH/v2/new.json" "$R/real/db01/report.json"
expect_rc 0 "a result with an unknown verdict is skipped, not merged"
jqt "the unknown verdict is listed as refused" "$SCRATCH/bad.json" \
    '.summary.hosts == 1 and (.inputs.refused | length) == 1 and (.inputs.refused[0].why | contains("verdict"))'

# --- retro-hunt ---------------------------------------------------------------
cc=$(jq -r '[.indicators[] | select(.type == "ipv4")][0].value' "$F")
cat >"$SCRATCH/hunt.txt" <<HUNT
# new indicators from a partner CERT
sha256:$sha
$cc
host:db01.example.net
cron:*/15 * * * * /var/tmp/*
0000000000000000000000000000000000000000000000000000000000000000
HUNT
run_scan "$SCRATCH/hunt.json" merge --hunt "$SCRATCH/hunt.txt" -f json "$R"
expect_rc 1 "hunt with hits exits 1"
HJ=$SCRATCH/hunt.json
jqt "hunt: the sample hash on web07 and web08" "$HJ" --arg s "sha256:$sha" '
    [.indicators[] | select(.indicator == $s) | .hits[].hostname] | unique == ["web07.example.net", "web08.example.net"]'
jqt "hunt: the C&C address on every host whose script names it" "$HJ" --arg c "$cc" --slurpfile f "$F" '
    ([.indicators[] | select(.indicator == $c) | .hits[].host] | unique | length) ==
    ([$f[0].hosts[] | select(any(.indicators[]; .value == $c))] | length)'
jqt "hunt: the host name and the cron glob" "$HJ" '
    any(.indicators[]; .indicator == "host:db01.example.net" and (.hits | length) == 1)
    and any(.indicators[]; .kind == "cron" and (.hits | length) >= 2)'
jqt "hunt: the unknown hash has no hit" "$HJ" \
    'any(.indicators[]; (.indicator | startswith("0000")) and (.hits | length) == 0)'
echo 'sha1:0000000000000000000000000000000000000000' >"$SCRATCH/nohit.txt"
run_scan "$SCRATCH/nohit.out" merge --hunt "$SCRATCH/nohit.txt" "$R"
expect_rc 0 "hunt without hits exits 0"
check "hunt text report says 0 of 1" grep -q '0 of 1 indicators' "$SCRATCH/nohit.out"
echo 'what is this' >"$SCRATCH/badhunt.txt"
run_scan "$SCRATCH/badhunt.out" merge --hunt "$SCRATCH/badhunt.txt" "$R"
expect_rc 2 "an unreadable hunt line is an error"

# --- options documented -------------------------------------------------------
"$MUMBLESCAN" merge --help >"$SCRATCH/mhelp.txt"
man_txt=$(sed 's/\\-/-/g' "$SRCDIR/docs/mumblescan.1")
mapfile -t mopts < <(sed -n '/static const struct option opts\[\] = {/,/};/p' \
    "$SRCDIR/src/cli/merge.c" | grep -o '{ "[a-z-]*"' | cut -d'"' -f2)
check "merge's option table was found" test "${#mopts[@]}" -ge 5
for o in "${mopts[@]}"; do
    check "merge --$o is in merge --help" grep -q -- "--$o\\b" "$SCRATCH/mhelp.txt"
    check "merge --$o is in the man page" grep -q -- "--$o\\b" <<<"$man_txt"
    check "merge --$o is in README.md" grep -q -- "--$o\\b" "$SRCDIR/README.md"
done
run_scan "$SCRATCH/prog.out" merge --progress -f json "$R/syn"
expect_rc 0 "merge with --progress"
check "--progress: a count of results on stderr" grep -q 'results read' "$SCRATCH/prog.out.err"
check "--progress: the report itself is unchanged" \
    cmp <(jq 'del(.generated)' "$SCRATCH/prog.out") <("$MUMBLESCAN" merge --no-progress -f json "$R/syn" | jq 'del(.generated)')
# --- snapshots of one host: folded into one machine by its SSH host key --
# web07's later snapshot: the system reinstalled (new machine-id, clean),
# the same host key; a second machine (db01) stays apart.
host_spec web07b web07.example.net clean.spec 0123456789abcdef01234567890000b2 198.51.100.7/24 "$KEY1"
mkdir -p "$SCRATCH/snap"
run_scan "$SCRATCH/snap/web07b.json" -f json "$SCRATCH/web07b"
expect_rc 0 "scan of web07's clean snapshot"
jqt "the snapshot carries web07's host key" "$SCRATCH/snap/web07b.json" \
    --slurpfile a "$R/real/web07/report.json" \
    '([.hosts[].ssh_host_keys[]?.fingerprint] | length) == 1 and
     [.hosts[].ssh_host_keys[]?.fingerprint] == [$a[0].hosts[].ssh_host_keys[]?.fingerprint]'
run_scan "$SCRATCH/snap.json" merge -f json "$R/real/web07/report.json" "$SCRATCH/snap/web07b.json" "$R/real/db01/report.json"
expect_rc 0 "merge of two snapshots of web07 and db01"
S2=$SCRATCH/snap.json
jqt "snapshots: 3 results (each image listed), 2 machines" "$S2" \
    '.summary.hosts == 3 and (.hosts | length) == 3 and .summary.machines == 2'
jqt "snapshots: web07 is one machine with both results, recognised by its key" "$S2" '
    [.machines[] | select(.results == 2)] as $m | ($m | length) == 1 and
    $m[0].hostname == "web07.example.net" and $m[0].recognised_by == "ssh host key" and
    ([.hosts[] | select(.machine == $m[0].id) | .hostname] == ["web07.example.net", "web07.example.net"])'
jqt "snapshots: the machine carries the worst verdict and the infection's first and last times" "$S2" '
    [.hosts[] | select(.hostname == "web07.example.net" and .verdict == "malicious")][0] as $inf |
    [.machines[] | select(.results == 2)][0] as $m |
    $m.verdict == "malicious" and $m.first_infection == $inf.first_infection and
    $m.first_infection != null and $m.last_activity == ([.hosts[] | select(.machine == $m.id) | .last_activity | select(. != null)] | max)'
jqt "snapshots: db01 is a machine of its own" "$S2" \
    '[.machines[] | select(.hostname == "db01.example.net")] | length == 1 and .[0].results == 1 and .[0].recognised_by == "none"'
run_scan "$SCRATCH/snap.txt" merge "$SCRATCH/snap/web07b.json" "$R/real/web07/report.json" "$R/real/db01/report.json"
check "snapshots: the text report shows web07 once with 2 results" \
    grep -qE '^\(M[0-9]+\) web07\.example\.net  malicious  2 results \(recognised by ssh host key\)$' "$SCRATCH/snap.txt"
run_scan "$SCRATCH/snap.html" merge -f html "$SCRATCH/snap/web07b.json" "$R/real/web07/report.json" "$R/real/db01/report.json"
check "snapshots: the HTML report lists web07 as one machine of 2 results" \
    bash -c 'grep -q "<section id=\"machines\"><h2>Machines</h2>" "$1" &&
             grep -q "3 results from 2 machines" "$1" &&
             grep -qE "<tr><td>M[0-9]+ web07\.example\.net</td><td class=\"malicious\">malicious</td>.*<td>ssh host key</td>" "$1"' _ "$SCRATCH/snap.html"
jqt "snapshots: merging in another order gives the same machines" "$S2" \
    --slurpfile b <("$MUMBLESCAN" merge -f json "$R/real/db01/report.json" "$SCRATCH/snap/web07b.json" "$R/real/web07/report.json") \
    '.machines == $b[0].machines'

run_scan "$SCRATCH/none.out" merge
expect_rc 2 "merge without inputs"
run_scan "$SCRATCH/fmt.out" merge -f xml "$R"
expect_rc 2 "unknown merge format"
run_scan "$SCRATCH/sq.out" merge -f sqlite "$R"
expect_rc 2 "sqlite to standard output is refused"

finish

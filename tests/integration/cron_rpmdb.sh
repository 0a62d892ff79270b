#!/bin/bash
# cron_rpmdb.sh - RHEL/Fedora/SUSE images name their cron in the rpm
# database: an rpmdb.sqlite is made here with the sqlite3 CLI from rpm
# header blobs built by python3 (NAME, VERSION, RELEASE after a region
# tag, as rpm stores them), left in WAL mode as rpm leaves it, put into
# an ext4 image with mke2fs -d (mkimage.sh), and the scan must choose the
# dialect from it, say why, and read the crontab with that version's
# rules.  A Berkeley DB Packages file is stood in for by a file holding
# cronie's SOURCERPM string only (a header split over overflow pages).
# The RHEL image also has cronie's stock /etc/anacrontab: its job is
# shown with START_HOURS_RANGE, RANDOM_DELAY and its environment.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip "sqlite3 CLI not installed"
command -v python3 >/dev/null || skip "python3 not installed"

# blob_hex NAME VERSION RELEASE: an rpm header blob in hex
blob_hex() {
    python3 - "$@" <<'PY'
import struct, sys
name, ver, rel = (s.encode() + b"\0" for s in sys.argv[1:4])
data = bytearray(16)                   # region trailer
entries = [struct.pack(">IIII", 63, 7, 0, 16)]
for tag, s in ((1000, name), (1001, ver), (1002, rel)):
    entries.append(struct.pack(">IIII", tag, 6, len(data), 1))
    data += s
blob = struct.pack(">II", len(entries), len(data)) + b"".join(entries) + data
print(blob.hex())
PY
}

# make_db FILE NAME VERSION...: an rpmdb.sqlite with rpm's table
make_db() {
    local db=$1; shift
    local sql="PRAGMA page_size=1024; PRAGMA journal_mode=WAL;
CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);"
    sql+="INSERT INTO Packages(blob) VALUES (X'$(blob_hex bash 5.1.8 6.el9)');"
    while [ $# -ge 2 ]; do
        sql+="INSERT INTO Packages(blob) VALUES (X'$(blob_hex "$1" "$2" 8.el9)');"
        shift 2
    done
    sqlite3 "$db" "$sql" >/dev/null || die "sqlite3 failed"
    [ ! -e "$db-wal" ] || die "sqlite3 left a -wal file"
}

hexof() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# spec_for NAME DBPATH DBFILE: a RHEL-like image whose crond claims
# cronie 1.7.2 but whose rpm database says otherwise
spec_for() {
    cat >"$SCRATCH/$1.spec" <<SPEC
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /usr/bin 0755
dir /usr/sbin 0755
symlink /bin usr/bin
symlink /sbin usr/sbin
file /usr/bin/true 0755 text "#!placeholder\n"
file /usr/sbin/crond 0755 bytes 7f454c46020101000000000000000000637261736820000063726f6e696520312e372e320000
file /etc/crontab 0644 text "SHELL=/bin/sh\nPATH=/sbin:/bin:/usr/sbin:/usr/bin\n~ * * * * root /bin/true\n*/61 * * * * root /bin/true\n"
file $2 0644 bytes $(hexof "$3")
file /etc/anacrontab 0644 text "SHELL=/bin/sh\nPATH=/sbin:/bin:/usr/sbin:/usr/bin\nMAILTO=root\nRANDOM_DELAY=45\nSTART_HOURS_RANGE=3-22\n1\t5\tcron.daily\t\tnice run-parts /etc/cron.daily\n"
SPEC
}

ct='.crontabs[] | select(.path == "/etc/crontab")'

# ---- RHEL 9: /var/lib/rpm/rpmdb.sqlite says cronie 1.5.7 -----------------
make_db "$SCRATCH/el9.sqlite" cronie 1.5.7 cronie-anacron 1.5.7
check "the database is in WAL mode, as rpm leaves it" \
    test "$(od -An -j18 -N2 -tx1 "$SCRATCH/el9.sqlite" | tr -d ' ')" = 0202
spec_for el9 /var/lib/rpm/rpmdb.sqlite "$SCRATCH/el9.sqlite"
build el9 --spec "$SCRATCH/el9.spec"
run_scan "$SCRATCH/el9.json" -f json "$SCRATCH/el9"
expect_rc "0|1" "el9 scan"
j=$SCRATCH/el9.json
json_valid "$j" el9
jqt "dialect from the rpm database, not crond's string" "$j" \
    "$ct | .dialect == \"cronie-before-1.6\""
jqt "the report says which database and package" "$j" \
    "$ct | .dialect_evidence | contains(\"rpm database /var/lib/rpm/rpmdb.sqlite (SQLite; no -wal file beside it) lists package \\\"cronie\\\" version \\\"1.5.7\\\" release \\\"8.el9\\\"\")"
jqt "cronie 1.5.7 rejects '~' and a step past the field" "$j" \
    "[$ct | .rejected_lines[].line] == [3, 4] and ([.cron_jobs[] | select(.file == \"/etc/crontab\")] | length) == 0"
aj='.cron_jobs[] | select(.file == "/etc/anacrontab")'
jqt "anacron job: hours range and random delay in words" "$j" \
    "$aj | .schedule_words == \"once a day (anacron), 5 minutes after anacron starts plus a random 0-45 minutes (RANDOM_DELAY=45), started only from 03:00 to before 22:00 (START_HOURS_RANGE=3-22)\""
jqt "anacron job: its environment" "$j" \
    "$aj | .environment == \"SHELL=/bin/sh; PATH=/sbin:/bin:/usr/sbin:/usr/bin; MAILTO=root; RANDOM_DELAY=45; START_HOURS_RANGE=3-22\""
run_scan "$SCRATCH/el9.txt" "$SCRATCH/el9"
check "text report gives the evidence" grep -q "rpm database /var/lib/rpm/rpmdb.sqlite" "$SCRATCH/el9.txt"
check "text report shows the anacron environment" \
    grep -q "environment *SHELL=/bin/sh; PATH=" "$SCRATCH/el9.txt"
run_scan "$SCRATCH/el9.html" -f html "$SCRATCH/el9"
check "HTML shows the anacron environment" \
    grep -q "environment: SHELL=/bin/sh; PATH=" "$SCRATCH/el9.html"

# ---- Fedora/SUSE: /usr/lib/sysimage/rpm/rpmdb.sqlite, cronie 1.7.2 ------
make_db "$SCRATCH/fc.sqlite" cronie 1.7.2
spec_for fc /usr/lib/sysimage/rpm/rpmdb.sqlite "$SCRATCH/fc.sqlite"
build fc --spec "$SCRATCH/fc.spec"
run_scan "$SCRATCH/fc.json" -f json "$SCRATCH/fc"
j=$SCRATCH/fc.json
json_valid "$j" fc
jqt "cronie 1.7.2 from /usr/lib/sysimage/rpm" "$j" \
    "$ct | .dialect == \"cronie-1.6-or-later\" and (.dialect_evidence | contains(\"/usr/lib/sysimage/rpm/rpmdb.sqlite\"))"
jqt "'~' and */61 are jobs for cronie 1.7" "$j" \
    "[.cron_jobs[] | select(.file == \"/etc/crontab\") | .line] == [3, 4]"
jqt "cron jobs carry no environment value" "$j" \
    'all(.cron_jobs[] | select(.file == "/etc/crontab"); .environment == null)'

# ---- the newest package state only in rpmdb.sqlite-wal ------------------
# make_wal_db FILE: bash checkpointed into the database, then cronie 1.7.2
# committed to the write-ahead log only (copied while the connection is
# open, before SQLite checkpoints it on close), as a live rpm leaves it
make_wal_db() {
    python3 - "$1" "$(blob_hex bash 5.1.8 6.el9)" "$(blob_hex cronie 1.7.2 8.el9)" <<'PY'
import shutil, sqlite3, sys
db, bash, cronie = sys.argv[1:4]
work = db + ".live"
c = sqlite3.connect(work, isolation_level=None)
c.execute("PRAGMA page_size=1024"); c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
c.execute("INSERT INTO Packages(blob) VALUES (?)", (bytes.fromhex(bash),))
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("INSERT INTO Packages(blob) VALUES (?)", (bytes.fromhex(cronie),))
shutil.copy(work, db); shutil.copy(work + "-wal", db + "-wal")
c.close()
PY
}
make_wal_db "$SCRATCH/wal.sqlite"
check "the WAL fixture has frames" test -s "$SCRATCH/wal.sqlite-wal"
spec_for wal /var/lib/rpm/rpmdb.sqlite "$SCRATCH/wal.sqlite"
echo "file /var/lib/rpm/rpmdb.sqlite-wal 0644 bytes $(hexof "$SCRATCH/wal.sqlite-wal")" >>"$SCRATCH/wal.spec"
build wal --spec "$SCRATCH/wal.spec"
run_scan "$SCRATCH/wal.json" -f json "$SCRATCH/wal"
j=$SCRATCH/wal.json
json_valid "$j" wal
jqt "cronie 1.7.2, committed only to rpmdb.sqlite-wal, is found" "$j" \
    "$ct | .dialect == \"cronie-1.6-or-later\" and (.dialect_evidence | contains(\"committed frames of its -wal file applied in memory) lists package \\\"cronie\\\" version \\\"1.7.2\\\"\"))"
# the same log with a wrong header checksum: not applied, and said so
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[24] ^= 0xff; open(sys.argv[1], "wb").write(d)' \
    "$SCRATCH/wal.sqlite-wal"
spec_for walbad /var/lib/rpm/rpmdb.sqlite "$SCRATCH/wal.sqlite"
echo "file /var/lib/rpm/rpmdb.sqlite-wal 0644 bytes $(hexof "$SCRATCH/wal.sqlite-wal")" >>"$SCRATCH/walbad.spec"
build walbad --spec "$SCRATCH/walbad.spec"
run_scan "$SCRATCH/walbad.json" -f json "$SCRATCH/walbad"
j=$SCRATCH/walbad.json
json_valid "$j" walbad
jqt "a damaged -wal file is not applied, and the evidence says so" "$j" \
    "$ct | .dialect == \"cronie-1.6-or-later\" and (.dialect_evidence | contains(\"cronie 1.7.2\") and contains(\"-wal file was NOT applied (the -wal file's header checksum is wrong)\"))"

# ---- RHEL 8: Berkeley DB Packages, the header split over pages ----------
python3 -c 'import sys; sys.stdout.buffer.write(b"\0" * 5000 + b"cronie-1.5.2-4.el8.src.rpm\0" + b"\x01" * 3000)' \
    >"$SCRATCH/Packages"
spec_for el8 /var/lib/rpm/Packages "$SCRATCH/Packages"
build el8 --spec "$SCRATCH/el8.spec"
run_scan "$SCRATCH/el8.json" -f json "$SCRATCH/el8"
j=$SCRATCH/el8.json
json_valid "$j" el8
jqt "Berkeley DB scanned: cronie 1.5.2" "$j" \
    "$ct | .dialect == \"cronie-before-1.6\" and (.dialect_evidence | contains(\"/var/lib/rpm/Packages (scanned for header blobs\"))"

# ---- a damaged rpmdb.sqlite: no dialect from it, crond's string used ----
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[1024:] = bytes((i * 131) & 255 for i in range(len(d) - 1024)); open(sys.argv[1], "wb").write(d)' \
    "$SCRATCH/el9.sqlite"
spec_for bad /var/lib/rpm/rpmdb.sqlite "$SCRATCH/el9.sqlite"
build bad --spec "$SCRATCH/bad.spec"
run_scan "$SCRATCH/bad.json" -f json "$SCRATCH/bad"
j=$SCRATCH/bad.json
json_valid "$j" bad
jqt "damaged database: falls back to crond's cronie 1.7.2" "$j" \
    "$ct | .dialect == \"cronie-1.6-or-later\" and (.dialect_evidence | contains(\"cronie 1.7.2\"))"
jqt "damaged database: the evidence says the rpm database showed no cron" "$j" \
    "$ct | .dialect_evidence | contains(\"rpm database /var/lib/rpm/rpmdb.sqlite (SQLite; no -wal file beside it\") and contains(\"shows no cron package\")"

finish

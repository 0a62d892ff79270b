#!/bin/bash
# multi_volume.sh - one server, many file systems: a GPT disk with a /boot
# partition and an LVM2 PV whose VG "vg-sys" (a '-' in the name, so
# /dev/mapper doubles it) holds separate root, /var, /home and /srv LVs,
# mixed ext4 and XFS.  The root's fstab mounts them by /dev/mapper name,
# PARTLABEL, LABEL, UUID and /dev/VG/LV, has a tmpfs /tmp and names a /data
# volume the image does not hold.  A */15 job in /var's spool runs a
# packed look-alike on the /home LV: it must be resolved through the
# mount table, scanned and flagged; a job whose program is on the absent
# volume is "unresolved: volume UUID=... not in this image", never missing.
. "$(dirname "$0")/lib.sh"

MKLVM=${MKLVM:-}
if [ -z "$MKLVM" ]; then
    gcc -std=c11 -O2 -o "$SCRATCH/mklvm" "$SRCDIR/tests/tools/mklvm.c" ||
        die "cannot build mklvm"
    MKLVM=$SCRATCH/mklvm
fi
has_tool sfdisk || skip "sfdisk missing"
has_tool mkfs.xfs || skip "xfsprogs missing"
has_tool xfs_admin || skip "xfs_admin missing"

U_SRV=5e5e5e5e-0000-4000-8000-000000000004
U_DATA=deadbeef-0000-4000-8000-00000000dead
U_HOME=40404040-0000-4000-8000-000000000003

cat >"$SCRATCH/root.spec" <<EOF
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /usr/bin 0755
dir /usr/local/bin 0755
file /usr/bin/sh 0755 text "#!placeholder shell\n"
file /etc/hostname 0644 text "mv01\n"
file /etc/fstab 0644 text "# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/mapper/vg--sys-root / ext4 defaults 0 1\nPARTLABEL=boot /boot ext4 defaults 0 2\n/dev/mapper/vg--sys-var /var ext4 defaults 0 2\nLABEL=home /home xfs defaults 0 2\nUUID=$U_SRV /srv ext4 defaults 0 2\n/dev/vg-sys/srv /srv/mirror ext4 defaults 0 2\nUUID=$U_DATA /data ext4 defaults,nofail 0 2\ntmpfs /tmp tmpfs defaults,nosuid 0 0\nproc /proc proc defaults 0 0\n"
# a relative link from the root LV into /home, through '..'
symlink /usr/local/bin/sync ../../../home/alice/.cache/x/qkPzTrd
dir /var 0755
dir /home 0755
dir /srv 0755
dir /data 0755
dir /boot 0755
dir /tmp 1777
EOF
cat >"$SCRATCH/var.spec" <<'EOF'
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /log 0755
dir /lib 0755
dir /cache 0755
dir /tmp 1777
dir /spool/cron/crontabs 1730
owner /spool/cron/crontabs 0 102
file /spool/cron/crontabs/alice 0600 text "*/15 * * * * /home/alice/.cache/x/qkPzTrd >/dev/null 2>&1\n"
owner /spool/cron/crontabs/alice 1000 102
file /spool/cron/crontabs/bob 0600 text "PATH=/data/bin:/usr/bin\n*/15 * * * * upd2\n"
owner /spool/cron/crontabs/bob 1001 102
file /spool/cron/crontabs/root 0600 text "*/15 * * * * /data/bin/upd >/dev/null 2>&1\n5 * * * * /usr/local/bin/sync\n0 4 * * * /srv/app/run.sh\n"
EOF
cat >"$SCRATCH/home.spec" <<'EOF'
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /alice/.cache/x 0755
owner /alice 1000 1000
file /alice/.cache/x/qkPzTrd 0755 packed --key 4
owner /alice/.cache/x/qkPzTrd 1000 1000
time /alice/.cache/x/qkPzTrd 2015-04-07T10:00:00Z
EOF
cat >"$SCRATCH/srv.spec" <<'EOF'
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
dir /app 0755
file /app/run.sh 0755 text "#!/bin/sh\n# nightly app job (benign)\nexit 0\n"
dir /mirror 0755
EOF
cat >"$SCRATCH/boot.spec" <<'EOF'
now 2015-05-01T00:00:00Z
default-time 2015-01-10T08:00:00Z
file /vmlinuz 0644 text "not a kernel\n"
EOF

MKE2FS_EXTRA="-L root" build root --spec "$SCRATCH/root.spec" --layout bare --size-mb 8
MKE2FS_EXTRA="-L var" build var --spec "$SCRATCH/var.spec" --layout bare --size-mb 8
MKE2FS_EXTRA="-U $U_SRV -L srv" build srv --spec "$SCRATCH/srv.spec" --layout bare --size-mb 4
MKE2FS_EXTRA="-L bootfs" build boot --spec "$SCRATCH/boot.spec" --layout bare --size-mb 4
build home --spec "$SCRATCH/home.spec" --fs xfs --layout bare --size-mb 20
xfs_admin -U "$U_HOME" -L home "$SCRATCH/home" >/dev/null 2>&1 || die "xfs_admin failed"

"$MKLVM" "$SCRATCH/pv.img" vg-sys "root=$SCRATCH/root" "var=$SCRATCH/var" \
    "home=$SCRATCH/home" "srv=$SCRATCH/srv" || die "mklvm failed"
pv_sectors=$(( $(stat -c %s "$SCRATCH/pv.img") / 512 ))
boot_sectors=$(( $(stat -c %s "$SCRATCH/boot") / 512 ))
pv_start=$(( 2048 + boot_sectors ))
truncate -s $(( (pv_start + pv_sectors + 2048) * 512 )) "$SCRATCH/disk.raw"
printf 'label: gpt\nstart=2048, size=%d, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="boot", uuid=B0B0B0B0-1111-4222-8333-444444444444\nstart=%d, size=%d, type=E6D6D379-F507-44C2-A23C-238F2A3DF928, name="lvm"\n' \
    "$boot_sectors" "$pv_start" "$pv_sectors" | sfdisk -q "$SCRATCH/disk.raw" ||
    die "sfdisk failed"
dd if="$SCRATCH/boot" of="$SCRATCH/disk.raw" bs=512 seek=2048 conv=notrunc status=none
dd if="$SCRATCH/pv.img" of="$SCRATCH/disk.raw" bs=512 seek="$pv_start" conv=notrunc status=none

run_scan "$SCRATCH/d.json" -f json "$SCRATCH/disk.raw"
expect_rc 1 "multi-volume server"
j=$SCRATCH/d.json
json_valid "$j" disk

# --- the volumes and the mount table --------------------------------------
jqt "GPT PARTUUID and PARTLABEL of /boot read from the entry" "$j" \
    'any(.volumes[]; .part_uuid == "b0b0b0b0-1111-4222-8333-444444444444"
         and .part_label == "boot" and .mount_point == "/boot"
         and (.fstab_line | startswith("PARTLABEL=boot")))'
jqt "LVs carry their VG and LV names" "$j" \
    '[.volumes[] | select(.lvm_vg == "vg-sys") | .lvm_lv] | sort == ["home","root","srv","var"]'
jqt "/dev/mapper/vg--sys-var mounts the var LV at /var" "$j" \
    'any(.volumes[]; .lvm_lv == "var" and .mount_point == "/var"
         and .fstab_line == "/dev/mapper/vg--sys-var /var ext4 defaults 0 2"
         and .mount_source == "/etc/fstab line 4")'
jqt "LABEL=home mounts the XFS LV at /home" "$j" \
    'any(.volumes[]; .lvm_lv == "home" and .fs_type == "xfs" and .label == "home"
         and .mount_point == "/home" and (.mount_how | contains("LABEL")))'
jqt "UUID= mounts the srv LV at /srv" "$j" \
    'any(.volumes[]; .lvm_lv == "srv" and .mount_point == "/srv" and .uuid == "'"$U_SRV"'")'
jqt "the root LV is the system's root, read from fstab" "$j" \
    '(.systems | length) == 1 and .systems[0].layout == "fstab"
     and (.systems[0].root_volume as $r | .volumes[$r].lvm_lv == "root"
          and .volumes[$r].mount_point == null
          and (.volumes[$r].fstab_line | startswith("/dev/mapper/vg--sys-root")))'
jqt "the absent /data volume is listed with the reason" "$j" \
    'any(.systems[0].mounts[]; .mount_point == "/data" and .status == "absent"
         and .volume == null and .note == "volume UUID='"$U_DATA"' not in this image")'
jqt "tmpfs /tmp says it holds nothing on disk" "$j" \
    'any(.systems[0].mounts[]; .mount_point == "/tmp" and .status == "memory"
         and (.note | contains("nothing of it is on disk")))'
jqt "/dev/VG/LV with the LV mounted twice, and proc, are listed" "$j" \
    'any(.systems[0].mounts[]; .mount_point == "/srv/mirror" and .status == "mounted")
     and any(.systems[0].mounts[]; .mount_point == "/proc" and .status == "pseudo")'

# --- one namespace: cron on /var, program on /home ------------------------
jqt "the spool crontab on the var LV is found at its server path" "$j" \
    '.crontabs as $c | .volumes as $v
     | any($c[]; .path == "/var/spool/cron/crontabs/alice" and $v[.volume].lvm_lv == "var")'
jqt "the */15 job's program on the home LV is resolved" "$j" \
    'any(.cron_jobs[]; .every_15_minutes and any(.programs[];
         .as_written == "/home/alice/.cache/x/qkPzTrd" and .status == "found"
         and .resolved == "/home/alice/.cache/x/qkPzTrd"))'
jqt "the program is scanned by YARA and flagged, on the home LV" "$j" \
    '.volumes as $v | any(.findings[]; .path == "/home/alice/.cache/x/qkPzTrd"
         and $v[.volume].lvm_lv == "home" and .verdict == "malicious"
         and (.yara | length) > 0 and .times.mtime == "2015-04-07T10:00:00.000000000Z")'
jqt "a symlink with '..' on the root LV resolves into /home" "$j" \
    'any(.cron_jobs[]; any(.programs[]; .as_written == "/usr/local/bin/sync"
         and .status == "found" and .resolved == "/home/alice/.cache/x/qkPzTrd"))'
jqt "a program on the srv LV is found there, benign" "$j" \
    '.volumes as $v | any(.cron_jobs[]; any(.programs[]; .as_written == "/srv/app/run.sh" and .status == "found"))
     and any(.examined[]; .path == "/srv/app/run.sh" and $v[.volume].lvm_lv == "srv" and .verdict != "malicious")'
jqt "the program on the absent volume is unresolved, never missing" "$j" \
    'any(.cron_jobs[]; any(.programs[]; .as_written == "/data/bin/upd"
         and .status == "unresolved"
         and (.note | startswith("volume UUID='"$U_DATA"' not in this image"))))
     and ([.findings[], .examined[] | select(.path == "/data/bin/upd")] | length == 0)'
jqt "a bare name not on a PATH that reaches the absent volume is unresolved" "$j" \
    'any(.cron_jobs[]; any(.programs[]; .as_written == "upd2" and .status == "unresolved"
         and (.note | contains("volume UUID='"$U_DATA"' not in this image"))))
     and ([.findings[], .examined[] | select(.path == "upd2")] | length == 0)'
jqt "no path is reported at an LV's own root" "$j" \
    '[.findings[], .examined[], .crontabs[] | .path | select(startswith("/spool") or startswith("/alice"))] | length == 0'

# --- text and HTML: the layout at a glance --------------------------------
run_scan "$SCRATCH/d.txt" "$SCRATCH/disk.raw"
check "text layout maps /home to its stack" \
    grep -q '/home  *-> raw image > gpt partition 2 (lvm) > LVM2 VG vg-sys > LV home > xfs' "$SCRATCH/d.txt"
check "text layout lists the absent /data" \
    grep -q "/data  *-> absent: volume UUID=$U_DATA not in this image" "$SCRATCH/d.txt"
check "text says the job's program is unresolved on the absent volume" \
    bash -c "grep -A1 '/data/bin/upd  unresolved' '$SCRATCH/d.txt' |
             grep -q 'volume UUID=$U_DATA not in this image'"
run_scan "$SCRATCH/d.html" -f html "$SCRATCH/disk.raw"
check "HTML has the server layout section" grep -q 'id="layout"' "$SCRATCH/d.html"
check "HTML shows the fstab line of /var" \
    grep -q '/etc/fstab line 4: /dev/mapper/vg--sys-var /var ext4' "$SCRATCH/d.html"

# --- no fstab: the content guess, and the report says so -------------------
sed -i '/^file \/etc\/fstab/d; s/^file \/etc\/hostname .*/file \/etc\/hostname 0644 text "old01\\n"/' \
    "$SCRATCH/root.spec"
MKE2FS_EXTRA="-L oldroot" build root2 --spec "$SCRATCH/root.spec" --layout bare --size-mb 8

# --- two systems: an old root LV kept beside the current one ---------------
"$MKLVM" "$SCRATCH/pv3.img" vg-sys "root=$SCRATCH/root" "oldroot=$SCRATCH/root2" \
    "var=$SCRATCH/var" "home=$SCRATCH/home" "srv=$SCRATCH/srv" || die "mklvm failed"
run_scan "$SCRATCH/t.json" -f json "$SCRATCH/pv3.img"
jqt "two systems, each with its own root and layout" "$SCRATCH/t.json" \
    '.volumes as $v | (.systems | length) == 2
     and ([.systems[] | $v[.root_volume].lvm_lv] | sort) == ["oldroot","root"]
     and any(.systems[]; $v[.root_volume].lvm_lv == "root" and .layout == "fstab")
     and any(.systems[]; $v[.root_volume].lvm_lv == "oldroot" and .layout == "content (no fstab)")
     and ([.hosts[].hostname] | sort) == ["mv01","old01"]'
jqt "the current system still resolves the /home program" "$SCRATCH/t.json" \
    'any(.findings[]; .path == "/home/alice/.cache/x/qkPzTrd" and .verdict == "malicious")'
"$MKLVM" "$SCRATCH/pv2.img" vg0 "root=$SCRATCH/root2" "var=$SCRATCH/var" ||
    die "mklvm failed"
run_scan "$SCRATCH/n.json" -f json "$SCRATCH/pv2.img"
jqt "without fstab the layout comes from content, /var inferred" "$SCRATCH/n.json" \
    '.systems[0].layout == "content (no fstab)"
     and any(.systems[0].mounts[]; .mount_point == "/var" and .status == "inferred")
     and any(.volumes[]; .lvm_lv == "var" and .mount_point == "/var")'
jqt "without fstab and without the home LV the program is missing" "$SCRATCH/n.json" \
    'any(.cron_jobs[]; any(.programs[]; .as_written == "/home/alice/.cache/x/qkPzTrd"
         and .status == "missing"))'
finish

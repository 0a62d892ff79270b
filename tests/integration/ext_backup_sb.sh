#!/bin/bash
# ext_backup_sb.sh - an infected ext4 whose primary superblock is damaged
# while the backups are intact (a common state of a seized disk).  Before,
# the scan said "no file system could be examined" (exit 2).  Now the
# volume must be examined through a validated backup superblock, as
# `e2fsck -b` would, with the same findings as the intact image, a volume
# stack naming the backup's block, a note saying what differed, and the
# image never written.
#
# Matrix: 1, 2 and 4 KiB blocks, with and without sparse_super (backups
# in groups 1, 3, 5, 7, 9, 25 ... or in every group), bare and in an MBR
# partition; damage to the superblock alone, a one-byte flip caught by the
# metadata_csum checksum, and the superblock, the group descriptor table
# and the first backup together (the next backup and its table are used).
. "$(dirname "$0")/lib.sh"

has_tool mke2fs || skip "mke2fs (e2fsprogs) not installed"

not_grep() { ! grep -q "$@"; }

# zero IMG OFFSET BYTES: overwrite part of the test's own copy.
zero() { dd if=/dev/zero of="$1" bs=1 seek="$2" count="$3" conv=notrunc status=none; }

# same_findings DESC INTACT.json DAMAGED.json: identical findings and jobs.
same_findings() {
    local f='[.findings[] | [.path, .verdict, .hashes.sha256, ([.reasons[].code] | sort)]] | sort'
    local c='[.cron_jobs[] | [.file, .line, .command, .every_15_minutes]] | sort'
    CHECKS=$((CHECKS + 1))
    if [ "$(jq -c "$f" "$2")" != "$(jq -c "$f" "$3")" ] ||
       [ "$(jq -c "$c" "$2")" != "$(jq -c "$c" "$3")" ]; then
        fail "$1: findings differ from the intact image's"
    fi
}

# scan_damaged NAME IMG PART_OFFSET WANT_BLOCK INTACT_JSON DESC
scan_damaged() {
    local name=$1 img=$2 poff=$3 want=$4 intact=$5 desc=$6
    local j=$SCRATCH/$name.json sha
    sha=$(sha256sum <"$img")
    run_scan "$j" -f json,text -o "$SCRATCH/$name.out" "$img"
    j=$SCRATCH/$name.out/report.json
    expect_rc 1 "$name ($desc): infected, examined"
    json_valid "$j" "$name"
    jqt "$name: verdict malicious" "$j" '.summary.verdict == "malicious"'
    jqt "$name: stack names the backup superblock at block $want" "$j" \
        --argjson o "$poff" --arg w "$want" \
        'any(.volumes[]; .offset == $o and .state == "examined"
             and (.stack | endswith("> ext4 (backup superblock at block \($w))")))'
    jqt "$name: note says the backup was used and what differed" "$j" \
        --argjson o "$poff" --arg w "$want" \
        'any(.volumes[]; .offset == $o and (.note | test("examined from the backup superblock at block \($w) ")
             and test("primary superblock invalid") and test("bytes differ from the backup")))'
    jqt "$name: the backdoor is found" "$j" \
        'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "malicious")'
    same_findings "$name" "$intact" "$j"
    check "$name: text report names the backup" \
        grep -q "backup superblock at block $want" "$SCRATCH/$name.out/report.txt"
    check "$name: the image was not written" test "$sha" = "$(sha256sum <"$img")"
}

for bs in 1024 2048 4096; do
    case $bs in 1024) mb=20 ;; 2048) mb=40 ;; 4096) mb=160 ;; esac
    for sparse in sparse nosparse; do
        opts="-b $bs"
        [ $sparse = nosparse ] && opts="$opts -O ^sparse_super,^resize_inode"
        name=$bs-$sparse
        MKE2FS_EXTRA=$opts build "$name" --spec "$SPECS/infected-debian.spec" \
            --fs ext4 --layout bare --size-mb "$mb"
        img=$SCRATCH/$name
        grep -q "^Block size: *$bs$" <(dumpe2fs -h "$img" 2>/dev/null) ||
            die "$name: mkimage did not honour MKE2FS_EXTRA"
        if [ $sparse = sparse ]; then
            check "$name: sparse_super" grep -q sparse_super <(dumpe2fs -h "$img" 2>/dev/null)
        else
            check "$name: no sparse_super" not_grep sparse_super <(dumpe2fs -h "$img" 2>/dev/null)
        fi
        run_scan "$SCRATCH/$name.intact.json" -f json "$img"
        expect_rc 1 "$name: intact image infected"
        jqt "$name: intact image needs no backup" "$SCRATCH/$name.intact.json" \
            '.volumes[0].stack == "raw image > ext4" and .volumes[0].note == null'
        fpb=$((bs == 1024 ? 1 : 0))
        g1=$((fpb + 8 * bs))            # group 1's first block

        # 1. the primary superblock zeroed
        cp "$img" "$img.d1"
        zero "$img.d1" 1024 1024
        scan_damaged "$name-zeroed" "$img.d1" 0 "$g1" "$SCRATCH/$name.intact.json" \
            "primary superblock zeroed"

        # 2. one byte of the inode count flipped: the checksum catches it
        cp "$img" "$img.d2"
        b=$(od -An -tu1 -j 1024 -N 1 "$img" | tr -d ' ')
        printf "\\$(printf '%03o' $(( (b ^ 1) & 255 )))" |
            dd of="$img.d2" bs=1 seek=1024 conv=notrunc status=none
        scan_damaged "$name-flip" "$img.d2" 0 "$g1" "$SCRATCH/$name.intact.json" \
            "one byte flipped"
        jqt "$name-flip: the checksum mismatch is named" "$SCRATCH/$name-flip.out/report.json" \
            '.volumes[0].note | test("checksum mismatch") and test("fields: inode count\\)")'
    done
done

# 3. superblock, group descriptor table and the group-1 backup destroyed:
#    the next backup (group 3 with sparse_super, group 2 without) and the
#    backup table after it are used.
for sparse in sparse nosparse; do
    opts="-b 1024"
    [ $sparse = nosparse ] && opts="$opts -O ^sparse_super,^resize_inode"
    name=deep-$sparse
    MKE2FS_EXTRA=$opts build "$name" --spec "$SPECS/infected-debian.spec" \
        --fs ext4 --layout bare --size-mb 32
    img=$SCRATCH/$name
    run_scan "$SCRATCH/$name.intact.json" -f json "$img"
    cp "$img" "$img.d"
    zero "$img.d" 1024 4096            # superblock and descriptor blocks
    zero "$img.d" $((8193 * 1024)) 1024
    next=$([ $sparse = sparse ] && echo $((1 + 3 * 8192)) || echo $((1 + 2 * 8192)))
    scan_damaged "$name" "$img.d" 0 "$next" "$SCRATCH/$name.intact.json" \
        "superblock, descriptors and first backup destroyed"
    jqt "$name: the backup descriptor table was used" "$SCRATCH/$name.out/report.json" \
        '.volumes[0].note | test("primary group descriptor table damaged") and test("backup table was used")'
    # Oracle: e2fsck reads the same file system through that backup.
    if has_tool e2fsck; then
        cp "$img.d" "$img.fsck"
        e2fsck -fy -b "$next" -B 1024 "$img.fsck" >/dev/null 2>&1
        want=$(debugfs -R "dump /var/tmp/qCVwOWA $SCRATCH/q" "$img.fsck" >/dev/null 2>&1 &&
               sha256sum <"$SCRATCH/q" | cut -d' ' -f1)
        jqt "$name: the backdoor's hash equals e2fsck -b's repair" "$SCRATCH/$name.out/report.json" \
            --arg h "$want" 'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .hashes.sha256 == $h)'
    fi
done

# 4. in an MBR partition, 4 KiB blocks, superblock and descriptors damaged.
MKE2FS_EXTRA="-b 4096" build mbr --spec "$SPECS/infected-debian.spec" --fs ext4 \
    --layout mbr --size-mb 170
img=$SCRATCH/mbr
read -r poff _ < <(mmls_parts "$img" | head -n1)
[ -n "$poff" ] || die "mbr: no partition found"
run_scan "$SCRATCH/mbr.intact.json" -f json "$img"
cp "$img" "$img.d"
zero "$img.d" $((poff + 1024)) 7168    # rest of block 0 and block 1 (the table)
scan_damaged mbr "$img.d" "$poff" 32768 "$SCRATCH/mbr.intact.json" \
    "MBR partition, superblock and descriptors damaged"

# 5. not ext at all: a volume of zeros stays "not examined".
head -c $((8 << 20)) /dev/zero >"$SCRATCH/zeros"
run_scan "$SCRATCH/zeros.json" -f json "$SCRATCH/zeros"
expect_rc 2 "zeros: nothing examined"
jqt "zeros: not examined, no backup claimed" "$SCRATCH/zeros.json" \
    '.volumes[0].state == "not_examined" and (.volumes[0].stack | test("backup") | not)'
finish

#!/bin/bash
# infected_containers.sh - the same infected disk (ext4 on MBR) in every
# container libtsk reads: E01, multi-segment E01, split raw given as its
# first segment and as all segments, VMDK, VHD.
. "$(dirname "$0")/lib.sh"

spec=$SPECS/infected-debian.spec
ran=0

if has_tool ewfacquire; then
    build e01 --spec "$spec" --format e01 --compress best
    segments e01 e01_segs
    run_scan "$SCRATCH/e01.json" -f json "${e01_segs[@]}"
    expect_rc 1 "E01"
    assert_infected_debian "$SCRATCH/e01.json" 1 "${e01_segs[@]}"
    jqt "E01 image type ewf" "$SCRATCH/e01.json" '.scan.image_type == "ewf"'

    build multi --spec "$spec" --format e01-multi --size-mb 6
    segments multi multi_segs
    check "multi-segment E01 has at least 3 segments" test "$(wc -l <"$SCRATCH/multi.files")" -ge 3
    # First segment only: libewf finds the others.
    run_scan "$SCRATCH/multi1.json" -f json "$SCRATCH/multi.E01"
    expect_rc 1 "multi-segment E01 (first segment)"
    assert_infected_debian "$SCRATCH/multi1.json" 1 "$SCRATCH/multi.E01"
    # All segments named.
    run_scan "$SCRATCH/multiall.json" -f json "${multi_segs[@]}"
    expect_rc 1 "multi-segment E01 (all segments)"
    assert_infected_debian "$SCRATCH/multiall.json" 1 "${multi_segs[@]}"
    # The image identity lists every segment read, with its size, however
    # the image was named; both results describe the same evidence.
    for j in multi1 multiall; do
        jqt "multi-segment E01 ($j): image.segments lists every segment" "$SCRATCH/$j.json" \
            --argjson n "${#multi_segs[@]}" \
            '(.image.segments | length) == $n and all(.image.segments[]; .size > 0) and .image.format == "ewf"'
    done
    jqt "multi-segment E01: the same identity from the first and from all segments" \
        "$SCRATCH/multi1.json" --slurpfile b "$SCRATCH/multiall.json" \
        '[.image.segments[].size] == [$b[0].image.segments[].size] and .image.media_size == $b[0].image.media_size'
    ran=$((ran + 1))
else
    say "note: ewfacquire missing, E01 cases skipped"
fi

build split --spec "$spec" --format split
segments split split_segs
check "split image has at least 3 segments" test "$(wc -l <"$SCRATCH/split.files")" -ge 3
run_scan "$SCRATCH/split1.json" -f json "$SCRATCH/split.001"
expect_rc 1 "split raw (first segment)"
assert_infected_debian "$SCRATCH/split1.json" 1 "$SCRATCH/split.001"
jqt "split: whole image size seen from the first segment" "$SCRATCH/split1.json" \
    '.scan.image_size == 16777216'
jqt "split: image identity lists every segment from the first" "$SCRATCH/split1.json" \
    --argjson n "${#split_segs[@]}" \
    '(.image.segments | length) == $n and ([.image.segments[].size] | add) == 16777216
     and .image.paths == [.image.segments[0].path] and .image.media_hashes == null
     and .schema_version == "1.2"'
run_scan "$SCRATCH/splitall.json" -f json "${split_segs[@]}"
expect_rc 1 "split raw (all segments)"
assert_infected_debian "$SCRATCH/splitall.json" 1 "${split_segs[@]}"
jqt "split: whole image size from all segments" "$SCRATCH/splitall.json" \
    '.scan.image_size == 16777216'
ran=$((ran + 1))

if has_tool qemu-img && mmls -i list 2>&1 | grep -q vmdk; then
    for f in vmdk vhd; do
        build "img-$f" --spec "$spec" --format "$f"
        run_scan "$SCRATCH/$f.json" -f json "$SCRATCH/img-$f"
        expect_rc 1 "$f"
        assert_infected_debian "$SCRATCH/$f.json" 1 "$SCRATCH/img-$f"
    done
else
    say "note: qemu-img or libtsk vmdk/vhd support missing, VMDK/VHD skipped"
fi
finish

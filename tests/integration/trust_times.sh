#!/bin/bash
# trust_times.sh - times after the file system's last write and after the
# image's acquisition: TIME_AFTER_FS_LAST_WRITE against the ext
# superblock's s_wtime of a cleanly unmounted file system (the fixture's
# clock pins it to the spec's "now", 2015-05-01), not checked once the
# superblock says it was not unmounted cleanly; TIME_AFTER_ACQUISITION
# against the E01 header's acquisition date (pinned the same way by
# mkimage's clock shim).  Times are set with debugfs -w on the test's own
# image file.  The story marks the back-dated dropper's time unreliable.
. "$(dirname "$0")/lib.sh"
has_tool debugfs || skip "debugfs missing"

build tt --spec "$SPECS/infected-debian.spec" --layout bare
img=$SCRATCH/tt
# the backdoor's birth and modification after the last write (2016), and
# the other flagged file's birth later still, so the backdoor stays the
# earliest-born flagged file the story's dropper step is about
for f in crtime mtime; do
    debugfs -w -R "set_inode_field /var/tmp/qCVwOWA $f 20160101000000" "$img" >/dev/null 2>&1 ||
        die "debugfs set_inode_field $f failed"
done
debugfs -w -R "set_inode_field /tmp/xKzPqRt crtime 20160201000000" "$img" >/dev/null 2>&1 ||
    die "debugfs set_inode_field crtime failed"
run_scan "$SCRATCH/a.json" -f json "$img"
expect_rc 1 "infected image"
j=$SCRATCH/a.json
jqt "superblock times and state in the volume" "$j" '
  .volumes[] | select(.fs_type == "ext4") | .fs_clean == true
  and (.fs_last_write | startswith("2015-05-01T00:00:00"))'
jqt "TIME_AFTER_FS_LAST_WRITE on the backdoor, times marked" "$j" '
  any(.findings[]; .path == "/var/tmp/qCVwOWA"
      and any(.reasons[]; .code == "TIME_AFTER_FS_LAST_WRITE" and (.text | test("s_wtime 2015-05-01T00:00:00Z")))
      and (.times_unreliable | index("crtime")) and (.times_unreliable | index("mtime")))'
jqt "no acquisition date in a raw image, and 2016 is not after the scan" "$j" '
  all(.findings[].reasons[]; .code != "TIME_AFTER_ACQUISITION" and .code != "TIME_IN_FUTURE")'
jqt "the story's dropper step is low and says its time is unreliable" "$j" '
  .story[] | select(.kind == "dropper_written") | (.text | test("/var/tmp/qCVwOWA"))
  and (.text | test("time UNRELIABLE")) and .certainty == "low"'
jqt "files within the last write are not flagged for it" "$j" '
  [.findings[] | select(any(.reasons[]; .code == "TIME_AFTER_FS_LAST_WRITE")) | .path] == ["/var/tmp/qCVwOWA", "/tmp/xKzPqRt"]'

# the same image, superblock marked "not clean" (as a live snapshot's):
# its last write bounds nothing, so the reason is not raised
cp "$img" "$SCRATCH/unclean"
debugfs -w -R "ssv state 0" "$SCRATCH/unclean" >/dev/null 2>&1 || die "debugfs ssv state failed"
run_scan "$SCRATCH/u.json" -f json "$SCRATCH/unclean"
jqt "not checked on a file system not unmounted cleanly" "$SCRATCH/u.json" '
  (.volumes[] | select(.fs_type == "ext4") | .fs_clean == false)
  and all(.findings[].reasons[]; .code != "TIME_AFTER_FS_LAST_WRITE")'

if has_tool ewfacquire && has_tool cc; then
    spec=$SCRATCH/acq.spec
    cp "$SPECS/infected-debian.spec" "$spec"
    # after the acquisition (2015-05-01 in the header) by more than the
    # 14 hours allowed for the header's unrecorded zone
    echo "time /var/tmp/qCVwOWA 2015-05-03T00:00:00Z 2015-04-30T23:45:01Z 2015-05-03T00:00:00Z 2015-04-07T10:00:00Z" >>"$spec"
    build acq --spec "$spec" --layout bare --format e01
    segments acq segs
    acq=$(ewfinfo "${segs[0]}" 2>/dev/null | sed -n 's/^[[:space:]]*Acquisition date:[[:space:]]*//p')
    run_scan "$SCRATCH/e.json" -f json "${segs[0]}"
    jqt "TIME_AFTER_ACQUISITION with the date the E01 records ($acq)" "$SCRATCH/e.json" '
      any(.findings[]; .path == "/var/tmp/qCVwOWA" and any(.reasons[]; .code == "TIME_AFTER_ACQUISITION"
          and (.text | test("2015-05-01T00:00:00"))) and (.times_unreliable | index("mtime")))'
    jqt "a time within 14 hours of the acquisition is not flagged for it" "$SCRATCH/e.json" '
      all(.findings[] | select(.path != "/var/tmp/qCVwOWA") | .reasons[]; .code != "TIME_AFTER_ACQUISITION")'
    check "ewfinfo shows the same acquisition day" grep -q "May  1 00:00:00 2015\|2015" <<<"$acq"
else
    say "note: ewfacquire or cc missing, acquisition date not tested"
fi
finish

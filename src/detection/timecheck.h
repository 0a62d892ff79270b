/* timecheck.h - which recorded times of a file can be trusted.
 *
 * Attackers back-date what they drop ("touch -d", "touch -r /bin/ls").
 * The checks an examiner does by hand, each a reason of its own on the
 * file (common/ms_reasons.h) that also sets the time's bit in
 * ms_file.times_unreliable, which the incident story reads:
 *
 *   TIME_MTIME_BEFORE_BIRTH   modification earlier than the inode's birth
 *                             (ext4/XFS v5 crtime): set by hand
 *   TIME_CTIME_BEFORE_MTIME   change time earlier than modification time:
 *                             every write also sets ctime, so the pair was
 *                             forged (or the clock stepped back)
 *   TIME_COPIED_FROM_SYSTEM_FILE  modification time equal, to the
 *                             nanosecond, to a system program's (/bin,
 *                             /sbin, /usr/bin, /usr/sbin sampled):
 *                             "touch -r"
 *   TIME_NSEC_ZERO            modification and access times with zero
 *                             nanoseconds on a file system that stores
 *                             them (the sampled system files show non-zero
 *                             ones): "touch -d"/"touch -t" leave them so
 *   TIME_IN_FUTURE            a time after the examination started, which
 *                             is after the image was acquired
 *   TIME_AFTER_ACQUISITION    a time after the acquisition date the E01
 *                             header records (stored without a zone: more
 *                             than MS_TIME_ACQ_SLACK after it, read as UTC)
 *   TIME_AFTER_FS_LAST_WRITE  a time after the ext superblock's last write
 *                             (s_wtime) of a file system unmounted cleanly
 *                             (a live or crashed one is not checked: its
 *                             superblock is written only now and then)
 *
 * Checked on every flagged file and every web-root script recorded. */
#ifndef MS_TIMECHECK_H
#define MS_TIMECHECK_H

#include <stddef.h>
#include "common/ms_model.h"
#include "evidence/fs.h"

#define MS_TIME_SAMPLE_MAX 512   /* system files sampled per volume */

typedef struct ms_time_sample {
    int      volume;
    uint64_t inode;
    char    *path;
    ms_time  mtime;
} ms_time_sample;

typedef struct ms_time_samples {
    ms_time_sample *s;  size_t n, cap;
    /* per volume: sampled files with any non-zero nanosecond field */
    struct { int volume; size_t total, with_nsec; } *vols;
    size_t nvols, volscap;
} ms_time_samples;

/* Sample the times of the system programs of one file system. */
ms_err ms_timecheck_sample(ms_fs *fs, int volume, ms_time_samples *ts);

/* Check one file; `now` is when the examination started (UTC seconds). */
ms_err ms_timecheck_file(ms_file *f, const ms_time_samples *ts, int64_t now);

/* The two checks against the image's own dates (acquisition, file
 * system's last write), from scan->acquired and scan->volumes. */
#define MS_TIME_ACQ_SLACK (14 * 3600)
ms_err ms_timecheck_after(ms_file *f, const ms_scan *scan);

/* 1 when the samples of `volume` show the file system keeps nanoseconds. */
int ms_timecheck_volume_has_nsec(const ms_time_samples *ts, int volume);

void ms_time_samples_free(ms_time_samples *ts);

#endif

/* tzinfo.h - the image's time zone, to put syslog's local times in UTC.
 *
 * Traditional syslog lines ("Apr  7 10:15:01") are the server's local
 * time without a zone.  The zone is read from the image:
 *   1. /etc/localtime: a symlink into .../zoneinfo/NAME (the name) whose
 *      target, read from the image, is a TZif file (the rules); or a TZif
 *      file itself (the name then from /etc/timezone, if any);
 *   2. else /etc/timezone (Debian) names the zone; its rules from the
 *      image's /usr/share/zoneinfo/NAME, else from the host's tzdata file
 *      of that name (said so: the host's rules may be newer);
 *   3. else none: the times are treated as UTC, and every report says so.
 * The TZif file (RFC 8536, versions 1-4) is parsed here, not by the C
 * library: no setenv("TZ")/tzset() (process-global, not thread-safe), and
 * the image's own rules rather than the host's.  Parsed: the transition
 * times and each type's UT offset (64-bit data block of v2+, else v1),
 * and the footer's POSIX TZ string in its usual forms (std offset, and
 * dst with "Mm.w.d[/time]" rules) for times after the last transition,
 * which "slim" TZif files need.  Leap seconds are ignored (syslog times
 * are POSIX times). */
#ifndef MS_TZINFO_H
#define MS_TZINFO_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"
#include "evidence/fs.h"

#define MS_TZ_MAX_FILE  (256u * 1024u)  /* bytes of a TZif file read */
#define MS_TZ_MAX_TRANS 4096            /* transitions kept */

typedef struct ms_tz_rule {   /* "Mm.w.d/secs" of a POSIX TZ string */
    int mon, week, wday;
    int32_t secs;             /* local time of the change */
} ms_tz_rule;

typedef struct ms_tz {
    int      found;           /* rules known: times converted */
    char    *name;            /* "Europe/Berlin", or NULL when unnamed */
    char    *how;             /* how the zone was found, in words */
    int64_t *trans;           /* transition times (UTC), ascending */
    int32_t *trans_off;       /* UT offset from each transition on */
    size_t   ntrans;
    int32_t  first_off;       /* offset before the first transition */
    int      has_footer;      /* the footer's rule applies after the last */
    int32_t  std_off, dst_off;/* footer: UT offsets (east positive) */
    int      has_dst;
    ms_tz_rule start, end;    /* footer: DST start and end */
} ms_tz;

/* Parse a TZif file; MS_ERR_FORMAT when it is not one. */
ms_err ms_tz_parse(const uint8_t *data, size_t len, ms_tz *tz);

/* Parse a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3") into the footer
 * fields; 0 when its form is not supported. */
int ms_tz_parse_posix(const char *s, size_t len, ms_tz *tz);

/* UT offset (seconds east) at a UTC time. */
int32_t ms_tz_offset_at(const ms_tz *tz, int64_t utc);

/* UTC of a local time given as if it were UTC (timegm of the fields).  A
 * local time repeated when clocks go back is taken at its first
 * occurrence; one skipped when they go forward with the offset before
 * the change. */
int64_t ms_tz_local_to_utc(const ms_tz *tz, int64_t local);

/* Read the zone of the system whose root is `fs` (see above); tz->how is
 * always set (MS_OK) unless memory runs out. */
ms_err ms_tz_read(ms_fs *fs, ms_tz *tz);

void ms_tz_free(ms_tz *tz);

#endif

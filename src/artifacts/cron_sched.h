/* cron_sched.h - cron schedules: parse the five time fields, test them,
 * classify "every 15 minutes" and describe them in English.
 *
 * Semantics follow Vixie cron / cronie (entry.c, cron.c):
 *  - fields: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or
 *    jan..dec, day of week 0-7 or sun..sat (7 and 0 are both Sunday);
 *    names are case-insensitive and may appear in ranges ("mon-fri");
 *  - items: "*", "N", "A-B", "*" or "A-B" followed by "/STEP", and "A/STEP"
 *    which cronie reads as A-max/STEP; items are joined by commas;
 *  - a reversed range (5-1), a value out of range, step 0 and unknown
 *    names are errors, as in cron;
 *  - cron silently ignores anything after a leading "*" item that is not
 *    "/" or ",", e.g. "*x" is "*"; we do the same so that a job cron would
 *    run is never reported as unparsable;
 *  - day rule (cron.c find_jobs): a field "starts with *" when its first
 *    character is '*' (so "*" and also "*" followed by "/2" count).  If either
 *    day of month or day of week starts with '*', a day must match BOTH
 *    fields; if neither does, a day matches if EITHER field matches
 *    ("0 0 1 * mon" runs on the 1st and on every Monday).
 *
 * No I/O, no global state. */
#ifndef MS_CRON_SCHED_H
#define MS_CRON_SCHED_H

#include <stdint.h>
#include "common/ms_error.h"

/* Which cron implementation's field rules to apply.  The
 * rules differ in small ways that decide whether a line is a job; see
 * docs/detection.md "Cron dialects" for the table and its sources. */
typedef enum ms_cron_dialect {
    MS_CRON_DIALECT_UNKNOWN = 0,  /* not known: compare the readings */
    MS_CRON_DIALECT_DEBIAN,       /* Vixie cron 3.0pl1 + Debian patches */
    MS_CRON_DIALECT_CRONIE_15,    /* cronie before 1.6.0 (1.4.x, 1.5.x) */
    MS_CRON_DIALECT_CRONIE_16,    /* cronie 1.6.0 and later (adds ~) */
    MS_CRON_DIALECT_BUSYBOX,      /* BusyBox crond (cron_dialect_rules.h) */
    MS_CRON_DIALECT_FREEBSD,      /* FreeBSD cron (entry.c rules) */
    MS_CRON_DIALECT_SYSTEMD_CRON, /* systemd-cron (cron_dialect_rules.h) */
    MS_CRON_DIALECT_COUNT
} ms_cron_dialect;

/* Short stable name ("debian-vixie", "cronie-1.6+", ...) */
const char *ms_cron_dialect_name(ms_cron_dialect d);

/* 1 if the field rules of d are modelled (all but UNKNOWN). */
int ms_cron_dialect_modelled(ms_cron_dialect d);

/* A "~" item (cronie >= 1.6): cronie picks one value in lo..hi each time
 * it loads the crontab, so the true value is unknowable from the file. */
#define MS_CRON_MAX_RANDOM 32
typedef struct ms_cron_random {
    uint8_t field;    /* 0 minute .. 4 day of week */
    uint8_t lo, hi;   /* candidate values */
} ms_cron_random;

typedef struct ms_cron_sched {
    uint64_t minute;  /* bits 0..59 */
    uint32_t hour;    /* bits 0..23 */
    uint32_t dom;     /* bits 1..31 */
    uint16_t month;   /* bits 1..12 */
    uint8_t  dow;     /* bits 0..6, Sunday 0; 7 folded to 0 */
    int dom_star, dow_star; /* field started with '*' */
    int reboot;       /* @reboot: runs once at daemon start, never by time */
    /* FreeBSD "@NUMBER" (entry.c load_entry, INTERVAL): the job runs
     * that many seconds after its previous run ended (the first run that
     * long after cron loads the crontab); the bit sets are empty.  0 for
     * every other schedule. */
    uint64_t interval;
    /* "~" items: their value is NOT in the bit sets above */
    ms_cron_random random[MS_CRON_MAX_RANDOM];
    unsigned nrandom;
} ms_cron_sched;

/* Longest single field accepted; cron's own buffers are ~100 bytes. */
#define MS_CRON_FIELD_MAX 256

/* Parse the five schedule fields (minute hour dom month dow), each a
 * NUL-terminated string without blanks.  On success fills *out and
 * returns MS_OK.  On a bad field returns MS_ERR_FORMAT and, if err_text is
 * not NULL, stores a malloc'd explanation there (caller frees; NULL if
 * even that allocation failed).  MS_ERR_ARG for NULL arguments,
 * MS_ERR_NOMEM never (parsing allocates nothing but the error text). */
ms_err ms_cron_sched_parse(const char *const fields[5], ms_cron_sched *out,
                           char **err_text);

/* Same, with the rules of one dialect (MS_CRON_DIALECT_UNKNOWN and the
 * unmodelled dialects use cronie >= 1.6's rules; callers that must not
 * guess compare the modelled dialects themselves, see cron_parse.c).
 * ms_cron_sched_parse() is this with MS_CRON_DIALECT_CRONIE_16. */
ms_err ms_cron_sched_parse_dialect(const char *const fields[5],
                                   ms_cron_dialect d, ms_cron_sched *out,
                                   char **err_text);

/* 1 if a and b select the same minutes, hours, days and months under the
 * same day rule (and the same "~" items). */
int ms_cron_sched_equal(const ms_cron_sched *a, const ms_cron_sched *b);

/* 1 if a and b fire at the same times (same minutes, hours, months and
 * "~" items, and the same days once each one's day rule is applied),
 * however they are written. */
int ms_cron_sched_fires_same(const ms_cron_sched *a, const ms_cron_sched *b);

/* Fill *out for a cron "@" keyword given with its '@' ("@daily").
 * Accepts @reboot @yearly @annually @monthly @weekly @daily @midnight
 * @hourly, case-sensitively like cron.  MS_ERR_FORMAT for anything else. */
ms_err ms_cron_sched_macro(const char *word, ms_cron_sched *out);

/* 1 if the schedule fires at that local time, else 0.  minute 0-59,
 * hour 0-23, dom 1-31, month 1-12, dow 0-6 (7 accepted as Sunday); out of
 * range arguments give 0.  @reboot schedules never fire by time.  A "~"
 * item counts as matching every value it may pick ("may fire"). */
int ms_cron_sched_fires(const ms_cron_sched *s, int minute, int hour,
                        int dom, int month, int dow);

/* 1 if the job runs every 15 minutes around the clock, every day of
 * the year: minutes are exactly {m, m+15, m+30, m+45} for some m in 0..14,
 * all 24 hours, every day.  "* /5" (every 5 minutes) is not: it runs more
 * often than every 15 minutes.  @reboot is never. */
int ms_cron_sched_every_15(const ms_cron_sched *s);

/* 1 if the schedule fires on every day of every month (the dom/dow rule
 * applied), regardless of the time of day. */
int ms_cron_sched_every_day(const ms_cron_sched *s);

/* malloc'd English description (caller frees), NULL on allocation
 * failure.  Examples: "every minute", "at 04:05 on day 1 of the month",
 * "every 15 minutes (at minutes 0, 15, 30, 45) of every hour, every day",
 * "at minute 30 of hours 9-17, on Monday-Friday", "at reboot". */
char *ms_cron_sched_describe(const ms_cron_sched *s);

#endif

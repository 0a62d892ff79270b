/* syslog_cron.h - cron and sshd records in text syslog files.
 *
 * Lines look like
 *   Mar  3 10:15:01 web1 CRON[2211]: (root) CMD (/tmp/x >/dev/null 2>&1)
 *   Mar  3 10:15:01 web1 CROND[2211]: (root) CMD (/tmp/x)        RHEL
 *   Mar  3 10:15:00 web1 /usr/sbin/cron[2211]: (root) CMD (/tmp/x) FreeBSD
 *   2024-03-03T10:15:01.123456+01:00 web1 CRON[2211]: ...  rsyslog
 *                                     RFC 3339 (Debian 12's default)
 *   Mar  3 10:20:11 web1 sshd[990]: Accepted password for root from
 *       198.51.100.7 port 50122 ssh2
 * cron writes "(user) CMD (command)" with the command as in the crontab
 * after mkprints() (control bytes as ^X, bytes >= 0x80 as \ooo; cronie
 * misc.c and Debian cron alike).
 *
 * Traditional syslog timestamps carry no year and no zone: the caller
 * infers the year (ms_syslog_assign_years) and the time is the server's
 * local time, which this layer does not convert. */
#ifndef MS_SYSLOG_CRON_H
#define MS_SYSLOG_CRON_H

#include <stddef.h>
#include <stdint.h>

/* The parsed header of one syslog line. */
typedef struct ms_syslog_hdr {
    int      has_year;     /* RFC 3339: year and zone explicit */
    int      year, mon, mday, hour, min, sec; /* mon 1..12 */
    int64_t  utc;          /* has_year: seconds since the epoch, UTC */
    const char *tag;       /* program name (not NUL-terminated) */
    size_t   tag_len;
    long     pid;          /* -1 when the tag has no [pid] */
    const char *msg;       /* the message after "tag[pid]: " */
    size_t   msg_len;
} ms_syslog_hdr;

/* Parse the header of line[0..len); 1 when it is a syslog line. */
int ms_syslog_parse(const char *line, size_t len, ms_syslog_hdr *h);

/* A cron "(user) CMD (command)" message from a cron program (tag CRON,
 * CROND, cron, crond or a path ending in /cron): 1 and the user and
 * command spans set, else 0.  The command is everything between "CMD ("
 * and the line's last ')'. */
int ms_syslog_cron_cmd(const ms_syslog_hdr *h, const char **user,
                       size_t *user_len, const char **cmd, size_t *cmd_len);

/* An sshd login record. */
typedef struct ms_sshd_rec {
    int accepted;          /* 1 Accepted, 0 Failed / Invalid user */
    const char *method;    size_t method_len;  /* "password", "publickey" */
    const char *user;      size_t user_len;
    const char *addr;      size_t addr_len;
    int invalid_user;      /* "for invalid user X" / "Invalid user X" */
} ms_sshd_rec;

/* Parse an sshd message ("Accepted <m> for <u> from <a> port ...",
 * "Failed <m> for [invalid user ]<u> from <a> ...", "Invalid user <u>
 * from <a>"); 1 when it is one. */
int ms_syslog_sshd(const ms_syslog_hdr *h, ms_sshd_rec *r);

/* Time of a yearless record: month/day/time in `t`, year inferred. */
typedef struct ms_syslog_when {
    int mon, mday, hour, min, sec;
    int year;              /* set by ms_syslog_assign_years */
} ms_syslog_when;

/* Assign years to yearless records in file order: the last record is in
 * the year of `ref_sec` (when the file was last written: its mtime), or
 * the year before when its month lies after ref's month; going back, a
 * month larger than the next record's means the year turned between them.
 * Returns the number of year turns seen. */
int ms_syslog_assign_years(ms_syslog_when *w, size_t n, int64_t ref_sec);

/* Seconds since the epoch of a broken-down time taken as UTC; INT64_MIN
 * for an invalid date. */
int64_t ms_syslog_timegm(int year, int mon, int mday, int hour, int min,
                         int sec);

/* mkprints() of cron: control bytes as ^X, 0x7f as ^?, bytes >= 0x80 as
 * \ooo; malloc'd, NULL on allocation failure. */
char *ms_cron_mkprints(const char *s, size_t len);

#endif

/* cron_dialect_rules.h - the schedule fields as BusyBox crond and
 * systemd-cron read them.
 *
 * Both are far from Vixie cron (cron_sched.c), so each has its own
 * reader here that follows the implementation's code step by step; the
 * result is an ms_cron_sched with the implementation's day rule folded
 * into dom_star/dow_star so that ms_cron_sched_fires() answers for it.
 *
 * BusyBox crond (miscutils/crond.c ParseField, FixDayDow,
 * flag_starting_jobs):
 *  - an item is '*', a number or a three-letter name (the first three
 *    letters match: "monday" is "mon" followed by junk), an optional
 *    "-" and second value, an optional "/STEP" (strtol: "1/2" is just 1);
 *  - values are not range-checked: the fill loop wraps modulo the field
 *    size ("22-2" hours is 22,23,0,1,2) and stops after 1024 steps with a
 *    parse error, which is how "60" in the minute field sets every
 *    minute;
 *  - a parse error is logged and the line is KEPT with the values set
 *    before the error;
 *  - day rule: if exactly one of day-of-month/day-of-week has every
 *    value set, it is cleared, then a day matches if either matches.
 *
 * systemd-cron (src/bin/systemd-crontab-generator.cpp parse_time_unit,
 * parse_period, int_map, month_map, dow_map,
 * generate_schedule_from_timespec):
 *  - "*" only as the whole field; items split at ',' (empty items
 *    skipped); "R/STEP" with R "*", "A" or "A-B"; "A/STEP" is A alone;
 *  - an upper bound past the field is clamped ("50-70" minutes is
 *    50-59), a single value past it or a range that selects nothing is
 *    an error; a month name is an error (month_map leaves the error of
 *    its failed number parse set); a day-of-week name matches by its
 *    first three letters, and as the END of a range "sun" is day 7, so
 *    a lone "sun" selects the whole week;
 *  - "A~B" picks one value when the generator runs; "L" (last day of the
 *    month) and "NL" (last weekday N of the month) are kept as notes;
 *  - day rule: the timer's OnCalendar= needs BOTH the weekday and the
 *    day of month to match (systemd.time(7)), never either;
 *  - any error: no timer is generated (the line is not a job).
 *
 * No I/O, no global state. */
#ifndef MS_CRON_DIALECT_RULES_H
#define MS_CRON_DIALECT_RULES_H

#include "artifacts/cron_sched.h"
#include "common/ms_error.h"

/* BusyBox: always MS_OK for well-formed arguments (crond keeps every
 * six-word line).  *note (may be NULL) gets a malloc'd sentence when
 * crond would log a parse error, naming the field; NULL otherwise.
 * MS_ERR_ARG, MS_ERR_NOMEM. */
ms_err ms_cron_sched_parse_busybox(const char *const fields[5],
                                   ms_cron_sched *out, char **note);

/* systemd-cron: MS_OK, or MS_ERR_FORMAT with *err_text (malloc'd, may
 * be NULL) when the generator makes no timer.  *note gets a sentence
 * for "L" and "NL" forms, which ms_cron_sched cannot express (the
 * schedule then holds the nearest superset).  MS_ERR_ARG, NOMEM. */
ms_err ms_cron_sched_parse_systemd(const char *const fields[5],
                                   ms_cron_sched *out, char **err_text,
                                   char **note);

/* An @keyword with dialect d's list: FreeBSD adds @every_minute and
 * @every_second (entry.c load_entry); systemd-cron drops leading '@'s,
 * ignores case and knows @minutely, @quarterly, @semi-annually, @boot and
 * a number of days (generate_schedule_from_period); the others use
 * ms_cron_sched_macro().  *note (may be NULL) gets a static remark or
 * NULL.  MS_ERR_FORMAT for an unknown word. */
ms_err ms_cron_sched_macro_dialect(const char *word, ms_cron_dialect d,
                                   ms_cron_sched *out, const char **note);

#endif

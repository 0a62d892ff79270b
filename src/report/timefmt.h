/* timefmt.h - ISO-8601 UTC rendering of 64-bit file system times.
 *
 * File system times come from the image and may hold any 64-bit value.
 * gmtime() depends on the range of time_t and of struct tm's int year, so
 * this module does the calendar arithmetic itself (proleptic Gregorian,
 * Howard Hinnant's civil_from_days) and renders every int64 second value
 * honestly: years beyond 0000..9999 are written with an explicit sign
 * (ISO-8601 expanded form), never wrapped or clamped. */
#ifndef MS_TIMEFMT_H
#define MS_TIMEFMT_H

#include <stdint.h>

#include "common/ms_error.h"
#include "common/ms_model.h"

/* Room for "+292277026596-12-04T15:30:07.999999999Z" and the NUL. */
#define MS_TIME_BUFSZ 48

/* Write "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" (always 9 fraction digits) for
 * `sec` seconds + `nsec` nanoseconds since 1970-01-01T00:00:00Z into buf.
 * Years < 0 are written "-YYYY", years > 9999 "+YYYYY..." (astronomical
 * year numbering: year 0 is 1 BC).  Returns MS_ERR_ARG (buf set to "")
 * when nsec > 999999999, MS_OK otherwise. */
ms_err ms_time_format(int64_t sec, uint32_t nsec, char buf[MS_TIME_BUFSZ]);

/* Calendar date of a day number (days since 1970-01-01, may be negative).
 * Defined for every int64 value that floor(INT64 / 86400) can produce. */
void ms_civil_from_days(int64_t days, int64_t *year, unsigned *month,
                        unsigned *day);

/* Inverse of ms_civil_from_days for |year| < 2^40; month 1..12. */
int64_t ms_days_from_civil(int64_t year, unsigned month, unsigned day);

/* 1 when a model time is recorded and well formed (nsec < 10^9).  Report
 * writers treat a malformed time exactly like an unrecorded one, so no
 * format shows a value that was not really there. */
int ms_time_usable(const ms_time *t);

#endif

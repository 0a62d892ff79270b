#include "report/timefmt.h"

#include <stdio.h>

#define NSEC_MAX 999999999u

/* Floor division: C's '/' truncates toward zero, which would put negative
 * seconds on the wrong day. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

void ms_civil_from_days(int64_t days, int64_t *year, unsigned *month,
                        unsigned *day)
{
    /* |days| <= 2^63/86400 < 1.1e14, so shifting the epoch to 0000-03-01
     * and multiplying by 400 years below cannot overflow. */
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                       /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                      /* [0, 11] */
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = (unsigned)m;
    *day = (unsigned)d;
}

int64_t ms_days_from_civil(int64_t year, unsigned month, unsigned day)
{
    int64_t y = year - (month <= 2);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = month > 2 ? (int64_t)month - 3 : (int64_t)month + 9;
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

ms_err ms_time_format(int64_t sec, uint32_t nsec, char buf[MS_TIME_BUFSZ])
{
    buf[0] = '\0';
    if (nsec > NSEC_MAX)
        return MS_ERR_ARG;

    /* Split without multiplying back: days * 86400 overflows near
     * INT64_MIN. */
    int64_t days = sec / 86400, rem = sec % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t year;
    unsigned month, day;
    ms_civil_from_days(days, &year, &month, &day);

    /* Year first, then the fixed-width rest; |year| < 2^39 so the whole
     * string needs at most 13 + 27 bytes. */
    int n;
    if (year >= 0 && year <= 9999)
        n = snprintf(buf, MS_TIME_BUFSZ, "%04lld", (long long)year);
    else if (year < 0)
        n = snprintf(buf, MS_TIME_BUFSZ, "-%04lld", -(long long)year);
    else
        n = snprintf(buf, MS_TIME_BUFSZ, "+%lld", (long long)year);
    if (n < 0 || n > 16) {
        buf[0] = '\0';
        return MS_ERR_INTERNAL; /* unreachable, see above */
    }
    snprintf(buf + n, MS_TIME_BUFSZ - (size_t)n,
             "-%02u-%02uT%02u:%02u:%02u.%09luZ", month % 100u, day % 100u,
             (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60),
             (unsigned)(rem % 60), (unsigned long)nsec);
    return MS_OK;
}

int ms_time_usable(const ms_time *t)
{
    return t && t->set && t->nsec <= NSEC_MAX;
}

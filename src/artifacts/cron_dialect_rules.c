/* cron_dialect_rules.c - BusyBox crond's and systemd-cron's readings of
 * the five schedule fields.  See cron_dialect_rules.h for the rules and
 * their sources; comments here say why the code does what it does. */
#include "artifacts/cron_dialect_rules.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>

#include "common/ms_mem.h"

static const char *const field_what[5] = {
    "minute", "hour", "day-of-month", "month", "day-of-week"
};

/* Quote a hostile field for a message: printable bytes, bounded. */
static char *quoted(const char *s)
{
    size_t n = strnlen(s, MS_CRON_FIELD_MAX);
    char *p = ms_strndup(s, n);
    for (size_t i = 0; p && i < n; i++)
        if (!isprint((unsigned char)p[i]) || p[i] == '"')
            p[i] = '?';
    return p;
}

static void fold_dow7(ms_cron_sched *s)
{
    /* systemd's DOWS_SET and BusyBox's wrap both end on Sunday */
    if (s->dow & 0x80)
        s->dow = (uint8_t)((s->dow & 0x7F) | 1);
}

/* ---- BusyBox crond ------------------------------------------------------ */

#define BB_FAILSAFE 1024   /* crond.c ParseField: "failsafe = 1024" */

/* strtol over the digits at *pp (the caller saw a digit or a '/'),
 * saturating like strtol does on a 64-bit long. */
static long long bb_strtol(const char **pp, int allow_sign)
{
    const char *p = *pp, *start;
    int neg = 0;
    long long v = 0;

    if (allow_sign && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    start = p;
    while (isdigit((unsigned char)*p)) {
        int d = *p++ - '0';
        v = v > (LLONG_MAX - d) / 10 ? LLONG_MAX : v * 10 + d;
    }
    if (p == start) {          /* no conversion: endptr is nptr */
        return 0;
    }
    *pp = p;
    return neg ? -v : v;
}

/* ParseField: fills ary[0..mod-1]; returns NULL or why crond logs a
 * parse error (ary keeps what was set). */
static const char *bb_field(uint8_t *ary, int mod, int off,
                            const char *names, const char *ptr)
{
    long long n1 = -1, n2 = -1;

    for (int items = 0; items < MS_CRON_FIELD_MAX; items++) {
        int skip = 0;
        if (*ptr == '*') {
            n1 = 0;
            n2 = mod - 1;
            skip = 1;
            ptr++;
        } else if (isdigit((unsigned char)*ptr)) {
            long long v = bb_strtol(&ptr, 0) + off;
            if (n1 < 0)
                n1 = v;
            else
                n2 = v;
            skip = 1;
        } else if (names) {
            for (int i = 0; names[i * 3]; i++) {
                if (strncasecmp(ptr, names + i * 3, 3) == 0) {
                    ptr += 3;
                    if (n1 < 0)
                        n1 = i;
                    else
                        n2 = i;
                    skip = 1;
                    break;
                }
            }
        }
        if (!skip)
            return "not a number, '*' or known name";
        if (*ptr == '-' && n2 < 0) {
            ptr++;
            continue;
        }
        if (n2 < 0)
            n2 = n1;
        if (*ptr == '/') {
            const char *q = ptr + 1;
            long long st = bb_strtol(&q, 1);
            /* long to int, as on x86-64 */
            skip = (int)(uint32_t)(uint64_t)st;
            ptr = q;
        }
        if (n1 < 0)
            return "a value below the field (crond writes outside its "
                   "table: undefined behaviour)";
        int s0 = 1, failsafe = BB_FAILSAFE;
        n1--;
        do {
            n1 = (n1 + 1) % mod;
            if (--s0 == 0) {
                ary[n1 % mod] = 1;
                s0 = skip;
            }
            if (--failsafe == 0)
                return "the values do not end (crond stops after 1024 "
                       "steps)";
        } while (n1 != n2);
        if (*ptr != ',')
            break;
        ptr++;
        n1 = n2 = -1;
    }
    if (*ptr)
        return "unexpected text";
    return NULL;
}

ms_err ms_cron_sched_parse_busybox(const char *const fields[5],
                                   ms_cron_sched *out, char **note)
{
    static const char dow_names[] = "sun" "mon" "tue" "wed" "thu" "fri"
                                    "sat";
    static const char mon_names[] = "jan" "feb" "mar" "apr" "may" "jun"
                                    "jul" "aug" "sep" "oct" "nov" "dec";
    static const int mod[5] = { 60, 24, 32, 12, 7 };
    uint8_t ary[5][60];
    const char *why = NULL;
    int bad = -1;

    if (note)
        *note = NULL;
    if (!fields || !out)
        return MS_ERR_ARG;
    memset(ary, 0, sizeof ary);
    memset(out, 0, sizeof *out);
    for (int f = 0; f < 5; f++) {
        if (!fields[f])
            return MS_ERR_ARG;
        if (strnlen(fields[f], MS_CRON_FIELD_MAX + 1) > MS_CRON_FIELD_MAX) {
            if (bad < 0)
                bad = f, why = "field too long (not modelled)";
            continue;
        }
        const char *w = bb_field(ary[f], mod[f], f == 3 ? -1 : 0,
                                 f == 3 ? mon_names : f == 4 ? dow_names
                                                             : NULL,
                                 fields[f]);
        if (w && bad < 0)
            bad = f, why = w;
    }
    for (int i = 0; i < 60; i++)
        if (ary[0][i])
            out->minute |= UINT64_C(1) << i;
    for (int i = 0; i < 24; i++)
        if (ary[1][i])
            out->hour |= UINT32_C(1) << i;
    for (int i = 0; i < 12; i++)
        if (ary[3][i])
            out->month |= (uint16_t)(1u << (i + 1));
    /* FixDayDow: a field with every value set is cleared when the other
     * is not full; then a day matches if either field matches */
    int week_used = 0, days_used = 0;
    for (int i = 0; i < 7; i++)
        week_used |= !ary[4][i];
    for (int i = 0; i < 32; i++)
        days_used |= !ary[2][i];
    uint32_t dom = 0;
    uint8_t dow = 0;
    for (int i = 1; i < 32; i++)
        if (ary[2][i])
            dom |= UINT32_C(1) << i;
    for (int i = 0; i < 7; i++)
        if (ary[4][i])
            dow |= (uint8_t)(1u << i);
    if (week_used == days_used) {
        out->dom = dom;
        out->dow = dow;
        /* both full: every day either way; both used: either matches */
        out->dom_star = out->dow_star = !week_used;
    } else if (week_used) {       /* days cleared: weekday alone */
        out->dom = UINT32_C(0xFFFFFFFE);
        out->dow = dow;
        out->dom_star = 1;
    } else {                      /* weekdays cleared: day alone */
        out->dom = dom;
        out->dow = 0x7F;
        out->dow_star = 1;
    }
    if (bad >= 0 && note) {
        char *q = quoted(fields[bad]);
        *note = q ? ms_asprintf("BusyBox crond logs \"parse error\" for the "
                                "%s field \"%s\" (%s) and still runs the "
                                "line with the values set before the error",
                                field_what[bad], q, why)
                  : NULL;
        free(q);
        if (!*note)
            return MS_ERR_NOMEM;
    }
    return MS_OK;
}

/* ---- systemd-cron ------------------------------------------------------- */

#define SD_ERR ((size_t)-1)

/* int_map: vore::parse_uint<10>, the whole string in digits */
static size_t sd_int(const char *s, size_t n, int *err)
{
    size_t v = 0;
    if (n == 0 || n > 9) {
        *err = 1;
        return SD_ERR;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) {
            *err = 1;
            return SD_ERR;
        }
        v = v * 10 + (size_t)(s[i] - '0');
    }
    return v;
}

static size_t sd_map(int field, const char *s, size_t n, int *err, int to)
{
    static const char *const mons[] = { "jan", "feb", "mar", "apr", "may",
                                        "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec" };
    static const char *const dows[] = { "sun", "mon", "tue", "wed", "thu",
                                        "fri", "sat", "sun" };
    if (field == 3) {
        size_t v = sd_int(s, n, err);
        if (!*err)
            return v;
        /* month_map: the failed number parse left err set; a name is
         * found but the error stays */
        for (size_t i = 0; n >= 3 && i < 12; i++)
            if (strncasecmp(s, mons[i], 3) == 0)
                return i + 1;
        *err = 1;
        return 0;
    }
    if (field == 4) {
        for (size_t i = to ? 1 : 0; n >= 3 && i < 8; i++)
            if (strncasecmp(s, dows[i], 3) == 0)
                return i;
        return sd_int(s, n, err);
    }
    return sd_int(s, n, err);
}

typedef struct sd_field {
    int field;
    size_t nvalues;       /* 60, 24, 31, 12, 8 */
    int first;            /* values[i] = first + i */
    size_t base;          /* min(values), 0 for day-of-week */
} sd_field;

static const sd_field sd_fields[5] = {
    { 0, 60, 0, 0 }, { 1, 24, 0, 0 }, { 2, 31, 1, 1 }, { 3, 12, 1, 1 },
    { 4, 8, 0, 0 },
};

/* parse_period for one item; returns NULL or an error. */
static const char *sd_item(const sd_field *fd, const char *v, size_t n,
                           uint64_t *bits, ms_cron_sched *s)
{
    const char *slash = memchr(v, '/', n), *range = v;
    size_t rn = n, step = 1, max = fd->nvalues - 1;
    size_t nb = fd->base ? 0 : 1;          /* "!base" */
    int err = 0;

    if (slash) {
        rn = (size_t)(slash - v);
        if (memchr(slash + 1, '/', n - rn - 1))
            return "doubled /";
        step = sd_int(slash + 1, n - rn - 1, &err);
        if (err)
            return "/-skip not an integer";
        if (step == 0)
            return "a step of 0 (the generator loops forever; no timer)";
    }
    if (rn == 1 && range[0] == '*') {
        for (size_t i = 0; i < fd->nvalues; i += step)
            *bits |= UINT64_C(1) << (fd->first + (int)i);
        return NULL;
    }
    const char *tilde = memchr(range, '~', rn);
    if (tilde) {
        size_t sn = (size_t)(tilde - range), en = rn - sn - 1;
        if (memchr(tilde + 1, '~', en))
            return "doubled ~";
        /* the generator ignores the mapping's error flag here */
        size_t a = sn ? sd_map(fd->field, range, sn, &err, 0) - 1 + nb
                      : fd->base;
        size_t b = max;
        if (en) {
            size_t e = sd_map(fd->field, tilde + 1, en, &err, 1) + nb;
            b = e < max ? e : max;
        }
        if (a > max || a > b)
            return "random range selects nothing";
        if (s->nrandom >= MS_CRON_MAX_RANDOM)
            return "too many \"~\" items";
        s->random[s->nrandom].field = (uint8_t)fd->field;
        s->random[s->nrandom].lo = (uint8_t)(fd->first + (int)a);
        s->random[s->nrandom].hi = (uint8_t)(fd->first + (int)b);
        s->nrandom++;
        return NULL;
    }
    const char *start = range, *end = range;
    size_t sn = rn, en = rn;
    const char *dash = memchr(range, '-', rn);
    if (dash) {
        sn = (size_t)(dash - range);
        end = dash + 1;
        en = rn - sn - 1;
        if (memchr(end, '-', en))
            return "doubled -";
    }
    size_t a = sd_map(fd->field, start, sn, &err, 0) - 1 + nb;
    size_t e = sd_map(fd->field, end, en, &err, 1) + nb;
    size_t b = e < max + 1 ? e : max + 1;
    if (err)
        return fd->field == 3 && !isdigit((unsigned char)start[0])
                   ? "month names are not accepted (month_map keeps the "
                     "error of its number parse)"
                   : "not a number or name";
    int any = 0;
    for (size_t i = a; i < b; i += step) {
        *bits |= UINT64_C(1) << (fd->first + (int)i);
        any = 1;
    }
    return any ? NULL : "selects no value";
}

ms_err ms_cron_sched_parse_systemd(const char *const fields[5],
                                   ms_cron_sched *out, char **err_text,
                                   char **note)
{
    static const char *const ranges[5] = {
        "[0, 59]", "[0, 23]", "[1, 31] or 'L'", "[jan, dec] or [1, 12]",
        "[mon, sun] or [1, 7] or [1, 7]L"
    };
    ms_cron_sched s;
    uint64_t bits[5] = { 0 };
    const char *why = NULL;
    int bad = -1, last_dom = 0, last_dow = 0;

    if (err_text)
        *err_text = NULL;
    if (note)
        *note = NULL;
    if (!fields || !out)
        return MS_ERR_ARG;
    memset(&s, 0, sizeof s);
    for (int f = 0; f < 5 && bad < 0; f++) {
        const char *v = fields[f];
        char dowbuf[2];
        if (!v)
            return MS_ERR_ARG;
        size_t n = strnlen(v, MS_CRON_FIELD_MAX + 1);
        if (n > MS_CRON_FIELD_MAX) {
            bad = f, why = "field too long";
            break;
        }
        if (f == 2 && strcmp(v, "L") == 0) {
            last_dom = 1;
            v = "28-31";        /* superset; the note says "last day" */
            n = 5;
        } else if (f == 4 && n == 2 && v[1] == 'L') {
            last_dow = 1;       /* generator: days "7/1", dow first char */
            dowbuf[0] = v[0];
            dowbuf[1] = '\0';
            v = dowbuf;
            n = 1;
        }
        if (strcmp(v, "*") == 0) {
            bits[f] = f == 0 ? (UINT64_C(1) << 60) - 1
                    : f == 1 ? (UINT64_C(1) << 24) - 1
                    : f == 2 ? UINT64_C(0xFFFFFFFE)
                    : f == 3 ? UINT64_C(0x1FFE) : UINT64_C(0x7F);
            continue;
        }
        /* soft_tokenise: consecutive commas are one separator */
        for (size_t i = 0; i < n && bad < 0;) {
            size_t j = i;
            while (j < n && v[j] != ',')
                j++;
            if (j > i && (why = sd_item(&sd_fields[f], v + i, j - i,
                                        &bits[f], &s)))
                bad = f;
            i = j + 1;
        }
        if (bad < 0 && f == 4 && bits[4] == 0 && s.nrandom == 0)
            bits[4] = 0x7F;     /* no weekdays listed: no OnCalendar
                                   weekday, so every day */
        if (bad < 0 && f < 4 && bits[f] == 0 &&
            !(s.nrandom && s.random[s.nrandom - 1].field == f)) {
            bad = f;
            why = "no value";
        }
    }
    if (bad >= 0) {
        if (err_text) {
            char *q = quoted(fields[bad]);
            *err_text = q ? ms_asprintf("bad %s field \"%s\": %s; "
                                        "systemd-cron makes no timer "
                                        "(may be * or %s)", field_what[bad],
                                        q, why, ranges[bad])
                          : NULL;
            free(q);
        }
        return MS_ERR_FORMAT;
    }
    if (last_dow) {
        bits[2] = UINT64_C(0xFFC00000);   /* days 22..31 */
    }
    s.minute = bits[0];
    s.hour = (uint32_t)bits[1];
    s.dom = (uint32_t)bits[2];
    s.month = (uint16_t)bits[3];
    s.dow = (uint8_t)bits[4];
    fold_dow7(&s);
    /* OnCalendar= needs weekday AND day: the AND rule */
    s.dom_star = 1;
    s.dow_star = strcmp(fields[4], "*") == 0;
    if ((last_dom || last_dow) && note) {
        *note = ms_strdup(last_dom
                          ? "systemd-cron: \"L\" is the last day of the "
                            "month (OnCalendar \"~01\"); the days shown "
                            "are 28-31"
                          : "systemd-cron: \"NL\" is the last such weekday "
                            "of the month (OnCalendar \"~07/1\"); the days "
                            "shown are 22-31");
        if (!*note)
            return MS_ERR_NOMEM;
    }
    *out = s;
    return MS_OK;
}

/* ---- @keywords ---------------------------------------------------------- */

ms_err ms_cron_sched_macro_dialect(const char *word, ms_cron_dialect d,
                                   ms_cron_sched *out, const char **note)
{
    static const struct { const char *word, *f[5]; } sd[] = {
        { "minutely",      { "*", "*", "*", "*", "*" } },
        { "hourly",        { "0", "*", "*", "*", "*" } },
        { "midnight",      { "0", "0", "*", "*", "*" } },
        { "daily",         { "0", "0", "*", "*", "*" } },
        { "weekly",        { "0", "0", "*", "*", "1" } },
        { "monthly",       { "0", "0", "1", "*", "*" } },
        { "quarterly",     { "0", "0", "1", "1,4,7,10", "*" } },
        { "semi-annually", { "0", "0", "1", "1,7", "*" } },
        { "semiannually",  { "0", "0", "1", "1,7", "*" } },
        { "biannually",    { "0", "0", "1", "1,7", "*" } },
        { "bi-annually",   { "0", "0", "1", "1,7", "*" } },
        { "yearly",        { "0", "0", "1", "1", "*" } },
        { "annually",      { "0", "0", "1", "1", "*" } },
        { "anually",       { "0", "0", "1", "1", "*" } },
    };
    const char *dummy;

    if (!note)
        note = &dummy;
    *note = NULL;
    if (!word || !out)
        return MS_ERR_ARG;
    if (d == MS_CRON_DIALECT_FREEBSD) {
        /* entry.c load_entry: two FreeBSD additions */
        if (strcmp(word, "@every_minute") == 0 ||
            strcmp(word, "@every_second") == 0) {
            static const char *const all[5] = { "*", "*", "*", "*", "*" };
            if (word[7] == 's')
                *note = "FreeBSD cron: @every_second runs the job every "
                        "second";
            return ms_cron_sched_parse(all, out, NULL);
        }
        /* "@NUMBER" (FreeBSD 12+): strtol() > 0 with nothing after it,
         * run that many seconds after the previous run ends */
        char *end = NULL;
        long n = word[0] == '@' && word[1] ? strtol(word + 1, &end, 10) : 0;
        if (n > 0 && end && *end == '\0') {
            memset(out, 0, sizeof *out);
            out->interval = (uint64_t)n;
            *note = "FreeBSD cron: @NUMBER runs the job that many seconds "
                    "after its previous run ended (never two at once), the "
                    "first run that long after cron loads the crontab";
            return MS_OK;
        }
        return ms_cron_sched_macro(word, out);
    }
    if (d != MS_CRON_DIALECT_SYSTEMD_CRON)
        return ms_cron_sched_macro(word, out);
    /* generate_schedule_from_period: leading '@'s dropped, lower case,
     * aliases; hour START_HOURS_RANGE's start and minute DELAY (both 0
     * unless set in the crontab) */
    char w[32];
    size_t i = 0, n = 0;
    while (word[i] == '@')
        i++;
    for (; word[i] && n + 1 < sizeof w; i++)
        w[n++] = (char)tolower((unsigned char)word[i]);
    if (word[i])
        return MS_ERR_FORMAT;
    w[n] = '\0';
    if (!strcmp(w, "reboot") || !strcmp(w, "boot"))
        return ms_cron_sched_macro("@reboot", out);
    for (size_t k = 0; k < sizeof sd / sizeof sd[0]; k++)
        if (!strcmp(w, sd[k].word)) {
            ms_err rc = ms_cron_sched_parse(sd[k].f, out, NULL);
            if (!rc)
                out->dom_star = 1;      /* OnCalendar: AND */
            *note = "systemd-cron: a timer with Persistent=true by default "
                    "(a missed run is made up at boot); START_HOURS_RANGE "
                    "and DELAY move its hour and minute";
            return rc;
        }
    int err = 0;
    size_t days = sd_int(w, n, &err);
    if (err || days == 0)
        return MS_ERR_FORMAT;
    if (days == 1 || days == 7 || days == 30 || days == 31 || days == 365)
        return ms_cron_sched_macro_dialect(days == 1 ? "@daily"
                                           : days == 7 ? "@weekly"
                                           : days == 365 ? "@yearly"
                                           : "@monthly", d, out, note);
    char step[16];
    const char *f[5] = { "0", "0", "*", "*", "*" };
    if (days > 31) {   /* "*-1/N-1": every N months (N = days / 30) */
        size_t m = (days + 15) / 30;
        if (m == 0 || m > 12)
            m = 12;
        snprintf(step, sizeof step, "1-12/%zu", m);
        f[2] = "1";
        f[3] = step;
    } else {
        snprintf(step, sizeof step, "1-31/%zu", days);
        f[2] = step;
    }
    ms_err rc = ms_cron_sched_parse(f, out, NULL);
    if (!rc)
        out->dom_star = 1;
    *note = "systemd-cron: a period in days becomes an OnCalendar day step "
            "from the 1st of the month";
    return rc;
}

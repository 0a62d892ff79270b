/* cron_sched.c - cron schedule fields: parse, match, classify, describe.
 * See cron_sched.h for the semantics; comments here say why. */
#include "artifacts/cron_sched.h"
#include "artifacts/cron_dialect_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/ms_mem.h"

#define ALL_MINUTES ((UINT64_C(1) << 60) - 1)
#define ALL_HOURS   ((UINT32_C(1) << 24) - 1)
#define ALL_DOM     (UINT32_C(0xFFFFFFFE))        /* bits 1..31 */
#define ALL_MONTHS  ((uint16_t)0x1FFE)            /* bits 1..12 */
#define ALL_DOW     ((uint8_t)0x7F)               /* bits 0..6 */

/* Longest number cron's get_number would sensibly read; more digits would
 * overflow an int, and cron rejects them anyway (out of range). */
#define NUM_DIGITS_MAX 9

static const char *const month_abbr[] = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec"
};
static const char *const dow_abbr[] = {
    "sun", "mon", "tue", "wed", "thu", "fri", "sat"
};
static const char *const month_name[] = {
    "", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};
static const char *const dow_name[] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday"
};

typedef struct field_spec {
    const char *what;               /* for error messages */
    int low, high;                  /* accepted values */
    const char *const *names;       /* names for low.., or NULL */
    int nnames;
} field_spec;

static const field_spec specs[5] = {
    { "minute",       0, 59, NULL, 0 },
    { "hour",         0, 23, NULL, 0 },
    { "day-of-month", 1, 31, NULL, 0 },
    { "month",        1, 12, month_abbr, 12 },
    { "day-of-week",  0, 7,  dow_abbr, 7 },
};

/* ---- parsing ------------------------------------------------------------ */

/* Copy of a hostile field that is safe to put in a message. */
static char *printable(const char *s)
{
    size_t n = strnlen(s, MS_CRON_FIELD_MAX);
    char *p = ms_strndup(s, n);
    for (size_t i = 0; p && i < n; i++)
        if (!isprint((unsigned char)p[i]))
            p[i] = '?';
    return p;
}

static ms_err field_error(char **err_text, const field_spec *fs,
                          const char *field, const char *why)
{
    if (err_text) {
        char *safe = printable(field);
        *err_text = safe ? ms_asprintf("bad %s field \"%s%s\": %s", fs->what,
                                       safe, strlen(field) > MS_CRON_FIELD_MAX
                                       ? "..." : "", why)
                         : NULL;
        free(safe);
    }
    return MS_ERR_FORMAT;
}

/* The field rules that differ between implementations.  Sources: cronie
 * src/entry.c get_range()/get_number() at tags cronie-1.5.7, cronie-1.6.0
 * and cronie-1.7.2; Debian cron 3.0pl1 entry.c with Debian's patches.
 * docs/detection.md has the table. */
typedef struct rules {
    int tilde;          /* "~", "A~", "~B", "A~B" random items */
    int lax_terms;      /* anything that is not a letter or digit ends a
                           value and the rest of the field is ignored
                           (Debian get_number returns whatever follows) */
    int star_junk;      /* junk right after '*' ends the field (Debian,
                           cronie < 1.6) instead of rejecting it */
    int reversed_ok;    /* A-B with A > B sets nothing (Debian, cronie
                           >= 1.6) instead of rejecting (cronie < 1.6) */
    int step_max_field; /* step larger than the field's maximum rejected
                           (cronie < 1.6: "num3 > high") */
    int check_ends;     /* both ends of a range checked before the loop
                           (Debian, cronie < 1.6); else only the values
                           the loop visits (cronie >= 1.6, FreeBSD's
                           set_element) */
    int single_step;    /* "A/STEP" is A-max/STEP (FreeBSD get_range:
                           "if (ch == '/') num2 = high") instead of an
                           error */
} rules;

static const rules rules_debian   = { 0, 1, 1, 1, 0, 1, 0 };
static const rules rules_cronie15 = { 0, 0, 1, 0, 1, 1, 0 };
static const rules rules_cronie16 = { 1, 0, 0, 1, 0, 0, 0 };
/* FreeBSD usr.sbin/cron/lib/entry.c get_list/get_range/get_number/
 * set_element: junk after a value or '*' ends the field (get_list skips
 * to the next blank), reversed ranges set nothing, no step bound. */
static const rules rules_freebsd  = { 0, 1, 1, 1, 0, 0, 1 };

static const rules *rules_for(ms_cron_dialect d)
{
    switch (d) {
    case MS_CRON_DIALECT_DEBIAN:    return &rules_debian;
    case MS_CRON_DIALECT_CRONIE_15: return &rules_cronie15;
    case MS_CRON_DIALECT_FREEBSD:   return &rules_freebsd;
    default:                        return &rules_cronie16;
    }
}

const char *ms_cron_dialect_name(ms_cron_dialect d)
{
    switch (d) {
    case MS_CRON_DIALECT_DEBIAN:       return "debian-vixie-3.0pl1";
    case MS_CRON_DIALECT_CRONIE_15:    return "cronie-before-1.6";
    case MS_CRON_DIALECT_CRONIE_16:    return "cronie-1.6-or-later";
    case MS_CRON_DIALECT_BUSYBOX:      return "busybox-crond";
    case MS_CRON_DIALECT_FREEBSD:      return "freebsd-cron";
    case MS_CRON_DIALECT_SYSTEMD_CRON: return "systemd-cron";
    default:                           return "unknown";
    }
}

int ms_cron_dialect_modelled(ms_cron_dialect d)
{
    return d == MS_CRON_DIALECT_DEBIAN || d == MS_CRON_DIALECT_CRONIE_15 ||
           d == MS_CRON_DIALECT_CRONIE_16 || d == MS_CRON_DIALECT_FREEBSD ||
           d == MS_CRON_DIALECT_BUSYBOX || d == MS_CRON_DIALECT_SYSTEMD_CRON;
}

/* Read a number or (if the field has them) a name at *pp: the run of
 * letters and digits, as cron's get_number collects it.  The caller
 * checks what follows. */
static const char *get_number(const char **pp, const field_spec *fs,
                              int names_ok, int *num)
{
    const char *p = *pp;
    size_t n = 0, digits = 0;

    while (isalnum((unsigned char)p[n])) {
        digits += isdigit((unsigned char)p[n]) != 0;
        n++;
    }
    if (n == 0)
        return "expected a number";
    if (digits == n) {
        if (n > NUM_DIGITS_MAX)
            return "number too long";
        int v = 0;
        for (size_t i = 0; i < n; i++)
            v = v * 10 + (p[i] - '0');
        *num = v;
    } else {
        if (!names_ok || !fs->names)
            return digits ? "unexpected character" : "names are not "
                                                     "allowed here";
        int found = -1;
        for (int i = 0; i < fs->nnames && found < 0; i++)
            if (n == strlen(fs->names[i]) &&
                strncasecmp(p, fs->names[i], n) == 0)
                found = i;
        if (found < 0)
            return "unknown name";
        *num = found + fs->low;
    }
    *pp = p + n;
    return NULL;
}

static void set_bit(uint64_t *bits, const field_spec *fs, int v)
{
    if (fs->names == dow_abbr && v == 7)
        v = 0; /* 7 is Sunday too */
    *bits |= UINT64_C(1) << v;
}

/* What may follow a value: ',' or the end always; `more` lists other
 * characters the caller handles.  Returns 0 ok, 1 "stop here" (Debian
 * ignores the rest of the field), -1 reject. */
static int after_value(const rules *r, char c, const char *more)
{
    if (c == ',' || c == '\0' || (c && strchr(more, c)))
        return 0;
    return r->lax_terms ? 1 : -1;
}

typedef struct field_out {
    uint64_t bits;
    ms_cron_sched *s;    /* where "~" items go */
    int field;
} field_out;

static const char *add_random(field_out *fo, const field_spec *fs, int lo,
                              int hi)
{
    if (lo > hi)
        return "random range is reversed";
    if (lo < fs->low || hi > fs->high)
        return "value out of range";
    if (fo->s->nrandom >= MS_CRON_MAX_RANDOM)
        return "too many \"~\" items";
    ms_cron_random *rd = &fo->s->random[fo->s->nrandom++];
    rd->field = (uint8_t)fo->field;
    rd->lo = (uint8_t)lo;
    rd->hi = (uint8_t)hi;
    return NULL;
}

/* The rest of a "~" item from p, just past the '~': an optional upper
 * bound ("A~B", "~B"; the field's maximum when absent), then ',' or the
 * end.  lo is the lower bound already read (the field's minimum for a
 * leading '~').  On success *pp moves past the item. */
static const char *random_item(const char **pp, const char *p,
                               const field_spec *fs, field_out *fo, int lo)
{
    const char *why;
    int hi = fs->high;

    if (*p != ',' && *p != '\0' && (why = get_number(&p, fs, 1, &hi)))
        return why;
    if (*p != ',' && *p != '\0')
        return "unexpected character after a random range";
    if ((why = add_random(fo, fs, lo, hi)))
        return why;
    *pp = p;
    return NULL;
}

/* One list item.  Returns an error string or NULL; *stop set when cron
 * would ignore the rest of the field. */
static const char *get_range(const char **pp, const field_spec *fs,
                             const rules *r, field_out *fo, int *stop)
{
    const char *p = *pp, *why;
    int lo, hi, step = 1, k;

    if (*p == '*') {
        lo = fs->low;
        hi = fs->high;
        p++;
        if (*p != '/' && *p != ',' && *p != '\0') {
            if (!r->star_junk)
                return "unexpected character after '*'";
            *stop = 1;   /* cron skips to the next blank */
            *pp = p;
            for (long v = lo; v <= hi; v++)
                set_bit(&fo->bits, fs, (int)v);
            return NULL;
        }
    } else if (*p == '~') {
        if (!r->tilde)
            return "'~' (random value) is a cronie 1.6 extension";
        p++;
        return random_item(pp, p, fs, fo, fs->low);
    } else {
        if ((why = get_number(&p, fs, 1, &lo)))
            return why;
        hi = lo;
        if (*p == '~' && r->tilde)
            return random_item(pp, p + 1, fs, fo, lo);
        if (*p == '/' && r->single_step) {
            hi = fs->high;     /* FreeBSD: A/STEP is A-max/STEP */
            k = 0;
        } else if (*p == '/') {
            /* Debian: "Step specified without range"; cronie's
             * get_number/get_range reject '/' after a single number */
            return "step after a single value (cron accepts a step only "
                   "after '*' or a range)";
        } else if (*p == '-') {
            p++;
            if ((why = get_number(&p, fs, 1, &hi)))
                return why;
            if (lo > hi && !r->reversed_ok)
                return "range is reversed";
            k = after_value(r, *p, "/");
        } else {
            k = after_value(r, *p, "");
        }
        if (k < 0)
            return "unexpected character";
        if (k > 0)
            *stop = 1;
        /* Debian and cronie < 1.6 check both ends; cronie >= 1.6 only
         * the values its loop visits (none for a reversed range). */
        if (r->check_ends && (lo < fs->low || lo > fs->high || hi < fs->low ||
                          hi > fs->high))
            return "value out of range";
    }
    if (!*stop && *p == '/') {
        p++;
        if ((why = get_number(&p, fs, 0, &step)))
            return why;
        if (step == 0)
            return "step is 0";
        if (r->step_max_field && step > fs->high)
            return "step larger than the field's maximum (cronie before "
                   "1.6 rejects it)";
        if ((k = after_value(r, *p, "")) < 0)
            return "unexpected character";
        if (k > 0)
            *stop = 1;
    }
    /* Same loop as cron; a reversed range visits nothing. */
    for (long v = lo; v <= hi; v += step) {
        if (v < fs->low || v > fs->high)
            return "value out of range";
        set_bit(&fo->bits, fs, (int)v);
    }
    *pp = p;
    return NULL;
}

static ms_err parse_field(const char *field, const field_spec *fs,
                          const rules *r, field_out *fo, char **err_text)
{
    const char *p = field, *why = NULL;
    int stop = 0;
    char msg[96];

    fo->bits = 0;
    if (strnlen(field, MS_CRON_FIELD_MAX + 1) > MS_CRON_FIELD_MAX)
        return field_error(err_text, fs, field, "field too long");
    if (*p == '\0')
        return field_error(err_text, fs, field, "empty field");
    for (;;) {
        if ((why = get_range(&p, fs, r, fo, &stop)))
            break;
        if (stop || *p == '\0')
            return MS_OK;
        p++; /* the comma */
        if (*p == '\0') {
            why = "list ends with a comma";
            break;
        }
    }
    if (strcmp(why, "value out of range") == 0) {
        snprintf(msg, sizeof msg, "value out of range %d-%d",
                 fs->low, fs->high);
        why = msg;
    }
    return field_error(err_text, fs, field, why);
}

ms_err ms_cron_sched_parse_dialect(const char *const fields[5],
                                   ms_cron_dialect d, ms_cron_sched *out,
                                   char **err_text)
{
    ms_cron_sched tmp;
    field_out fo[5];
    const rules *r = rules_for(d);

    if (err_text)
        *err_text = NULL;
    if (!fields || !out)
        return MS_ERR_ARG;
    if (d == MS_CRON_DIALECT_BUSYBOX)
        return ms_cron_sched_parse_busybox(fields, out, NULL);
    if (d == MS_CRON_DIALECT_SYSTEMD_CRON)
        return ms_cron_sched_parse_systemd(fields, out, err_text, NULL);
    memset(&tmp, 0, sizeof tmp);
    for (int i = 0; i < 5; i++) {
        if (!fields[i])
            return MS_ERR_ARG;
        fo[i].s = &tmp;
        fo[i].field = i;
        ms_err e = parse_field(fields[i], &specs[i], r, &fo[i], err_text);
        if (e)
            return e;
    }
    tmp.minute = fo[0].bits;
    tmp.hour = (uint32_t)fo[1].bits;
    tmp.dom = (uint32_t)fo[2].bits;
    tmp.month = (uint16_t)fo[3].bits;
    tmp.dow = (uint8_t)fo[4].bits;
    tmp.dom_star = fields[2][0] == '*';
    tmp.dow_star = fields[4][0] == '*';
    *out = tmp;
    return MS_OK;
}

ms_err ms_cron_sched_parse(const char *const fields[5], ms_cron_sched *out,
                           char **err_text)
{
    return ms_cron_sched_parse_dialect(fields, MS_CRON_DIALECT_CRONIE_16,
                                       out, err_text);
}

/* Same "~" items in the same order (nrandom already equal). */
static int same_random(const ms_cron_sched *a, const ms_cron_sched *b)
{
    for (unsigned i = 0; i < a->nrandom && i < MS_CRON_MAX_RANDOM; i++)
        if (a->random[i].field != b->random[i].field ||
            a->random[i].lo != b->random[i].lo ||
            a->random[i].hi != b->random[i].hi)
            return 0;
    return 1;
}

int ms_cron_sched_equal(const ms_cron_sched *a, const ms_cron_sched *b)
{
    if (a->reboot || b->reboot)
        return a->reboot == b->reboot;
    if (a->interval || b->interval)
        return a->interval == b->interval;
    if (a->minute != b->minute || a->hour != b->hour || a->dom != b->dom ||
        a->month != b->month || a->dow != b->dow ||
        a->nrandom != b->nrandom)
        return 0;
    if ((a->dom_star || a->dow_star) != (b->dom_star || b->dow_star))
        return 0;
    return same_random(a, b);
}

ms_err ms_cron_sched_macro(const char *word, ms_cron_sched *out)
{
    /* Equivalent five-field schedules, as cronie's load_entry sets them. */
    static const struct { const char *word, *f[5]; } macros[] = {
        { "@yearly",   { "0", "0", "1", "1", "*" } },
        { "@annually", { "0", "0", "1", "1", "*" } },
        { "@monthly",  { "0", "0", "1", "*", "*" } },
        { "@weekly",   { "0", "0", "*", "*", "0" } },
        { "@daily",    { "0", "0", "*", "*", "*" } },
        { "@midnight", { "0", "0", "*", "*", "*" } },
        { "@hourly",   { "0", "*", "*", "*", "*" } },
    };

    if (!word || !out)
        return MS_ERR_ARG;
    if (strcmp(word, "@reboot") == 0) {
        memset(out, 0, sizeof *out);
        out->reboot = 1;
        return MS_OK;
    }
    for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
        if (strcmp(word, macros[i].word) == 0)
            return ms_cron_sched_parse(macros[i].f, out, NULL);
    return MS_ERR_FORMAT;
}

/* ---- matching ----------------------------------------------------------- */

/* Vixie rule: '*' in either day field means both must match. */
static int day_rule_and(const ms_cron_sched *s)
{
    return s->dom_star || s->dow_star;
}

int ms_cron_sched_fires(const ms_cron_sched *s, int minute, int hour,
                        int dom, int month, int dow)
{
    if (!s || s->reboot || s->interval)
        return 0;   /* not tied to the clock */
    if (minute < 0 || minute > 59 || hour < 0 || hour > 23 || dom < 1 ||
        dom > 31 || month < 1 || month > 12 || dow < 0 || dow > 7)
        return 0;
    if (dow == 7)
        dow = 0;
    uint64_t f[5] = { s->minute, s->hour, s->dom, s->month, s->dow };
    for (unsigned i = 0; i < s->nrandom && i < MS_CRON_MAX_RANDOM; i++)
        for (int v = s->random[i].lo; v <= s->random[i].hi && v < 64; v++)
            f[s->random[i].field % 5] |= UINT64_C(1)
                                         << (s->random[i].field == 4 &&
                                             v == 7 ? 0 : v);
    if (!(f[0] >> minute & 1) || !(f[1] >> hour & 1) ||
        !(f[3] >> month & 1))
        return 0;
    int dom_ok = f[2] >> dom & 1, dow_ok = f[4] >> dow & 1;
    return day_rule_and(s) ? (dom_ok && dow_ok) : (dom_ok || dow_ok);
}

int ms_cron_sched_fires_same(const ms_cron_sched *a, const ms_cron_sched *b)
{
    if (a->reboot || b->reboot)
        return a->reboot == b->reboot;
    if (a->interval || b->interval)
        return a->interval == b->interval;
    if (a->minute != b->minute || a->hour != b->hour ||
        a->month != b->month || a->nrandom != b->nrandom ||
        !same_random(a, b))
        return 0;
    /* the day rule, over every (day of month, weekday) pair */
    for (int dom = 1; dom <= 31; dom++)
        for (int dow = 0; dow < 7; dow++) {
            int da = a->dom >> dom & 1, wa = a->dow >> dow & 1;
            int db = b->dom >> dom & 1, wb = b->dow >> dow & 1;
            int ra = day_rule_and(a) ? da && wa : da || wa;
            int rb = day_rule_and(b) ? db && wb : db || wb;
            if (ra != rb)
                return 0;
        }
    return 1;
}

/* Every calendar day matches the day fields (months aside). */
static int day_always(const ms_cron_sched *s)
{
    int dom_full = (s->dom & ALL_DOM) == ALL_DOM;
    int dow_full = (s->dow & ALL_DOW) == ALL_DOW;
    return day_rule_and(s) ? (dom_full && dow_full) : (dom_full || dow_full);
}

int ms_cron_sched_every_day(const ms_cron_sched *s)
{
    if (!s || s->reboot || s->nrandom)
        return 0;
    return (s->month & ALL_MONTHS) == ALL_MONTHS && day_always(s);
}

int ms_cron_sched_every_15(const ms_cron_sched *s)
{
    /* a "~" item fixes one unknown value: never "every 15 minutes" by
     * itself, and cronie rejects "~/15" */
    if (s && s->interval)
        return s->interval == 15 * 60;  /* FreeBSD "@900" */
    if (!s || s->reboot || s->nrandom || (s->minute & ALL_MINUTES) == 0)
        return 0;
    if ((s->hour & ALL_HOURS) != ALL_HOURS || !ms_cron_sched_every_day(s))
        return 0;
    int m = __builtin_ctzll(s->minute);
    if (m > 14)
        return 0;
    uint64_t want = (UINT64_C(1) << m) | (UINT64_C(1) << (m + 15)) |
                    (UINT64_C(1) << (m + 30)) | (UINT64_C(1) << (m + 45));
    return (s->minute & ALL_MINUTES) == want;
}

/* Whether some real date matches day and month fields: "31 2" never does.
 * Any day number falls on every weekday over the years, so only the
 * day-of-month/month pairing can make a schedule impossible. */
static int date_possible(const ms_cron_sched *s)
{
    static const int mdays[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30,
                                   31, 30, 31 };
    int and_rule = day_rule_and(s);
    if (!and_rule && (s->dow & ALL_DOW))
        return 1;
    if (and_rule && !(s->dow & ALL_DOW))
        return 0;
    for (int m = 1; m <= 12; m++)
        if (s->month >> m & 1)
            for (int d = 1; d <= mdays[m]; d++)
                if (s->dom >> d & 1)
                    return 1;
    return 0;
}

/* ---- describing --------------------------------------------------------- */

typedef const char *(*name_fn)(int v);

static const char *month_str(int v) { return month_name[v]; }
static const char *dow_str(int v) { return dow_name[v]; }

static ms_err put_value(ms_buf *b, int v, name_fn names)
{
    return names ? ms_buf_puts(b, names(v)) : ms_buf_printf(b, "%d", v);
}

/* "1-5, 7, 9" style list of the set bits in lo..hi; runs of three or more
 * become ranges. */
static ms_err put_set(ms_buf *b, uint64_t bits, int lo, int hi, name_fn nm)
{
    int first = 1;
    for (int v = lo; v <= hi; v++) {
        if (!(bits >> v & 1))
            continue;
        int end = v;
        while (end < hi && (bits >> (end + 1) & 1))
            end++;
        ms_err e = first ? MS_OK : ms_buf_puts(b, ", ");
        first = 0;
        if (!e)
            e = put_value(b, v, nm);
        if (!e && end - v >= 2) {
            e = ms_buf_puts(b, "-");
            if (!e)
                e = put_value(b, end, nm);
            v = end;
        }
        if (e)
            return e;
    }
    return MS_OK;
}

static int popcount64(uint64_t v) { return __builtin_popcountll(v); }

/* Step k if minutes are exactly m, m+k, ... with k dividing 60, so the
 * gap is k across the hour boundary too; 0 otherwise. */
static int minute_step(uint64_t minutes)
{
    for (int k = 2; k <= 30; k++) {
        if (60 % k)
            continue;
        int m = __builtin_ctzll(minutes);
        if (m >= k)
            continue;
        uint64_t want = 0;
        for (int v = m; v < 60; v += k)
            want |= UINT64_C(1) << v;
        if (want == minutes)
            return k;
    }
    return 0;
}

static ms_err put_time(ms_buf *b, const ms_cron_sched *s, int *clock_form)
{
    uint64_t min = s->minute & ALL_MINUTES;
    uint32_t hr = s->hour & ALL_HOURS;
    int nmin = popcount64(min), nhr = popcount64(hr), step;
    ms_err e;

    *clock_form = 0;
    if (nmin == 1 && nhr == 1) {
        *clock_form = 1;
        return ms_buf_printf(b, "at %02d:%02d", __builtin_ctz(hr),
                             __builtin_ctzll(min));
    }
    if (min == ALL_MINUTES)
        e = ms_buf_puts(b, "every minute");
    else if ((step = minute_step(min)) != 0) {
        e = ms_buf_printf(b, "every %d minutes (at minutes ", step);
        if (!e)
            e = put_set(b, min, 0, 59, NULL);
        if (!e)
            e = ms_buf_puts(b, ")");
    } else {
        e = ms_buf_puts(b, nmin == 1 ? "at minute " : "at minutes ");
        if (!e)
            e = put_set(b, min, 0, 59, NULL);
    }
    if (e)
        return e;
    if (hr == ALL_HOURS)
        return ms_buf_puts(b, " of every hour");
    e = ms_buf_puts(b, nhr == 1 ? " of hour " : " of hours ");
    return e ? e : put_set(b, hr, 0, 23, NULL);
}

static ms_err put_dom(ms_buf *b, const ms_cron_sched *s)
{
    uint32_t dom = s->dom & ALL_DOM;
    ms_err e = ms_buf_puts(b, popcount64(dom) == 1 ? "on day " : "on days ");
    if (!e)
        e = put_set(b, dom, 1, 31, NULL);
    return e ? e : ms_buf_puts(b, " of the month");
}

static ms_err put_days(ms_buf *b, const ms_cron_sched *s)
{
    int dom_full = (s->dom & ALL_DOM) == ALL_DOM;
    int dow_full = (s->dow & ALL_DOW) == ALL_DOW;
    ms_err e = MS_OK;

    if (day_always(s))
        e = ms_buf_puts(b, "every day");
    else if (!day_rule_and(s)) {          /* either field may match */
        int has_dom = (s->dom & ALL_DOM) != 0;
        int has_dow = (s->dow & ALL_DOW) != 0;
        if (has_dom)
            e = put_dom(b, s);
        if (!e && has_dom && has_dow)
            e = ms_buf_puts(b, " or");
        if (!e && has_dow)
            e = ms_buf_puts(b, has_dom ? " on " : "on ");
        if (!e && has_dow)
            e = put_set(b, s->dow, 0, 6, dow_str);
    } else if (!dom_full && !dow_full) {  /* both must match */
        e = put_dom(b, s);
        if (!e)
            e = ms_buf_puts(b, " when the weekday is ");
        if (!e)
            e = put_set(b, s->dow, 0, 6, dow_str);
    } else if (!dom_full) {
        e = put_dom(b, s);
    } else {
        e = ms_buf_puts(b, "on ");
        if (!e)
            e = put_set(b, s->dow, 0, 6, dow_str);
    }
    if (!e && (s->month & ALL_MONTHS) != ALL_MONTHS) {
        e = ms_buf_puts(b, " in ");
        if (!e)
            e = put_set(b, s->month, 1, 12, month_str);
    }
    return e;
}

static const char *const field_word[5] = {
    "minute", "hour", "day of the month", "month", "day of the week"
};

/* Schedules with "~" items: the random value is unknown, so say what is
 * known.  "~ * * * *" is "once an hour at a random minute". */
static char *describe_random(const ms_cron_sched *s)
{
    ms_cron_sched base = *s;
    ms_buf b = { 0 };
    ms_err e = MS_OK;
    int only_min = 1;

    base.nrandom = 0;
    for (unsigned i = 0; i < s->nrandom; i++)
        only_min &= s->random[i].field == 0;
    if (only_min && s->nrandom == 1 && !(s->minute & ALL_MINUTES)) {
        uint32_t hr = s->hour & ALL_HOURS;
        e = ms_buf_printf(&b, "once %s at a random minute (one of %d-%d, "
                          "picked when cron loads the crontab)",
                          hr == ALL_HOURS ? "an hour" : "in each listed hour",
                          s->random[0].lo, s->random[0].hi);
        if (!e && hr != ALL_HOURS) {
            e = ms_buf_puts(&b, popcount64(hr) == 1 ? " of hour "
                                                    : " of hours ");
            if (!e)
                e = put_set(&b, hr, 0, 23, NULL);
        }
        if (!e)
            e = ms_buf_puts(&b, ", ");
        if (!e)
            e = put_days(&b, s);
    } else {
        /* show every value a "~" may pick, then say it is one of them */
        for (unsigned i = 0; i < s->nrandom; i++) {
            const ms_cron_random *r = &s->random[i];
            uint64_t *f[5] = { &base.minute, NULL, NULL, NULL, NULL };
            for (int v = r->lo; v <= r->hi; v++) {
                int bit = r->field == 4 && v == 7 ? 0 : v;
                switch (r->field) {
                case 0: *f[0] |= UINT64_C(1) << bit; break;
                case 1: base.hour |= UINT32_C(1) << bit; break;
                case 2: base.dom |= UINT32_C(1) << bit; break;
                case 3: base.month |= (uint16_t)(1u << bit); break;
                default: base.dow |= (uint8_t)(1u << bit); break;
                }
            }
        }
        char *d = ms_cron_sched_describe(&base);
        e = d ? ms_buf_puts(&b, d) : MS_ERR_NOMEM;
        free(d);
        for (unsigned i = 0; i < s->nrandom && !e; i++)
            e = ms_buf_printf(&b, "%s one %s picked at random from %d-%d "
                              "when cron loads the crontab",
                              i ? "," : "; of these, \"~\" uses only",
                              field_word[s->random[i].field % 5],
                              s->random[i].lo, s->random[i].hi);
    }
    if (e) {
        ms_buf_free(&b);
        return NULL;
    }
    return ms_buf_steal(&b);
}

/* FreeBSD "@NUMBER": seconds from the end of one run to the next. */
static char *describe_interval(uint64_t sec)
{
    char unit[64] = "";
    if (sec % 3600 == 0)
        snprintf(unit, sizeof unit, " (%llu hour%s)",
                 (unsigned long long)(sec / 3600), sec == 3600 ? "" : "s");
    else if (sec % 60 == 0)
        snprintf(unit, sizeof unit, " (%llu minute%s)",
                 (unsigned long long)(sec / 60), sec == 60 ? "" : "s");
    return ms_asprintf("every %llu second%s%s, counted from the end of the "
                       "previous run (the first run %llu seconds after cron "
                       "loads the crontab)", (unsigned long long)sec,
                       sec == 1 ? "" : "s", unit, (unsigned long long)sec);
}

char *ms_cron_sched_describe(const ms_cron_sched *s)
{
    ms_buf b = { 0 };
    int clock_form = 0;
    ms_err e;

    if (!s)
        return NULL;
    if (s->reboot)
        return ms_strdup("at reboot");
    if (s->interval)
        return describe_interval(s->interval);
    if (s->nrandom)
        return describe_random(s);
    if (!(s->minute & ALL_MINUTES) || !(s->hour & ALL_HOURS) ||
        !(s->month & ALL_MONTHS) || !date_possible(s))
        return ms_strdup("never (no real date matches the fields)");
    if ((s->minute & ALL_MINUTES) == ALL_MINUTES &&
        (s->hour & ALL_HOURS) == ALL_HOURS && ms_cron_sched_every_day(s))
        return ms_strdup("every minute");

    e = put_time(&b, s, &clock_form);
    if (!e)
        e = ms_buf_puts(&b, clock_form ? " " : ", ");
    if (!e)
        e = put_days(&b, s);
    if (e) {
        ms_buf_free(&b);
        return NULL;
    }
    return ms_buf_steal(&b);
}

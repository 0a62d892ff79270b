/* syslog_cron.c - see syslog_cron.h. */
#include "artifacts/syslog_cron.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static int digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

int64_t ms_syslog_timegm(int year, int mon, int mday, int hour, int min,
                         int sec)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31 };
    if (year < 1970 || year > 9999 || mon < 1 || mon > 12 || mday < 1 ||
        mday > mdays[mon - 1] || hour > 23 || min > 59 || sec > 60 ||
        hour < 0 || min < 0 || sec < 0)
        return INT64_MIN;
    if (mon == 2 && mday == 29 &&
        !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
        return INT64_MIN;
    /* days from civil (Howard Hinnant's algorithm) */
    int y = year - (mon <= 2);
    int64_t era = y / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + hour * 3600 + min * 60 + sec;
}

/* "Mmm dd HH:MM:SS " (day space-padded) */
static size_t parse_bsd(const char *s, size_t len, ms_syslog_hdr *h)
{
    if (len < 16 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' ||
        s[12] != ':' || s[15] != ' ')
        return 0;
    const char *m = NULL;
    for (int i = 0; i < 12 && !m; i++)
        if (!memcmp(months + 3 * i, s, 3))
            m = months + 3 * i, h->mon = i + 1;
    if (!m)
        return 0;
    int d;
    if (s[4] == ' ' ? !digits(s + 5, 1, &d) : !digits(s + 4, 2, &d))
        return 0;
    h->mday = d;
    if (!digits(s + 7, 2, &h->hour) || !digits(s + 10, 2, &h->min) ||
        !digits(s + 13, 2, &h->sec) || h->mday < 1 || h->mday > 31 ||
        h->hour > 23 || h->min > 59 || h->sec > 60)
        return 0;
    return 16;
}

/* "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm) " */
static size_t parse_rfc3339(const char *s, size_t len, ms_syslog_hdr *h)
{
    if (len < 21 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':')
        return 0;
    if (!digits(s, 4, &h->year) || !digits(s + 5, 2, &h->mon) ||
        !digits(s + 8, 2, &h->mday) || !digits(s + 11, 2, &h->hour) ||
        !digits(s + 14, 2, &h->min) || !digits(s + 17, 2, &h->sec))
        return 0;
    size_t i = 19;
    if (i < len && s[i] == '.')
        for (i++; i < len && i < 40 && s[i] >= '0' && s[i] <= '9'; i++)
            ;
    int64_t off = 0;
    if (i < len && s[i] == 'Z') {
        i++;
    } else if (i + 6 <= len && (s[i] == '+' || s[i] == '-') &&
               s[i + 3] == ':') {
        int oh, om;
        if (!digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) ||
            oh > 23 || om > 59)
            return 0;
        off = (int64_t)(oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return 0;
    }
    if (i >= len || s[i] != ' ')
        return 0;
    int64_t t = ms_syslog_timegm(h->year, h->mon, h->mday, h->hour, h->min,
                                 h->sec);
    if (t == INT64_MIN)
        return 0;
    h->utc = t - off;
    h->has_year = 1;
    return i + 1;
}

int ms_syslog_parse(const char *line, size_t len, ms_syslog_hdr *h)
{
    memset(h, 0, sizeof *h);
    h->pid = -1;
    size_t p = parse_bsd(line, len, h);
    if (!p)
        p = parse_rfc3339(line, len, h);
    if (!p)
        return 0;
    /* host name */
    size_t hs = p;
    while (p < len && line[p] != ' ')
        p++;
    if (p == hs || p >= len)
        return 0;
    p++;
    /* tag[pid]: */
    size_t ts = p;
    while (p < len && line[p] != '[' && line[p] != ':' && line[p] != ' ')
        p++;
    if (p == ts || p >= len)
        return 0;
    h->tag = line + ts;
    h->tag_len = p - ts;
    if (line[p] == '[') {
        long pid = 0;
        size_t q = p + 1;
        while (q < len && q < p + 12 && line[q] >= '0' && line[q] <= '9')
            pid = pid * 10 + (line[q++] - '0');
        if (q == p + 1 || q >= len || line[q] != ']')
            return 0;
        h->pid = pid;
        p = q + 1;
    }
    if (p >= len || line[p] != ':')
        return 0;
    p++;
    if (p < len && line[p] == ' ')
        p++;
    h->msg = line + p;
    h->msg_len = len - p;
    return 1;
}

static int tag_is(const ms_syslog_hdr *h, const char *name)
{
    size_t n = strlen(name);
    if (h->tag_len == n && !memcmp(h->tag, name, n))
        return 1;
    /* a path: "/usr/sbin/cron" (FreeBSD) */
    return h->tag_len > n && h->tag[h->tag_len - n - 1] == '/' &&
           !memcmp(h->tag + h->tag_len - n, name, n);
}

int ms_syslog_cron_cmd(const ms_syslog_hdr *h, const char **user,
                       size_t *user_len, const char **cmd, size_t *cmd_len)
{
    if (!tag_is(h, "CRON") && !tag_is(h, "CROND") && !tag_is(h, "cron") &&
        !tag_is(h, "crond"))
        return 0;
    const char *m = h->msg, *e = h->msg + h->msg_len;
    while (e > m && (e[-1] == '\r' || e[-1] == ' '))
        e--;
    if (e - m < 9 || m[0] != '(')
        return 0;
    const char *u = m + 1, *ue = memchr(u, ')', (size_t)(e - u));
    if (!ue || e - ue < 7 || memcmp(ue, ") CMD (", 7))
        return 0;
    const char *c = ue + 7;
    if (e[-1] != ')' || e - 1 < c)
        return 0;
    *user = u;
    *user_len = (size_t)(ue - u);
    *cmd = c;
    *cmd_len = (size_t)(e - 1 - c);
    return 1;
}

/* next space-separated word of [*p, e) */
static int word(const char **p, const char *e, const char **w, size_t *n)
{
    const char *s = *p;
    while (s < e && *s == ' ')
        s++;
    const char *t = s;
    while (t < e && *t != ' ')
        t++;
    if (t == s)
        return 0;
    *w = s;
    *n = (size_t)(t - s);
    *p = t;
    return 1;
}

static int is_word(const char *w, size_t n, const char *lit)
{
    return n == strlen(lit) && !memcmp(w, lit, n);
}

int ms_syslog_sshd(const ms_syslog_hdr *h, ms_sshd_rec *r)
{
    if (!tag_is(h, "sshd") && !tag_is(h, "sshd-session"))
        return 0;
    memset(r, 0, sizeof *r);
    const char *p = h->msg, *e = h->msg + h->msg_len, *w;
    size_t n;
    while (e > p && (e[-1] == '\r' || e[-1] == ' '))
        e--;
    if (!word(&p, e, &w, &n))
        return 0;
    if (is_word(w, n, "Invalid")) {   /* Invalid user X from A port P */
        if (!word(&p, e, &w, &n) || !is_word(w, n, "user") ||
            !word(&p, e, &r->user, &r->user_len) ||
            !word(&p, e, &w, &n) || !is_word(w, n, "from") ||
            !word(&p, e, &r->addr, &r->addr_len))
            return 0;
        r->invalid_user = 1;
        r->method = "invalid_user";
        r->method_len = 12;
        return 1;
    }
    if (is_word(w, n, "Accepted"))
        r->accepted = 1;
    else if (!is_word(w, n, "Failed"))
        return 0;
    if (!word(&p, e, &r->method, &r->method_len) ||
        !word(&p, e, &w, &n) || !is_word(w, n, "for") ||
        !word(&p, e, &r->user, &r->user_len))
        return 0;
    if (is_word(r->user, r->user_len, "invalid")) {
        const char *q = p;
        if (word(&q, e, &w, &n) && is_word(w, n, "user") &&
            word(&q, e, &r->user, &r->user_len)) {
            r->invalid_user = 1;
            p = q;
        }
    }
    if (!word(&p, e, &w, &n) || !is_word(w, n, "from") ||
        !word(&p, e, &r->addr, &r->addr_len))
        return 0;
    return 1;
}

int ms_syslog_assign_years(ms_syslog_when *w, size_t n, int64_t ref_sec)
{
    time_t t = (time_t)ref_sec;
    struct tm tm;
    int turns = 0;
    if (n == 0)
        return 0;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm), tm.tm_year = 70;
    int year = tm.tm_year + 1900, ref_mon = tm.tm_mon + 1;
    /* a last line from a later month than the file's last write was
     * written the year before (December line, January mtime) */
    if (w[n - 1].mon > ref_mon)
        year--;
    w[n - 1].year = year;
    for (size_t i = n - 1; i-- > 0;) {
        if (w[i].mon > w[i + 1].mon) {
            year--;
            turns++;
        }
        w[i].year = year;
    }
    return turns;
}

char *ms_cron_mkprints(const char *s, size_t len)
{
    if (len > (SIZE_MAX - 1) / 4)
        return NULL;
    char *d = malloc(len * 4 + 1), *o = d;
    if (!d)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < ' ') {
            *o++ = '^';
            *o++ = (char)(c + '@');
        } else if (c < 0177) {
            *o++ = (char)c;
        } else if (c == 0177) {
            *o++ = '^';
            *o++ = '?';
        } else {
            *o++ = '\\';
            *o++ = (char)('0' + (c >> 6));
            *o++ = (char)('0' + ((c >> 3) & 7));
            *o++ = (char)('0' + (c & 7));
        }
    }
    *o = '\0';
    return d;
}

/* tzinfo.c - see tzinfo.h. */
#include "artifacts/tzinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/pathres.h"
#include "artifacts/syslog_cron.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

void ms_tz_free(ms_tz *tz)
{
    free(tz->name);
    free(tz->how);
    free(tz->trans);
    free(tz->trans_off);
    memset(tz, 0, sizeof *tz);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* ---- POSIX TZ string ---------------------------------------------------- */

typedef struct cur { const char *p, *end; } cur;

static int peek(const cur *c) { return c->p < c->end ? (unsigned char)*c->p : -1; }

static int zone_name(cur *c)
{
    const char *s = c->p;
    if (peek(c) == '<') {
        while (c->p < c->end && *c->p != '>')
            c->p++;
        if (peek(c) != '>')
            return 0;
        c->p++;
        return 1;
    }
    while (c->p < c->end && ((*c->p >= 'A' && *c->p <= 'Z') ||
                             (*c->p >= 'a' && *c->p <= 'z')))
        c->p++;
    return c->p - s >= 3;
}

static int number(cur *c, int max, int *v)
{
    int n = 0, k = 0;
    while (peek(c) >= '0' && peek(c) <= '9' && k < 4) {
        n = n * 10 + (*c->p++ - '0');
        k++;
    }
    *v = n;
    return k > 0 && n <= max;
}

/* [+-]hh[:mm[:ss]] -> seconds (sign as written) */
static int hms(cur *c, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (peek(c) == '+' || peek(c) == '-')
        sign = *c->p++ == '-' ? -1 : 1;
    if (!number(c, 167, &h))
        return 0;
    if (peek(c) == ':') {
        c->p++;
        if (!number(c, 59, &m))
            return 0;
        if (peek(c) == ':') {
            c->p++;
            if (!number(c, 59, &s))
                return 0;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 1;
}

static int rule(cur *c, ms_tz_rule *r)
{
    if (peek(c) != 'M')
        return 0;   /* Jn and n forms: not supported */
    c->p++;
    if (!number(c, 12, &r->mon) || r->mon < 1 || peek(c) != '.')
        return 0;
    c->p++;
    if (!number(c, 5, &r->week) || r->week < 1 || peek(c) != '.')
        return 0;
    c->p++;
    if (!number(c, 6, &r->wday))
        return 0;
    r->secs = 7200;
    if (peek(c) == '/') {
        c->p++;
        if (!hms(c, &r->secs))
            return 0;
    }
    return 1;
}

int ms_tz_parse_posix(const char *s, size_t len, ms_tz *tz)
{
    cur c = { s, s + len };
    int32_t off;
    if (!zone_name(&c) || !hms(&c, &off))
        return 0;
    tz->std_off = -off;          /* POSIX: positive is west of Greenwich */
    tz->has_dst = 0;
    if (c.p < c.end) {
        if (!zone_name(&c))
            return 0;
        tz->dst_off = tz->std_off + 3600;
        if (peek(&c) != ',' && peek(&c) != -1) {
            if (!hms(&c, &off))
                return 0;
            tz->dst_off = -off;
        }
        if (peek(&c) != ',')
            return 0;
        c.p++;
        if (!rule(&c, &tz->start) || peek(&c) != ',')
            return 0;
        c.p++;
        if (!rule(&c, &tz->end) || c.p != c.end)
            return 0;
        tz->has_dst = 1;
    }
    tz->has_footer = 1;
    return 1;
}

/* ---- TZif ----------------------------------------------------------------- */

ms_err ms_tz_parse(const uint8_t *d, size_t len, ms_tz *tz)
{
    if (len < 44 || memcmp(d, "TZif", 4))
        return MS_ERR_FORMAT;
    int v2 = d[4] >= '2';
    size_t off = 0, tsize = 4;
    for (int pass = 0; pass < 1 + v2; pass++) {
        if (off + 44 > len || memcmp(d + off, "TZif", 4))
            return MS_ERR_FORMAT;
        const uint8_t *h = d + off + 20;
        uint64_t isut = be32(h), isstd = be32(h + 4), leap = be32(h + 8),
                 timecnt = be32(h + 12), typecnt = be32(h + 16),
                 charcnt = be32(h + 20);
        uint64_t body = timecnt * tsize + timecnt + typecnt * 6 + charcnt +
                        leap * (tsize + 4) + isstd + isut;
        if (typecnt == 0 || typecnt > 256 || timecnt > (1u << 20) ||
            charcnt > 65536 || leap > 65536 || isstd > 256 || isut > 256 ||
            off + 44 + body > len)
            return MS_ERR_FORMAT;
        if (pass == 0 && v2) {      /* skip the 32-bit block */
            off += 44 + (size_t)body;
            tsize = 8;
            continue;
        }
        const uint8_t *t = d + off + 44, *ix = t + timecnt * tsize,
                      *types = ix + timecnt;
        size_t keep = timecnt > MS_TZ_MAX_TRANS ? MS_TZ_MAX_TRANS : timecnt;
        size_t skip = (size_t)timecnt - keep;   /* keep the latest ones */
        tz->trans = keep ? malloc(keep * sizeof *tz->trans) : NULL;
        tz->trans_off = keep ? malloc(keep * sizeof *tz->trans_off) : NULL;
        if (keep && (!tz->trans || !tz->trans_off))
            return MS_ERR_NOMEM;
        for (size_t i = 0; i < keep; i++) {
            const uint8_t *p = t + (skip + i) * tsize;
            int64_t v = tsize == 8 ? (int64_t)((uint64_t)be32(p) << 32 |
                                               be32(p + 4))
                                   : (int64_t)(int32_t)be32(p);
            uint8_t k = ix[skip + i];
            if (k >= typecnt || (i && v <= tz->trans[i - 1]))
                return MS_ERR_FORMAT;
            tz->trans[i] = v;
            tz->trans_off[i] = (int32_t)be32(types + k * 6);
        }
        tz->ntrans = keep;
        /* before the first transition: the first non-DST type (RFC 8536
         * says type 0; the two agree in every tzdata file) */
        tz->first_off = (int32_t)be32(types);
        off += 44 + (size_t)body;
    }
    /* footer: "\nTZ-string\n" after the v2+ data */
    if (v2 && off < len && d[off] == '\n') {
        const uint8_t *s = d + off + 1, *e = memchr(s, '\n', len - off - 1);
        if (e && e > s)
            (void)ms_tz_parse_posix((const char *)s, (size_t)(e - s), tz);
    }
    tz->found = 1;
    return MS_OK;
}

/* UTC of the change to/from DST in `year` under rule r; `off` is the
 * offset in force before the change (the rule's time is local). */
static int64_t rule_utc(int year, const ms_tz_rule *r, int32_t off)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
                                   30, 31 };
    int64_t first = ms_syslog_timegm(year, r->mon, 1, 0, 0, 0);
    if (first == INT64_MIN)
        return INT64_MIN;
    int64_t days = first / 86400;
    int wday1 = (int)(((days + 4) % 7 + 7) % 7);   /* 1970-01-01: Thu */
    int md = mdays[r->mon - 1] + (r->mon == 2 && year % 4 == 0 &&
                                  (year % 100 != 0 || year % 400 == 0));
    int day = 1 + (r->wday - wday1 + 7) % 7 + 7 * (r->week - 1);
    while (day > md)
        day -= 7;
    return first + (int64_t)(day - 1) * 86400 + r->secs - off;
}

static int32_t footer_at(const ms_tz *tz, int64_t utc)
{
    if (!tz->has_dst)
        return tz->std_off;
    int64_t days = utc / 86400 - (utc % 86400 < 0);
    /* civil year of the day (Howard Hinnant's algorithm) */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int year = (int)(yoe + era * 400 + (mp >= 10));
    if (year < 1970 || year > 9999)
        return tz->std_off;
    int64_t s = rule_utc(year, &tz->start, tz->std_off);
    int64_t e = rule_utc(year, &tz->end, tz->dst_off);
    if (s == INT64_MIN || e == INT64_MIN)
        return tz->std_off;
    int in = s < e ? (utc >= s && utc < e) : !(utc >= e && utc < s);
    return in ? tz->dst_off : tz->std_off;
}

int32_t ms_tz_offset_at(const ms_tz *tz, int64_t utc)
{
    if (!tz || !tz->found)
        return 0;
    if (tz->ntrans == 0)
        return tz->has_footer ? footer_at(tz, utc) : tz->first_off;
    if (utc < tz->trans[0])
        return tz->first_off;
    if (utc >= tz->trans[tz->ntrans - 1] && tz->has_footer)
        return footer_at(tz, utc);
    size_t lo = 0, hi = tz->ntrans;   /* last transition <= utc */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->trans[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    return tz->trans_off[lo];
}

int64_t ms_tz_local_to_utc(const ms_tz *tz, int64_t local)
{
    if (!tz || !tz->found)
        return local;
    /* the two offsets in force a day around the local time: try the
     * larger (earlier UTC) first, so a repeated hour gives its first
     * occurrence */
    int32_t a = ms_tz_offset_at(tz, local - 86400),
            b = ms_tz_offset_at(tz, local + 86400);
    int32_t hi = a > b ? a : b, lo = a > b ? b : a;
    if (ms_tz_offset_at(tz, local - hi) == hi)
        return local - hi;
    if (ms_tz_offset_at(tz, local - lo) == lo)
        return local - lo;
    return local - a;   /* skipped local time: the offset before */
}

/* ---- reading the image ---------------------------------------------------- */

/* A whole small file of the image (bounded), NUL-terminated. */
static uint8_t *slurp(ms_fs *fs, const char *path, size_t *len, int *is_link,
                      char **target)
{
    ms_fs_file *f = NULL;
    ms_fileref r;
    uint8_t *buf = NULL;
    *len = 0;
    if (is_link)
        *is_link = 0;
    if (ms_fs_open(fs, path, &f) != MS_OK)
        return NULL;
    memset(&r, 0, sizeof r);
    ms_fs_file_stat(f, &r);
    if (r.type == MS_FT_LNK && is_link) {
        *is_link = 1;
        if (ms_fs_file_readlink(f, target) != MS_OK)
            *target = NULL;
    } else if (r.type == MS_FT_REG && r.size <= MS_TZ_MAX_FILE &&
               (buf = malloc((size_t)r.size + 1))) {
        ssize_t n = r.size ? ms_fs_file_read(f, 0, buf, (size_t)r.size) : 0;
        if (n < 0 || (uint64_t)n != r.size) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = 0;
            *len = (size_t)n;
        }
    }
    ms_fileref_clear(&r);
    ms_fs_file_close(f);
    return buf;
}

/* A zone name as tzdata spells them: letters, digits, "/_+-", no "..". */
static int sane_name(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 128 || s[0] == '/' || strstr(s, ".."))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || strchr("/_+-", s[i])))
            return 0;
    return 1;
}

/* The name after ".../zoneinfo/" ("posix/" and "right/" trees dropped). */
static char *name_from_target(const char *t)
{
    const char *z = strstr(t, "zoneinfo/");
    if (!z)
        return NULL;
    z += 9;
    if (!strncmp(z, "posix/", 6))
        z += 6;
    return sane_name(z) ? ms_strdup(z) : NULL;
}

/* /etc/timezone's first line, when it is a sane zone name. */
static char *etc_timezone(ms_fs *fs)
{
    size_t n;
    uint8_t *b = slurp(fs, "/etc/timezone", &n, NULL, NULL);
    char *name = NULL;
    if (!b)
        return NULL;
    size_t k = strcspn((char *)b, "\r\n");
    b[k] = 0;
    if (sane_name((char *)b))
        name = ms_strdup((char *)b);
    free(b);
    return name;
}

/* Follow /etc/localtime's symlinks in the image (up to 8) to its file. */
static uint8_t *localtime_file(ms_fs *fs, size_t *len, char **first_target,
                               char **final_path)
{
    char *path = ms_strdup("/etc/localtime");
    uint8_t *b = NULL;
    for (int hop = 0; path && hop < 8; hop++) {
        int link = 0;
        char *t = NULL;
        b = slurp(fs, path, len, &link, &t);
        if (!link || !t) {
            free(t);
            break;
        }
        if (!*first_target)
            *first_target = ms_strdup(t);
        /* relative to the link's directory; ".." resolved lexically
         * ("../usr/share/zoneinfo/..." from /etc, as Debian writes it) */
        char *slash = strrchr(path, '/');
        char *dir = ms_strndup(path, slash && slash != path
                                     ? (size_t)(slash - path) : 1);
        char *next = dir ? ms_path_normalize(t, dir) : NULL;
        free(dir);
        free(t);
        free(path);
        path = next;
    }
    if (b)
        *final_path = path;
    else
        free(path);
    return b;
}

static ms_err set_how(ms_tz *tz, char *how)
{
    free(tz->how);
    tz->how = how;
    return how ? MS_OK : MS_ERR_NOMEM;
}

/* The host's tzdata file of that name: only when the image has none. */
static uint8_t *host_file(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    FILE *f = fopen(path, "rb");
    uint8_t *b = f ? malloc(MS_TZ_MAX_FILE) : NULL;
    *len = b ? fread(b, 1, MS_TZ_MAX_FILE, f) : 0;
    if (f)
        fclose(f);
    return b;
}

ms_err ms_tz_read(ms_fs *fs, ms_tz *tz)
{
    char *target = NULL, *fpath = NULL, *name = NULL;
    size_t len = 0;
    uint8_t *b = localtime_file(fs, &len, &target, &fpath);
    ms_err rc = MS_OK;
    memset(tz, 0, sizeof *tz);
    if (b && ms_tz_parse(b, len, tz) == MS_OK) {
        tz->name = target ? name_from_target(target) : etc_timezone(fs);
        rc = set_how(tz, target
            ? ms_asprintf("/etc/localtime is a symlink to %s; rules from "
                          "the image's TZif file %s", target, fpath)
            : ms_asprintf("rules from the image's TZif file /etc/localtime%s",
                          tz->name ? "; name from /etc/timezone" : ""));
        goto _exit;
    }
    ms_tz_free(tz);
    free(b);
    b = NULL;
    /* a dangling or unreadable /etc/localtime: the name, then rules */
    name = target ? name_from_target(target) : NULL;
    const char *from = "the /etc/localtime symlink's target name";
    if (!name) {
        name = etc_timezone(fs);
        from = "/etc/timezone";
    }
    if (name) {
        char *zp = ms_asprintf("/usr/share/zoneinfo/%s", name);
        int host = 0;
        if (!zp) {
            rc = MS_ERR_NOMEM;
            goto _exit;
        }
        b = slurp(fs, zp, &len, NULL, NULL);
        if (!b) {
            b = host_file(name, &len);
            host = 1;
        }
        if (b && ms_tz_parse(b, len, tz) == MS_OK) {
            tz->name = name;
            name = NULL;
            rc = set_how(tz, ms_asprintf("zone named by %s; rules from %s",
                from, host ? "the examining host's tzdata (the image has "
                             "no file of that name; the host's rules may "
                             "differ from the server's)" : zp));
            free(zp);
            goto _exit;
        }
        ms_tz_free(tz);
        free(zp);
        rc = set_how(tz, ms_asprintf("the zone %s (from %s) has no rules "
                                     "in the image or on the examining "
                                     "host: times treated as UTC", name,
                                     from));
        goto _exit;
    }
    rc = set_how(tz, ms_strdup("no /etc/localtime or /etc/timezone in the "
                               "image: times treated as UTC"));
_exit:
    free(b);
    free(target);
    free(fpath);
    free(name);
    return rc;
}

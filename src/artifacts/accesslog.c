/* accesslog.c - combined-format access logs, plain and gzip; see
 * accesslog.h. */
#include "artifacts/accesslog.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/linereader.h"
#include "artifacts/webroots.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

void ms_web_request_clear(ms_web_request *r)
{
    free(r->path);
    free(r->client);
    free(r->method);
    free(r->url);
    free(r->user_agent);
    free(r->log);
    memset(r, 0, sizeof *r);
}

void ms_alog_free(ms_alog *a)
{
    for (size_t i = 0; i < a->cap; i++) {
        ms_alog_path *p = &a->paths[i];
        if (!p->url_path)
            continue;
        free(p->url_path);
        for (size_t k = 0; k < p->nreq; k++)
            ms_web_request_clear(&p->req[k]);
    }
    free(a->paths);
    memset(a, 0, sizeof *a);
}

/* ---- one line --------------------------------------------------------- */

typedef struct cur { const char *p, *e; } cur;

static void blanks(cur *c)
{
    while (c->p < c->e && *c->p == ' ')
        c->p++;
}

/* A bare token up to a blank. */
static int token(cur *c, const char **b, size_t *n)
{
    blanks(c);
    *b = c->p;
    while (c->p < c->e && *c->p != ' ')
        c->p++;
    *n = (size_t)(c->p - *b);
    return *n > 0;
}

/* A "quoted" field; Apache escapes '"' and '\' inside with '\'. */
static int quoted(cur *c, const char **b, size_t *n)
{
    blanks(c);
    if (c->p >= c->e || *c->p != '"')
        return 0;
    *b = ++c->p;
    while (c->p < c->e && *c->p != '"') {
        if (*c->p == '\\' && c->p + 1 < c->e)
            c->p++;
        c->p++;
    }
    if (c->p >= c->e)
        return 0;
    *n = (size_t)(c->p - *b);
    c->p++;
    return 1;
}

static int month(const char *m)
{
    static const char n[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (!memcmp(m, n + 3 * i, 3))
            return i;
    return -1;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* [10/Oct/2000:13:55:36 -0700] -> UTC seconds and offset in minutes */
static int log_time(cur *c, int64_t *t, int *tz)
{
    blanks(c);
    if (c->e - c->p < 28 || c->p[0] != '[' || c->p[27] != ']')
        return 0;
    const char *s = c->p + 1;
    int d, mo, y, h, mi, se, oh, om;
    if (!digits(s, 2, &d) || s[2] != '/' || (mo = month(s + 3)) < 0 ||
        s[6] != '/' || !digits(s + 7, 4, &y) || s[11] != ':' ||
        !digits(s + 12, 2, &h) || s[14] != ':' || !digits(s + 15, 2, &mi) ||
        s[17] != ':' || !digits(s + 18, 2, &se) || s[20] != ' ' ||
        (s[21] != '+' && s[21] != '-') || !digits(s + 22, 2, &oh) ||
        !digits(s + 24, 2, &om) || d < 1 || d > 31 || h > 23 || mi > 59 ||
        se > 60)
        return 0;
    struct tm tmv = { .tm_year = y - 1900, .tm_mon = mo, .tm_mday = d,
                      .tm_hour = h, .tm_min = mi, .tm_sec = se };
    int off = (oh * 60 + om) * (s[21] == '-' ? -1 : 1);
    *t = (int64_t)timegm(&tmv) - (int64_t)off * 60;
    *tz = off;
    c->p += 28;
    return 1;
}

static int parse_at(const char *line, size_t len, ms_web_request *r)
{
    cur c = { line, line + len };
    const char *b, *rq, *ua = NULL;
    size_t n, rqn, uan = 0;
    int64_t t;
    int tz, status = 0;
    if (!token(&c, &b, &n))
        return 0;
    const char *host = b;
    size_t hostn = n;
    if (!token(&c, &b, &n) || !token(&c, &b, &n) || !log_time(&c, &t, &tz) ||
        !quoted(&c, &rq, &rqn))
        return 0;
    blanks(&c);
    if (!digits(c.p, 3, &status) || c.e - c.p < 3)
        return 0;
    c.p += 3;
    if (token(&c, &b, &n) && quoted(&c, &b, &n))   /* bytes, referer */
        (void)quoted(&c, &ua, &uan);
    /* "METHOD URL PROTOCOL" */
    const char *sp = memchr(rq, ' ', rqn);
    if (!sp)
        return 0;
    const char *url = sp + 1;
    const char *ue = memchr(url, ' ', (size_t)(rq + rqn - url));
    if (!ue)
        ue = rq + rqn;
    r->client = ms_strndup(host, hostn);
    r->method = ms_strndup(rq, (size_t)(sp - rq));
    r->url = ms_strndup(url, (size_t)(ue - url));
    r->user_agent = ua ? ms_strndup(ua, uan) : NULL;
    r->time = t;
    r->tz_minutes = tz;
    r->status = status;
    if (!r->client || !r->method || !r->url || (ua && !r->user_agent)) {
        ms_web_request_clear(r);
        return 0;
    }
    return 1;
}

int ms_alog_parse_line(const char *line, size_t len, ms_web_request *r)
{
    memset(r, 0, sizeof *r);
    if (parse_at(line, len, r))
        return 1;
    /* vhost_combined: "www.example.org:80 192.0.2.1 - - [...] ..." */
    const char *sp = memchr(line, ' ', len);
    return sp && parse_at(sp + 1, len - (size_t)(sp + 1 - line), r);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* URL path: absolute form stripped of scheme and host, query and
 * fragment dropped, %XX decoded, normalized.  NULL when unusable. */
static char *url_path(const char *url)
{
    const char *u = url;
    if (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8)) {
        u = strchr(u + 8 - (u[4] == ':'), '/');
        if (!u)
            return NULL;
    }
    if (*u != '/')
        return NULL;
    size_t n = strcspn(u, "?#");
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (u[i] == '%' && i + 2 < n && (hi = hexval(u[i + 1])) >= 0 &&
            (lo = hexval(u[i + 2])) >= 0) {
            if (hi == 0 && lo == 0) {     /* %00: no such file name */
                free(d);
                return NULL;
            }
            d[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            d[k++] = u[i];
        }
    }
    d[k] = '\0';
    char *norm = ms_path_normalize(d, "/");
    free(d);
    return norm;
}

/* ---- the table -------------------------------------------------------- */

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603ull & (size_t)-1;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)1099511628211ull;
    return h;
}

static ms_alog_path *slot(ms_alog *a, const char *key, int create)
{
    if (!a->cap) {
        if (!create)
            return NULL;
        a->cap = 1024;
        if (!(a->paths = calloc(a->cap, sizeof *a->paths))) {
            a->cap = 0;
            return NULL;
        }
    }
    size_t i = hash(key) & (a->cap - 1);
    while (a->paths[i].url_path) {
        if (!strcmp(a->paths[i].url_path, key))
            return &a->paths[i];
        i = (i + 1) & (a->cap - 1);
    }
    if (!create)
        return NULL;
    if (a->n >= MS_ALOG_MAX_PATHS) {
        a->paths_capped = 1;
        return NULL;
    }
    if ((a->n + 1) * 2 > a->cap) {      /* grow, keep the load under 1/2 */
        ms_alog old = *a;
        a->cap *= 2;
        if (!(a->paths = calloc(a->cap, sizeof *a->paths))) {
            *a = old;
            return NULL;
        }
        for (size_t k = 0; k < old.cap; k++) {
            if (!old.paths[k].url_path)
                continue;
            size_t j = hash(old.paths[k].url_path) & (a->cap - 1);
            while (a->paths[j].url_path)
                j = (j + 1) & (a->cap - 1);
            a->paths[j] = old.paths[k];
        }
        free(old.paths);
        return slot(a, key, create);
    }
    return &a->paths[i];
}

const ms_alog_path *ms_alog_find(const ms_alog *a, const char *url_path)
{
    return slot((ms_alog *)a, url_path, 0);
}

/* Keep the MS_ALOG_KEEP earliest; r is consumed. */
static ms_err keep(ms_alog *a, char *key, ms_web_request *r)
{
    ms_alog_path *p = slot(a, key, 1);
    if (!p) {
        free(key);
        ms_web_request_clear(r);
        return a->paths_capped ? MS_OK : MS_ERR_NOMEM;
    }
    if (!p->url_path)
        p->url_path = key, a->n++;
    else
        free(key);
    p->count++;
    size_t pos = p->nreq;
    while (pos > 0 && p->req[pos - 1].time > r->time)
        pos--;
    if (pos >= MS_ALOG_KEEP) {
        ms_web_request_clear(r);
        return MS_OK;
    }
    if (p->nreq == MS_ALOG_KEEP)
        ms_web_request_clear(&p->req[--p->nreq]);
    memmove(&p->req[pos + 1], &p->req[pos], (p->nreq - pos) * sizeof *p->req);
    p->req[pos] = *r;
    p->nreq++;
    memset(r, 0, sizeof *r);
    return MS_OK;
}

/* ---- reading files ---------------------------------------------------- */

typedef struct src {
    ms_fs_file *f;
    int gz;
    uint64_t in_off;
    z_stream z;
    int z_ok, z_end;
    uint64_t out_total;
    int capped;
    uint8_t in[64 * 1024];
} src;

static ssize_t src_read(void *user, uint64_t off, void *buf, size_t len)
{
    src *s = user;
    (void)off;                 /* the line reader reads in order */
    if (!s->gz) {
        ssize_t n = ms_fs_file_read(s->f, s->in_off, buf, len);
        if (n > 0)
            s->in_off += (uint64_t)n;
        return n;
    }
    if (s->z_end)
        return 0;
    if (s->out_total >= MS_ALOG_MAX_INFLATED) {
        s->capped = 1;
        return 0;
    }
    s->z.next_out = buf;
    s->z.avail_out = (uInt)len;
    while (s->z.avail_out == len) {
        if (s->z.avail_in == 0) {
            ssize_t n = ms_fs_file_read(s->f, s->in_off, s->in, sizeof s->in);
            if (n < 0)
                return -1;
            if (n == 0) {
                s->z_end = 1;
                break;
            }
            s->in_off += (uint64_t)n;
            s->z.next_in = s->in;
            s->z.avail_in = (uInt)n;
        }
        int zr = inflate(&s->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            /* concatenated members (logrotate's delaycompress + cat) */
            if (inflateReset(&s->z) != Z_OK)
                s->z_end = 1;
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            s->z_end = 1;
            break;
        } else if (zr == Z_BUF_ERROR && s->z.avail_in) {
            s->z_end = 1;
            break;
        }
    }
    size_t got = len - s->z.avail_out;
    s->out_total += got;
    return (ssize_t)got;
}

typedef struct read_ctx {
    ms_alog *a;
    const char *path;
    int volume;
    ms_err err;
} read_ctx;

static int on_line(void *user, const ms_line *line)
{
    read_ctx *c = user;
    ms_web_request r;
    if (line->nuls || !ms_alog_parse_line(line->data, line->kept, &r))
        return 0;
    c->a->parsed++;
    char *key = url_path(r.url);
    const char *base = key ? strrchr(key, '/') : NULL;
    if (!key || !base || !ms_web_is_script_name(base + 1, strlen(base + 1))) {
        free(key);
        ms_web_request_clear(&r);
        return 0;
    }
    r.log = ms_strdup(c->path);
    r.log_volume = c->volume;
    r.line = line->number;
    r.file_index = -1;
    if (!r.log) {
        free(key);
        ms_web_request_clear(&r);
        c->err = MS_ERR_NOMEM;
        return 1;
    }
    c->err = keep(c->a, key, &r);
    return c->err != MS_OK;
}

static ms_err read_log(ms_fs *fs, ms_scan *scan, int volume, const char *path,
                       ms_alog *a)
{
    ms_fs_file *f = NULL;
    if (ms_fs_open(fs, path, &f) != MS_OK)
        return MS_OK;
    src *s = calloc(1, sizeof *s);
    if (!s) {
        ms_fs_file_close(f);
        return MS_ERR_NOMEM;
    }
    s->f = f;
    uint8_t magic[2] = {0};
    s->gz = ms_fs_file_read(f, 0, magic, 2) == 2 && magic[0] == 0x1f &&
            magic[1] == 0x8b;
    if (s->gz) {
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
            ms_fs_file_close(f);
            free(s);
            return MS_OK;
        }
        s->z_ok = 1;
    }
    read_ctx c = { a, path, volume, MS_OK };
    ms_lines_stats st;
    ms_err rc = ms_lines_read(src_read, s, MS_ALOG_LINE_KEEP, on_line, NULL,
                              &c, &st);
    a->lines += st.lines;
    a->logs_read++;
    if (s->capped)
        ms_scan_add_error(scan, "volume %d: %s inflates to more than %llu "
                          "bytes; the rest not read", volume, path,
                          (unsigned long long)MS_ALOG_MAX_INFLATED);
    if (s->z_ok)
        inflateEnd(&s->z);
    ms_fs_file_close(f);
    free(s);
    return rc ? rc : c.err;
}

typedef struct list_ctx {
    const char *dir;
    char **names; size_t n, cap;
} list_ctx;

static int on_log(void *user, ms_fs_file *f, const char *name, size_t len)
{
    list_ctx *l = user;
    ms_fileref ref = {0};
    ms_fs_file_stat(f, &ref);
    if (ref.deleted || ref.type != MS_FT_REG || l->n >= MS_ALOG_MAX_FILES ||
        memchr(name, '\0', len))
        return 0;
    char *nm = ms_strndup(name, len);
    if (nm && strstr(nm, "access") &&
        ms_grow((void **)&l->names, &l->cap, l->n + 1, sizeof *l->names) ==
            MS_OK) {
        l->names[l->n++] = nm;
        return 0;
    }
    free(nm);
    return 0;
}

ms_err ms_alog_collect(ms_fs *fs, ms_scan *scan, int volume, ms_alog *a)
{
    static const char *const dirs[] = { "/var/log/apache2", "/var/log/httpd",
                                        "/var/log/nginx", "/var/log/apache" };
    ms_err rc = MS_OK;
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs && !rc; i++) {
        char *d = ms_fs_resolve_dir(fs, dirs[i]);
        if (!d)
            continue;
        list_ctx l = { .dir = d };
        (void)ms_fs_list_dir(fs, d, on_log, &l, 4096);
        for (size_t k = 0; k < l.n; k++) {
            char *p = ms_path_join(d, l.names[k], strlen(l.names[k]));
            if (p && !rc)
                rc = read_log(fs, scan, volume, p, a);
            free(p);
            free(l.names[k]);
        }
        free(l.names);
        free(d);
    }
    return rc;
}

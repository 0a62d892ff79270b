/* fleet_util.c - helpers shared by the fleet modules (fleet_util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/ms_mem.h"
#include "fleet/fleet_util.h"
#include "report/escape.h"
#include "report/timefmt.h"

char *ms_fleet_strcut(const char *s, size_t len)
{
    if (len > MS_FLEET_MAX_STR) {
        len = MS_FLEET_MAX_STR;
        /* back off continuation bytes so the cut is on a character */
        while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
            len--;
    }
    char *r = malloc(len + 1);
    if (!r)
        return NULL;
    memcpy(r, s, len);
    r[len] = '\0';
    /* an embedded NUL (JSON_ALLOW_NUL is off, so none) would cut here */
    return r;
}

static int digits(const char *s, int n, int64_t *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

int ms_fleet_time_parse(const char *s, ms_ftime *t)
{
    memset(t, 0, sizeof *t);
    int neg = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    size_t yl = 0;
    while (s[yl] >= '0' && s[yl] <= '9' && yl < 13)
        yl++;
    int64_t y, mo, d, h, mi, se, ns;
    if (yl < 4 || yl > 12 || !digits(s, (int)yl, &y))
        return 0;
    s += yl;
    if (s[0] != '-' || !digits(s + 1, 2, &mo) || s[3] != '-' ||
        !digits(s + 4, 2, &d) || s[6] != 'T' || !digits(s + 7, 2, &h) ||
        s[9] != ':' || !digits(s + 10, 2, &mi) || s[12] != ':' ||
        !digits(s + 13, 2, &se) || s[15] != '.' || !digits(s + 16, 9, &ns) ||
        s[25] != 'Z' || s[26] != '\0')
        return 0;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return 0;
    int64_t days = ms_days_from_civil(neg ? -y : y, (unsigned)mo, (unsigned)d);
    /* the widest dates overflow int64 seconds: treat as malformed */
    if (days > INT64_MAX / 86400 - 1 || days < INT64_MIN / 86400 + 1)
        return 0;
    t->sec = days * 86400 + h * 3600 + mi * 60 + se;
    t->nsec = (uint32_t)ns;
    t->set = 1;
    return 1;
}

void ms_fleet_time_str(const ms_ftime *t, char *buf)
{
    buf[0] = '\0';
    if (t->set)
        ms_time_format(t->sec, t->nsec, buf);
}

int ms_ftime_cmp(const ms_ftime *a, const ms_ftime *b)
{
    if (a->set != b->set)
        return a->set ? -1 : 1;
    if (!a->set)
        return 0;
    if (a->sec != b->sec)
        return a->sec < b->sec ? -1 : 1;
    if (a->nsec != b->nsec)
        return a->nsec < b->nsec ? -1 : 1;
    return 0;
}

int ms_fleet_is_hex(const char *s, size_t n)
{
    size_t i = 0;
    for (; s[i] && i <= n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return i == n;
}

void ms_fleet_sha256_hex(const void *p, size_t len, char hex[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    static const char x[] = "0123456789abcdef";
    if (!EVP_Digest(p, len, md, &mdlen, EVP_sha256(), NULL))
        memset(md, 0, sizeof md);
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = x[md[i] >> 4];
        hex[2 * i + 1] = x[md[i] & 15];
    }
    hex[64] = '\0';
}

/* The namespace of mumblescan's fleet objects (a fixed random UUID):
 * 6d756d62-6c65-4d75-8a5f-666c65657431. */
static const unsigned char ms_ns[16] = {
    0x6d, 0x75, 0x6d, 0x62, 0x6c, 0x65, 0x4d, 0x75,
    0x8a, 0x5f, 0x66, 0x6c, 0x65, 0x65, 0x74, 0x31 };

void ms_fleet_uuid5(const char *name, size_t len, char out[37])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
        !EVP_DigestUpdate(ctx, ms_ns, sizeof ms_ns) ||
        !EVP_DigestUpdate(ctx, name, len) ||
        !EVP_DigestFinal_ex(ctx, md, &mdlen))
        memset(md, 0, sizeof md);
    EVP_MD_CTX_free(ctx);
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8],
             md[9], md[10], md[11], md[12], md[13], md[14], md[15]);
}

char *ms_fleet_quote(const char *prefix, const char *s)
{
    size_t l = strlen(s);
    char *e = ms_escape_text(s, l > 200 ? 200 : l);
    char *r = e ? ms_asprintf("%s%s\"%s\"%s", prefix, *prefix ? " " : "", e,
                              l > 200 ? "..." : "") : NULL;
    free(e);
    return r;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void ms_fleet_sort_strv(char **v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_str);
}

static const char *const verdicts[] = { "malicious", "suspicious",
                                        "incomplete", "clean" };

int ms_fleet_verdict_rank(const char *v)
{
    for (int i = 0; i < 4; i++)
        if (v && strcmp(v, verdicts[i]) == 0)
            return i;
    return 4;
}

int ms_fleet_verdict_known(const char *v)
{
    return ms_fleet_verdict_rank(v) < 4;
}

void ms_fleet_progress(const ms_fleet *f)
{
    size_t n = f->ninputs + f->nrefused;
    if (f->progress && n % 100 == 0 && n)
        fprintf(stderr, "\rmumblescan merge: %zu results read", n);
}

void ms_fleet_progress_done(const ms_fleet *f)
{
    if (f->progress)
        fprintf(stderr, "\rmumblescan merge: %zu results read, %zu refused\n",
                f->ninputs, f->nrefused);
}

const char *ms_fhost_name(const ms_fhost *h)
{
    return h->hostname ? h->hostname : h->machine_id ? h->machine_id :
           h->image ? h->image : h->evidence;
}

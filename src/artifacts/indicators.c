/* indicators.c - bounded extraction of network indicators from a buffer.
 * See indicators.h. */
#include "artifacts/indicators.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/ms_mem.h"

typedef struct acc {
    ms_indicator **list;
    size_t *n;
    size_t cap, max;
    int *truncated;
} acc;

/* ---- classification --------------------------------------------------- */

static const char *const eset_ips[] = {
    "194.54.81.162", "194.54.81.163", "194.54.81.164" };
static const char *const decoy_hosts[] = { "advertise.com", "behance.net" };

#define UA_HEAD "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/"
#define UA_TAIL " Firefox/7.0.1"

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* digits.digits.digits (each at least one digit), exactly. */
static int three_numbers(const char *s, size_t n)
{
    int groups = 0;
    size_t i = 0;
    while (i < n) {
        size_t d = 0;
        while (i < n && is_digit(s[i]))
            i++, d++;
        if (!d)
            return 0;
        groups++;
        if (i == n)
            break;
        if (s[i] != '.' || groups == 3)
            return 0;
        i++;
        if (i == n)
            return 0;
    }
    return groups == 3;
}

static enum ms_ioc_class classify_ua(const char *v)
{
    size_t n = strlen(v), h = strlen(UA_HEAD), t = strlen(UA_TAIL);
    if (n < h + t || strncmp(v, UA_HEAD, h) || strcmp(v + n - t, UA_TAIL))
        return MS_IOC_OTHER;
    const char *gecko = v + h;
    size_t glen = n - h - t;
    if (three_numbers(gecko, glen))
        return MS_IOC_KNOWN;
    if (glen == 8 && !strncmp(gecko, "20100101", 8))
        return MS_IOC_WEAK;
    return MS_IOC_OTHER;
}

/* host equals or is a subdomain of one of the decoy domains */
static int is_decoy_host(const char *host, size_t n)
{
    for (size_t i = 0; i < sizeof decoy_hosts / sizeof *decoy_hosts; i++) {
        size_t d = strlen(decoy_hosts[i]);
        if (n < d || strncasecmp(host + n - d, decoy_hosts[i], d))
            continue;
        if (n == d || host[n - d - 1] == '.')
            return 1;
    }
    return 0;
}

static int is_eset_ip(const char *ip, size_t n)
{
    for (size_t i = 0; i < sizeof eset_ips / sizeof *eset_ips; i++)
        if (strlen(eset_ips[i]) == n && !strncmp(ip, eset_ips[i], n))
            return 1;
    return 0;
}

/* The host part of a URL: after "scheme://", before the first of :/?#. */
static void url_host(const char *url, const char **h, size_t *n)
{
    const char *s = strstr(url, "://");
    s = s ? s + 3 : url;
    const char *at = s;
    while (*at && !strchr("/?#", *at))
        at++;
    const char *user = memchr(s, '@', (size_t)(at - s));
    if (user)
        s = user + 1;
    const char *e = s;
    while (e < at && *e != ':')
        e++;
    *h = s;
    *n = (size_t)(e - s);
}

enum ms_ioc_class ms_ioc_classify(enum ms_ioc_type type, const char *v)
{
    const char *h;
    size_t n;
    if (!v)
        return MS_IOC_OTHER;
    switch (type) {
    case MS_IOC_IPV4:
        return is_eset_ip(v, strlen(v)) ? MS_IOC_KNOWN : MS_IOC_OTHER;
    case MS_IOC_HOST:
        return is_decoy_host(v, strlen(v)) ? MS_IOC_DECOY : MS_IOC_OTHER;
    case MS_IOC_URL:
        url_host(v, &h, &n);
        if (is_eset_ip(h, n))
            return MS_IOC_KNOWN;
        return is_decoy_host(h, n) ? MS_IOC_DECOY : MS_IOC_OTHER;
    case MS_IOC_USER_AGENT:
        return classify_ua(v);
    case MS_IOC_PORT:
        /* "ip:port": the endpoint is as known as its address */
        n = strcspn(v, ":");
        return is_eset_ip(v, n) ? MS_IOC_KNOWN : MS_IOC_OTHER;
    }
    return MS_IOC_OTHER;
}

const char *ms_ioc_type_name(enum ms_ioc_type t)
{
    switch (t) {
    case MS_IOC_IPV4:       return "ipv4";
    case MS_IOC_HOST:       return "host";
    case MS_IOC_PORT:       return "port";
    case MS_IOC_URL:        return "url";
    case MS_IOC_USER_AGENT: return "user_agent";
    }
    return "unknown";
}

const char *ms_ioc_class_name(enum ms_ioc_class c)
{
    switch (c) {
    case MS_IOC_KNOWN: return "known";
    case MS_IOC_DECOY: return "decoy";
    case MS_IOC_WEAK:  return "weak";
    case MS_IOC_OTHER: return "other";
    }
    return "other";
}

/* ---- collecting ------------------------------------------------------- */

void ms_ioc_free(ms_indicator *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        free(list[i].value);
    free(list);
}

static ms_err push(acc *a, enum ms_ioc_type t, const uint8_t *v, size_t n,
                   size_t off)
{
    if (n == 0 || n > MS_IOC_VALUE_MAX)
        return MS_OK;
    for (size_t i = 0; i < *a->n; i++) {
        const ms_indicator *x = &(*a->list)[i];
        if (x->type == t && strlen(x->value) == n && !memcmp(x->value, v, n))
            return MS_OK;
    }
    if (*a->n >= a->max) {
        *a->truncated = 1;
        return MS_OK;
    }
    /* cap counts the elements allocated so far: callers may append to a
     * list whose capacity we do not know, so grow from its length */
    size_t cap = *a->n;
    ms_err e = ms_grow((void **)a->list, &cap, *a->n + 1, sizeof **a->list);
    if (e)
        return e;
    ms_indicator *x = &(*a->list)[*a->n];
    x->value = ms_strndup((const char *)v, n);
    if (!x->value)
        return MS_ERR_NOMEM;
    /* an embedded NUL shortened the copy: classify what was kept */
    x->type = t;
    x->offset = off;
    x->cls = ms_ioc_classify(t, x->value);
    (*a->n)++;
    return MS_OK;
}

/* Dotted quad at i (octets 0..255, no leading junk digits or dots on
 * either side); returns its length or 0. */
static size_t ipv4_at(const uint8_t *p, size_t len, size_t i)
{
    if (i > 0 && (is_digit(p[i - 1]) || p[i - 1] == '.'))
        return 0;
    size_t j = i;
    for (int part = 0; part < 4; part++) {
        unsigned v = 0, d = 0;
        while (j < len && is_digit(p[j]) && d < 4)
            v = v * 10 + (unsigned)(p[j++] - '0'), d++;
        if (d == 0 || d > 3 || v > 255)
            return 0;
        if (part < 3) {
            if (j >= len || p[j] != '.')
                return 0;
            j++;
        }
    }
    if (j < len && (is_digit(p[j]) || (p[j] == '.' && j + 1 < len &&
                                       is_digit(p[j + 1]))))
        return 0;
    return j - i;
}

/* ":port" right after an address: its length including the colon. */
static size_t port_after(const uint8_t *p, size_t len, size_t j)
{
    if (j >= len || p[j] != ':')
        return 0;
    size_t k = j + 1;
    unsigned v = 0;
    while (k < len && is_digit(p[k]) && k - j <= 5)
        v = v * 10 + (unsigned)(p[k++] - '0');
    if (k == j + 1 || k - j > 6 || v == 0 || v > 65535 ||
        (k < len && is_digit(p[k])))
        return 0;
    return k - j;
}

static int url_char(int c)
{
    return c > 0x20 && c < 0x7f && !strchr("\"'<>`\\{}|^", c);
}

static int host_char(int c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.';
}

/* Top-level domains accepted for bare host names: Perl code is full of
 * "a.b" tokens ($obj.method, File.pm), so only names ending in a real
 * TLD count. */
static const char *const tlds[] = {
    "com", "net", "org", "info", "biz", "ru", "ua", "su", "de", "uk",
    "io", "cn", "us", "eu", "in", "br", "pl", "nl", "fr", "it", "ro",
    "cc", "ws", "me", "tk", "kz", "by", "lv", "lt", "cz", "jp", "kr" };

static size_t host_at(const uint8_t *p, size_t len, size_t i)
{
    if (i > 0 && (host_char(p[i - 1]) || p[i - 1] == '@' ||
                  p[i - 1] == '$' || p[i - 1] == '%' || p[i - 1] == '_'))
        return 0;
    size_t j = i, dots = 0, last_dot = 0;
    while (j < len && host_char(p[j]) && j - i <= MS_IOC_VALUE_MAX) {
        if (p[j] == '.') {
            if (j == i || p[j - 1] == '.')
                return 0;
            dots++;
            last_dot = j;
        }
        j++;
    }
    if (j < len && p[j] == '_')
        return 0;
    while (j > i && p[j - 1] == '.')  /* sentence end */
        j--, dots--;
    if (!dots || last_dot >= j || !is_alpha(p[i]))
        return 0;
    last_dot = i;
    for (size_t k = i; k < j; k++)
        if (p[k] == '.')
            last_dot = k;
    size_t tl = j - last_dot - 1;
    for (size_t t = 0; t < sizeof tlds / sizeof *tlds; t++)
        if (strlen(tlds[t]) == tl &&
            !strncasecmp((const char *)p + last_dot + 1, tlds[t], tl))
            return j - i;
    return 0;
}

static ms_err scan_url(acc *a, const uint8_t *p, size_t len, size_t *i)
{
    size_t s = *i, j = s;
    while (j < len && url_char(p[j]) && j - s <= MS_IOC_VALUE_MAX)
        j++;
    while (j > s && strchr(".,;)", p[j - 1]))
        j--;
    *i = j;
    if (j - s <= 8)
        return MS_OK;
    ms_err e = push(a, MS_IOC_URL, p + s, j - s, s);
    /* the host and port inside the URL are indicators of their own */
    const uint8_t *sl = memmem(p + s, j - s, "://", 3);
    if (!e && sl) {
        size_t h = (size_t)(sl - p) + 3;
        size_t ip = ipv4_at(p, j, h), hn = ip ? 0 : host_at(p, j, h);
        size_t hl = ip ? ip : hn;
        if (hl)
            e = push(a, ip ? MS_IOC_IPV4 : MS_IOC_HOST, p + h, hl, h);
        size_t pl = hl ? port_after(p, j, h + hl) : 0;
        if (!e && pl)
            e = push(a, MS_IOC_PORT, p + h, hl + pl, h);
    }
    return e;
}

/* A User-Agent value: from "Mozilla/" to the end of the line or quote. */
static ms_err scan_ua(acc *a, const uint8_t *p, size_t len, size_t *i)
{
    size_t s = *i, j = s;
    while (j < len && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' &&
           p[j] != '\'' && j - s <= MS_IOC_VALUE_MAX)
        j++;
    while (j > s && (p[j - 1] == ' ' || p[j - 1] == '\\'))
        j--;
    *i = j;
    return push(a, MS_IOC_USER_AGENT, p + s, j - s, s);
}

static int starts(const uint8_t *p, size_t len, size_t i, const char *w);

/* IO::Socket's `PeerPort => 54321` (quotes optional): a port without an
 * address next to it. */
static ms_err scan_peerport(acc *a, const uint8_t *p, size_t len, size_t *i)
{
    size_t j = *i + strlen("PeerPort");
    while (j < len && (p[j] == ' ' || p[j] == '\t'))
        j++;
    if (j + 1 < len && p[j] == '=' && p[j + 1] == '>')
        j += 2;
    else if (j < len && p[j] == '=')
        j++;
    else {
        *i = j;
        return MS_OK;
    }
    while (j < len && (p[j] == ' ' || p[j] == '\t' || p[j] == '\'' ||
                       p[j] == '"'))
        j++;
    size_t s = j;
    unsigned v = 0;
    while (j < len && is_digit(p[j]) && j - s < 5)
        v = v * 10 + (unsigned)(p[j++] - '0');
    *i = j;
    if (j == s || v == 0 || v > 65535 || (j < len && is_digit(p[j])))
        return MS_OK;
    return push(a, MS_IOC_PORT, p + s, j - s, s);
}

static int starts(const uint8_t *p, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w);
    return i <= len && n <= len - i && !strncasecmp((const char *)p + i, w, n);
}

ms_err ms_ioc_scan(const uint8_t *buf, size_t len, size_t max,
                   ms_indicator **list, size_t *n, int *truncated)
{
    int trunc = 0;
    acc a = { list, n, 0, max, &trunc };
    ms_err e = MS_OK;
    if (!list || !n || (!buf && len))
        return MS_ERR_ARG;
    for (size_t i = 0; i < len && !e;) {
        size_t l;
        if (starts(buf, len, i, "http://") || starts(buf, len, i, "https://"))
            e = scan_url(&a, buf, len, &i);
        else if (starts(buf, len, i, "Mozilla/"))
            e = scan_ua(&a, buf, len, &i);
        else if (starts(buf, len, i, "PeerPort"))
            e = scan_peerport(&a, buf, len, &i);
        else if (starts(buf, len, i, "User-Agent:")) {
            i += strlen("User-Agent:");
            while (i < len && buf[i] == ' ')
                i++;
            if (i < len && !starts(buf, len, i, "Mozilla/") &&
                buf[i] > 0x20 && buf[i] < 0x7f && buf[i] != '$')
                e = scan_ua(&a, buf, len, &i);
        }
        else if (is_digit(buf[i]) && (l = ipv4_at(buf, len, i)) != 0) {
            e = push(&a, MS_IOC_IPV4, buf + i, l, i);
            size_t pl = port_after(buf, len, i + l);
            if (!e && pl)
                e = push(&a, MS_IOC_PORT, buf + i, l + pl, i);
            i += l + pl;
        } else if (is_alpha(buf[i]) && (l = host_at(buf, len, i)) != 0) {
            e = push(&a, MS_IOC_HOST, buf + i, l, i);
            size_t pl = port_after(buf, len, i + l);
            if (!e && pl)
                e = push(&a, MS_IOC_PORT, buf + i, l + pl, i);
            i += l + pl;
        } else {
            /* skip the rest of an identifier so "x1.2.3.4" is not read
             * from its middle */
            size_t s = i;
            while (i < len && (host_char(buf[i]) || buf[i] == '_'))
                i++;
            if (i == s)
                i++;
        }
    }
    if (truncated)
        *truncated |= trunc;
    return e;
}

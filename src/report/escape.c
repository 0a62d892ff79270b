/* escape.c - safe rendering of hostile bytes; see escape.h. */
#include "report/escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ESC_PIPE = 1 };

static const char hexdig[] = "0123456789abcdef";

/* Valid code points that still must not reach a reader raw. */
static int dangerous_cp(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c ||
           (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff ||
           (cp >= 0xfff9 && cp <= 0xfffb);
}

static char *put_hex_byte(char *o, unsigned char b)
{
    *o++ = '\\';
    *o++ = 'x';
    *o++ = hexdig[b >> 4];
    *o++ = hexdig[b & 0xf];
    return o;
}

/* One ASCII byte; returns the new end of output. */
static char *put_ascii(char *o, unsigned char c, int flags)
{
    const char *named = NULL;

    switch (c) {
    case '\\': named = "\\\\"; break;
    case '\n': named = "\\n"; break;
    case '\t': named = "\\t"; break;
    case '\r': named = "\\r"; break;
    default: break;
    }
    if (named) {
        *o++ = named[0];
        *o++ = named[1];
    } else if (c < 0x20 || c == 0x7f || (c == '|' && (flags & ESC_PIPE))) {
        o = put_hex_byte(o, c);
    } else {
        *o++ = (char)c;
    }
    return o;
}

static char *escape(const char *s, size_t len, int flags)
{
    const unsigned char *p = (const unsigned char *)s;

    if (!s && len)
        return NULL;
    if (len > (SIZE_MAX - 1) / 4)   /* worst case: \xNN per byte */
        return NULL;
    char *out = malloc(len * 4 + 1);
    if (!out)
        return NULL;
    char *o = out;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = ms_utf8_decode(p + i, len - i, &cp);
        if (n == 1) {
            o = put_ascii(o, p[i], flags);
        } else if (n == 0 || dangerous_cp(cp)) {
            size_t k = n ? n : 1;  /* invalid: one byte, then resync */
            for (size_t j = 0; j < k; j++)
                o = put_hex_byte(o, p[i + j]);
            n = k;
        } else {
            memcpy(o, p + i, n);
            o += n;
        }
        i += n;
    }
    *o = '\0';
    return out;
}

char *ms_escape_text(const char *s, size_t len)
{
    return escape(s, len, 0);
}

char *ms_escape_bodyfile(const char *s, size_t len)
{
    return escape(s, len, ESC_PIPE);
}

static const char *html_entity(char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

char *ms_escape_html(const char *s, size_t len)
{
    char *t = ms_escape_text(s, len);
    char *out = NULL;

    if (!t)
        return NULL;
    size_t need = 1;
    for (const char *q = t; *q; q++) {
        const char *e = html_entity(*q);
        need += e ? strlen(e) : 1; /* at most 6x the text: no overflow,
                                      the text is already in memory */
    }
    out = malloc(need);
    if (!out)
        goto _exit;
    char *o = out;
    for (const char *q = t; *q; q++) {
        const char *e = html_entity(*q);
        if (e) {
            size_t el = strlen(e);
            memcpy(o, e, el);
            o += el;
        } else {
            *o++ = *q;
        }
    }
    *o = '\0';

_exit:
    free(t);
    return out;
}

char *ms_hex(const unsigned char *p, size_t len)
{
    if (!p && len)
        return NULL;
    if (len > (SIZE_MAX - 1) / 2)
        return NULL;
    char *out = malloc(len * 2 + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hexdig[p[i] >> 4];
        out[2 * i + 1] = hexdig[p[i] & 0xf];
    }
    out[len * 2] = '\0';
    return out;
}

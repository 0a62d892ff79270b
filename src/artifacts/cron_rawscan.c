/* cron_rawscan.c - padding and network indicators in a crontab's raw
 * bytes, streamed.  See cron_rawscan.h; comments here say why. */
#include "artifacts/cron_rawscan.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_reasons.h"
#include "artifacts/indicators.h"

/* Indicator windows: WIN bytes scanned at a time; the last TAIL bytes of
 * a window are left to the next one (an indicator value is at most
 * MS_IOC_VALUE_MAX bytes, so one starting before the tail ends inside the
 * window), and the next window also starts BACK bytes earlier so the
 * scanner is in step (not in the middle of a word) where it takes over. */
#define WIN  (1u << 20)
#define TAIL 1024u
#define BACK 1024u

typedef struct seen_ioc {
    enum ms_ioc_type type;
    enum ms_ioc_class cls;
    char *value;
    uint64_t line;
} seen_ioc;

typedef struct pad_line {
    uint64_t number, offset, len, nuls, first_nul, ctrl, first_ctrl;
} pad_line;

struct ms_rawscan {
    uint8_t *win;
    size_t wlen, wcap;      /* grows up to WIN: small crontabs stay small */
    uint64_t wstart;        /* file offset of win[0] */
    uint64_t nl_before;     /* newlines before wstart */
    uint64_t accept_from;   /* indicators before this were handled */
    seen_ioc *iocs;
    size_t niocs, iocs_cap;
    pad_line named[MS_PAD_MAX_NAMED];
    size_t npadded;         /* padded lines, named or not */
    uint64_t bytes;
    ms_err err;
};

ms_err ms_rawscan_new(ms_rawscan **out)
{
    if (!out)
        return MS_ERR_ARG;
    ms_rawscan *r = calloc(1, sizeof *r);
    if (!r)
        return MS_ERR_NOMEM;
    *out = r;
    return MS_OK;
}

void ms_rawscan_free(ms_rawscan *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->niocs; i++)
        free(r->iocs[i].value);
    free(r->iocs);
    free(r->win);
    free(r);
}

static uint64_t count_nl(const uint8_t *p, size_t n)
{
    uint64_t c = 0;
    const uint8_t *end = p + n;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        c++;
        p++;
    }
    return c;
}

static int known_value(const ms_rawscan *r, const ms_indicator *x)
{
    for (size_t i = 0; i < r->niocs; i++)
        if (r->iocs[i].type == x->type && !strcmp(r->iocs[i].value, x->value))
            return 1;
    return 0;
}

/* Scan the window; keep indicators starting in [accept_from, limit). */
static void flush(ms_rawscan *r, int final)
{
    ms_indicator *list = NULL;
    size_t nl = 0;
    int trunc = 0;
    uint64_t limit = r->wstart + r->wlen - (final ? 0 : TAIL);

    if (r->err)
        return;
    /* every indicator holds a letter or digit: a window of NULs or junk
     * (padding) needs no scan, and that is most of a padded file */
    int text = 0;
    for (size_t i = 0; i < r->wlen && !text; i++)
        text = (unsigned)((r->win[i] | 0x20) - 'a') < 26u ||
               (unsigned)(r->win[i] - '0') < 10u;
    if (text)
        r->err = ms_ioc_scan(r->win, r->wlen, MS_IOC_DEFAULT_MAX, &list, &nl,
                         &trunc);
    for (size_t i = 0; i < nl && !r->err; i++) {
        const ms_indicator *x = &list[i];
        uint64_t at = r->wstart + x->offset;
        if (at < r->accept_from || at >= limit ||
            (x->cls != MS_IOC_KNOWN && x->cls != MS_IOC_WEAK) ||
            known_value(r, x) || r->niocs >= MS_IOC_DEFAULT_MAX)
            continue;
        char *v = ms_strdup(x->value);
        if (!v || ms_grow((void **)&r->iocs, &r->iocs_cap, r->niocs + 1,
                          sizeof *r->iocs)) {
            free(v);
            r->err = MS_ERR_NOMEM;
            break;
        }
        seen_ioc *s = &r->iocs[r->niocs++];
        s->type = x->type;
        s->cls = x->cls;
        s->value = v;
        s->line = r->nl_before + count_nl(r->win, (size_t)x->offset) + 1;
    }
    ms_ioc_free(list, nl);
    if (final)
        return;
    /* keep TAIL + BACK bytes: the tail to scan, the back to get in step */
    size_t keep = TAIL + BACK, drop = r->wlen - keep;
    r->nl_before += count_nl(r->win, drop);
    memmove(r->win, r->win + drop, keep);
    r->wstart += drop;
    r->wlen = keep;
    r->accept_from = limit;
}

int ms_rawscan_block(void *user, uint64_t off, const uint8_t *buf,
                     size_t len)
{
    ms_rawscan *r = user;
    (void)off;    /* blocks come in order: the window tracks offsets */
    r->bytes += len;
    while (len && !r->err) {
        size_t room = WIN - r->wlen, k = len < room ? len : room;
        if (r->wlen + k > r->wcap) {
            size_t cap = r->wcap ? r->wcap : 4096;
            while (cap < r->wlen + k)
                cap *= 2;
            cap = cap < WIN ? cap : WIN;
            uint8_t *w = realloc(r->win, cap);
            if (!w) {
                r->err = MS_ERR_NOMEM;
                break;
            }
            r->win = w;
            r->wcap = cap;
        }
        memcpy(r->win + r->wlen, buf, k);
        r->wlen += k;
        buf += k;
        len -= k;
        if (r->wlen == WIN)
            flush(r, 0);
    }
    return r->err != MS_OK;
}

int ms_rawscan_line(void *user, const ms_line *l)
{
    ms_rawscan *r = user;
    if (l->len <= MS_PAD_LINE_BYTES && !l->nuls && !l->ctrl)
        return 0;
    if (r->npadded < MS_PAD_MAX_NAMED)
        r->named[r->npadded] = (pad_line){ l->number, l->offset, l->len,
                                           l->nuls, l->first_nul, l->ctrl,
                                           l->first_ctrl };
    r->npadded++;
    return 0;
}

static char *padding_text(const ms_rawscan *r)
{
    ms_buf b = {0};
    ms_buf_printf(&b, "anti-forensic padding: the file is %llu bytes%s",
                  (unsigned long long)r->bytes,
                  r->bytes > MS_PAD_FILE_BYTES
                      ? " (real crontabs are a few KiB)" : "");
    for (size_t i = 0; i < r->npadded && i < MS_PAD_MAX_NAMED; i++) {
        const pad_line *p = &r->named[i];
        ms_buf_printf(&b, "; line %llu (byte offset %llu) is %llu bytes "
                      "long", (unsigned long long)p->number,
                      (unsigned long long)p->offset,
                      (unsigned long long)p->len);
        if (p->nuls)
            ms_buf_printf(&b, ", %llu NUL bytes from byte offset %llu",
                          (unsigned long long)p->nuls,
                          (unsigned long long)(p->offset + p->first_nul));
        if (p->ctrl)
            ms_buf_printf(&b, ", %llu control bytes from byte offset %llu",
                          (unsigned long long)p->ctrl,
                          (unsigned long long)(p->offset + p->first_ctrl));
    }
    if (r->npadded > MS_PAD_MAX_NAMED)
        ms_buf_printf(&b, "; and %zu more such lines",
                      r->npadded - MS_PAD_MAX_NAMED);
    char *s = b.data ? ms_buf_steal(&b) : NULL;
    ms_buf_free(&b);
    return s;
}

ms_err ms_rawscan_finish(ms_rawscan *r, ms_reason **reasons, size_t *n)
{
    if (!r || !reasons || !n)
        return MS_ERR_ARG;
    if (r->wlen)
        flush(r, 1);
    if (r->err)
        return r->err;
    ms_err e = MS_OK;
    if (r->npadded || r->bytes > MS_PAD_FILE_BYTES)
    {
        ms_reason_ev ev = { 0 };
        if (r->npadded) {   /* the first padded line */
            ev.source_line = r->named[0].number <= UINT32_MAX
                                 ? (unsigned)r->named[0].number : 0;
            ev.has_offset = 1;
            ev.offset = r->named[0].offset;
        }
        e = ms_reasons_add(reasons, n, MS_R_CRONTAB_PADDING,
                           MS_SEV_SUSPICIOUS, padding_text(r), &ev);
    }
    for (size_t i = 0; i < r->niocs && !e; i++) {
        const seen_ioc *s = &r->iocs[i];
        int known = s->cls == MS_IOC_KNOWN;
        ms_reason_ev ev = { .ioc_type = ms_ioc_type_name(s->type),
                            .ioc_value = s->value,
                            .source_line = s->line <= UINT32_MAX
                                               ? (unsigned)s->line : 0 };
        e = ms_reasons_add(reasons, n, known ? MS_R_C2_INDICATOR
                                             : MS_R_C2_INDICATOR_WEAK,
                       known ? MS_SEV_MALICIOUS : MS_SEV_INFO,
                       ms_asprintf("crontab contains %s %s %s at line %llu",
                                   known ? "ESET's Mumblehard indicator"
                                         : "the common (not by itself "
                                           "malicious) Mumblehard indicator",
                                   ms_ioc_type_name(s->type), s->value,
                                   (unsigned long long)s->line), &ev);
    }
    return e;
}

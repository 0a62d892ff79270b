/* unpack.c - static Mumblehard unpacker.  See unpack.h for the contract.
 *
 * Every access to the input goes through in_bounds()/rd32(): the buffer
 * comes from the evidence and is hostile. */
#include "detection/unpack.h"

#include "detection/elf32.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGMENTS 64   /* PT_LOAD entries used; real stubs have 1-2 */
#define MAX_PHNUM    4096 /* program headers looked at */
#define CALL_WINDOW  24   /* bytes before a call searched for mov esi/ecx */

typedef struct image {
    const uint8_t *p;
    size_t len;
    ms_elf32_seg seg[MAX_SEGMENTS];
    size_t nseg;
} image;

static ms_err fail(ms_unpack_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static ms_err fail(ms_unpack_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    return MS_ERR_FORMAT;
}

static int in_bounds(const image *im, size_t off, size_t n)
{
    return off <= im->len && n <= im->len - off;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

void ms_unpack_keystream(uint8_t *p, size_t n, const ms_unpack_params *k)
{
    /* 32-bit like ebx/edx in the stub; the XOR uses bl. */
    uint32_t key = k->key, lim = k->limit;
    for (size_t i = 0; i < n; i++) {
        if (key == lim) {
            if (lim == k->wrap)
                lim = 0;
            lim += k->step;
            key = 1;
        }
        p[i] ^= (uint8_t)key;
        key++;
    }
}

/* ---- ELF32 program headers -------------------------------------------- */

static ms_err load_segments(image *im, ms_unpack_result *r)
{
    ms_elf32_hdr h;
    switch (ms_elf32_header(im->p, im->len, MAX_PHNUM, &h)) {
    case MS_ELF32_OK:
        break;
    case MS_ELF32_NOT_ELF:
        return fail(r, "not an ELF file: virtual addresses cannot be mapped");
    case MS_ELF32_NOT_32LE:
        return fail(r, "not a 32-bit little-endian ELF (class %u, data %u)",
                    im->p[4], im->p[5]);
    default:
        return fail(r, "ELF program header table unusable (phnum %u, "
                    "phentsize %u)", h.phnum, h.phentsize);
    }
    for (unsigned i = 0; i < h.phnum; i++) {
        ms_elf32_seg s;
        uint32_t type;
        if (!ms_elf32_phdr(im->p, im->len, &h, i, &type, &s))
            return fail(r, "ELF program header %u at offset %llu lies beyond "
                        "the end of the file (%zu bytes)", i,
                        (unsigned long long)h.phoff +
                            (unsigned long long)i * h.phentsize, im->len);
        /* tolerant: keep every loadable segment with bytes in the file */
        if (type != MS_ELF32_PT_LOAD || s.present == 0 ||
            im->nseg == MAX_SEGMENTS)
            continue;
        im->seg[im->nseg++] = s;
    }
    if (im->nseg == 0)
        return fail(r, "no PT_LOAD segment with content inside the file");
    return MS_OK;
}

/* File offset of [va, va+n) if one segment holds all of it in the file. */
static int va_to_off(const image *im, uint32_t va, size_t n, size_t *off)
{
    return ms_elf32_va_to_off(im->seg, im->nseg, va, n, off);
}

/* 1 if [va, va+n) is declared by a segment but not all in the buffer:
 * the file was cut short (or only its head was read). */
static int va_cut_off(const image *im, uint32_t va, size_t n)
{
    for (size_t i = 0; i < im->nseg; i++) {
        const ms_elf32_seg *s = &im->seg[i];
        uint64_t d = (uint64_t)va - s->va;
        if (va >= s->va && d <= s->filesz && n <= s->filesz - d)
            return 1;
    }
    return 0;
}

static int off_to_va(const image *im, size_t off, uint32_t *va)
{
    return ms_elf32_off_to_va(im->seg, im->nseg, off, va);
}

/* ---- the decrypt routine ---------------------------------------------- */

/* cmp ebx,edx; jne +0x13; cmp edx,W; jne +2; xor edx,edx; add edx,S;
 * xor ebx,ebx; inc ebx; lodsb; xor al,bl; stosb; inc ebx; loop -0x1e.
 * 0x100 marks the wildcard bytes of W and S. */
static const uint16_t loop_pat[] = {
    0x39, 0xd3, 0x75, 0x13, 0x81, 0xfa, 0x100, 0x100, 0x100, 0x100,
    0x75, 0x02, 0x31, 0xd2, 0x81, 0xc2, 0x100, 0x100, 0x100, 0x100,
    0x31, 0xdb, 0x43, 0xac, 0x30, 0xd8, 0xaa, 0x43, 0xe2, 0xe2 };
#define LOOP_LEN (sizeof loop_pat / sizeof *loop_pat)

static int loop_at(const image *im, size_t i)
{
    if (i < 2 || !in_bounds(im, i, LOOP_LEN))
        return 0;
    const uint8_t *p = im->p;
    int movedi = (p[i - 2] == 0x56 && p[i - 1] == 0x5f) ||
                 (p[i - 2] == 0x89 && p[i - 1] == 0xf7);
    if (!movedi)
        return 0;
    for (size_t k = 0; k < LOOP_LEN; k++)
        if (loop_pat[k] < 0x100 && p[i + k] != loop_pat[k])
            return 0;
    return 1;
}

/* Key set-up ending right before `mov edx` at m: returns the entry offset
 * (the `xor ebx,ebx`) and the key, or 0 if the bytes are not one of the
 * known forms. */
static int key_setup(const image *im, size_t m, size_t *entry, uint32_t *key)
{
    const uint8_t *p = im->p;
    /* xor ebx,ebx; mov bl, imm8 */
    if (m >= 4 && p[m - 4] == 0x31 && p[m - 3] == 0xdb && p[m - 2] == 0xb3) {
        *entry = m - 4;
        *key = p[m - 1];
        return 1;
    }
    /* xor ebx,ebx; inc ebx x N (N may be 0) */
    size_t n = 0;
    while (n < 255 && m >= n + 1 && p[m - 1 - n] == 0x43)
        n++;
    if (m >= n + 2 && p[m - n - 2] == 0x31 && p[m - n - 1] == 0xdb) {
        *entry = m - n - 2;
        *key = (uint32_t)n;
        return 1;
    }
    return 0;
}

typedef struct routine {
    size_t entry, loop;
    ms_unpack_params k;
} routine;

/* The set-up in front of the loop at `loop`: mov edx, LIMIT, then up to
 * MS_UNPACK_MAX_GAP bytes, then mov edi,esi (2 bytes) right before it. */
static int parse_setup(const image *im, size_t loop, routine *rt)
{
    for (size_t gap = 0; gap <= MS_UNPACK_MAX_GAP; gap++) {
        if (loop < 2 + gap + 5)
            break;
        size_t m = loop - 2 - gap - 5;
        if (im->p[m] != 0xba)
            continue;
        if (!key_setup(im, m, &rt->entry, &rt->k.key))
            continue;
        rt->k.limit = rd32(im->p + m + 1);
        return 1;
    }
    return 0;
}

static ms_err find_routine(const image *im, routine *rt, ms_unpack_result *r)
{
    int saw_loop = 0;
    for (size_t i = 2; i + LOOP_LEN <= im->len; i++) {
        if (!loop_at(im, i))
            continue;
        saw_loop = 1;
        rt->loop = i;
        rt->k.wrap = rd32(im->p + i + 6);
        rt->k.step = rd32(im->p + i + 16);
        if (parse_setup(im, i, rt))
            return MS_OK;
    }
    if (saw_loop)
        return fail(r, "decrypt loop at offset %zu, but no `xor ebx,ebx; "
                    "inc ebx*N | mov bl,imm8; mov edx,imm32` set-up within "
                    "%u bytes before it: starting key and limit unknown",
                    rt->loop, MS_UNPACK_MAX_GAP);
    return fail(r, "decrypt loop (mov edi,esi ... lodsb; xor al,bl; stosb; "
                "inc ebx; loop) not found");
}

/* ---- calls to the routine --------------------------------------------- */

typedef struct call {
    size_t   off;
    uint32_t buf_va, len;
    int      has_buf, has_len;
} call;

/* Nearest `op imm32` ending at or before `end`, within CALL_WINDOW bytes,
 * not overlapping [avoid, avoid+5). */
static int imm_before(const image *im, size_t end, uint8_t op, size_t avoid,
                      uint32_t *v)
{
    for (size_t d = 5; d <= CALL_WINDOW && d <= end; d++) {
        size_t at = end - d;
        if (im->p[at] != op)
            continue;
        if (avoid != (size_t)-1 && at < avoid + 5 && avoid < at + 5)
            continue;
        *v = rd32(im->p + at + 1);
        return 1;
    }
    return 0;
}

static void call_args(const image *im, call *c)
{
    /* Either order: mov esi; mov ecx; call  or  mov ecx; mov esi; call.
     * The first match is the instruction right before the call. */
    size_t end = c->off;
    uint32_t v;
    if (end >= 5 && im->p[end - 5] == 0xb9) {
        c->len = rd32(im->p + end - 4);
        c->has_len = 1;
        c->has_buf = imm_before(im, end - 5, 0xbe, (size_t)-1, &v);
        c->buf_va = v;
    } else if (end >= 5 && im->p[end - 5] == 0xbe) {
        c->buf_va = rd32(im->p + end - 4);
        c->has_buf = 1;
        c->has_len = imm_before(im, end - 5, 0xb9, (size_t)-1, &v);
        c->len = v;
    } else {
        c->has_buf = imm_before(im, end, 0xbe, (size_t)-1, &c->buf_va);
        c->has_len = imm_before(im, end, 0xb9, (size_t)-1, &c->len);
    }
}

static size_t find_calls(const image *im, uint32_t target, call *calls)
{
    size_t n = 0;
    for (size_t s = 0; s < im->nseg && n < MS_UNPACK_MAX_CALLS; s++) {
        const ms_elf32_seg *sg = &im->seg[s];
        for (size_t i = 0; i + 5 <= sg->present && n < MS_UNPACK_MAX_CALLS;
             i++) {
            size_t off = sg->off + i;
            if (!in_bounds(im, off, 5) || im->p[off] != 0xe8)
                continue;
            uint32_t next = sg->va + (uint32_t)i + 5u;  /* wraps like eip */
            if (next + rd32(im->p + off + 1) != target)
                continue;
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= calls[k].off == off;
            if (dup)   /* overlapping segments map one call twice */
                continue;
            memset(&calls[n], 0, sizeof calls[n]);
            calls[n].off = off;
            call_args(im, &calls[n]);
            n++;
        }
    }
    return n;
}

/* ---- decrypting ------------------------------------------------------- */

static ms_err decrypt_blob(const image *im, const call *c, const char *what,
                           size_t max, const ms_unpack_params *k,
                           uint8_t **out, size_t *off, ms_unpack_result *r)
{
    if (!c->has_buf || !c->has_len)
        return fail(r, "call at offset %zu: no `mov %s, imm32` within %d "
                    "bytes before it (%s blob)", c->off,
                    c->has_buf ? "ecx" : "esi", CALL_WINDOW, what);
    if (c->len == 0)
        return fail(r, "call at offset %zu: %s length is 0 (the stub's "
                    "`loop` would run 2^32 times)", c->off, what);
    if (c->len > max)
        return fail(r, "call at offset %zu: %s length %u exceeds the limit "
                    "of %zu bytes", c->off, what, c->len, max);
    if (!va_to_off(im, c->buf_va, c->len, off) &&
        va_cut_off(im, c->buf_va, c->len))
        return fail(r, "call at offset %zu: %s blob at VA 0x%08x, %u bytes, "
                    "is not inside the file content of one PT_LOAD segment: "
                    "the segment is declared but the file ends at %zu bytes "
                    "(truncated)", c->off, what, c->buf_va, c->len, im->len);
    if (!va_to_off(im, c->buf_va, c->len, off))
        return fail(r, "call at offset %zu: %s blob at VA 0x%08x, %u bytes, "
                    "is not inside the file content of one PT_LOAD segment",
                    c->off, what, c->buf_va, c->len);
    *out = malloc((size_t)c->len + 1);
    if (!*out)
        return MS_ERR_NOMEM;
    memcpy(*out, im->p + *off, c->len);
    (*out)[c->len] = '\0';
    ms_unpack_keystream(*out, c->len, k);
    return MS_OK;
}

static ms_err check_interp(const uint8_t *s, size_t n, ms_unpack_result *r)
{
    if (s[0] != '/')
        return fail(r, "first blob does not decrypt to an absolute "
                    "interpreter path (first byte 0x%02x)", s[0]);
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7e)
            return fail(r, "first blob does not decrypt to a printable "
                        "interpreter path (byte 0x%02x at %zu)", s[i], i);
    return MS_OK;
}

void ms_unpack_result_free(ms_unpack_result *r)
{
    if (!r)
        return;
    free(r->interp);
    free(r->script);
    r->interp = r->script = NULL;
}

ms_err ms_unpack(const uint8_t *buf, size_t len, ms_unpack_result *out)
{
    image im = { .p = buf, .len = len };
    routine rt = {0};
    call calls[MS_UNPACK_MAX_CALLS];
    ms_err e;

    if (!out)
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (!buf && len)
        return MS_ERR_ARG;
    if ((e = load_segments(&im, out)) || (e = find_routine(&im, &rt, out)))
        return e;
    out->params = rt.k;
    out->routine_off = rt.entry;
    if (!off_to_va(&im, rt.entry, &out->routine_va))
        return fail(out, "decrypt routine at offset %zu is outside every "
                    "PT_LOAD segment: no call can reach it", rt.entry);
    out->ncalls = find_calls(&im, out->routine_va, calls);
    if (out->ncalls == 0)
        return fail(out, "no `call` to the decrypt routine at VA 0x%08x",
                    out->routine_va);
    if ((e = decrypt_blob(&im, &calls[0], "interpreter", MS_UNPACK_MAX_INTERP,
                          &rt.k, &out->interp, &out->interp_off, out)))
        goto _exit;
    out->interp_len = calls[0].len;
    out->interp_va = calls[0].buf_va;
    if ((e = check_interp(out->interp, out->interp_len, out)))
        goto _exit;
    if (out->ncalls < 2) {
        e = fail(out, "only one call to the decrypt routine: interpreter "
                 "path found, no script blob");
        goto _exit;
    }
    if ((e = decrypt_blob(&im, &calls[1], "script", MS_UNPACK_MAX_SCRIPT,
                          &rt.k, &out->script, &out->script_off, out)))
        goto _exit;
    out->script_len = calls[1].len;
    out->script_va = calls[1].buf_va;
_exit:
    if (e)
        ms_unpack_result_free(out);
    return e;
}

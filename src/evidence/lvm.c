/* lvm.c - LVM2 reader: label, PV header, metadata area, text metadata,
 * and linear LVs as TSK images.  See lvm.h for why not libvslvm.
 *
 * On-disk layout (all integers little-endian, offsets from the PV start):
 *   label (one of sectors 0-3): "LABELONE", sector u64, crc u32 over
 *     bytes 20..511, pv_header offset u32, "LVM2 001"
 *   pv_header: uuid[32], device size u64, data-area list and
 *     metadata-area list of {offset u64, size u64}, each 0-terminated
 *   metadata area: 512-byte header (crc u32 over bytes 4..511, magic,
 *     version, start, size, raw_locn list {offset, size, crc, flags}),
 *     then a circular text buffer; raw_locn[0] is the newest metadata,
 *     possibly wrapping from the end of the area back to byte 512. */
#include "evidence/lvm.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "evidence/imgwrap.h"

#define SECTOR          512u
#define LABEL_SCAN      4u           /* LVM looks in sectors 0..3 */
#define MDA_MAGIC       " LVM2 x[5A%r0N*>"
#define INITIAL_CRC     0xf597a6cfu
#define MAX_AREAS       8            /* data/metadata areas per PV */
#define MAX_TEXT        (4u << 20)   /* metadata text; LVM caps far lower */
#define MAX_DEPTH       16           /* section nesting in the text */
#define MAX_NODES       200000       /* values in one metadata text */
#define MAX_SEGS        4096         /* segments of one LV */
#define MAX_STR         4096

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* LVM's CRC-32 (reflected 0xEDB88320, no final inversion). */
static uint32_t lvm_crc(uint32_t crc, const unsigned char *b, size_t n)
{
    static const uint32_t tab[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190,
        0x6b6b51f4, 0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344,
        0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278,
        0xbdbdf21c };
    for (size_t i = 0; i < n; i++) {
        crc ^= b[i];
        crc = (crc >> 4) ^ tab[crc & 0xf];
        crc = (crc >> 4) ^ tab[crc & 0xf];
    }
    return crc;
}

static int read_exact(TSK_IMG_INFO *img, uint64_t off, void *buf, size_t n)
{
    if (off > (uint64_t)INT64_MAX - n)
        return 0;
    return tsk_img_read(img, (TSK_OFF_T)off, buf, n) == (ssize_t)n;
}

/* Index of the sector holding a valid label, or -1. */
static int find_label(const unsigned char *s)
{
    for (unsigned i = 0; i < LABEL_SCAN; i++) {
        const unsigned char *l = s + i * SECTOR;
        if (memcmp(l, "LABELONE", 8) || memcmp(l + 24, "LVM2 001", 8))
            continue;
        if (le64(l + 8) != i)
            continue;
        if (lvm_crc(INITIAL_CRC, l + 20, SECTOR - 20) != le32(l + 16))
            continue;
        return (int)i;
    }
    return -1;
}

int ms_lvm_detect(TSK_IMG_INFO *img, uint64_t off)
{
    unsigned char s[LABEL_SCAN * SECTOR];
    if (!read_exact(img, off, s, sizeof s))
        return 0;
    for (unsigned i = 0; i < LABEL_SCAN; i++)
        if (!memcmp(s + i * SECTOR, "LABELONE", 8) &&
            !memcmp(s + i * SECTOR + 24, "LVM2 001", 8))
            return 1;
    return 0;
}

/* ---- text metadata ---------------------------------------------------- */

enum nkind { N_SECT, N_STR, N_INT, N_ARR };

typedef struct node {
    char        *key;    /* NULL for array elements */
    enum nkind   kind;
    char        *str;
    int64_t      num;
    struct node *kids;
    size_t       nkids, cap;
} node;

typedef struct parser {
    const char *p, *end;
    size_t      nodes;
    char       *err;
} parser;

static void node_clear(node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        node_clear(&n->kids[i]);
    free(n->kids);
    free(n->key);
    free(n->str);
}

static int fail(parser *ps, const char *what)
{
    if (!ps->err)
        ps->err = ms_asprintf("LVM2 metadata: %s", what);
    return -1;
}

static void skip_space(parser *ps)
{
    while (ps->p < ps->end) {
        if (*ps->p == '#') {
            while (ps->p < ps->end && *ps->p != '\n')
                ps->p++;
        } else if (isspace((unsigned char)*ps->p)) {
            ps->p++;
        } else {
            break;
        }
    }
}

static int is_ident(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-' ||
           c == '+';
}

static node *add_kid(parser *ps, node *parent)
{
    if (++ps->nodes > MAX_NODES) {
        fail(ps, "too many values");
        return NULL;
    }
    if (ms_grow((void **)&parent->kids, &parent->cap, parent->nkids + 1,
                sizeof *parent->kids)) {
        fail(ps, "out of memory");
        return NULL;
    }
    return &parent->kids[parent->nkids++];
}

static int parse_value(parser *ps, node *v, int depth);

static int parse_string(parser *ps, node *v)
{
    ms_buf b = {0};
    ps->p++; /* opening quote */
    while (ps->p < ps->end && *ps->p != '"') {
        if (*ps->p == '\\' && ps->p + 1 < ps->end)
            ps->p++;
        if (b.len >= MAX_STR || ms_buf_append(&b, ps->p, 1)) {
            ms_buf_free(&b);
            return fail(ps, "string too long");
        }
        ps->p++;
    }
    if (ps->p >= ps->end) {
        ms_buf_free(&b);
        return fail(ps, "unterminated string");
    }
    ps->p++;
    v->kind = N_STR;
    v->str = b.data ? ms_buf_steal(&b) : ms_strdup("");
    return v->str ? 0 : fail(ps, "out of memory");
}

static int parse_value(parser *ps, node *v, int depth)
{
    skip_space(ps);
    if (ps->p >= ps->end)
        return fail(ps, "value missing");
    if (*ps->p == '"')
        return parse_string(ps, v);
    if (*ps->p == '[') {
        if (depth > MAX_DEPTH)
            return fail(ps, "nesting too deep");
        v->kind = N_ARR;
        ps->p++;
        for (;;) {
            skip_space(ps);
            if (ps->p < ps->end && *ps->p == ']') {
                ps->p++;
                return 0;
            }
            node *k = add_kid(ps, v);
            if (!k || parse_value(ps, k, depth + 1))
                return -1;
            skip_space(ps);
            if (ps->p < ps->end && *ps->p == ',')
                ps->p++;
            else if (ps->p >= ps->end || *ps->p != ']')
                return fail(ps, "bad array");
        }
    }
    if (*ps->p == '-' || isdigit((unsigned char)*ps->p)) {
        char *e;
        char tmp[32];
        size_t n = 0;
        while (ps->p + n < ps->end && n < sizeof tmp - 1 &&
               (isdigit((unsigned char)ps->p[n]) || ps->p[n] == '-' ||
                ps->p[n] == '.'))
            n++;
        memcpy(tmp, ps->p, n);
        tmp[n] = '\0';
        v->kind = N_INT;
        v->num = strtoll(tmp, &e, 10);
        ps->p += n;
        return 0;
    }
    return fail(ps, "unexpected character");
}

/* items until '}' (in a section) or the end of text (top level). */
static int parse_items(parser *ps, node *sect, int depth)
{
    if (depth > MAX_DEPTH)
        return fail(ps, "nesting too deep");
    for (;;) {
        skip_space(ps);
        if (ps->p >= ps->end || *ps->p == '\0')
            return depth == 0 ? 0 : fail(ps, "unterminated section");
        if (*ps->p == '}') {
            if (depth == 0)
                return fail(ps, "unbalanced '}'");
            ps->p++;
            return 0;
        }
        const char *k = ps->p;
        while (ps->p < ps->end && is_ident(*ps->p))
            ps->p++;
        if (ps->p == k || ps->p - k > MAX_STR)
            return fail(ps, "bad name");
        node *n = add_kid(ps, sect);
        if (!n)
            return -1;
        if (!(n->key = ms_strndup(k, (size_t)(ps->p - k))))
            return fail(ps, "out of memory");
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == '{') {
            ps->p++;
            n->kind = N_SECT;
            if (parse_items(ps, n, depth + 1))
                return -1;
        } else if (ps->p < ps->end && *ps->p == '=') {
            ps->p++;
            if (parse_value(ps, n, depth + 1))
                return -1;
        } else {
            return fail(ps, "expected '=' or '{'");
        }
    }
}

static const node *get(const node *s, const char *key, enum nkind kind)
{
    for (size_t i = 0; s && i < s->nkids; i++)
        if (s->kids[i].key && !strcmp(s->kids[i].key, key) &&
            s->kids[i].kind == kind)
            return &s->kids[i];
    return NULL;
}

static int get_u64(const node *s, const char *key, uint64_t *out)
{
    const node *n = get(s, key, N_INT);
    if (!n || n->num < 0)
        return 0;
    *out = (uint64_t)n->num;
    return 1;
}

static char *get_str(const node *s, const char *key)
{
    const node *n = get(s, key, N_STR);
    return n ? ms_strdup(n->str) : NULL;
}

static int has_flag(const node *s, const char *key, const char *flag)
{
    const node *a = get(s, key, N_ARR);
    for (size_t i = 0; a && i < a->nkids; i++)
        if (a->kids[i].kind == N_STR && !strcmp(a->kids[i].str, flag))
            return 1;
    return 0;
}

static void lv_clear(ms_lvm_lv *lv)
{
    for (size_t i = 0; i < lv->nsegs; i++) {
        free(lv->segs[i].type);
        free(lv->segs[i].pv);
    }
    free(lv->segs);
    free(lv->name);
    free(lv->uuid);
}

void ms_lvm_vg_free(ms_lvm_vg *vg)
{
    if (!vg)
        return;
    for (size_t i = 0; i < vg->npvs; i++) {
        free(vg->pvs[i].name);
        free(vg->pvs[i].uuid);
    }
    for (size_t i = 0; i < vg->nlvs; i++)
        lv_clear(&vg->lvs[i]);
    free(vg->pvs);
    free(vg->lvs);
    free(vg->name);
    free(vg->uuid);
    free(vg);
}

static ms_err read_lv(const node *s, ms_lvm_lv *lv)
{
    size_t cap = 0;
    if (!(lv->name = ms_strdup(s->key)))
        return MS_ERR_NOMEM;
    lv->uuid = get_str(s, "id");
    lv->visible = has_flag(s, "status", "VISIBLE");
    for (size_t i = 0; i < s->nkids; i++) {
        const node *g = &s->kids[i];
        if (g->kind != N_SECT || strncmp(g->key, "segment", 7))
            continue;
        if (lv->nsegs >= MAX_SEGS)
            return MS_ERR_LIMIT;
        if (ms_grow((void **)&lv->segs, &cap, lv->nsegs + 1, sizeof *lv->segs))
            return MS_ERR_NOMEM;
        ms_lvm_seg *sg = &lv->segs[lv->nsegs++];
        uint64_t sc = 0;
        if (!get_u64(g, "start_extent", &sg->start_extent) ||
            !get_u64(g, "extent_count", &sg->extent_count))
            return MS_ERR_FORMAT;
        sg->type = get_str(g, "type");
        if (!sg->type && !(sg->type = ms_strdup("unknown")))
            return MS_ERR_NOMEM;
        if (get_u64(g, "stripe_count", &sc))
            sg->stripe_count = sc > 0xffff ? 0xffff : (uint32_t)sc;
        const node *st = get(g, "stripes", N_ARR);
        if (st && st->nkids >= 2 && st->kids[0].kind == N_STR &&
            st->kids[1].kind == N_INT && st->kids[1].num >= 0) {
            sg->pv = ms_strdup(st->kids[0].str);
            sg->pv_extent = (uint64_t)st->kids[1].num;
        }
    }
    return MS_OK;
}

static ms_err read_vg(const node *s, ms_lvm_vg *vg)
{
    size_t cap = 0;
    if (!(vg->name = ms_strdup(s->key)))
        return MS_ERR_NOMEM;
    vg->uuid = get_str(s, "id");
    get_u64(s, "seqno", &vg->seqno);
    if (!get_u64(s, "extent_size", &vg->extent_size) || vg->extent_size == 0 ||
        vg->extent_size > (1ull << 32))
        return MS_ERR_FORMAT;
    const node *pvs = get(s, "physical_volumes", N_SECT);
    for (size_t i = 0; pvs && i < pvs->nkids; i++) {
        const node *p = &pvs->kids[i];
        if (p->kind != N_SECT)
            continue;
        if (ms_grow((void **)&vg->pvs, &cap, vg->npvs + 1, sizeof *vg->pvs))
            return MS_ERR_NOMEM;
        ms_lvm_vgpv *v = &vg->pvs[vg->npvs++];
        v->name = ms_strdup(p->key);
        v->uuid = get_str(p, "id");
        if (!get_u64(p, "pe_start", &v->pe_start) ||
            !get_u64(p, "pe_count", &v->pe_count))
            return MS_ERR_FORMAT;
    }
    cap = 0;
    const node *lvs = get(s, "logical_volumes", N_SECT);
    for (size_t i = 0; lvs && i < lvs->nkids; i++) {
        if (lvs->kids[i].kind != N_SECT)
            continue;
        if (ms_grow((void **)&vg->lvs, &cap, vg->nlvs + 1, sizeof *vg->lvs))
            return MS_ERR_NOMEM;
        ms_err rc = read_lv(&lvs->kids[i], &vg->lvs[vg->nlvs++]);
        if (rc)
            return rc;
    }
    return MS_OK;
}

ms_err ms_lvm_parse_metadata(const char *text, size_t len, ms_lvm_vg **out,
                             char **err_text)
{
    parser ps = { text, text + len, 0, NULL };
    node root = {0};
    ms_lvm_vg *vg = NULL;
    ms_err rc = MS_ERR_FORMAT;

    *out = NULL;
    if (parse_items(&ps, &root, 0)) {
        *err_text = ps.err;
        ps.err = NULL;
        goto _exit;
    }
    /* The VG is the top-level section; the rest are header values. */
    const node *s = NULL;
    for (size_t i = 0; i < root.nkids && !s; i++)
        if (root.kids[i].kind == N_SECT)
            s = &root.kids[i];
    if (!s) {
        *err_text = ms_strdup("LVM2 metadata: no volume group section");
        goto _exit;
    }
    if (!(vg = calloc(1, sizeof *vg))) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    rc = read_vg(s, vg);
    if (rc) {
        *err_text = ms_asprintf("LVM2 metadata of VG '%s': %s",
                                vg->name ? vg->name : "?",
                                rc == MS_ERR_FORMAT ? "required value missing"
                                                    : ms_strerror(rc));
        goto _exit;
    }
    *out = vg;
    vg = NULL;
_exit:
    ms_lvm_vg_free(vg);
    node_clear(&root);
    free(ps.err);
    return rc;
}

/* ---- the PV ----------------------------------------------------------- */

/* Read and parse the newest metadata in the area at mda_off. */
static ms_err read_mda(TSK_IMG_INFO *img, uint64_t pv_off, uint64_t pv_len,
                       uint64_t mda_off, uint64_t mda_size, ms_lvm_vg **vg,
                       char **err_text)
{
    unsigned char h[SECTOR];
    char *text = NULL;
    ms_err rc = MS_ERR_FORMAT;

    if (mda_off >= pv_len || mda_size > pv_len - mda_off ||
        mda_size <= SECTOR || !read_exact(img, pv_off + mda_off, h, sizeof h)) {
        *err_text = ms_strdup("LVM2 metadata area outside the PV");
        return MS_ERR_FORMAT;
    }
    if (memcmp(h + 4, MDA_MAGIC, 16) || le32(h + 20) != 1 ||
        lvm_crc(INITIAL_CRC, h + 4, SECTOR - 4) != le32(h)) {
        *err_text = ms_strdup("LVM2 metadata area header damaged "
                              "(magic, version or checksum)");
        return MS_ERR_FORMAT;
    }
    uint64_t off = le64(h + 40), size = le64(h + 48);
    uint32_t crc = le32(h + 56), flags = le32(h + 60);
    if (off == 0 || size == 0 || (flags & 1)) {
        *err_text = ms_strdup("LVM2 metadata area holds no metadata");
        return MS_ERR_NOT_FOUND;
    }
    if (size > MAX_TEXT || off < SECTOR || off >= mda_size ||
        size > mda_size - SECTOR) {
        *err_text = ms_strdup("LVM2 metadata location out of bounds");
        return MS_ERR_FORMAT;
    }
    if (!(text = malloc(size + 1)))
        return MS_ERR_NOMEM;
    /* Circular buffer: text that runs past the area's end continues
     * right after the header. */
    uint64_t first = size < mda_size - off ? size : mda_size - off;
    if (!read_exact(img, pv_off + mda_off + off, text, first) ||
        (size > first && !read_exact(img, pv_off + mda_off + SECTOR,
                                     text + first, size - first))) {
        *err_text = ms_strdup("LVM2 metadata text unreadable");
        rc = MS_ERR_IO;
        goto _exit;
    }
    if (lvm_crc(INITIAL_CRC, (unsigned char *)text, size) != crc) {
        *err_text = ms_strdup("LVM2 metadata text checksum mismatch");
        goto _exit;
    }
    text[size] = '\0';
    rc = ms_lvm_parse_metadata(text, strnlen(text, size), vg, err_text);
_exit:
    free(text);
    return rc;
}

static void format_uuid(const unsigned char *u, char out[39])
{
    /* LVM prints 32 characters as 6-4-4-4-4-4-6. */
    static const int groups[] = { 6, 4, 4, 4, 4, 4, 6 };
    size_t o = 0, i = 0;
    for (int g = 0; g < 7; g++) {
        for (int k = 0; k < groups[g]; k++, i++)
            out[o++] = isalnum(u[i]) ? (char)u[i] : '?';
        if (g < 6)
            out[o++] = '-';
    }
    out[o] = '\0';
}

ms_err ms_lvm_pv_read(TSK_IMG_INFO *img, uint64_t off, uint64_t len,
                      ms_lvm_pv *out, char **err_text)
{
    unsigned char s[LABEL_SCAN * SECTOR];
    memset(out, 0, sizeof *out);
    out->offset = off;
    out->size = len;
    if (!read_exact(img, off, s, sizeof s)) {
        *err_text = ms_strdup("LVM2 label unreadable");
        return MS_ERR_IO;
    }
    int li = find_label(s);
    if (li < 0) {
        *err_text = ms_strdup("LVM2 label damaged (sector number or "
                              "checksum wrong)");
        return MS_ERR_FORMAT;
    }
    const unsigned char *l = s + (unsigned)li * SECTOR;
    uint32_t ph = le32(l + 20);
    if (ph < 32 || ph > SECTOR - 40 - 32) {
        *err_text = ms_strdup("LVM2 PV header offset out of bounds");
        return MS_ERR_FORMAT;
    }
    const unsigned char *p = l + ph, *end = l + SECTOR;
    format_uuid(p, out->uuid);
    p += 40;
    /* Skip the data areas, then try each metadata area in turn. */
    int list = 0;
    ms_err rc = MS_ERR_NOT_FOUND;
    char *why = NULL;
    for (unsigned n = 0; p + 16 <= end && n < 2 * MAX_AREAS + 2; n++, p += 16) {
        uint64_t a_off = le64(p), a_size = le64(p + 8);
        if (a_off == 0) {
            if (++list == 2)
                break;
            continue;
        }
        if (list == 0 || out->vg)
            continue;
        free(why);
        why = NULL;
        rc = read_mda(img, off, len, a_off, a_size, &out->vg, &why);
        if (rc == MS_ERR_NOMEM)
            break;
    }
    if (out->vg) {
        free(why);
        return MS_OK;
    }
    *err_text = why ? why : ms_strdup("LVM2 PV has no metadata area "
                                      "(its VG metadata lives on another PV)");
    return rc == MS_OK ? MS_ERR_NOT_FOUND : rc;
}

void ms_lvm_pv_free(ms_lvm_pv *pv)
{
    if (pv) {
        ms_lvm_vg_free(pv->vg);
        pv->vg = NULL;
    }
}

/* ---- logical volumes -------------------------------------------------- */

char *ms_lvm_lv_kind(const ms_lvm_lv *lv)
{
    if (lv->nsegs == 0)
        return ms_strdup("no segments");
    for (size_t i = 0; i < lv->nsegs; i++) {
        const ms_lvm_seg *s = &lv->segs[i];
        if (strcmp(s->type, "striped"))
            return ms_strdup(s->type);
        if (s->stripe_count != 1)
            return ms_asprintf("striped, %u stripes", s->stripe_count);
    }
    return ms_strdup(lv->nsegs == 1 ? "linear"
                                    : "linear, several segments");
}

uint64_t ms_lvm_lv_size(const ms_lvm_vg *vg, const ms_lvm_lv *lv)
{
    uint64_t ext = 0;
    for (size_t i = 0; i < lv->nsegs; i++) {
        if (lv->segs[i].extent_count > UINT64_MAX / SECTOR / vg->extent_size
            - ext)
            return 0;
        ext += lv->segs[i].extent_count;
    }
    return ext * vg->extent_size * SECTOR;
}

typedef struct lv_map {
    TSK_IMG_INFO *parent;        /* borrowed: outlives the LV image */
    size_t        n;
    struct { uint64_t lv_off, len, img_off; } *ext;
} lv_map;

static ssize_t lv_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    lv_map *m = ctx;
    size_t done = 0;
    while (done < len) {
        uint64_t o = off + done;
        size_t i = 0;
        while (i < m->n && !(o >= m->ext[i].lv_off &&
                             o - m->ext[i].lv_off < m->ext[i].len))
            i++;
        if (i == m->n)
            break;
        uint64_t in = o - m->ext[i].lv_off;
        uint64_t want = m->ext[i].len - in;
        if (want > len - done)
            want = len - done;
        ssize_t got = tsk_img_read(m->parent,
                                   (TSK_OFF_T)(m->ext[i].img_off + in),
                                   (char *)buf + done, (size_t)want);
        if (got <= 0)
            return done ? (ssize_t)done : -1;
        done += (size_t)got;
    }
    return (ssize_t)done;
}

static void lv_free(void *ctx)
{
    lv_map *m = ctx;
    if (m) {
        free(m->ext);
        free(m);
    }
}

ms_err ms_lvm_lv_open(TSK_IMG_INFO *img, const ms_lvm_vg *vg,
                      const ms_lvm_lv *lv, const ms_lvm_pvloc *locs,
                      size_t nlocs, TSK_IMG_INFO **out, uint64_t *first_off,
                      char **why)
{
    uint64_t ext_bytes = vg->extent_size * SECTOR;
    uint64_t size = ms_lvm_lv_size(vg, lv);
    ms_err rc = MS_ERR_NOMEM;
    lv_map *m = NULL;

    *out = NULL;
    char *kind = ms_lvm_lv_kind(lv);
    if (!kind)
        return MS_ERR_NOMEM;
    if (strncmp(kind, "linear", 6)) {
        *why = ms_asprintf("LV '%s' is %s: only linear LVs can be read",
                           lv->name, kind);
        free(kind);
        return MS_ERR_UNSUPPORTED;
    }
    free(kind);
    if (size == 0) {
        *why = ms_asprintf("LV '%s' has no extents", lv->name);
        return MS_ERR_FORMAT;
    }
    if (!(m = calloc(1, sizeof *m)) ||
        !(m->ext = calloc(lv->nsegs, sizeof *m->ext)))
        goto _exit;
    m->parent = img;
    for (size_t i = 0; i < lv->nsegs; i++) {
        const ms_lvm_seg *s = &lv->segs[i];
        const ms_lvm_vgpv *pv = NULL;
        const ms_lvm_pvloc *loc = NULL;
        for (size_t k = 0; s->pv && k < vg->npvs && !pv; k++)
            if (vg->pvs[k].name && !strcmp(vg->pvs[k].name, s->pv))
                pv = &vg->pvs[k];
        for (size_t k = 0; pv && k < nlocs && !loc; k++)
            if (locs[k].found && !strcmp(locs[k].name, pv->name))
                loc = &locs[k];
        if (!pv || !loc) {
            *why = ms_asprintf("LV '%s' uses PV '%s', which is not in this "
                               "image (missing PV)", lv->name,
                               s->pv ? s->pv : "?");
            rc = MS_ERR_NOT_FOUND;
            goto _exit;
        }
        /* All in bytes; bounds checked against the PV's size so a
         * hostile map cannot point reads outside its own PV. */
        uint64_t pe = pv->pe_start, start = 0;
        if (pe > loc->size / SECTOR ||
            s->pv_extent > (loc->size - pe * SECTOR) / ext_bytes ||
            s->extent_count > (loc->size - pe * SECTOR) / ext_bytes -
                              s->pv_extent) {
            *why = ms_asprintf("LV '%s' maps extents beyond the end of PV "
                               "'%s' (truncated image?)", lv->name, pv->name);
            rc = MS_ERR_FORMAT;
            goto _exit;
        }
        if (s->start_extent > UINT64_MAX / ext_bytes - s->extent_count) {
            *why = ms_asprintf("LV '%s' has a segment beyond any possible "
                               "size", lv->name);
            rc = MS_ERR_FORMAT;
            goto _exit;
        }
        start = loc->offset + pe * SECTOR + s->pv_extent * ext_bytes;
        m->ext[i].lv_off = s->start_extent * ext_bytes;
        m->ext[i].len = s->extent_count * ext_bytes;
        m->ext[i].img_off = start;
        if (s->start_extent == 0)
            *first_off = start;
        m->n++;
    }
    rc = ms_imgwrap_open(m, size, 512, lv_read, lv_free, out);
    if (rc == MS_OK)
        return MS_OK;
    *why = ms_asprintf("LV '%s' could not be opened as an image", lv->name);
_exit:
    lv_free(m);
    return rc;
}

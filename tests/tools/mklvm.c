/* mklvm.c - write an LVM2 physical volume image without root or LVM tools.
 *
 * Written from the LVM2 on-disk format (see src/evidence/lvm.c): label in
 * sector 1, PV header with one data area and one metadata area, a
 * metadata area header with one raw location, and VG text metadata.
 * Checksums use LVM's CRC-32 variant, so lvm2's own tools accept the
 * result (checked with `pvck --dump metadata`).
 *
 * Usage: mklvm [--wrap] OUT.img VG LVSPEC...
 *   --wrap  store the metadata text so that it wraps from the end of the
 *           circular metadata area back to its start, as LVM does after
 *           many updates
 *   LVSPEC  NAME=FILE          linear LV holding FILE (one segment)
 *           NAME=FILE:split    linear LV in two segments stored in
 *                              reverse order on the PV
 *           NAME=FILE:striped  two-stripe LV (FILE's bytes in stripe 0)
 *           NAME:thin          thin LV (metadata only)
 *           NAME=FILE:hidden   linear LV without the VISIBLE flag, as
 *                              LVM marks its internal LVs (pool data,
 *                              COW stores, RAID images)
 *           NAME=FILE:span     linear LV whose second half lies on a
 *                              second PV, written to OUT.img.pv1 (both
 *                              PVs carry the same VG metadata)
 * Extents are 1 MiB; LVs are rounded up to whole extents.  Output is
 * deterministic (fixed UUIDs and times). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR   512u
#define EXTENT   (1024u * 1024u)
#define PE_START 2048u                 /* sectors: data starts at 1 MiB */
#define MDA_OFF  4096u
#define MDA_SIZE (EXTENT - MDA_OFF)
#define MAX_LVS  16
#define CRC0     0xf597a6cfu

static uint32_t crc(uint32_t c, const unsigned char *b, size_t n)
{
    static const uint32_t t[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190,
        0x6b6b51f4, 0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344,
        0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278,
        0xbdbdf21c };
    for (size_t i = 0; i < n; i++) {
        c ^= b[i];
        c = (c >> 4) ^ t[c & 0xf];
        c = (c >> 4) ^ t[c & 0xf];
    }
    return c;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A deterministic 32-character LVM UUID. */
static void uuid(char out[33], unsigned seed)
{
    const char *cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    uint32_t x = 2463534242u + seed * 7919u;
    for (int i = 0; i < 32; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        out[i] = cs[x % 62];
    }
    out[32] = '\0';
}

static void dashed(const char u[33], char out[39])
{
    static const int g[] = { 6, 4, 4, 4, 4, 4, 6 };
    int o = 0, i = 0;
    for (int k = 0; k < 7; k++) {
        for (int j = 0; j < g[k]; j++)
            out[o++] = u[i++];
        if (k < 6)
            out[o++] = '-';
    }
    out[o] = '\0';
}

typedef struct lv {
    char name[64];
    const char *file;
    enum { LINEAR, SPLIT, STRIPED, THIN, SPAN, HIDDEN } kind;
    uint64_t extents, pv_extent, pv1_extent;
    unsigned char *data;
    size_t len;
} lv;

static int die(const char *m, const char *a)
{
    fprintf(stderr, "mklvm: %s%s%s\n", m, a ? ": " : "", a ? a : "");
    return 1;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n)) &&
        fread(b, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
    } else {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

/* Write one PV image: label, header, metadata and the LV data that lives
 * on PV number `which` (0 or 1, for spanned LVs). */
static int write_pv(const char *out, const char *pvu, uint64_t dev_size,
                    const char *text, size_t tl, const lv *lvs, size_t nlv,
                    int which, int wrap)
{
    /* text offset inside the area; wrapped text continues at byte 512 */
    size_t toff = wrap ? MDA_SIZE - 256 : SECTOR;
    size_t tfirst = tl < MDA_SIZE - toff ? tl : MDA_SIZE - toff;
    size_t total = (size_t)dev_size;
    unsigned char *img = calloc(1, total);
    if (!img)
        return die("out of memory", NULL);
    /* label, sector 1 */
    unsigned char *lb = img + SECTOR;
    memcpy(lb, "LABELONE", 8);
    put64(lb + 8, 1);
    put32(lb + 20, 32);
    memcpy(lb + 24, "LVM2 001", 8);
    unsigned char *ph = lb + 32;
    memcpy(ph, pvu, 32);
    put64(ph + 32, dev_size);
    put64(ph + 40, (uint64_t)PE_START * SECTOR);   /* data area */
    put64(ph + 48, 0);
    /* ph+56..71: terminator; metadata area list follows */
    put64(ph + 72, MDA_OFF);
    put64(ph + 80, MDA_SIZE);
    put32(lb + 16, crc(CRC0, lb + 20, SECTOR - 20));
    /* metadata area header */
    unsigned char *mh = img + MDA_OFF;
    memcpy(mh + 4, " LVM2 x[5A%r0N*>", 16);
    put32(mh + 20, 1);
    put64(mh + 24, MDA_OFF);
    put64(mh + 32, MDA_SIZE);
    put64(mh + 40, toff);
    put64(mh + 48, tl);
    put32(mh + 56, crc(CRC0, (const unsigned char *)text, tl));
    put32(mh, crc(CRC0, mh + 4, SECTOR - 4));
    memcpy(mh + toff, text, tfirst);
    memcpy(mh + SECTOR, text + tfirst, tl - tfirst);
    /* LV data */
    unsigned char *data = img + (size_t)PE_START * SECTOR;
    for (size_t i = 0; i < nlv; i++) {
        const lv *l = &lvs[i];
        uint64_t h = l->extents / 2;
        size_t first = l->len < h * EXTENT ? l->len : h * EXTENT;
        if (l->kind == SPAN) {
            if (which == 0)
                memcpy(data + l->pv_extent * EXTENT, l->data, first);
            else if (l->len > first)
                memcpy(data + l->pv1_extent * EXTENT, l->data + first,
                       l->len - first);
        } else if (which == 1) {
            continue;
        } else if (l->kind == SPLIT) {
            memcpy(data + (l->pv_extent + l->extents - h) * EXTENT, l->data,
                   first);
            if (l->len > first)
                memcpy(data + l->pv_extent * EXTENT, l->data + first,
                       l->len - first);
        } else if (l->data) {
            memcpy(data + l->pv_extent * EXTENT, l->data, l->len);
        }
    }
    FILE *f = fopen(out, "wb");
    int bad = !f || fwrite(img, 1, total, f) != total;
    if (f && fclose(f) != 0)
        bad = 1;
    free(img);
    return bad ? die("cannot write", out) : 0;
}

int main(int argc, char **argv)
{
    lv lvs[MAX_LVS];
    size_t nlv = 0;
    uint64_t next = 0;       /* next free PV extent */
    uint64_t next1 = 0;      /* next free extent on the second PV */
    char pvu[33], vgu[33], pvd[39], vgd[39], pv1u[33], pv1d[39];
    static char text[65536];
    size_t tl = 0;

    int wrap = argc > 1 && !strcmp(argv[1], "--wrap");
    if (wrap) {
        argv++;
        argc--;
    }
    if (argc < 4 || argc - 3 > MAX_LVS)
        return die("usage: mklvm OUT.img VG NAME=FILE[:split|:striped]|NAME:thin ...", NULL);
    for (int i = 3; i < argc; i++) {
        lv *l = &lvs[nlv++];
        memset(l, 0, sizeof *l);
        char *spec = argv[i], *eq = strchr(spec, '='), *colon;
        if (!eq) {
            colon = strchr(spec, ':');
            if (!colon || strcmp(colon, ":thin"))
                return die("bad LV spec", spec);
            snprintf(l->name, sizeof l->name, "%.*s", (int)(colon - spec), spec);
            l->kind = THIN;
            l->extents = 4;
            continue;
        }
        snprintf(l->name, sizeof l->name, "%.*s", (int)(eq - spec), spec);
        l->file = eq + 1;
        colon = strrchr(eq + 1, ':');
        if (colon && !strcmp(colon, ":split"))
            l->kind = SPLIT;
        else if (colon && !strcmp(colon, ":striped"))
            l->kind = STRIPED;
        else if (colon && !strcmp(colon, ":span"))
            l->kind = SPAN;
        else if (colon && !strcmp(colon, ":hidden"))
            l->kind = HIDDEN;
        if (colon && l->kind != LINEAR)
            *colon = '\0';
        if (!(l->data = slurp(l->file, &l->len)))
            return die("cannot read", l->file);
        l->extents = (l->len + EXTENT - 1) / EXTENT;
        if (l->kind == SPLIT && l->extents < 2)
            l->extents = 2;
        if (l->kind == STRIPED || l->kind == SPAN)
            l->extents += l->extents & 1;
        l->pv_extent = next;
        if (l->kind == SPAN) {
            /* first half here, second half on pv1 */
            next += l->extents / 2;
            l->pv1_extent = next1;
            next1 += l->extents / 2;
        } else {
            next += l->extents;
        }
    }
    uint64_t pe_count = next + 1, pe_count1 = next1 + 1;
    uint64_t dev_size = (uint64_t)PE_START * SECTOR + pe_count * EXTENT;
    uint64_t dev_size1 = (uint64_t)PE_START * SECTOR + pe_count1 * EXTENT;
    uuid(pv1u, 3);
    dashed(pv1u, pv1d);
    uuid(pvu, 1);
    uuid(vgu, 2);
    dashed(pvu, pvd);
    dashed(vgu, vgd);

#define T(...) (tl += (size_t)snprintf(text + tl, sizeof text - tl, __VA_ARGS__))
    T("%s {\nid = \"%s\"\nseqno = 3\nformat = \"lvm2\"\n"
      "status = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\nflags = []\n"
      "extent_size = %u\nmax_lv = 0\nmax_pv = 0\nmetadata_copies = 0\n\n"
      "physical_volumes {\n\npv0 {\nid = \"%s\"\ndevice = \"/dev/sdb2\"\n\n"
      "status = [\"ALLOCATABLE\"]\nflags = []\ndev_size = %" PRIu64 "\n"
      "pe_start = %u\npe_count = %" PRIu64 "\n}\n",
      argv[2], vgd, EXTENT / SECTOR, pvd, dev_size / SECTOR, PE_START,
      pe_count);
    if (next1)
        T("\npv1 {\nid = \"%s\"\ndevice = \"/dev/sdb3\"\n\n"
          "status = [\"ALLOCATABLE\"]\nflags = []\ndev_size = %" PRIu64 "\n"
          "pe_start = %u\npe_count = %" PRIu64 "\n}\n", pv1d,
          dev_size1 / SECTOR, PE_START, pe_count1);
    T("}\n\nlogical_volumes {\n");
    for (size_t i = 0; i < nlv; i++) {
        lv *l = &lvs[i];
        char lu[33], ld[39];
        uuid(lu, 10 + (unsigned)i);
        dashed(lu, ld);
        T("\n%s {\nid = \"%s\"\nstatus = [\"READ\", \"WRITE\"%s]\n"
          "flags = []\ncreation_time = 1700000000\t# 2023-11-14\n"
          "creation_host = \"fixture\"\nsegment_count = %d\n",
          l->name, ld, l->kind == HIDDEN ? "" : ", \"VISIBLE\"",
          l->kind == SPLIT || l->kind == SPAN ? 2 : 1);
        if (l->kind == THIN) {
            T("\nsegment1 {\nstart_extent = 0\nextent_count = %" PRIu64 "\n\n"
              "type = \"thin\"\nthin_pool = \"pool0\"\ntransaction_id = 1\n"
              "device_id = 1\n}\n}\n", l->extents);
        } else if (l->kind == STRIPED) {
            T("\nsegment1 {\nstart_extent = 0\nextent_count = %" PRIu64 "\n\n"
              "type = \"striped\"\nstripe_count = 2\nstripe_size = 128\n\n"
              "stripes = [\n\"pv0\", %" PRIu64 ",\n\"pv0\", %" PRIu64 "\n]\n}\n}\n",
              l->extents, l->pv_extent, l->pv_extent + l->extents / 2);
        } else if (l->kind == SPAN) {
            uint64_t h = l->extents / 2;
            T("\nsegment1 {\nstart_extent = 0\nextent_count = %" PRIu64 "\n\n"
              "type = \"striped\"\nstripe_count = 1\n\nstripes = [\n\"pv0\", %"
              PRIu64 "\n]\n}\nsegment2 {\nstart_extent = %" PRIu64 "\n"
              "extent_count = %" PRIu64 "\n\ntype = \"striped\"\n"
              "stripe_count = 1\n\nstripes = [\n\"pv1\", %" PRIu64 "\n]\n}\n}\n",
              h, l->pv_extent, h, h, l->pv1_extent);
        } else if (l->kind == SPLIT) {
            /* LV extents [0,h) live after [h,n) on the PV. */
            uint64_t h = l->extents / 2;
            T("\nsegment1 {\nstart_extent = 0\nextent_count = %" PRIu64 "\n\n"
              "type = \"striped\"\nstripe_count = 1\n\nstripes = [\n\"pv0\", %"
              PRIu64 "\n]\n}\nsegment2 {\nstart_extent = %" PRIu64 "\n"
              "extent_count = %" PRIu64 "\n\ntype = \"striped\"\n"
              "stripe_count = 1\n\nstripes = [\n\"pv0\", %" PRIu64 "\n]\n}\n}\n",
              h, l->pv_extent + (l->extents - h), h, l->extents - h,
              l->pv_extent);
        } else {
            T("\nsegment1 {\nstart_extent = 0\nextent_count = %" PRIu64 "\n\n"
              "type = \"striped\"\nstripe_count = 1\t# linear\n\n"
              "stripes = [\n\"pv0\", %" PRIu64 "\n]\n}\n}\n",
              l->extents, l->pv_extent);
        }
    }
    T("}\n\n}\n# Generated by mklvm\n\ncontents = \"Text Format Volume Group\"\n"
      "version = 1\n\ndescription = \"\"\n\ncreation_host = \"fixture\"\t"
      "# Linux fixture\ncreation_time = 1700000000\t# 2023-11-14\n\n");
    if (tl >= sizeof text - 1)
        return die("metadata too long", NULL);
    tl++; /* LVM stores the terminating NUL */

    if (write_pv(argv[1], pvu, dev_size, text, tl, lvs, nlv, 0, wrap))
        return 1;
    if (next1) {
        char name[4096];
        snprintf(name, sizeof name, "%s.pv1", argv[1]);
        if (write_pv(name, pv1u, dev_size1, text, tl, lvs, nlv, 1, wrap))
            return 1;
    }
    for (size_t i = 0; i < nlv; i++)
        free(lvs[i].data);
    return 0;
}

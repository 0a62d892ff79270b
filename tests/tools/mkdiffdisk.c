/* mkdiffdisk.c - build the container fixtures qemu-img cannot: a
 * differencing VHD, a differencing VHDX (AVHDX) and a VMware seSparse
 * VMDK.  See docs/fixtures.md.
 *
 *   mkdiffdisk vhd  IN.vhd  OUT.vhd   PARENT  (IN: qemu-img -O vpc
 *                                               -o subformat=dynamic)
 *   mkdiffdisk vhdx IN.vhdx OUT.avhdx PARENT  (IN: qemu-img -O vhdx)
 *   mkdiffdisk sesparse OUT.vmdk PARENT       (writes OUT.vmdk, a text
 *                                               descriptor, and
 *                                               OUT-sesparse.vmdk)
 *
 * vhd: the dynamic VHD is copied, its footer's disk type set to 4
 * (differencing) and the dynamic header given the parent's Unicode name
 * (UTF-16BE), both checksums recomputed.  vhdx: the copy's file
 * parameters get the HasParent bit and the metadata table a parent
 * locator item (parent_linkage and relative_path, UTF-16LE) placed in the
 * unused tail of the metadata region.  sesparse: a descriptor naming a
 * SESPARSE extent and an extent starting with the seSparse constant
 * header (magic 0xcafebabe), no data.  PARENT is stored as given (ASCII).
 * The inputs are never modified. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = n > 0 ? malloc((size_t)n) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static int spit(const char *path, const void *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, len, f) != len) {
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f);
}

static uint32_t rbe32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t rbe64(const unsigned char *p)
{
    return (uint64_t)rbe32(p) << 32 | rbe32(p + 4);
}

static void wbe32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t rle32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t rle64(const unsigned char *p)
{
    return (uint64_t)rle32(p + 4) << 32 | rle32(p);
}

static void wle16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void wle32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void wle64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* VHD checksum: ones' complement of the byte sum, checksum field as 0. */
static void vhd_checksum(unsigned char *b, size_t len, size_t at)
{
    uint32_t sum = 0;
    memset(b + at, 0, 4);
    for (size_t i = 0; i < len; i++)
        sum += b[i];
    wbe32(b + at, ~sum);
}

static int make_vhd(const char *in, const char *out, const char *parent)
{
    size_t len;
    unsigned char *b = slurp(in, &len);
    if (!b || len < 2048 || memcmp(b + len - 512, "conectix", 8) ||
        rbe32(b + len - 512 + 60) != 3) {
        fprintf(stderr, "mkdiffdisk: %s is not a dynamic VHD\n", in);
        return 1;
    }
    uint64_t dyn = rbe64(b + len - 512 + 16);
    if (dyn > len - 1024 || memcmp(b + dyn, "cxsparse", 8)) {
        fprintf(stderr, "mkdiffdisk: no dynamic header\n");
        return 1;
    }
    /* both footer copies: at the end and at byte 0 */
    size_t foots[2] = { len - 512, 0 };
    for (int i = 0; i < 2; i++) {
        if (memcmp(b + foots[i], "conectix", 8))
            continue;
        wbe32(b + foots[i] + 60, 4);
        vhd_checksum(b + foots[i], 512, 64);
    }
    unsigned char *h = b + dyn;
    memset(h + 40, 0x11, 16);                   /* parent unique id */
    memset(h + 64, 0, 512);
    for (size_t i = 0; parent[i] && i < 255; i++) {
        h[64 + 2 * i] = 0;
        h[64 + 2 * i + 1] = (unsigned char)parent[i];
    }
    vhd_checksum(h, 1024, 36);
    int rc = spit(out, b, len);
    free(b);
    return rc ? 1 : 0;
}

static const unsigned char GUID_METADATA[16] = {
    0x06, 0xA2, 0x7C, 0x8B, 0x90, 0x47, 0x9A, 0x4B,
    0xB8, 0xFE, 0x57, 0x5F, 0x05, 0x0F, 0x88, 0x6E };
static const unsigned char GUID_FILE_PARAMS[16] = {
    0x37, 0x67, 0xA1, 0xCA, 0x36, 0xFA, 0x43, 0x4D,
    0xB3, 0xB6, 0x33, 0xF0, 0xAA, 0x44, 0xE7, 0x6B };
static const unsigned char GUID_PARENT_LOCATOR[16] = {
    0x2D, 0x5F, 0xD3, 0xA8, 0x0B, 0xB3, 0x4D, 0x45,
    0xAB, 0xF7, 0xD3, 0xD8, 0x48, 0x34, 0xAB, 0x0C };
static const unsigned char GUID_VHDX_LOCATOR_TYPE[16] = {
    0xB7, 0xEF, 0x4A, 0xB0, 0x9E, 0xD1, 0x81, 0x4A,
    0xB7, 0x89, 0x25, 0xB8, 0xE9, 0x44, 0x59, 0x13 };

/* UTF-16LE of an ASCII string at p; returns bytes written. */
static size_t utf16le(unsigned char *p, const char *s)
{
    size_t n = 0;
    for (; *s; s++, n += 2) {
        p[n] = (unsigned char)*s;
        p[n + 1] = 0;
    }
    return n;
}

static int make_vhdx(const char *in, const char *out, const char *parent)
{
    size_t len;
    unsigned char *b = slurp(in, &len);
    if (!b || len < 320 * 1024 || memcmp(b, "vhdxfile", 8) ||
        memcmp(b + 192 * 1024, "regi", 4)) {
        fprintf(stderr, "mkdiffdisk: %s is not a VHDX\n", in);
        return 1;
    }
    unsigned char *rt = b + 192 * 1024;
    uint32_t n = rle32(rt + 8);
    uint64_t md = 0, mdlen = 0;
    for (uint32_t i = 0; i < n && i < 100; i++) {
        unsigned char *e = rt + 16 + 32 * i;
        if (!memcmp(e, GUID_METADATA, 16)) {
            md = rle64(e + 16);
            mdlen = rle32(e + 24);
        }
    }
    if (!md || md + mdlen > len || memcmp(b + md, "metadata", 8)) {
        fprintf(stderr, "mkdiffdisk: no metadata region\n");
        return 1;
    }
    unsigned char *m = b + md;
    uint16_t cnt = (uint16_t)(m[10] | m[11] << 8);
    uint32_t end = 0;
    for (uint16_t i = 0; i < cnt; i++) {
        unsigned char *e = m + 32 + 32 * i;
        uint32_t off = rle32(e + 16), l = rle32(e + 20);
        if (off + l > end)
            end = off + l;
        if (!memcmp(e, GUID_FILE_PARAMS, 16))
            m[off + 4] |= 2;                     /* HasParent */
    }
    /* the parent locator item, 4 KiB past the last item */
    uint32_t at = (end + 4096 + 4095) & ~4095u;
    if (at + 4096 > mdlen) {
        fprintf(stderr, "mkdiffdisk: metadata region full\n");
        return 1;
    }
    unsigned char *pl = m + at;
    memset(pl, 0, 4096);
    memcpy(pl, GUID_VHDX_LOCATOR_TYPE, 16);
    wle16(pl + 18, 2);
    size_t o = 20 + 2 * 12;
    const char *keys[2] = { "parent_linkage", "relative_path" };
    const char *vals[2] = { "{11111111-2222-3333-4444-555555555555}", parent };
    for (int k = 0; k < 2; k++) {
        unsigned char *kv = pl + 20 + 12 * k;
        size_t kl = utf16le(pl + o, keys[k]);
        wle32(kv, (uint32_t)o);
        wle16(kv + 8, (uint16_t)kl);
        o += kl;
        size_t vl = utf16le(pl + o, vals[k]);
        wle32(kv + 4, (uint32_t)o);
        wle16(kv + 10, (uint16_t)vl);
        o += vl;
    }
    unsigned char *e = m + 32 + 32 * cnt;
    memset(e, 0, 32);
    memcpy(e, GUID_PARENT_LOCATOR, 16);
    wle32(e + 16, at);
    wle32(e + 20, (uint32_t)o);
    wle32(e + 24, 4);                            /* IsRequired */
    cnt++;
    m[10] = (unsigned char)cnt;
    m[11] = (unsigned char)(cnt >> 8);
    int rc = spit(out, b, len);
    free(b);
    return rc ? 1 : 0;
}

static int make_sesparse(const char *out, const char *parent)
{
    char ext[4096], desc[8192];
    const char *base = strrchr(out, '/');
    base = base ? base + 1 : out;
    int n = snprintf(ext, sizeof ext, "%.*s-sesparse.vmdk",
                     (int)(strlen(out) - 5), out);
    if (n <= 0 || (size_t)n >= sizeof ext || strlen(out) < 6)
        return 1;
    const char *extbase = strrchr(ext, '/');
    extbase = extbase ? extbase + 1 : ext;
    uint64_t sectors = 32768;   /* 16 MiB */
    n = snprintf(desc, sizeof desc,
                 "# Disk DescriptorFile\n"
                 "version=1\n"
                 "encoding=\"UTF-8\"\n"
                 "CID=a1b2c3d4\n"
                 "parentCID=11223344\n"
                 "createType=\"seSparse\"\n"
                 "parentFileNameHint=\"%s\"\n"
                 "# Extent description\n"
                 "RW %llu SESPARSE \"%s\"\n\n"
                 "# The Disk Data Base\n#DDB\n\n"
                 "ddb.grain = \"8\"\n"
                 "ddb.longContentID = \"0123456789abcdef0123456789abcdef\"\n"
                 "ddb.virtualHWVersion = \"14\"\n",
                 parent, (unsigned long long)sectors, extbase);
    (void)base;
    if (n <= 0 || (size_t)n >= sizeof desc || spit(out, desc, (size_t)n))
        return 1;
    /* constant header, volatile header, and nothing else allocated */
    size_t len = 1 << 20;
    unsigned char *b = calloc(1, len);
    if (!b)
        return 1;
    wle64(b + 0, 0xcafebabeULL);       /* magic */
    wle64(b + 8, 0x200000001ULL);      /* version 2.1 */
    wle64(b + 16, sectors);            /* capacity */
    wle64(b + 24, 8);                  /* grain size, sectors */
    wle64(b + 32, 64);                 /* grain table size, sectors */
    wle64(b + 80, 1);                  /* volatile header offset */
    wle64(b + 88, 1);
    wle64(b + 512, 0xcafecafeULL);     /* volatile header magic */
    int rc = spit(ext, b, len);
    free(b);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "vhd"))
        return make_vhd(argv[2], argv[3], argv[4]);
    if (argc == 5 && !strcmp(argv[1], "vhdx"))
        return make_vhdx(argv[2], argv[3], argv[4]);
    if (argc == 4 && !strcmp(argv[1], "sesparse"))
        return make_sesparse(argv[2], argv[3]);
    fprintf(stderr, "usage: mkdiffdisk vhd IN OUT PARENT | vhdx IN OUT "
            "PARENT | sesparse OUT.vmdk PARENT\n");
    return 2;
}

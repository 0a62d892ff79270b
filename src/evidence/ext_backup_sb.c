/* ext_backup_sb.c - superblock validation, backup superblocks, and their
 * substitution through an overlay (see ext_backup_sb.h). */
#include "evidence/ext_backup_sb.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

#define EXT_MAGIC                 0xEF53u
#define EXT_INCOMPAT_META_BG      0x10u
#define EXT_INCOMPAT_64BIT        0x80u
#define EXT_INCOMPAT_CSUM_SEED    0x2000u
#define EXT_RO_COMPAT_SPARSE      0x1u
#define EXT_MAX_GROUPS            (1u << 24)  /* 2^24 groups: > 64 PiB */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
}

uint32_t ms_crc32c(uint32_t crc, const void *buf, size_t len)
{
    static uint32_t table[256];
    static int ready;
    if (!ready) {   /* idempotent: a racing second init writes the same */
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            table[i] = c;
        }
        ready = 1;
    }
    const uint8_t *p = buf;
    while (len--)
        crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return crc;
}

static int pow2(uint32_t v) { return v && !(v & (v - 1)); }

int ms_ext_sb_check(const uint8_t *sb, uint64_t vol_len, ms_ext_geom *g,
                    const char **why)
{
    memset(g, 0, sizeof *g);
    (void)vol_len;
    if (le16(sb + 0x38) != EXT_MAGIC) {
        *why = "bad magic";
        return -1;
    }
    /* a checksum mismatch is the most precise diagnosis of a damaged
     * copy: test it before the fields it protects */
    if ((le32(sb + 0x64) & MS_EXT_RO_COMPAT_METADATA_CSUM) &&
        le32(sb + 0x3FC) != ms_crc32c(~0u, sb, 0x3FC)) {
        *why = "superblock checksum mismatch";
        return -1;
    }
    g->log_bs = le32(sb + 0x18);
    if (g->log_bs > 6) {
        *why = "block size out of range";
        return -1;
    }
    g->bs = 1024u << g->log_bs;
    g->inodes_count = le32(sb + 0x00);
    g->blocks_count = le32(sb + 0x04);
    g->first_data_block = le32(sb + 0x14);
    g->bpg = le32(sb + 0x20);
    g->ipg = le32(sb + 0x28);
    g->compat = le32(sb + 0x5C);
    g->incompat = le32(sb + 0x60);
    g->ro_compat = le32(sb + 0x64);
    g->journal_inum = le32(sb + 0xE0);
    g->group_nr = le16(sb + 0x5A);
    g->inode_size = le32(sb + 0x4C) == 0 ? 128 : le16(sb + 0x58);
    g->desc_size = 32;
    if (g->incompat & EXT_INCOMPAT_64BIT) {
        g->desc_size = le16(sb + 0xFE);
        g->blocks_count |= (uint64_t)le32(sb + 0x150) << 32;
    }
    if (g->bpg == 0 || g->bpg > 8u * g->bs || g->ipg == 0 ||
        g->ipg > 8u * g->bs) {
        *why = "blocks or inodes per group out of range";
        return -1;
    }
    if (g->first_data_block != (g->bs == 1024 ? 1u : 0u)) {
        *why = "first data block inconsistent with the block size";
        return -1;
    }
    if (g->blocks_count <= g->first_data_block) {
        *why = "block count out of range";
        return -1;
    }
    g->ngroups = (g->blocks_count - g->first_data_block + g->bpg - 1) / g->bpg;
    if (g->ngroups > EXT_MAX_GROUPS ||
        (uint64_t)g->ipg * g->ngroups != g->inodes_count) {
        *why = "inode count disagrees with the group geometry";
        return -1;
    }
    if (!pow2(g->inode_size) || g->inode_size < 128 || g->inode_size > g->bs ||
        !pow2(g->desc_size) || g->desc_size < 32 || g->desc_size > 1024) {
        *why = "inode or descriptor size out of range";
        return -1;
    }
    if (g->ro_compat & MS_EXT_RO_COMPAT_METADATA_CSUM) {
        g->csum_seed = (g->incompat & EXT_INCOMPAT_CSUM_SEED)
            ? le32(sb + 0x270) : ms_crc32c(~0u, sb + 0x68, 16);
    }
    return 0;
}

void ms_ext_sb_fix_csum(uint8_t *sb)
{
    if (le32(sb + 0x64) & MS_EXT_RO_COMPAT_METADATA_CSUM)
        put_le32(sb + 0x3FC, ms_crc32c(~0u, sb, 0x3FC));
}

static int read_at(TSK_IMG_INFO *img, uint64_t off, void *buf, size_t len)
{
    tsk_error_reset();
    return tsk_img_read(img, (TSK_OFF_T)off, buf, len) == (ssize_t)len ? 0 : -1;
}

ms_err ms_ext_backup_find(TSK_IMG_INFO *img, uint64_t off, uint64_t len,
                          ms_ext_backup *b)
{
    /* the lowest groups first: every group of a file system without
     * sparse_super holds a backup, with it groups 1 and powers of 3, 5, 7
     * (and sparse_super2's first backup is group 1) */
    static const uint32_t groups[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 25, 27,
                                       49, 81, 125 };
    for (uint32_t log_bs = 0; log_bs <= 6; log_bs++) {
        uint32_t bs = 1024u << log_bs;
        uint64_t bpg = 8ull * bs, fdb = bs == 1024 ? 1 : 0;
        for (size_t i = 0; i < sizeof groups / sizeof *groups; i++) {
            uint64_t blk = fdb + groups[i] * bpg;
            uint64_t pos = blk * bs;
            const char *why;
            if (pos + MS_EXT_SB_SIZE > len)
                continue;
            if (read_at(img, off + pos, b->sb, MS_EXT_SB_SIZE) != 0)
                continue;
            if (ms_ext_sb_check(b->sb, len, &b->g, &why) != 0 ||
                b->g.log_bs != log_bs || b->g.bpg != bpg ||
                b->g.group_nr != groups[i] || blk >= b->g.blocks_count)
                continue;
            b->block = blk;
            b->group = groups[i];
            return MS_OK;
        }
    }
    return MS_ERR_NOT_FOUND;
}

/* Blocks of the contiguous group descriptor table after a superblock. */
static uint64_t gdt_blocks(const ms_ext_geom *g, const uint8_t *sb)
{
    uint64_t n = (g->ngroups * g->desc_size + g->bs - 1) / g->bs;
    if (g->incompat & EXT_INCOMPAT_META_BG) {
        uint64_t first_meta = le32(sb + 0x104);
        if (first_meta < n)
            n = first_meta;
    }
    return n;
}

/* Is the descriptor of group `grp` plausible: bitmaps and inode table
 * inside the file system, checksum right when metadata_csum is on? */
static int desc_ok(const ms_ext_geom *g, const uint8_t *d, uint32_t grp)
{
    uint64_t bb = le32(d), ib = le32(d + 4), it = le32(d + 8);
    if (g->desc_size >= 64) {
        bb |= (uint64_t)le32(d + 0x20) << 32;
        ib |= (uint64_t)le32(d + 0x24) << 32;
        it |= (uint64_t)le32(d + 0x28) << 32;
    }
    uint64_t it_blocks = ((uint64_t)g->ipg * g->inode_size + g->bs - 1) / g->bs;
    if (bb < g->first_data_block || bb >= g->blocks_count ||
        ib < g->first_data_block || ib >= g->blocks_count ||
        it < g->first_data_block || it + it_blocks > g->blocks_count)
        return 0;
    if (g->ro_compat & MS_EXT_RO_COMPAT_METADATA_CSUM) {
        uint8_t tmp[1024], le[4];
        memcpy(tmp, d, g->desc_size);
        tmp[0x1E] = tmp[0x1F] = 0;
        put_le32(le, grp);
        uint32_t c = ms_crc32c(g->csum_seed, le, 4);
        c = ms_crc32c(c, tmp, g->desc_size);
        if ((c & 0xFFFF) != le16(d + 0x1E))
            return 0;
    }
    return 1;
}

/* Number of bad descriptors in the table starting at fs block `start`;
 * *first_bad is the first bad group.  -1 when unreadable. */
static long gdt_check(TSK_IMG_INFO *img, uint64_t off, const ms_ext_geom *g,
                      uint64_t start, uint64_t nblocks, uint64_t *first_bad)
{
    uint8_t *blk = malloc(g->bs);
    long bad = 0;
    uint64_t grp = 0;
    if (!blk)
        return -1;
    for (uint64_t i = 0; i < nblocks && grp < g->ngroups; i++) {
        if (read_at(img, off + (start + i) * g->bs, blk, g->bs) != 0) {
            free(blk);
            return -1;
        }
        for (uint32_t o = 0; o + g->desc_size <= g->bs && grp < g->ngroups;
             o += g->desc_size, grp++)
            if (!desc_ok(g, blk + o, (uint32_t)grp) && bad++ == 0)
                *first_bad = grp;
    }
    free(blk);
    return bad;
}

/* Words for the fields that differ between the damaged primary and the
 * backup copy (the superblock's own bookkeeping fields aside). */
static char *describe_diff(const uint8_t *p, const uint8_t *b,
                           const char *why)
{
    static const struct { unsigned off, len; const char *name; } f[] = {
        { 0x00, 4, "inode count" }, { 0x04, 4, "block count" },
        { 0x14, 4, "first data block" }, { 0x18, 4, "block size" },
        { 0x20, 4, "blocks per group" }, { 0x28, 4, "inodes per group" },
        { 0x38, 2, "magic" }, { 0x4C, 4, "revision" },
        { 0x58, 2, "inode size" }, { 0x5C, 4, "compatible features" },
        { 0x60, 4, "incompatible features" },
        { 0x64, 4, "read-only features" }, { 0x68, 16, "UUID" },
        { 0xE0, 4, "journal inode" },
    };
    ms_buf out = {0};
    size_t nbytes = 0;
    for (size_t i = 0; i < MS_EXT_SB_SIZE; i++)
        nbytes += p[i] != b[i];
    ms_buf_printf(&out, "primary superblock invalid (%s, magic 0x%04x); %zu "
                  "of 1024 bytes differ from the backup", why,
                  le16(p + 0x38), nbytes);
    int any = 0;
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        if (!memcmp(p + f[i].off, b + f[i].off, f[i].len))
            continue;
        ms_buf_printf(&out, "%s%s", any ? ", " : " (fields: ", f[i].name);
        any = 1;
    }
    if (any)
        ms_buf_puts(&out, ")");
    return ms_buf_steal(&out);
}

ms_err ms_ext_backup_apply(TSK_IMG_INFO *img, uint64_t off,
                           const ms_ext_backup *b, ms_overlay *o,
                           int *gdt_replaced, char **diff)
{
    const ms_ext_geom *g = &b->g;
    uint8_t primary[MS_EXT_SB_SIZE];
    uint8_t *blk = malloc(g->bs);
    ms_err rc = MS_ERR_NOMEM;
    const char *why = "unreadable";
    ms_ext_geom pg;

    *gdt_replaced = 0;
    *diff = NULL;
    if (!blk)
        goto _exit;
    if (read_at(img, off + MS_EXT_SB_OFFSET, primary, sizeof primary) != 0)
        memset(primary, 0, sizeof primary);
    else if (ms_ext_sb_check(primary, 0, &pg, &why) == 0)
        why = "geometry disagrees with the backups";
    *diff = describe_diff(primary, b->sb, why);

    /* the block holding bytes 1024..2047: block 1 for 1 KiB blocks, else
     * block 0, whose first KiB (boot sector) is kept as it is */
    uint64_t sbblk = MS_EXT_SB_OFFSET / g->bs;
    size_t inblk = MS_EXT_SB_OFFSET % g->bs;
    if (read_at(img, off + sbblk * g->bs, blk, g->bs) != 0)
        memset(blk, 0, g->bs);
    memcpy(blk + inblk, b->sb, MS_EXT_SB_SIZE);
    put_le16(blk + inblk + 0x5A, 0);
    ms_ext_sb_fix_csum(blk + inblk);
    if ((rc = ms_overlay_put(o, sbblk, blk)) != MS_OK)
        goto _exit;

    /* The primary table is newer than the backup's (free counts, and the
     * INODE_UNINIT / itable_unused hints of groups used since mkfs): keep
     * it unless it is damaged. */
    uint64_t nb = gdt_blocks(g, b->sb), first_bad = 0, bfirst = 0;
    long bad = gdt_check(img, off, g, g->first_data_block + 1, nb, &first_bad);
    if (bad == 0)
        goto _exit;
    long bbad = gdt_check(img, off, g, b->block + 1, nb, &bfirst);
    if (bbad != 0) {
        char *d = ms_asprintf("%s; the primary group descriptor table is "
                              "damaged too and the backup's is not usable "
                              "either", *diff ? *diff : "");
        free(*diff);
        *diff = d;
        goto _exit;
    }
    for (uint64_t i = 0; i < nb; i++) {
        if (read_at(img, off + (b->block + 1 + i) * g->bs, blk, g->bs) != 0) {
            rc = MS_ERR_IO;
            goto _exit;
        }
        if ((rc = ms_overlay_put(o, g->first_data_block + 1 + i, blk)) != MS_OK)
            goto _exit;
    }
    *gdt_replaced = 1;
    char *d = bad < 0
        ? ms_asprintf("%s; primary group descriptor table unreadable, the "
                      "backup table (%llu blocks) was used", *diff ? *diff : "",
                      (unsigned long long)nb)
        : ms_asprintf("%s; primary group descriptor table damaged (%ld of "
                      "%llu descriptors invalid, first group %llu), the "
                      "backup table was used", *diff ? *diff : "", bad,
                      (unsigned long long)g->ngroups,
                      (unsigned long long)first_bad);
    free(*diff);
    *diff = d;
_exit:
    free(blk);
    if (rc == MS_OK && !*diff)
        rc = MS_ERR_NOMEM;
    return rc;
}

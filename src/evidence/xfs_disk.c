/* xfs_disk.c - XFS superblock geometry, inode location and timestamps. */
#include "evidence/xfs_disk.h"

#include <string.h>

/* struct xfs_dsb offsets (xfs_format.h). */
#define SB_BLOCKSIZE        4
#define SB_ROOTINO          56
#define SB_AGBLOCKS         84
#define SB_AGCOUNT          88
#define SB_VERSIONNUM       100
#define SB_INODESIZE        104
#define SB_BLOCKLOG         120
#define SB_INODELOG         122
#define SB_INOPBLOG         123
#define SB_AGBLKLOG         124
#define SB_FEATURES_INCOMPAT 216

#define XFS_SB_VERSION_NUMBITS        0x000f
#define XFS_SB_VERSION_5              5
#define XFS_SB_FEAT_INCOMPAT_BIGTIME  (1u << 3)

/* struct xfs_dinode offsets (xfs_format.h). */
#define DI_MAGIC    0
#define DI_VERSION  4
#define DI_ATIME    32
#define DI_MTIME    40
#define DI_CTIME    48
#define DI_V2_SIZE  100            /* offsetof(di_crc): end of a v1/v2 core */
#define DI_FLAGS2   120
#define DI_CRTIME   144
#define DI_INO      152

#define XFS_DIFLAG2_BIGTIME  (1u << 3)

/* Seconds from the bigtime epoch (1901-12-13T20:45:52Z, the smallest
 * 32-bit time_t) to the Unix epoch: XFS_BIGTIME_EPOCH_OFFSET. */
#define BIGTIME_EPOCH_OFFSET 2147483648LL
#define NSEC_PER_SEC 1000000000u

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static int is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

static unsigned log2u(uint32_t v)
{
    unsigned l = 0;
    while (v > 1) {
        v >>= 1;
        l++;
    }
    return l;
}

ms_err ms_xfs_parse_sb(const uint8_t *sb, size_t len, ms_xfs_geom *g)
{
    memset(g, 0, sizeof *g);
    if (len < MS_XFS_SB_MIN || memcmp(sb, "XFSB", 4))
        return MS_ERR_FORMAT;
    g->blocksize = be32(sb + SB_BLOCKSIZE);
    g->agblocks = be32(sb + SB_AGBLOCKS);
    g->agcount = be32(sb + SB_AGCOUNT);
    g->inodesize = be16(sb + SB_INODESIZE);
    g->inopblog = sb[SB_INOPBLOG];
    g->agblklog = sb[SB_AGBLKLOG];
    g->rootino = be64(sb + SB_ROOTINO);
    g->v5 = (be16(sb + SB_VERSIONNUM) & XFS_SB_VERSION_NUMBITS) ==
            XFS_SB_VERSION_5;
    g->bigtime = g->v5 &&
        (be32(sb + SB_FEATURES_INCOMPAT) & XFS_SB_FEAT_INCOMPAT_BIGTIME);

    /* The ranges mkfs.xfs and the kernel's superblock verifier accept;
     * anything else would make the inode arithmetic below meaningless. */
    if (!is_pow2(g->blocksize) || g->blocksize < 512 || g->blocksize > 65536 ||
        sb[SB_BLOCKLOG] != log2u(g->blocksize))
        return MS_ERR_FORMAT;
    if (!is_pow2(g->inodesize) || g->inodesize < 256 || g->inodesize > 2048 ||
        sb[SB_INODELOG] != log2u(g->inodesize) ||
        g->inodesize > g->blocksize ||
        g->inopblog != sb[SB_BLOCKLOG] - sb[SB_INODELOG])
        return MS_ERR_FORMAT;
    if (g->agcount == 0 || g->agblocks == 0 || g->agblklog > 31 ||
        g->agblocks > (1u << g->agblklog) ||
        (g->agblklog > 0 && g->agblocks <= (1u << (g->agblklog - 1))))
        return MS_ERR_FORMAT;
    return MS_OK;
}

ms_err ms_xfs_inode_offset(const ms_xfs_geom *g, uint64_t ino, uint64_t *off)
{
    unsigned agino_log = (unsigned)g->agblklog + g->inopblog; /* <= 39 */
    uint64_t agno = ino >> agino_log;
    uint64_t agbno = (ino >> g->inopblog) & ((1ull << g->agblklog) - 1);
    uint64_t slot = ino & ((1ull << g->inopblog) - 1);

    if (agno >= g->agcount || agbno >= g->agblocks)
        return MS_ERR_NOT_FOUND;
    /* agno < 2^32, agblocks < 2^32, blocksize <= 2^16: no overflow. */
    *off = (agno * g->agblocks + agbno) * g->blocksize + slot * g->inodesize;
    return MS_OK;
}

int ms_xfs_decode_timestamp(const uint8_t raw[8], int bigtime, ms_time *t)
{
    if (bigtime) {
        uint64_t v = be64(raw);
        t->set = 1;
        t->sec = (int64_t)(v / NSEC_PER_SEC) - BIGTIME_EPOCH_OFFSET;
        t->nsec = (uint32_t)(v % NSEC_PER_SEC);
        return 1;
    }
    uint32_t nsec = be32(raw + 4);
    if (nsec >= NSEC_PER_SEC)
        return 0;
    t->set = 1;
    t->sec = (int64_t)(int32_t)be32(raw);
    t->nsec = nsec;
    return 1;
}

ms_err ms_xfs_decode_inode_times(const uint8_t *core, size_t len,
                                 uint64_t ino, ms_time times[MS_T_COUNT])
{
    if (len < DI_V2_SIZE || memcmp(core + DI_MAGIC, "IN", 2))
        return MS_ERR_FORMAT;
    unsigned version = core[DI_VERSION];
    if (version < 1 || version > 3)
        return MS_ERR_FORMAT;
    int bigtime = 0;
    if (version == 3) {
        if (len < MS_XFS_DINODE_V3_SIZE || be64(core + DI_INO) != ino)
            return MS_ERR_FORMAT;
        /* Per inode: a file system upgraded to bigtime keeps old inodes
         * in the legacy encoding until they are next written. */
        bigtime = (be64(core + DI_FLAGS2) & XFS_DIFLAG2_BIGTIME) != 0;
    }
    ms_xfs_decode_timestamp(core + DI_ATIME, bigtime, &times[MS_T_ATIME]);
    ms_xfs_decode_timestamp(core + DI_MTIME, bigtime, &times[MS_T_MTIME]);
    ms_xfs_decode_timestamp(core + DI_CTIME, bigtime, &times[MS_T_CTIME]);
    if (version == 3)
        ms_xfs_decode_timestamp(core + DI_CRTIME, bigtime, &times[MS_T_CRTIME]);
    return MS_OK;
}

/* xfs_disk.h - the few XFS on-disk structures we decode ourselves.
 *
 * libfsxfs 20201117 (Debian bookworm) predates the `bigtime` feature: on
 * such file systems it reads the 64-bit nanosecond counter as seconds and
 * nanoseconds, so a 2015 mtime comes out as 1996.  This module locates an
 * inode on disk from the superblock geometry and decodes its timestamps
 * itself, both encodings.  Pure functions over byte buffers: no I/O, so
 * the decoding is unit-tested with hand-made bytes.
 *
 * Offsets are those of struct xfs_dsb and struct xfs_dinode in the
 * kernel's fs/xfs/libxfs/xfs_format.h (all fields big-endian). */
#ifndef MS_XFS_DISK_H
#define MS_XFS_DISK_H

#include <stddef.h>
#include <stdint.h>
#include "common/ms_error.h"
#include "common/ms_model.h"

/* Bytes of the superblock we decode (through sb_features_incompat). */
#define MS_XFS_SB_MIN 224
/* Bytes of a v3 inode core (through di_uuid); v1/v2 cores are 100. */
#define MS_XFS_DINODE_V3_SIZE 176

typedef struct ms_xfs_geom {
    uint32_t blocksize;     /* sb_blocksize */
    uint32_t agblocks;      /* sb_agblocks */
    uint32_t agcount;       /* sb_agcount */
    uint16_t inodesize;     /* sb_inodesize */
    uint8_t  inopblog;      /* sb_inopblog */
    uint8_t  agblklog;      /* sb_agblklog */
    int      v5;            /* superblock version 5 (CRC, v3 inodes) */
    int      bigtime;       /* XFS_SB_FEAT_INCOMPAT_BIGTIME */
    uint64_t rootino;       /* sb_rootino */
} ms_xfs_geom;

/* Decode and sanity-check the primary superblock (`len` >= MS_XFS_SB_MIN).
 * MS_ERR_FORMAT for a bad magic or geometry no mkfs.xfs produces. */
ms_err ms_xfs_parse_sb(const uint8_t *sb, size_t len, ms_xfs_geom *g);

/* Byte offset of inode `ino` from the start of the file system;
 * MS_ERR_NOT_FOUND when the number lies outside every allocation group. */
ms_err ms_xfs_inode_offset(const ms_xfs_geom *g, uint64_t ino, uint64_t *off);

/* One on-disk xfs_timestamp_t (8 bytes).  bigtime: an unsigned count of
 * nanoseconds since 1901-12-13T20:45:52Z; legacy: signed 32-bit seconds
 * since 1970 then 32-bit nanoseconds.  Out-of-range nanoseconds (>= 1e9)
 * make the legacy value invalid: returns 0 and leaves *t unset. */
int ms_xfs_decode_timestamp(const uint8_t raw[8], int bigtime, ms_time *t);

/* Fill times[MS_T_ATIME/MTIME/CTIME] (and MS_T_CRTIME for v3 inodes)
 * from an inode core of `len` bytes read at inode `ino`.  The core is
 * checked first (magic "IN", version, and on v3 di_ino == ino) so a wrong
 * location never yields plausible-looking times: MS_ERR_FORMAT then. */
ms_err ms_xfs_decode_inode_times(const uint8_t *core, size_t len,
                                 uint64_t ino, ms_time times[MS_T_COUNT]);

#endif

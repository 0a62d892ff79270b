/* ext_backup_sb.h - ext2/3/4 superblock validation and backup superblocks.
 *
 * A seized disk often has a damaged primary superblock (the first blocks
 * of a partition are the most exposed to partial overwrites) while the
 * backups mke2fs writes into block groups 1, 3, 5, 7, 9, 25, 27 ...
 * (sparse_super; every group without it) are intact.  e2fsck -b reads
 * such a file system through a backup; here the same is done without
 * writing anything: the caller substitutes the validated backup (and, if
 * the primary group descriptor table is damaged too, the backup table
 * after it) through an in-memory overlay (overlay.h).
 *
 * Layout per the kernel's Documentation/filesystems/ext4/super.rst and
 * group_descr.rst; all fields little-endian.  Everything read is hostile:
 * every count and location is checked before use. */
#ifndef MS_EXT_BACKUP_SB_H
#define MS_EXT_BACKUP_SB_H

#include <stddef.h>
#include <stdint.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"
#include "evidence/overlay.h"

#define MS_EXT_SB_OFFSET       1024u
#define MS_EXT_SB_SIZE         1024u
#define MS_EXT_INCOMPAT_RECOVER 0x4u
#define MS_EXT_RO_COMPAT_METADATA_CSUM 0x400u

/* Geometry of a validated superblock. */
typedef struct ms_ext_geom {
    uint32_t bs, log_bs;
    uint64_t blocks_count;
    uint32_t inodes_count, ipg, bpg, first_data_block;
    uint32_t inode_size, desc_size;
    uint32_t compat, incompat, ro_compat;
    uint32_t journal_inum;
    uint16_t group_nr;            /* s_block_group_nr of this copy */
    uint64_t ngroups;
    uint32_t csum_seed;           /* for group descriptor checksums */
} ms_ext_geom;

/* CRC32C as ext4 uses it: reflected Castagnoli, no final inversion. */
uint32_t ms_crc32c(uint32_t crc, const void *buf, size_t len);

/* Validate a superblock copy (1024 bytes) of a file system that must fit
 * in vol_len bytes: magic, block size, counts that agree with each other,
 * checksum when metadata_csum is on.  0 and *g filled if valid; else -1
 * and *why says what is wrong (a static string). */
int ms_ext_sb_check(const uint8_t *sb, uint64_t vol_len, ms_ext_geom *g,
                    const char **why);

/* Recompute the superblock checksum of a copy (metadata_csum only). */
void ms_ext_sb_fix_csum(uint8_t *sb);

/* A backup superblock found by ms_ext_backup_find(). */
typedef struct ms_ext_backup {
    uint64_t block;               /* fs block holding the backup */
    uint32_t group;
    uint8_t  sb[MS_EXT_SB_SIZE];
    ms_ext_geom g;
} ms_ext_backup;

/* Look for a valid backup superblock of the volume at off (len bytes)
 * of img, for block sizes 1 KiB .. 64 KiB with mke2fs's default blocks
 * per group (8 x block size).  MS_ERR_NOT_FOUND if there is none. */
ms_err ms_ext_backup_find(TSK_IMG_INFO *img, uint64_t off, uint64_t len,
                          ms_ext_backup *b);

/* Substitute the primary superblock in `o` (whose blocks are the fs
 * blocks) with the backup, s_block_group_nr set to 0 and the checksum
 * recomputed in the copy; and the primary group descriptor table with
 * the backup table if the primary one is damaged (*gdt_replaced set).
 * *diff gets a malloc'd description of what differed between the damaged
 * primary and the backup. */
ms_err ms_ext_backup_apply(TSK_IMG_INFO *img, uint64_t off,
                           const ms_ext_backup *b, ms_overlay *o,
                           int *gdt_replaced, char **diff);

#endif

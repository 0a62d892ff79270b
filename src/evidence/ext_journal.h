/* ext_journal.h - the jbd2 journal of ext3/ext4, parsed for forensics.
 *
 * The journal is a circular log of transactions; each holds a descriptor
 * block (tags naming the file-system blocks whose copies follow), the
 * copies, optional revoke blocks and a commit block.  A checkpointed
 * journal is "empty" (s_start == 0) but its blocks still hold the old
 * copies, which is what recovery wants: ms_journal_scan() therefore visits
 * every block of the log, not only the live part, and builds a map
 * "file-system block -> copies (transaction sequence, journal block)".
 *
 * Layout per the kernel's Documentation/filesystems/ext4/journal.rst and
 * include/linux/jbd2.h: all fields big-endian.  The parsing functions work
 * on byte arrays and do no I/O so they can be tested on hand-built blocks;
 * journal blocks are read through a caller-supplied callback. */
#ifndef MS_EXT_JOURNAL_H
#define MS_EXT_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include "common/ms_error.h"

#define MS_JBD2_MAGIC        0xC03B3998u
#define MS_JBD2_DESCRIPTOR   1
#define MS_JBD2_COMMIT       2
#define MS_JBD2_SB_V1        3
#define MS_JBD2_SB_V2        4
#define MS_JBD2_REVOKE       5

#define MS_JBD2_INCOMPAT_REVOKE   0x01u
#define MS_JBD2_INCOMPAT_64BIT    0x02u
#define MS_JBD2_INCOMPAT_CSUM_V2  0x08u
#define MS_JBD2_INCOMPAT_CSUM_V3  0x10u

#define MS_JBD2_FLAG_ESCAPE    1u
#define MS_JBD2_FLAG_SAME_UUID 2u
#define MS_JBD2_FLAG_DELETED   4u
#define MS_JBD2_FLAG_LAST_TAG  8u

/* Limits against hostile journals: blocks we are prepared to visit and
 * block copies we are prepared to remember. */
#define MS_JOURNAL_MAX_BLOCKS  (1u << 22)
#define MS_JOURNAL_MAX_ENTRIES (1u << 20)

typedef struct ms_jsb {
    uint32_t version;      /* 1 or 2 */
    uint32_t blocksize;
    uint32_t maxlen;       /* blocks in the journal */
    uint32_t first;        /* first log block */
    uint32_t sequence;     /* first transaction expected in the log */
    uint32_t start;        /* start of the live log, 0 = clean */
    uint32_t incompat;     /* v2 only, 0 for v1 */
    size_t   tag_bytes;    /* size of one descriptor tag */
    int      csum_tail;    /* descriptor/revoke blocks end in a checksum */
} ms_jsb;

typedef struct ms_jtag {
    uint64_t fs_block;
    uint32_t flags;        /* MS_JBD2_FLAG_* */
} ms_jtag;

/* One journal copy of a file-system block. */
typedef struct ms_jentry {
    uint64_t fs_block;
    uint32_t seq;          /* transaction sequence */
    uint32_t jblock;       /* block inside the journal holding the copy */
    unsigned escaped : 1;  /* first 4 bytes were zeroed; restore the magic */
    unsigned committed : 1;/* a commit block with this sequence exists */
    unsigned revoked : 1;  /* a later transaction revoked this block */
} ms_jentry;

typedef struct ms_jmap {
    ms_jentry *e;          /* sorted: fs_block ascending, newest first */
    size_t     n, cap;
    uint32_t   ndesc, ncommit, nrevoke; /* blocks of each kind seen */
    ms_jsb     sb;
} ms_jmap;

/* Read header fields of any journal block; 0 if it lacks the magic. */
int ms_jblock_header(const uint8_t *b, size_t len, uint32_t *type,
                     uint32_t *seq);

/* Parse a journal superblock (v1 or v2).  MS_ERR_FORMAT on bad magic,
 * type, block size or geometry. */
ms_err ms_jsb_parse(const uint8_t *b, size_t len, ms_jsb *sb);

/* Tags of a descriptor block: at most `max` into tags[], *ntags set.
 * Stops at LAST_TAG or at the end of the usable block area. */
ms_err ms_jdesc_parse(const ms_jsb *sb, const uint8_t *b, size_t len,
                      ms_jtag *tags, size_t max, size_t *ntags);

/* Block numbers of a revoke block: at most `max`, *n set. */
ms_err ms_jrevoke_parse(const ms_jsb *sb, const uint8_t *b, size_t len,
                        uint64_t *blocks, size_t max, size_t *n);

/* Read journal block `jblock` (0 = superblock) into buf (sb->blocksize
 * bytes); return 0 on success. */
typedef int (*ms_jread_fn)(void *user, uint32_t jblock, uint8_t *buf);

/* Visit every log block and build the copy map.  `sb` was parsed from
 * block 0.  Unreadable blocks are skipped. */
ms_err ms_journal_scan(const ms_jsb *sb, ms_jread_fn rd, void *user,
                       ms_jmap *map);

/* Copies of fs_block, newest transaction first: *first indexes map->e,
 * return value is the count (0 if none). */
size_t ms_jmap_find(const ms_jmap *map, uint64_t fs_block, size_t *first);

void ms_jmap_free(ms_jmap *map);

#endif

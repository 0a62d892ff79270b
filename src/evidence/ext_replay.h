/* ext_replay.h - the jbd2 replay set of an ext3/ext4 file system.
 *
 * A file system seized with its journal needing recovery (power pulled,
 * snapshot of a running machine) holds its newest metadata and data only
 * in the journal.  The kernel (fs/jbd2/recovery.c) and e2fsck replay it
 * before anything reads the file system; ms_ext_replay_compute() computes
 * the same set of blocks without writing anything: starting at the
 * journal superblock's s_start with sequence s_sequence, it follows the
 * log while every block carries the expected sequence, takes the
 * transactions that have a commit block, honours revoke records (a block
 * revoked by transaction R is not replayed from transactions <= R), keeps
 * the last copy of each block, and restores escaped blocks' magic.  The
 * caller substitutes the set through an overlay (overlay.h). */
#ifndef MS_EXT_REPLAY_H
#define MS_EXT_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"

typedef struct ms_ext_replay {
    uint32_t  bs;
    uint32_t  ntrans;       /* committed transactions replayed */
    uint32_t  seq_first, seq_last;
    uint32_t  nrevoked;     /* copies not replayed because revoked */
    uint32_t  nskipped;     /* copies naming blocks outside the fs */
    int       uncommitted;  /* the log ends in a transaction without commit */
    size_t    n;            /* blocks in the set */
    uint64_t *blocks;       /* fs block numbers, ascending */
    uint8_t  *data;         /* n * bs bytes, in the order of blocks[] */
} ms_ext_replay;

/* Compute the replay set of the ext3/ext4 file system at off in img.
 * MS_ERR_NOT_FOUND with *why (malloc'd) when there is nothing to replay
 * (no journal, clean journal, no committed transaction);
 * MS_ERR_UNSUPPORTED / MS_ERR_LIMIT with *why when it cannot be done. */
ms_err ms_ext_replay_compute(TSK_IMG_INFO *img, uint64_t off,
                             ms_ext_replay *r, char **why);

/* Is the journal of the file system at off active (s_start != 0)? */
int ms_ext_journal_active(TSK_IMG_INFO *img, uint64_t off);

void ms_ext_replay_free(ms_ext_replay *r);

#endif

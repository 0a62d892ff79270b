/* ewf_salvage.h - read the chunks an interrupted or damaged E01 still holds.
 *
 * An EnCase E01 segment stores its chunks in a "sectors" section and the
 * chunks' offsets in a "table" section written after them.  A copy cut
 * short (an interrupted acquisition or transfer) loses the table, and
 * libewf then opens the file but cannot read a single chunk: every read
 * fails, although most chunks are in the file.  This module walks the
 * section chain itself (libyal's "Expert Witness Compression Format"
 * specification), takes chunk offsets from every table present, and
 * recovers the chunks of a sectors section without its table by decoding
 * them in order: a zlib stream that inflates to exactly one chunk (zlib
 * checks its own Adler-32), or a raw chunk followed by its Adler-32.
 * Chunks that are absent or fail their checks are listed unreadable.
 *
 * EWF2 (Ex01) and SMART (.s01) files are left to libewf. */
#ifndef MS_EWF_SALVAGE_H
#define MS_EWF_SALVAGE_H

#include <stddef.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"
#include "evidence/tolerant.h"

/* Check the segments of the E01 whose first segment is paths[0] (the rest
 * are found like libewf does, or given as paths[1..n)).  An intact E01:
 * MS_OK with *out NULL (read it with libewf).  A damaged one: MS_OK with
 * *out a TSK_IMG_INFO over the chunks present (the caller closes it),
 * every missing chunk recorded in `bad`, and *note (malloc'd) saying what
 * was damaged.  Not an E01 or nothing salvageable: an error, *note may
 * say why. */
ms_err ms_ewf_salvage_open(const char *const *paths, size_t n,
                           ms_badlist *bad, TSK_IMG_INFO **out, char **note);

#endif

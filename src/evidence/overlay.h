/* overlay.h - a read-only, in-memory block overlay over part of an image.
 *
 * Damaged or unreplayed file systems are examined the way e2fsck -b or a
 * journal replay would see them, without writing the evidence: the
 * volume's bytes are read from the underlying image and whole blocks are
 * substituted from memory.  The result is a TSK_IMG_INFO (through
 * imgwrap) whose byte 0 is the volume's first byte, so every backend
 * opens it like any other volume.
 *
 * Use: ms_overlay_new(), ms_overlay_put() any number of times (a later
 * put of the same block wins), then ms_overlay_image(), which seals the
 * overlay and hands it to the image (tsk_img_close() frees it). */
#ifndef MS_OVERLAY_H
#define MS_OVERLAY_H

#include <stddef.h>
#include <stdint.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"

/* At most this much substituted data per overlay (a journal replay set
 * larger than this is refused, not truncated). */
#define MS_OVERLAY_MAX_BYTES (256u << 20)

typedef struct ms_overlay ms_overlay;

/* An overlay of the `len` bytes at `off` in `base` (not owned; it must
 * outlive the overlay and its image), substituted in `block_size` units. */
ms_err ms_overlay_new(TSK_IMG_INFO *base, uint64_t off, uint64_t len,
                      uint32_t block_size, ms_overlay **out);

/* Substitute block `block` (volume-relative) with block_size bytes of
 * `data` (copied).  MS_ERR_LIMIT past MS_OVERLAY_MAX_BYTES or outside the
 * volume. */
ms_err ms_overlay_put(ms_overlay *o, uint64_t block, const void *data);

/* Read through the overlay (volume-relative offset), substitutions
 * applied.  Returns bytes read or -1. */
ssize_t ms_overlay_read(ms_overlay *o, uint64_t off, void *buf, size_t len);

/* Blocks currently substituted (after sealing: distinct blocks). */
size_t ms_overlay_count(ms_overlay *o);

/* Seal and wrap as a TSK image.  On success the image owns `o`; on
 * failure `o` is still the caller's. */
ms_err ms_overlay_image(ms_overlay *o, TSK_IMG_INFO **out);

void ms_overlay_free(ms_overlay *o);

#endif

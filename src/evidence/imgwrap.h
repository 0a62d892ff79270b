/* imgwrap.h - present any readable byte source to libtsk as a disk image.
 *
 * libtsk reads only TSK_IMG_INFO.  Containers it cannot decode (qcow) and
 * layers it does not know (LVM2 logical volumes) become TSK_IMG_INFOs
 * through tsk_img_open_external(), so partition tables and file systems
 * inside them are found by the same code as on a raw disk. */
#ifndef MS_IMGWRAP_H
#define MS_IMGWRAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"

/* Read up to len bytes at off (off < size, guaranteed by the wrapper);
 * return bytes read or -1. */
typedef ssize_t (*ms_imgwrap_read_fn)(void *ctx, uint64_t off, void *buf,
                                      size_t len);
typedef void (*ms_imgwrap_free_fn)(void *ctx);

/* Wrap ctx.  On success the image owns ctx and tsk_img_close() calls
 * free_fn(ctx); on failure ctx is untouched and still the caller's. */
ms_err ms_imgwrap_open(void *ctx, uint64_t size, unsigned sector_size,
                       ms_imgwrap_read_fn read_fn, ms_imgwrap_free_fn free_fn,
                       TSK_IMG_INFO **out);

#endif

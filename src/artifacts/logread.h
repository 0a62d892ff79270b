/* logread.h - the lines of a log file, plain or gzip-compressed.
 *
 * Rotated logs are often gzip files (logrotate's `compress`).  They are
 * inflated as a stream (zlib, multi-member files included) straight into
 * the line reader: memory is one input block, zlib's window and the line
 * reader's block, whatever the file holds.  A gzip bomb cannot exhaust
 * memory, and its output is cut at MS_LOG_MAX_OUTPUT bytes so it cannot
 * exhaust time either (reported through info->capped). */
#ifndef MS_LOGREAD_H
#define MS_LOGREAD_H

#include <stdint.h>

#include "artifacts/linereader.h"
#include "common/ms_error.h"

/* Decompressed bytes read from one log file at most. */
#define MS_LOG_MAX_OUTPUT (512ull << 20)

typedef struct ms_logread_info {
    int      compressed;   /* gzip magic seen */
    int      gzip_error;   /* the stream ended in a zlib error (truncated
                              or damaged): the lines before it were read */
    int      capped;       /* output cut at MS_LOG_MAX_OUTPUT */
    uint32_t gzip_mtime;   /* MTIME of the gzip header (0: not stored) */
    ms_lines_stats stats;
} ms_logread_info;

/* Deliver the lines of the source (rd/src as for ms_lines_read), inflating
 * it first when it starts with the gzip magic.  Each line keeps at most
 * `keep` bytes.  MS_OK, MS_ERR_NOMEM, MS_ERR_ARG. */
ms_err ms_logread_lines(ms_lines_read_fn rd, void *src, size_t keep,
                        ms_line_cb cb, void *user, ms_logread_info *info);

#endif

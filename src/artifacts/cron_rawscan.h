/* cron_rawscan.h - what a crontab's raw bytes say beside its jobs, read
 * as a stream:
 *
 *  - anti-forensic padding: lines far longer than any real command, NUL
 *    bytes, binary junk (control bytes), or a file far larger than real
 *    crontabs.  One CRONTAB_PADDING reason (suspicious) names the lines
 *    with their byte offsets and the file size;
 *  - network indicators anywhere in the raw text (comments and variables
 *    included), scanned in overlapping windows so that a file of any
 *    size is covered in bounded memory: C2_INDICATOR(_WEAK) reasons with
 *    the line number, one per distinct value, like ms_ioc_reasons.
 *
 * Feed every raw block (ms_rawscan_block) and every line
 * (ms_rawscan_line) from one ms_lines_read pass, then ms_rawscan_finish. */
#ifndef MS_CRON_RAWSCAN_H
#define MS_CRON_RAWSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "artifacts/linereader.h"
#include "common/ms_error.h"
#include "common/ms_model.h"

/* A line longer than this is padding: real cron commands are a few
 * hundred bytes; the longest in Debian's and RHEL's packages are below
 * 1 KiB. */
#define MS_PAD_LINE_BYTES 4096u
/* A crontab larger than this is padding whatever its lines. */
#define MS_PAD_FILE_BYTES (1u << 20)
/* Padded lines named in the reason's text (the rest are counted). */
#define MS_PAD_MAX_NAMED 8u

typedef struct ms_rawscan ms_rawscan;

ms_err ms_rawscan_new(ms_rawscan **out);
void ms_rawscan_free(ms_rawscan *r);
/* Block and line callbacks (ms_block_cb / ms_line_cb shapes, with the
 * scanner as user data); they return non-zero only when out of memory,
 * which ms_rawscan_finish then reports. */
int ms_rawscan_block(void *r, uint64_t off, const uint8_t *buf, size_t len);
int ms_rawscan_line(void *r, const ms_line *line);
/* Append the reasons to *reasons / *n; the scanner stays to be freed. */
ms_err ms_rawscan_finish(ms_rawscan *r, ms_reason **reasons, size_t *n);

#endif

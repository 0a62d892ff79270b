/* linereader.h - read a text file from a disk image line by line, whole,
 * with memory bounded per line.
 *
 * Files in an image are hostile: a crontab may hold one line of a
 * gigabyte, NUL runs or binary junk placed to make a tool give up before
 * the lines that matter.  This reader never gives up early and
 * never holds more than one block plus `keep` bytes of one line:
 *  - every byte of the source is read, in order, through a read callback
 *    (ms_fs_file_read for a file of the image, a memory buffer for content
 *    recovered from the journal or for unit tests);
 *  - each line is handed over with its first `keep` bytes, its true
 *    length, its byte offset in the file and its 1-based number; the rest
 *    of an over-long line is counted, not stored;
 *  - NUL bytes and other control bytes (not tab, CR or LF) are counted per
 *    line, with the offset of the first of each, so that a caller can
 *    judge padding and binary junk without keeping the bytes;
 *  - an optional block callback sees every raw block too (a windowed scan
 *    of the raw text, e.g. for network indicators, runs beside the lines).
 *
 * Lines end at '\n' only; the '\n' is not part of the line.  A last line
 * without one is delivered with has_newline = 0.  A file ending in '\n'
 * has no empty line after it.
 *
 * No global state; the layer below (evidence) is reached only through the
 * callback, so parsers of any layer can use it. */
#ifndef MS_LINEREADER_H
#define MS_LINEREADER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/ms_error.h"

/* Blocks are read this big; memory is this plus `keep` plus one. */
#define MS_LINES_BLOCK (64u * 1024u)
/* Reading stops here whatever the source says (reported via *capped):
 * 4 GiB of crontab is already a finding, and reading it takes seconds. */
#define MS_LINES_MAX_TOTAL (4ull << 30)

/* Read len bytes at off into buf: bytes read, 0 at the end, < 0 on error. */
typedef ssize_t (*ms_lines_read_fn)(void *src, uint64_t off, void *buf,
                                    size_t len);

typedef struct ms_line {
    const char *data;     /* the first `kept` bytes, then a '\0' (the kept
                             bytes may hold NULs themselves) */
    size_t   kept;        /* min(len, keep) */
    uint64_t len;         /* true length, without the '\n' */
    uint64_t offset;      /* byte offset of the line's first byte */
    uint64_t number;      /* 1-based */
    int      has_newline;
    uint64_t nuls;        /* NUL bytes in the whole line */
    uint64_t first_nul;   /* offset in the line of the first NUL (if any) */
    uint64_t ctrl;        /* other control bytes: < 0x20 but not tab or CR,
                             and 0x7f */
    uint64_t first_ctrl;  /* offset in the line of the first of them */
} ms_line;

/* Called once per line, in order; non-zero stops the reading
 * (stats->stopped is then set). */
typedef int (*ms_line_cb)(void *user, const ms_line *line);
/* Called once per raw block before the lines it ends are delivered;
 * non-zero stops the reading. */
typedef int (*ms_block_cb)(void *user, uint64_t offset, const uint8_t *buf,
                           size_t len);

typedef struct ms_lines_stats {
    uint64_t bytes;       /* bytes read */
    uint64_t lines;       /* lines delivered */
    int      read_error;  /* the source failed before its end */
    int      capped;      /* stopped at MS_LINES_MAX_TOTAL */
    int      stopped;     /* a callback asked to stop */
} ms_lines_stats;

/* Read the whole source (until the read callback returns 0 or fails, or
 * MS_LINES_MAX_TOTAL), delivering lines with at most `keep` bytes each
 * (keep >= 1).  line_cb or block_cb may be NULL.  MS_OK when the source
 * was read to its end or a callback stopped it (see stats), MS_ERR_ARG,
 * MS_ERR_NOMEM. A read error is not an error of this call: the lines
 * read so far were delivered and stats->read_error says so. */
ms_err ms_lines_read(ms_lines_read_fn rd, void *src, size_t keep,
                     ms_line_cb line_cb, ms_block_cb block_cb, void *user,
                     ms_lines_stats *stats);

/* A memory buffer as a source for ms_lines_read. */
typedef struct ms_lines_mem {
    const uint8_t *data;
    size_t len;
} ms_lines_mem;
ssize_t ms_lines_mem_read(void *src, uint64_t off, void *buf, size_t len);

#endif

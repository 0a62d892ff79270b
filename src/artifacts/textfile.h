/* textfile.h - a text file of the image read whole, line by line, with
 * memory bounded per line, and a word on what its raw bytes look like.
 *
 * Every parser of a text file from the image (fstab, crypttab, mount
 * units, /etc/mtab, hostname, hosts, os-release, web server configs,
 * anacrontab...) reads through here or through ms_lines_read directly,
 * never a prefix: padding placed before the line that matters (a mount
 * after a megabyte of junk, a DocumentRoot after a NUL run) must not hide
 * it.  Beside the lines, the bytes are judged the way cron_rawscan judges
 * a crontab: over-long lines, NUL bytes and control bytes (binary junk)
 * are counted with the line and byte offset of the first, and
 * ms_textscan_note() puts that in words for the report.
 *
 * Lines are handed to the caller as ms_lines_read does (the first `keep`
 * bytes, the true length, NULs included).  A parser that reads lines as
 * C strings therefore sees a line up to its first NUL, as the programs
 * that read these files (fgets/getline plus string functions) do. */
#ifndef MS_TEXTFILE_H
#define MS_TEXTFILE_H

#include <stdint.h>

#include "artifacts/linereader.h"
#include "common/ms_error.h"
#include "evidence/fs.h"

/* A line longer than this in a configuration file is padding: the same
 * bound as a crontab's (MS_PAD_LINE_BYTES). */
#define MS_TEXT_LONG_LINE 4096u

typedef struct ms_textscan {
    uint64_t bytes, lines;
    uint64_t long_lines;                 /* lines > MS_TEXT_LONG_LINE */
    uint64_t long_line, long_off, long_len;  /* the first of them */
    uint64_t longest;
    uint64_t nul_bytes, nul_lines;
    uint64_t nul_line, nul_off;          /* first NUL: line, file offset */
    uint64_t ctrl_bytes, ctrl_lines;
    uint64_t ctrl_line, ctrl_off;
    int read_error, capped;
} ms_textscan;

/* Count one line into t. */
void ms_textscan_line(ms_textscan *t, const ms_line *l);

/* Non-zero when the file holds over-long lines, NULs or control bytes,
 * or could not be read to its end. */
int ms_textscan_odd(const ms_textscan *t);

/* The note for a file named `what` ("/etc/fstab"), e.g. "/etc/fstab:
 * padding or binary junk: line 3 (byte offset 41) is 1048576 bytes long;
 * 4096 NUL bytes in 2 lines (the first at line 5, byte offset 1048690);
 * every line was read (9 lines, 1052800 bytes)".  *out is NULL when the
 * file is ordinary.  MS_ERR_NOMEM. */
ms_err ms_textscan_note(const ms_textscan *t, const char *what, char **out);

/* Read the regular file at `path` (symlinks resolved inside the image)
 * whole, handing each line (at most `keep` bytes kept) to cb, which may
 * be NULL; *ts (may be NULL) receives the scan of its bytes.
 * MS_ERR_NOT_FOUND when there is no regular file there; MS_OK when it
 * was read (a read error part-way is in ts->read_error); MS_ERR_NOMEM;
 * a non-zero return of cb stops the reading and is returned as
 * MS_ERR_INTERNAL unless the caller keeps its own error. */
ms_err ms_textfile_read(ms_fs *fs, const char *path, size_t keep,
                        ms_line_cb cb, void *user, ms_textscan *ts);

#endif

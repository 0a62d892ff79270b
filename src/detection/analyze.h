/* analyze.h - read each recorded file's content from the image once and
 * derive everything the report states about it: MD5/SHA-1/SHA-256 of the
 * whole content, libmagic description, ELF header facts and YARA matches.
 *
 * Content is streamed from the file system into memory in chunks; nothing
 * is written to disk.  YARA sees the first max_scan_bytes of a file (the
 * hashes always cover all of it); a longer file is marked scan_truncated. */
#ifndef MS_ANALYZE_H
#define MS_ANALYZE_H

#include <stdint.h>
#include "common/ms_model.h"
#include "detection/fileinfo.h"
#include "detection/yarascan.h"
#include "evidence/fs.h"

typedef struct ms_analyzer {
    const ms_rules *rules;
    ms_magic       *magic;
    uint64_t        max_scan_bytes;
    const char     *extract_dir;  /* --extract DIR, or NULL: write nothing */
} ms_analyzer;

/* Analyze every not-yet-analyzed file of scan->files that lives on
 * `volume` (whose file system is `fs`).  Per-file problems are recorded
 * in the file's content_note; only allocation failure is returned. */
ms_err ms_analyze_volume(const ms_analyzer *a, ms_fs *fs, ms_scan *scan,
                         int volume);

#endif

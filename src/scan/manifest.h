/* manifest.h - the list of images of a batch (mumblescan --manifest).
 *
 * One image per line, two forms (docs/fleet.md):
 *
 *   /evidence/web01.E01
 *   /evidence/db02.raw.001<TAB>/evidence/db02.raw.002
 *   {"segments": ["/evidence/x.qcow2"], "case": "C-17", "hash": true}
 *
 * A plain line is the image's files separated by TABs (a split raw or E01
 * image may be given by its first segment alone).  A line whose first
 * non-blank byte is '{' is a JSON object with "segments" (array of
 * strings) or "image" (one string) and optionally "image_type", "case",
 * "examiner", "evidence_id", "notes" (strings), "hash", "carve" (booleans)
 * and "time_limit" (seconds).  Blank lines and lines starting with '#'
 * are skipped.  Relative paths are relative to the manifest's directory.
 *
 * A line is evidence-controlled text: it is never given to a shell, and a
 * line that breaks a rule (control bytes, invalid UTF-8, an unknown key,
 * longer than 64 KiB, more than 1024 files) becomes an entry with an
 * error, which the batch reports as failed with that reason; the other
 * lines still run. */
#ifndef MS_SCAN_MANIFEST_H
#define MS_SCAN_MANIFEST_H

#include <stddef.h>

#include "common/ms_error.h"

#define MS_MANIFEST_MAX_LINE     (64u << 10)
#define MS_MANIFEST_MAX_LINES    1000000u
#define MS_MANIFEST_MAX_SEGMENTS 1024u

typedef struct ms_manifest_entry {
    size_t  line;            /* 1-based line number in the file */
    char  **segments;        /* resolved paths */
    size_t  nsegments;
    char   *image_type, *case_id, *examiner, *evidence_id, *notes; /* or NULL */
    int     hash, carve;     /* -1 not given, else 0/1 */
    unsigned time_limit;     /* seconds, 0 not given */
    char   *error;           /* the line is unusable: why (else NULL) */
} ms_manifest_entry;

typedef struct ms_manifest {
    ms_manifest_entry *entries;
    size_t             n;
} ms_manifest;

/* Read the image lines numbered first..last (1-based, inclusive, counted
 * over all lines of the file; last 0 = to the end). */
ms_err ms_manifest_load(const char *path, size_t first, size_t last,
                        ms_manifest *m, char **err_text);

/* Parse one line (no newline) into *e; for tests and the loader.  `base`
 * is the directory relative paths are taken from.  Returns 0 for an image
 * line (e->error may be set), 1 for a blank or comment line. */
int ms_manifest_parse_line(const char *line, size_t len, const char *base,
                           ms_manifest_entry *e);

void ms_manifest_entry_clear(ms_manifest_entry *e);
void ms_manifest_free(ms_manifest *m);

#endif

/* ewfhash.h - the acquisition hashes an E01 image stores about itself.
 *
 * ewfacquire records the MD5 (and, with -d sha1,sha256, SHA-1/SHA-256) of
 * the media it acquired in the E01's hash/digest/xhash sections.  Reading
 * them back and comparing with a fresh hash of the media stream
 * (imghash.h) proves the evidence did not change since acquisition. */
#ifndef MS_EWFHASH_H
#define MS_EWFHASH_H

#include <stddef.h>
#include "common/ms_error.h"
#include "common/ms_model.h"

/* Read the stored hashes of the E01 whose first segment (or any segment
 * list) is paths[0..n) into ig->stored_hex (lowercase hex, "" when not
 * stored) and set ig->stored_checked.  The segments are found with
 * libewf_glob from paths[0] and opened LIBEWF_OPEN_READ (read-only).
 * Returns MS_ERR_FORMAT (with ig->note) when the file cannot be opened as
 * EWF. */
ms_err ms_ewf_stored_hashes(const char *const *paths, size_t n,
                            ms_integrity *ig);

/* The acquisition date an E01 header records ("acquiry_date"), read with
 * libewf as ISO 8601 into text (printable ASCII) and as seconds with the
 * fields taken as UTC (*sec; -1 when absent or not a date).  The header
 * stores the acquiring host's local time without a zone, so callers allow
 * for the widest offset.  MS_ERR_NOT_FOUND without a date, MS_ERR_FORMAT
 * when libewf cannot open the segments. */
ms_err ms_ewf_acquired(const char *const *paths, size_t n, int64_t *sec,
                       char text[64]);

/* "libewf 20140813" style version of the linked libewf. */
const char *ms_ewf_version(void);

#endif

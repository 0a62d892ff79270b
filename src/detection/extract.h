/* extract.h - write a recovered script for the examiner (--extract DIR).
 *
 * The file is named by content (DIR/<sha256>.pl), created mode 0600 (it
 * is malware source) through a temporary file in DIR that is linked to
 * the final name only once every byte is on disk: link(2) never replaces
 * an existing file, so a name that exists already holds the same bytes
 * (same hash) and is left alone.  Nothing is ever written unless the
 * caller passes a directory. */
#ifndef MS_EXTRACT_H
#define MS_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"

/* On MS_OK *path is the malloc'd final path.  On failure *err is a
 * malloc'd one-line reason (or NULL on allocation failure). */
ms_err ms_extract_write(const char *dir, const char *sha256,
                        const uint8_t *data, size_t len, char **path,
                        char **err);

/* Check an --extract directory before a scan: it must be (or can be
 * created as, mode 0700) a directory, and must not be the directory of
 * any image segment nor below it.  MS_OK or MS_ERR_ARG with *err set. */
ms_err ms_extract_check_dir(const char *dir, const char *const *images,
                            size_t nimages, char **err);

#endif

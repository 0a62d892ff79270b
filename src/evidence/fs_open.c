/* fs_open.c - the table of file-system backends. */
#include "evidence/fs_open.h"

#include <stdlib.h>

#include "common/ms_mem.h"
#include "evidence/fs_tsk.h"
#include "evidence/fs_xfs.h"

typedef ms_err (*fs_opener)(TSK_IMG_INFO *img, uint64_t offset, ms_fs **out,
                            char **err_text);

static const struct {
    const char *name;
    fs_opener   open;
} openers[] = {
    { "libtsk", ms_fs_tsk_open },
    /* libtsk 4.11 has no XFS */
    { "libfsxfs", ms_fs_xfs_open },
};

/* Backends answer MS_ERR_FORMAT for "not my file system" and
 * MS_ERR_UNSUPPORTED for "mine, but damaged or refused".  The report
 * needs the most specific reason: a refusal by the backend that
 * recognised the volume wins over the first backend's generic message. */
ms_err ms_fs_open_any(TSK_IMG_INFO *img, uint64_t off, ms_fs **out,
                      char **fs_type_err)
{
    char *first = NULL, *refusal = NULL;
    ms_err rc = MS_ERR_FORMAT, first_rc = MS_ERR_FORMAT;

    *out = NULL;
    for (size_t i = 0; i < sizeof openers / sizeof *openers; i++) {
        char *e = NULL;
        rc = openers[i].open(img, off, out, &e);
        if (rc == MS_OK) {
            free(e);
            free(first);
            free(refusal);
            return MS_OK;
        }
        if (rc == MS_ERR_NOMEM) {
            free(e);
            break;
        }
        if (rc == MS_ERR_UNSUPPORTED && !refusal) {
            refusal = e;
        } else if (!first) {
            first = e;
            first_rc = rc;
        } else {
            free(e);
        }
    }
    if (rc == MS_ERR_NOMEM) {
        free(first);
        free(refusal);
        return rc;
    }
    if (refusal) {
        free(first);
        *fs_type_err = refusal;
        return MS_ERR_UNSUPPORTED;
    }
    *fs_type_err = first ? first : ms_strdup("unknown reason");
    return first_rc;
}

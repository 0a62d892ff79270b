/* fs_open.c - the table of file-system backends. */
#include "evidence/fs_open.h"

#include <stdlib.h>

#include "common/ms_mem.h"
#include "evidence/fs_tsk.h"

typedef ms_err (*fs_opener)(TSK_IMG_INFO *img, uint64_t offset, ms_fs **out,
                            char **err_text);

static const struct {
    const char *name;
    fs_opener   open;
} openers[] = {
    { "libtsk", ms_fs_tsk_open },
    /* XFS backend (src/evidence/fs_xfs.h) goes here at merge:
     *   { "libfsxfs", ms_fs_xfs_open },
     * plus #include "evidence/fs_xfs.h" above. */
};

ms_err ms_fs_open_any(TSK_IMG_INFO *img, uint64_t off, ms_fs **out,
                      char **fs_type_err)
{
    ms_buf why = {0};
    ms_err rc = MS_ERR_FORMAT;

    *out = NULL;
    for (size_t i = 0; i < sizeof openers / sizeof *openers; i++) {
        char *e = NULL;
        rc = openers[i].open(img, off, out, &e);
        if (rc == MS_OK) {
            free(e);
            ms_buf_free(&why);
            return MS_OK;
        }
        /* One backend's message reads as before; several are labelled. */
        if (sizeof openers / sizeof *openers > 1)
            ms_buf_printf(&why, "%s%s: %s", why.len ? "; " : "",
                          openers[i].name, e ? e : "failed");
        else
            ms_buf_puts(&why, e ? e : "unknown reason");
        free(e);
        if (rc == MS_ERR_NOMEM)
            break;
    }
    *fs_type_err = ms_buf_steal(&why);
    return rc;
}

/* imgwrap.c - TSK_IMG_INFO over a read callback.
 *
 * libtsk 4.11's tsk_img_open_external() takes a caller-allocated struct
 * whose first member is a TSK_IMG_INFO (it only fills the tag, type,
 * size and callbacks, and inits the cache lock); tsk_img_close() destroys
 * the lock and then calls our close callback, which frees the struct.
 * The struct embeds libtsk's 2 MiB read cache, hence calloc, not stack. */
#include "evidence/imgwrap.h"

#include <stdlib.h>

typedef struct wrapped {
    TSK_IMG_INFO info;        /* must stay first: libtsk casts to it */
    void *ctx;
    ms_imgwrap_read_fn read_fn;
    ms_imgwrap_free_fn free_fn;
} wrapped;

static ssize_t wrap_read(TSK_IMG_INFO *img, TSK_OFF_T off, char *buf,
                         size_t len)
{
    wrapped *w = (wrapped *)img;
    if (off < 0 || off >= img->size)
        return off == img->size ? 0 : -1;
    /* libtsk reads whole cache blocks that may run past the end. */
    if (len > (uint64_t)(img->size - off))
        len = (size_t)(img->size - off);
    return w->read_fn(w->ctx, (uint64_t)off, buf, len);
}

static void wrap_close(TSK_IMG_INFO *img)
{
    wrapped *w = (wrapped *)img;
    if (w->free_fn)
        w->free_fn(w->ctx);
    free(w);
}

static void wrap_imgstat(TSK_IMG_INFO *img, FILE *f)
{
    fprintf(f, "external image, %lld bytes\n", (long long)img->size);
}

ms_err ms_imgwrap_open(void *ctx, uint64_t size, unsigned sector_size,
                       ms_imgwrap_read_fn read_fn, ms_imgwrap_free_fn free_fn,
                       TSK_IMG_INFO **out)
{
    *out = NULL;
    if (size == 0 || size > (uint64_t)INT64_MAX || !read_fn)
        return MS_ERR_ARG;
    wrapped *w = calloc(1, sizeof *w);
    if (!w)
        return MS_ERR_NOMEM;
    w->ctx = ctx;
    w->read_fn = read_fn;
    w->free_fn = free_fn;
    tsk_error_reset();
    TSK_IMG_INFO *img = tsk_img_open_external(w, (TSK_OFF_T)size,
                                              sector_size, wrap_read,
                                              wrap_close, wrap_imgstat);
    if (!img) {
        free(w);
        return MS_ERR_FORMAT;
    }
    *out = img;
    return MS_OK;
}

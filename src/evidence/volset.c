/* volset.c - file systems kept open for the whole scan. */
#include "evidence/volset.h"

#include <stdlib.h>
#include <string.h>

#include "evidence/ext_view.h"

typedef struct vs_entry {
    int           vol;
    ms_fs        *fs;
    ms_ext_view   xv;
    TSK_IMG_INFO *img;   /* what fs was read from (for the diff) */
    uint64_t      off;
    int           finished;
} vs_entry;

struct ms_volset {
    vs_entry      *e;
    size_t         n;
    TSK_IMG_INFO **imgs;  /* closed in order after every fs: inner LVs
                             were added before the LVs holding them */
    size_t         nimgs;
};

ms_err ms_volset_new_(ms_volset **out);
ms_err ms_volset_new_(ms_volset **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? MS_OK : MS_ERR_NOMEM;
}

size_t ms_volset_count(const ms_volset *s) { return s ? s->n : 0; }
ms_fs *ms_volset_fs(const ms_volset *s, size_t i) { return s->e[i].fs; }
int ms_volset_volume(const ms_volset *s, size_t i) { return s->e[i].vol; }

ms_err ms_volset_keep_fs(ms_volset *s, int vol, ms_fs *fs,
                         struct ms_ext_view *xv, struct TSK_IMG_INFO *img,
                         uint64_t off)
{
    if (s->n >= MS_VOLSET_MAX)
        return MS_ERR_LIMIT;
    vs_entry *e = realloc(s->e, (s->n + 1) * sizeof *e);
    if (!e)
        return MS_ERR_NOMEM;
    s->e = e;
    e = &s->e[s->n++];
    memset(e, 0, sizeof *e);
    e->vol = vol;
    e->fs = fs;
    e->xv = *xv;
    memset(xv, 0, sizeof *xv);
    e->img = img;
    e->off = off;
    return MS_OK;
}

ms_err ms_volset_keep_img(ms_volset *s, struct TSK_IMG_INFO *img)
{
    TSK_IMG_INFO **v = realloc(s->imgs, (s->nimgs + 1) * sizeof *v);
    if (!v)
        return MS_ERR_NOMEM;
    s->imgs = v;
    s->imgs[s->nimgs++] = img;
    return MS_OK;
}

ms_err ms_volset_finish(ms_volset *s, size_t i, ms_scan *scan)
{
    vs_entry *e = &s->e[i];
    if (e->finished)
        return MS_OK;
    e->finished = 1;
    if (!e->xv.replayed)
        return MS_OK;
    return ms_ext_view_diff(&e->xv, e->img, e->off, scan, e->vol, e->fs);
}

void ms_volset_free(ms_volset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        ms_fs_close(s->e[i].fs);
        ms_ext_view_free(&s->e[i].xv);
    }
    for (size_t i = 0; i < s->nimgs; i++)
        tsk_img_close(s->imgs[i]);
    free(s->e);
    free(s->imgs);
    free(s);
}

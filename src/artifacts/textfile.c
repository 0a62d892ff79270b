/* textfile.c - see textfile.h; comments here say why. */
#include "artifacts/textfile.h"

#include <stdlib.h>
#include <string.h>

#include "artifacts/fs_lookup.h"
#include "common/ms_mem.h"

void ms_textscan_line(ms_textscan *t, const ms_line *l)
{
    t->lines++;
    if (l->len > t->longest)
        t->longest = l->len;
    if (l->len > MS_TEXT_LONG_LINE && !t->long_lines++) {
        t->long_line = l->number;
        t->long_off = l->offset;
        t->long_len = l->len;
    }
    if (l->nuls) {
        if (!t->nul_lines++) {
            t->nul_line = l->number;
            t->nul_off = l->offset + l->first_nul;
        }
        t->nul_bytes += l->nuls;
    }
    if (l->ctrl) {
        if (!t->ctrl_lines++) {
            t->ctrl_line = l->number;
            t->ctrl_off = l->offset + l->first_ctrl;
        }
        t->ctrl_bytes += l->ctrl;
    }
}

int ms_textscan_odd(const ms_textscan *t)
{
    return t->long_lines || t->nul_bytes || t->ctrl_bytes || t->read_error ||
           t->capped;
}

typedef unsigned long long ull;

ms_err ms_textscan_note(const ms_textscan *t, const char *what, char **out)
{
    ms_buf b = {0};
    ms_err e = MS_OK;
    *out = NULL;
    if (!ms_textscan_odd(t))
        return MS_OK;
    e |= ms_buf_printf(&b, "%s: ", what);
    if (t->long_lines || t->nul_bytes || t->ctrl_bytes)
        e |= ms_buf_puts(&b, "padding or binary junk: ");
    if (t->long_lines)
        e |= ms_buf_printf(&b, "line %llu (byte offset %llu) is %llu bytes long"
                      "%s; ", (ull)t->long_line, (ull)t->long_off,
                      (ull)t->long_len, t->long_lines > 1 ? ", and more "
                      "lines are longer than 4096 bytes" : "");
    if (t->nul_bytes)
        e |= ms_buf_printf(&b, "%llu NUL bytes in %llu lines (the first at line "
                      "%llu, byte offset %llu; a line is read up to its "
                      "first NUL); ", (ull)t->nul_bytes, (ull)t->nul_lines,
                      (ull)t->nul_line, (ull)t->nul_off);
    if (t->ctrl_bytes)
        e |= ms_buf_printf(&b, "%llu control bytes in %llu lines (the first at "
                      "line %llu, byte offset %llu); ", (ull)t->ctrl_bytes,
                      (ull)t->ctrl_lines, (ull)t->ctrl_line,
                      (ull)t->ctrl_off);
    if (t->read_error)
        e |= ms_buf_printf(&b, "the file could be read only up to byte %llu",
                      (ull)t->bytes);
    else if (t->capped)
        e |= ms_buf_printf(&b, "reading stopped after %llu bytes (the limit for "
                      "one file)", (ull)t->bytes);
    else
        e |= ms_buf_printf(&b, "every line was read (%llu lines, %llu bytes)",
                      (ull)t->lines, (ull)t->bytes);
    if (e) {
        ms_buf_free(&b);
        return MS_ERR_NOMEM;
    }
    *out = ms_buf_steal(&b);
    ms_buf_free(&b);
    return *out ? MS_OK : MS_ERR_NOMEM;
}

typedef struct pass {
    ms_line_cb cb;
    void *user;
    ms_textscan *ts;
} pass;

static int on_line(void *user, const ms_line *l)
{
    pass *p = user;
    ms_textscan_line(p->ts, l);
    return p->cb ? p->cb(p->user, l) : 0;
}

static ssize_t fs_read(void *src, uint64_t off, void *buf, size_t len)
{
    return ms_fs_file_read(src, off, buf, len);
}

ms_err ms_textfile_read(ms_fs *fs, const char *path, size_t keep,
                        ms_line_cb cb, void *user, ms_textscan *ts)
{
    ms_textscan local = {0};
    char *res = NULL;
    ms_ptype type = MS_PT_NONE;
    ms_fs_file *f = NULL;
    ms_lines_stats st = {0};
    pass p = { cb, user, ts ? ts : &local };
    ms_err rc = MS_ERR_NOT_FOUND;

    memset(p.ts, 0, sizeof *p.ts);
    ms_err r = ms_path_resolve(ms_fs_lstat, fs, path, "/", &res, &type, NULL);
    if (r == MS_ERR_NOMEM) {
        rc = r;
        goto _exit;
    }
    if (r != MS_OK || type != MS_PT_REG || ms_fs_open(fs, res, &f) != MS_OK)
        goto _exit;
    /* a deleted name is not the file the system read */
    ms_fileref ref = {0};
    ms_fs_file_stat(f, &ref);
    int gone = ref.deleted || ref.type != MS_FT_REG;
    free(ref.path);
    if (gone)
        goto _exit;
    rc = ms_lines_read(fs_read, f, keep, on_line, NULL, &p, &st);
    p.ts->bytes = st.bytes;
    p.ts->read_error = st.read_error;
    p.ts->capped = st.capped;
    if (rc == MS_OK && st.stopped)
        rc = MS_ERR_INTERNAL;
_exit:
    ms_fs_file_close(f);
    free(res);
    return rc;
}

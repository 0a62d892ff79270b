/* linereader.c - whole-file line reading with a per-line memory bound.
 * See linereader.h; comments here say why. */
#include "artifacts/linereader.h"

#include <stdlib.h>
#include <string.h>

ssize_t ms_lines_mem_read(void *src, uint64_t off, void *buf, size_t len)
{
    const ms_lines_mem *m = src;
    if (!m || off >= m->len)
        return 0;
    size_t n = m->len - (size_t)off < len ? m->len - (size_t)off : len;
    memcpy(buf, m->data + off, n);
    return (ssize_t)n;
}

typedef struct reader {
    char *line;           /* keep + 1 bytes */
    size_t keep;
    ms_line cur;
} reader;

static void line_start(reader *r, uint64_t offset)
{
    uint64_t number = r->cur.number + 1;
    memset(&r->cur, 0, sizeof r->cur);
    r->cur.data = r->line;
    r->cur.offset = offset;
    r->cur.number = number;
}

/* Count the bytes of buf[0..n) as part of the current line. */
static void line_take(reader *r, const uint8_t *buf, size_t n)
{
    ms_line *l = &r->cur;
    if (l->kept < r->keep) {
        size_t room = r->keep - l->kept, k = n < room ? n : room;
        memcpy(r->line + l->kept, buf, k);
        l->kept += k;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t c = buf[i];
        if (c >= 0x20 && c != 0x7f)
            continue;
        if (c == 0) {
            if (!l->nuls++)
                l->first_nul = l->len + i;
        } else if (c != '\t' && c != '\r') {
            if (!l->ctrl++)
                l->first_ctrl = l->len + i;
        }
    }
    l->len += n;
}

static int line_deliver(reader *r, int has_newline, ms_line_cb cb,
                        void *user)
{
    r->line[r->cur.kept] = '\0';
    r->cur.has_newline = has_newline;
    return cb ? cb(user, &r->cur) : 0;
}

ms_err ms_lines_read(ms_lines_read_fn rd, void *src, size_t keep,
                     ms_line_cb line_cb, ms_block_cb block_cb, void *user,
                     ms_lines_stats *stats)
{
    ms_lines_stats st = {0};
    reader r = { .keep = keep };
    uint8_t *block = NULL;
    ms_err rc = MS_OK;
    uint64_t off = 0;
    int open = 0;          /* a line has bytes not yet delivered */

    if (!rd || keep == 0 || keep > SIZE_MAX / 2)
        return MS_ERR_ARG;
    block = malloc(MS_LINES_BLOCK);
    r.line = malloc(keep + 1);
    if (!block || !r.line) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    line_start(&r, 0);
    for (;;) {
        if (off >= MS_LINES_MAX_TOTAL) {
            st.capped = 1;
            break;
        }
        size_t want = MS_LINES_BLOCK;
        if (MS_LINES_MAX_TOTAL - off < want)
            want = (size_t)(MS_LINES_MAX_TOTAL - off);
        ssize_t n = rd(src, off, block, want);
        if (n < 0)
            st.read_error = 1;
        if (n <= 0)
            break;
        if ((size_t)n > want)   /* a broken source must not overrun us */
            n = (ssize_t)want;
        if (block_cb && block_cb(user, off, block, (size_t)n)) {
            st.stopped = 1;
            break;
        }
        const uint8_t *p = block, *end = block + n;
        while (p < end) {
            const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
            size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
            line_take(&r, p, k);
            open = 1;
            if (!nl)
                break;
            st.lines++;
            open = 0;
            if (line_deliver(&r, 1, line_cb, user)) {
                st.stopped = 1;
                off += (uint64_t)(nl - block) + 1;
                goto _done;
            }
            line_start(&r, off + (uint64_t)(nl - block) + 1);
            p = nl + 1;
        }
        off += (uint64_t)n;
    }
    /* the last line, without a newline; an empty one is no line */
    if (open && r.cur.len > 0) {
        st.lines++;
        if (line_deliver(&r, 0, line_cb, user))
            st.stopped = 1;
    }
_done:
    st.bytes = off;
_exit:
    if (stats)
        *stats = st;
    free(block);
    free(r.line);
    return rc;
}

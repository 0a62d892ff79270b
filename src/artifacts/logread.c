/* logread.c - see logread.h. */
#include "artifacts/logread.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IN_BLOCK (64u * 1024u)

typedef struct gz_src {
    ms_lines_read_fn rd;
    void     *src;
    uint64_t  in_off;      /* next compressed byte to read */
    uint64_t  out_pos;     /* decompressed bytes handed out */
    z_stream  z;
    uint8_t  *in;
    int       done;
    ms_logread_info *info;
} gz_src;

/* Sequential reads only, as the line reader makes them. */
static ssize_t gz_read(void *p, uint64_t off, void *buf, size_t len)
{
    gz_src *g = p;
    if (off != g->out_pos)
        return -1;
    if (g->done || len == 0)
        return 0;
    if (g->out_pos >= MS_LOG_MAX_OUTPUT) {
        g->info->capped = 1;
        g->done = 1;
        return 0;
    }
    if (len > MS_LOG_MAX_OUTPUT - g->out_pos)
        len = (size_t)(MS_LOG_MAX_OUTPUT - g->out_pos);
    g->z.next_out = buf;
    g->z.avail_out = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
    /* bounded: every pass either consumes input, produces output or ends */
    while (g->z.avail_out > 0 && !g->done) {
        if (g->z.avail_in == 0) {
            ssize_t n = g->rd(g->src, g->in_off, g->in, IN_BLOCK);
            if (n <= 0) {
                /* input ended inside a member: truncated */
                if (n < 0 || g->z.total_in > 0)
                    g->info->gzip_error = 1;
                g->done = 1;
                break;
            }
            g->in_off += (uint64_t)n;
            g->z.next_in = g->in;
            g->z.avail_in = (uInt)n;
        }
        int r = inflate(&g->z, Z_NO_FLUSH);
        if (r == Z_STREAM_END) {
            /* another member may follow (concatenated gzip files) */
            if (inflateReset(&g->z) != Z_OK)
                g->done = 1;
            g->z.total_in = 0;
            continue;
        }
        if (r != Z_OK && r != Z_BUF_ERROR) {
            g->info->gzip_error = 1;
            g->done = 1;
        } else if (r == Z_BUF_ERROR && g->z.avail_in > 0) {
            g->info->gzip_error = 1;
            g->done = 1;
        }
    }
    size_t got = len - g->z.avail_out;
    g->out_pos += got;
    return (ssize_t)got;
}

ms_err ms_logread_lines(ms_lines_read_fn rd, void *src, size_t keep,
                        ms_line_cb cb, void *user, ms_logread_info *info)
{
    uint8_t hdr[10];
    gz_src g;
    ms_err rc;

    if (!rd || !info || keep == 0)
        return MS_ERR_ARG;
    memset(info, 0, sizeof *info);
    ssize_t n = rd(src, 0, hdr, sizeof hdr);
    if (n < 3 || hdr[0] != 0x1f || hdr[1] != 0x8b || hdr[2] != 8)
        return ms_lines_read(rd, src, keep, cb, NULL, user, &info->stats);

    info->compressed = 1;
    if (n == 10)
        info->gzip_mtime = (uint32_t)hdr[4] | (uint32_t)hdr[5] << 8 |
                           (uint32_t)hdr[6] << 16 | (uint32_t)hdr[7] << 24;
    memset(&g, 0, sizeof g);
    g.rd = rd;
    g.src = src;
    g.info = info;
    if (!(g.in = malloc(IN_BLOCK)))
        return MS_ERR_NOMEM;
    /* 16 + MAX_WBITS: a gzip wrapper, header and trailer checked by zlib */
    if (inflateInit2(&g.z, 16 + MAX_WBITS) != Z_OK) {
        free(g.in);
        return MS_ERR_NOMEM;
    }
    rc = ms_lines_read(gz_read, &g, keep, cb, NULL, user, &info->stats);
    inflateEnd(&g.z);
    free(g.in);
    return rc;
}

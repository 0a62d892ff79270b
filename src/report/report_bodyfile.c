/* report_bodyfile.c - TSK 3.x bodyfile, so mactime(1) and other timeline
 * tools can merge mumblescan's results with a full fls -m timeline.
 *
 *   MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime
 *
 * Times are whole seconds (the format has no fraction); 0 means "not
 * recorded", as fls writes it.  Names are "v<volume>:<path>", with fls's
 * " (deleted)" / " (deleted-realloc)" suffixes, and escaped so that no '|'
 * or line break from the image can shift a field. */
#include "report/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "report/history_report.h"
#include "report/timefmt.h"

/* fls's type letters: name type and meta type use the same letters for the
 * types we know; anything else is '-' (undefined). */
static char type_letter(enum ms_ftype t)
{
    switch (t) {
    case MS_FT_REG: return 'r';
    case MS_FT_DIR: return 'd';
    case MS_FT_LNK: return 'l';
    default:        return '-';
    }
}

/* "r/rrwxr-xr-x": name type, '/', meta type, then permissions with the
 * setuid/setgid/sticky letters as ls(1) and tsk_fs_meta_make_ls write
 * them.  buf must hold 13 bytes. */
static void mode_string(const ms_fileref *r, char buf[13])
{
    static const char rwx[] = "rwxrwxrwx";
    uint32_t m = r->mode;
    char t = type_letter(r->type);

    buf[0] = t;
    buf[1] = '/';
    buf[2] = t;
    for (int i = 0; i < 9; i++)
        buf[3 + i] = (m & (0400u >> i)) ? rwx[i] : '-';
    if (m & 04000)
        buf[5] = (m & 0100) ? 's' : 'S';
    if (m & 02000)
        buf[8] = (m & 0010) ? 's' : 'S';
    if (m & 01000)
        buf[11] = (m & 0001) ? 't' : 'T';
    buf[12] = '\0';
}

static int64_t body_time(const ms_fileref *r, enum ms_time_kind k)
{
    return ms_time_usable(&r->times[k]) ? r->times[k].sec : 0;
}

static ms_err body_line(FILE *out, const ms_fileref *r, const char *md5,
                        int recovered)
{
    char mode[13], *esc = NULL;
    const char *path = r->path ? r->path : "";
    const char *suffix = !r->deleted ? ""
                         : r->meta_reused ? " (deleted-realloc)"
                         : recovered ? " (deleted) [recovered from journal]"
                                     : " (deleted)";
    ms_err e = MS_OK;

    esc = ms_escape_bodyfile(path, strlen(path));
    if (!esc) {
        e = MS_ERR_NOMEM;
        goto _exit;
    }
    mode_string(r, mode);
    if (fprintf(out, "%s|v%d:%s%s|%" PRIu64 "|%s|%" PRIu32 "|%" PRIu32
                     "|%" PRIu64 "|%" PRId64 "|%" PRId64 "|%" PRId64
                     "|%" PRId64 "\n",
                md5, r->volume, esc, suffix, r->has_inode ? r->inode : 0,
                mode, r->uid, r->gid, r->size, body_time(r, MS_T_ATIME),
                body_time(r, MS_T_MTIME), body_time(r, MS_T_CTIME),
                body_time(r, MS_T_CRTIME)) < 0)
        e = MS_ERR_IO;
_exit:
    free(esc);
    return e;
}

/* The MD5 field: the hash when the content was read and the field holds
 * exactly 32 hex digits, else "0" as fls writes it. */
static const char *md5_field(const ms_file *f)
{
    size_t n = strnlen(f->md5, sizeof f->md5);
    if (n != 32 || strspn(f->md5, "0123456789abcdefABCDEF") != 32)
        return "0";
    return f->md5;
}

static int same_ref(const ms_fileref *a, const ms_fileref *b)
{
    return a->volume == b->volume && a->has_inode == b->has_inode &&
           a->inode == b->inode && a->deleted == b->deleted && a->path &&
           b->path && !strcmp(a->path, b->path);
}

/* The source of persistence record i is already a line: a crontab (the
 * cron kind's sources), or the source of the record before it (records
 * of one file come together).  Bounded by the crontab count, not by
 * the records squared. */
static int source_listed(const ms_scan *scan, size_t i)
{
    const ms_fileref *r = &scan->persistence[i].source;
    if (!r->path)
        return 1;
    if (i > 0 && same_ref(&scan->persistence[i - 1].source, r))
        return 1;
    for (size_t k = 0; k < scan->ncrontabs; k++)
        if (same_ref(&scan->crontabs[k].file, r))
            return 1;
    return 0;
}

ms_err ms_report_bodyfile(FILE *out, const ms_report_ctx *ctx)
{
    ms_err e = MS_OK;

    if (!out || !ctx || !ctx->scan)
        return MS_ERR_ARG;
    const ms_scan *scan = ctx->scan;
    for (size_t i = 0; i < scan->nfiles && !e; i++) {
        const ms_file *f = &scan->files[i];
        if (f->missing || (f->origin & MS_ORIGIN_CARVE))
            continue; /* not in the image, or carved: no inode, no times */
        e = body_line(out, &f->ref, md5_field(f), f->recovery != NULL);
    }
    for (size_t i = 0; i < scan->ncrontabs && !e; i++)
        e = body_line(out, &scan->crontabs[i].file, "0",
                      scan->crontabs[i].recovery != NULL);
    for (size_t i = 0; i < scan->npersistence && !e; i++)
        if (!source_listed(scan, i))
            e = body_line(out, &scan->persistence[i].source, "0",
                          scan->persistence[i].recovery_method !=
                              MS_RECOV_NONE);
    if (!e)   /* the story's dated steps, cron runs, logins */
        e = ms_hr_bodyfile(out, scan);
    if (!e && (fflush(out) != 0 || ferror(out)))
        e = MS_ERR_IO;
    return e;
}

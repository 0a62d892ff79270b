/* ext_view.c - backup-superblock and journal-replay views of an ext
 * volume, and what the replay changed (see ext_view.h). */
#include "evidence/ext_view.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "evidence/ext_backup_sb.h"
#include "evidence/fs_open.h"
#include "evidence/overlay.h"

#define MAX_LISTED        16          /* blocks/inodes/files named in the note */
#define MAX_DIFF_GROUPS   (1u << 20)  /* groups indexed for the inode diff */
#define MAX_COMPARE_BYTES (64u << 20) /* content compared per file */
#define CHUNK             65536

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}
static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static int read_at(TSK_IMG_INFO *img, uint64_t off, void *buf, size_t len)
{
    tsk_error_reset();
    return tsk_img_read(img, (TSK_OFF_T)off, buf, len) == (ssize_t)len ? 0 : -1;
}

/* An overlay of the volume with the backup superblock applied, if any. */
static ms_err base_overlay(TSK_IMG_INFO *img, uint64_t off, uint64_t len,
                           uint32_t bs, const ms_ext_backup *bk,
                           ms_overlay **o, char **diff)
{
    int gdt = 0;
    ms_err rc = ms_overlay_new(img, off, len, bs, o);
    if (rc || !bk)
        return rc;
    rc = ms_ext_backup_apply(img, off, bk, *o, &gdt, diff);
    if (rc) {
        ms_overlay_free(*o);
        *o = NULL;
    }
    return rc;
}

/* The superblock as the replayed file system has it: needs_recovery
 * cleared, checksum recomputed (in the overlay only). */
static ms_err clear_recover(ms_overlay *o, uint32_t bs)
{
    uint64_t blk = MS_EXT_SB_OFFSET / bs;
    size_t in = MS_EXT_SB_OFFSET % bs;
    uint8_t *b = malloc(bs);
    ms_err rc = MS_ERR_NOMEM;
    if (!b)
        return rc;
    if (ms_overlay_read(o, blk * bs, b, bs) != (ssize_t)bs) {
        rc = MS_ERR_IO;
        goto _exit;
    }
    put_le32(b + in + 0x60, le32(b + in + 0x60) & ~MS_EXT_INCOMPAT_RECOVER);
    ms_ext_sb_fix_csum(b + in);
    rc = ms_overlay_put(o, blk, b);
_exit:
    free(b);
    return rc;
}

ms_err ms_ext_view_open(TSK_IMG_INFO *img, uint64_t off, uint64_t len,
                        int scan_backups, ms_ext_view *v)
{
    uint8_t sb[MS_EXT_SB_SIZE];
    ms_ext_geom g;
    ms_ext_backup *bk = NULL;
    ms_overlay *o = NULL;
    char *diff = NULL, *rwhy = NULL;
    const char *why = NULL;
    ms_err rc = MS_OK;
    ms_buf note = {0}, suffix = {0};

    memset(v, 0, sizeof *v);
    if (len < 2048 || read_at(img, off + MS_EXT_SB_OFFSET, sb, sizeof sb))
        return MS_OK;
    int valid = ms_ext_sb_check(sb, len, &g, &why) == 0;
    int magic = sb[0x38] == 0x53 && sb[0x39] == 0xEF;
    if (!valid && (magic || scan_backups)) {
        bk = malloc(sizeof *bk);
        if (!bk)
            return MS_ERR_NOMEM;
        if (ms_ext_backup_find(img, off, len, bk) != MS_OK) {
            free(bk);
            return MS_OK;      /* nothing better than what libtsk sees */
        }
        g = bk->g;
        rc = base_overlay(img, off, len, g.bs, bk, &o, &diff);
        if (rc)
            goto _exit;
        rc = ms_overlay_image(o, &v->ondisk);
        if (rc)
            goto _exit;
        o = NULL;
        v->backup_used = 1;
        v->backup_block = bk->block;
        ms_buf_printf(&suffix, "backup superblock at block %llu",
                      (unsigned long long)bk->block);
        ms_buf_printf(&note, "examined from the backup superblock at block "
                      "%llu (group %u, %u-byte blocks): %s",
                      (unsigned long long)bk->block, bk->group, g.bs, diff);
    } else if (!valid) {
        return MS_OK;
    }

    /* The journal: replayed when the superblock says it needs recovery,
     * or (as e2fsck does) when a backup superblock, which never carries
     * needs_recovery, is used and the journal holds a live log. */
    TSK_IMG_INFO *eimg = v->ondisk ? v->ondisk : img;
    uint64_t eoff = v->ondisk ? 0 : off;
    int recover = (g.incompat & MS_EXT_INCOMPAT_RECOVER) != 0;
    if (!recover && v->backup_used && g.journal_inum)
        recover = ms_ext_journal_active(eimg, eoff);
    if (recover) {
        ms_err rr = ms_ext_replay_compute(eimg, eoff, &v->rp, &rwhy);
        if (rr == MS_ERR_NOMEM) {
            rc = rr;
            goto _exit;
        }
        if (rr == MS_OK) {
            free(diff);          /* already in the note; rebuilt here */
            diff = NULL;
            rc = base_overlay(img, off, len, g.bs, bk, &o, &diff);
            for (size_t i = 0; rc == MS_OK && i < v->rp.n; i++)
                rc = ms_overlay_put(o, v->rp.blocks[i],
                                    v->rp.data + i * (size_t)v->rp.bs);
            if (rc == MS_OK)
                rc = clear_recover(o, g.bs);
            if (rc == MS_OK)
                rc = ms_overlay_image(o, &v->view);
            if (rc == MS_ERR_NOMEM)
                goto _exit;
            if (rc == MS_OK) {
                o = NULL;
                v->replayed = 1;
                /* the overlay holds its own copies; the diff needs only
                 * the block numbers */
                free(v->rp.data);
                v->rp.data = NULL;
                ms_buf_printf(&suffix, "%sjournal replayed: %u transaction%s, "
                              "%zu block%s", suffix.len ? "; " : "",
                              v->rp.ntrans, v->rp.ntrans == 1 ? "" : "s",
                              v->rp.n, v->rp.n == 1 ? "" : "s");
                ms_buf_printf(&note, "%sthe journal needed recovery: read as "
                              "after replay (in memory) of %u committed "
                              "transaction%s (sequence %u-%u), %zu block%s"
                              "%s%s",
                              note.len ? "; " : "", v->rp.ntrans,
                              v->rp.ntrans == 1 ? "" : "s", v->rp.seq_first,
                              v->rp.seq_last, v->rp.n, v->rp.n == 1 ? "" : "s",
                              v->rp.nrevoked ? ", revoked copies skipped" : "",
                              v->rp.uncommitted ? ", a trailing uncommitted "
                              "transaction ignored" : "");
            } else {
                ms_buf_printf(&note, "%sthe journal needs recovery but could "
                              "not be replayed (%s): read as on disk",
                              note.len ? "; " : "", ms_strerror(rc));
                rc = MS_OK;
            }
        } else {
            ms_buf_printf(&note, "%sthe journal needs recovery but nothing "
                          "was replayed (%s): read as on disk",
                          note.len ? "; " : "", rwhy ? rwhy : "unknown");
        }
    }
    if (!v->view && v->ondisk) {      /* backup only: examine that view */
        v->view = v->ondisk;
        v->ondisk = NULL;
    }
    v->note = note.len ? ms_buf_steal(&note) : NULL;
    v->stack_suffix = suffix.len ? ms_buf_steal(&suffix) : NULL;
_exit:
    ms_buf_free(&note);
    ms_buf_free(&suffix);
    ms_overlay_free(o);
    free(bk);
    free(diff);
    free(rwhy);
    if (rc)
        ms_ext_view_free(v);
    return rc;
}

void ms_ext_view_free(ms_ext_view *v)
{
    if (v->view)
        tsk_img_close(v->view);
    if (v->ondisk)
        tsk_img_close(v->ondisk);
    free(v->stack_suffix);
    free(v->note);
    ms_ext_replay_free(&v->rp);
    memset(v, 0, sizeof *v);
}

/* ---- what the replay changed ------------------------------------------ */

typedef struct itab { uint64_t start; uint64_t group; } itab;

static int cmp_itab(const void *a, const void *b)
{
    const itab *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Inode-table start of every group, read from the replayed view. */
static itab *inode_tables(TSK_IMG_INFO *img, const ms_ext_geom *g)
{
    if (g->ngroups == 0 || g->ngroups > MAX_DIFF_GROUPS)
        return NULL;
    itab *t = calloc(g->ngroups, sizeof *t);
    uint8_t *blk = malloc(g->bs);
    uint64_t grp = 0;
    if (!t || !blk)
        goto _fail;
    for (uint64_t b = g->first_data_block + 1; grp < g->ngroups; b++) {
        if (read_at(img, b * g->bs, blk, g->bs))
            goto _fail;
        for (uint32_t o = 0; o + g->desc_size <= g->bs && grp < g->ngroups;
             o += g->desc_size, grp++) {
            uint64_t it = le32(blk + o + 8);
            if (g->desc_size >= 64)
                it |= (uint64_t)le32(blk + o + 0x28) << 32;
            t[grp] = (itab){ it, grp };
        }
    }
    qsort(t, g->ngroups, sizeof *t, cmp_itab);
    free(blk);
    return t;
_fail:
    free(t);
    free(blk);
    return NULL;
}

/* Index in t of the inode table holding block b, or -1. */
static int64_t itable_of(const itab *t, const ms_ext_geom *g, uint64_t b,
                         uint64_t it_blocks)
{
    size_t lo = 0, hi = g->ngroups;
    while (lo < hi) {               /* last table starting at or before b */
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].start <= b)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || b >= t[lo - 1].start + it_blocks)
        return -1;
    return (int64_t)(lo - 1);
}

static void fmt_time(char *out, size_t n, const ms_time *t)
{
    struct tm tm;
    time_t s = (time_t)t->sec;
    if (!t->set || !gmtime_r(&s, &tm) ||
        !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, n, "%s", t->set ? "?" : "unset");
}

/* 1 if the contents differ, 0 if equal, -1 if unreadable. */
static int content_differs(ms_fs_file *a, ms_fs_file *b, uint64_t size)
{
    uint8_t *x = malloc(CHUNK), *y = malloc(CHUNK);
    int res = -1;
    if (!x || !y)
        goto _exit;
    if (size > MAX_COMPARE_BYTES)
        size = MAX_COMPARE_BYTES;
    for (uint64_t off = 0; off < size; off += CHUNK) {
        size_t want = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
        ssize_t ga = ms_fs_file_read(a, off, x, want);
        ssize_t gb = ms_fs_file_read(b, off, y, want);
        if (ga < 0 || gb < 0)
            goto _exit;
        if (ga != gb || memcmp(x, y, (size_t)ga)) {
            res = 1;
            goto _exit;
        }
        if ((size_t)ga < want)
            break;
    }
    res = 0;
_exit:
    free(x);
    free(y);
    return res;
}

/* Open the object of `ref` in one view: by path when its name is live
 * (a name missing from the other view is a difference, not a reason to
 * look at whatever its inode number holds there), by inode otherwise. */
static ms_err open_ref(ms_fs *fs, const ms_fileref *ref, const char *path,
                       ms_fs_file **f)
{
    if (!ref->deleted && path)
        return ms_fs_open(fs, path, f);
    if (ref->has_inode)
        return ms_fs_open_inode(fs, ref->inode, f);
    return MS_ERR_NOT_FOUND;
}

/* How the object differs between the replayed and the on-disk view, in
 * words; NULL when it does not (or on allocation failure, *err set). */
static char *compare_ref(ms_fs *rep, ms_fs *od, const ms_fileref *ref,
                         const char *path, ms_err *err)
{
    ms_fs_file *a = NULL, *b = NULL;
    ms_fileref ra = {0}, rb = {0};
    ms_buf out = {0};
    char *res = NULL;
    char t1[40], t2[40];

    if (open_ref(rep, ref, path, &a) != MS_OK)
        goto _exit;              /* not in the replayed view: nothing said */
    if (open_ref(od, ref, path, &b) != MS_OK) {
        res = ms_strdup("absent from the on-disk view (journal not "
                        "replayed): it exists only after the journal replay");
        if (!res)
            *err = MS_ERR_NOMEM;
        goto _exit;
    }
    ms_fs_file_stat(a, &ra);
    ms_fs_file_stat(b, &rb);
    if (ra.deleted != rb.deleted)
        ms_buf_puts(&out, rb.deleted ? "only a deleted entry on disk, live "
                    "after the replay" : "live on disk, deleted after the "
                    "replay");
    if (ra.inode != rb.inode)
        ms_buf_printf(&out, "%sinode %llu -> %llu", out.len ? ", " : "",
                      (unsigned long long)rb.inode,
                      (unsigned long long)ra.inode);
    if (ra.size != rb.size)
        ms_buf_printf(&out, "%ssize %llu -> %llu", out.len ? ", " : "",
                      (unsigned long long)rb.size,
                      (unsigned long long)ra.size);
    if (ra.mode != rb.mode || ra.type != rb.type)
        ms_buf_printf(&out, "%smode %04o -> %04o", out.len ? ", " : "",
                      rb.mode, ra.mode);
    if (ra.uid != rb.uid || ra.gid != rb.gid)
        ms_buf_printf(&out, "%sowner %u:%u -> %u:%u", out.len ? ", " : "",
                      rb.uid, rb.gid, ra.uid, ra.gid);
    static const struct { enum ms_time_kind k; const char *n; } tk[] = {
        { MS_T_MTIME, "mtime" }, { MS_T_CTIME, "ctime" },
        { MS_T_CRTIME, "crtime" }, { MS_T_DTIME, "dtime" },
    };
    for (size_t i = 0; i < sizeof tk / sizeof *tk; i++) {
        const ms_time *x = &rb.times[tk[i].k], *y = &ra.times[tk[i].k];
        if (x->set == y->set && x->sec == y->sec && x->nsec == y->nsec)
            continue;
        fmt_time(t1, sizeof t1, x);
        fmt_time(t2, sizeof t2, y);
        ms_buf_printf(&out, "%s%s %s -> %s", out.len ? ", " : "", tk[i].n,
                      t1, t2);
    }
    if (ra.type == MS_FT_REG && rb.type == MS_FT_REG) {
        uint64_t sz = ra.size > rb.size ? ra.size : rb.size;
        int d = content_differs(a, b, sz);
        if (d != 0)
            ms_buf_printf(&out, "%s%s", out.len ? ", " : "",
                          d > 0 ? "content differs" : "content unreadable in "
                          "one view");
    }
    if (out.len) {
        res = ms_asprintf("differs from the on-disk view (journal not "
                          "replayed): %s", out.data);
        if (!res)
            *err = MS_ERR_NOMEM;
    }
_exit:
    ms_buf_free(&out);
    ms_fileref_clear(&ra);
    ms_fileref_clear(&rb);
    if (a)
        ms_fs_file_close(a);
    if (b)
        ms_fs_file_close(b);
    return res;
}

/* The path inside the file system of a reported path (the volume may be
 * examined at an inferred mount point such as /var). */
static const char *fs_path(const char *path, const char *mount)
{
    if (!path || !mount)
        return path;
    size_t n = strlen(mount);
    if (strncmp(path, mount, n) != 0)
        return path;
    if (path[n] == '\0')
        return "/";
    return path[n] == '/' ? path + n : path;
}

ms_err ms_ext_view_diff(ms_ext_view *v, TSK_IMG_INFO *img, uint64_t off,
                        ms_scan *scan, int vol, ms_fs *fs)
{
    ms_fs *od = NULL;
    char *why = NULL;
    uint8_t *x = NULL, *y = NULL;
    itab *tabs = NULL;
    ms_buf blocks = {0}, inodes = {0}, files = {0};
    size_t nchanged = 0, ninodes = 0, nfiles = 0;
    ms_err rc = MS_OK;
    TSK_IMG_INFO *oimg = v->ondisk ? v->ondisk : img;
    uint64_t ooff = v->ondisk ? 0 : off;

    if (!v->replayed)
        return MS_OK;
    if (ms_fs_open_any(oimg, ooff, &od, &why) != MS_OK) {
        ms_scan_add_error(scan, "volume %d: the on-disk view (journal not "
                          "replayed) could not be opened for comparison: %s",
                          vol, why ? why : "unknown");
        free(why);
        return MS_OK;
    }
    free(why);

    /* blocks and inode records the replay changed */
    uint8_t sb[MS_EXT_SB_SIZE];
    ms_ext_geom g;
    const char *gwhy;
    uint32_t bs = v->rp.bs;
    int geom = read_at(v->view, MS_EXT_SB_OFFSET, sb, sizeof sb) == 0 &&
               ms_ext_sb_check(sb, 0, &g, &gwhy) == 0 && g.bs == bs;
    uint64_t it_blocks = geom ? ((uint64_t)g.ipg * g.inode_size + bs - 1) / bs
                              : 0;
    x = malloc(bs);
    y = malloc(bs);
    if (!x || !y) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    if (geom)
        tabs = inode_tables(v->view, &g);
    for (size_t i = 0; i < v->rp.n; i++) {
        uint64_t b = v->rp.blocks[i];
        if (read_at(oimg, ooff + b * bs, x, bs) ||
            read_at(v->view, b * bs, y, bs) || !memcmp(x, y, bs))
            continue;
        if (nchanged++ < MAX_LISTED)
            ms_buf_printf(&blocks, "%s%llu", blocks.len ? ", " : "",
                          (unsigned long long)b);
        int64_t ti = tabs ? itable_of(tabs, &g, b, it_blocks) : -1;
        if (ti < 0)
            continue;
        uint64_t grp = tabs[ti].group, start = tabs[ti].start;
        for (uint32_t o = 0; o + g.inode_size <= bs; o += g.inode_size) {
            uint64_t idx = (b - start) * (bs / g.inode_size) + o / g.inode_size;
            if (idx >= g.ipg || !memcmp(x + o, y + o, g.inode_size))
                continue;
            if (ninodes++ < MAX_LISTED)
                ms_buf_printf(&inodes, "%s%llu", inodes.len ? ", " : "",
                              (unsigned long long)((uint64_t)grp * g.ipg +
                                                   idx + 1));
        }
    }

    /* every reported file and crontab of this volume */
    const char *mount = scan->volumes[vol].mount_point;
    for (size_t i = 0; i < scan->nfiles && rc == MS_OK; i++) {
        ms_file *f = &scan->files[i];
        if (f->ref.volume != vol || f->missing || (f->origin & MS_ORIGIN_CARVE))
            continue;
        char *d = compare_ref(fs, od, &f->ref, fs_path(f->ref.path, mount),
                              &rc);
        if (!d)
            continue;
        rc = ms_file_reason_take(f, MS_R_JOURNAL_REPLAY_CHANGED, MS_SEV_INFO,
                                 d);
        if (nfiles++ < MAX_LISTED)
            ms_buf_printf(&files, "%s%s", files.len ? ", " : "",
                          f->ref.path ? f->ref.path : "?");
    }
    for (size_t i = 0; i < scan->ncrontabs && rc == MS_OK; i++) {
        ms_crontab *c = &scan->crontabs[i];
        if (c->file.volume != vol)
            continue;
        char *d = compare_ref(fs, od, &c->file, fs_path(c->file.path, mount),
                              &rc);
        if (!d)
            continue;
        rc = ms_reasons_add(&c->reasons, &c->nreasons,
                            MS_R_JOURNAL_REPLAY_CHANGED, MS_SEV_INFO, d, NULL);
        if (nfiles++ < MAX_LISTED)
            ms_buf_printf(&files, "%s%s", files.len ? ", " : "",
                          c->file.path ? c->file.path : "?");
    }
    if (rc)
        goto _exit;

    ms_volume *vv = &scan->volumes[vol];
    char *n = ms_asprintf("%s; %zu block%s differ%s from the on-disk view"
                          "%s%s%s%s; inode records changed: %zu%s%s%s%s; "
                          "reported files that differ: %zu%s%s%s%s",
                          vv->note ? vv->note : "", nchanged,
                          nchanged == 1 ? "" : "s", nchanged == 1 ? "s" : "",
                          nchanged ? " (" : "", blocks.len ? blocks.data : "",
                          nchanged > MAX_LISTED ? ", ..." : "",
                          nchanged ? ")" : "",
                          ninodes, ninodes ? " (inodes " : "",
                          inodes.len ? inodes.data : "",
                          ninodes > MAX_LISTED ? ", ..." : "",
                          ninodes ? ")" : "",
                          nfiles, nfiles ? " (" : "",
                          files.len ? files.data : "",
                          nfiles > MAX_LISTED ? ", ..." : "",
                          nfiles ? ")" : "");
    if (!n) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    free(vv->note);
    vv->note = n;
_exit:
    ms_buf_free(&blocks);
    ms_buf_free(&inodes);
    ms_buf_free(&files);
    free(tabs);
    free(x);
    free(y);
    ms_fs_close(od);
    return rc;
}

#include "artifacts/tempdirs.h"

#include <stdlib.h>
#include <string.h>

#include "artifacts/coverage.h"
#include "artifacts/exec_magic.h"
#include "artifacts/fs_lookup.h"
#include "evidence/fs_ns.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

typedef struct walk {
    ms_fs *fs;
    ms_scan *scan;
    int volume;
    const ms_walk_limits *lim;
    size_t entries;        /* names seen in this temp dir so far */
    int limit_noted;
    const char *dir;       /* directory being listed */
    unsigned depth;
    char **subdirs;        /* allocated subdirectories to descend into */
    size_t nsub, subcap;
    ms_err err;
    size_t cov;            /* coverage record of the temp dir walked */
} walk;

/* First bytes decide "executable" for files without an x bit: Mumblehard
 * only needs to be run by perl or cron, and a dropper can clear the bit. */
static int has_exec_magic(ms_fs_file *f)
{
    uint8_t head[4] = {0};
    ssize_t got = ms_fs_file_read(f, 0, head, sizeof head);
    return got > 0 && ms_content_is_executable_magic(head, (size_t)got);
}

static ms_err record_file(walk *w, ms_fs_file *f, ms_fileref *ref)
{
    size_t index;
    int exec_bit = (ref->mode & 0111) != 0;
    if (!exec_bit && !has_exec_magic(f))
        return MS_OK;
    ms_err rc = ms_scan_file_for(w->scan, ref, 0, MS_ORIGIN_TEMP_DIR, &index);
    if (rc == MS_OK)
        w->scan->files[index].executable = 1;
    return rc;
}

static int on_entry(void *user, ms_fs_file *f, const char *name, size_t len)
{
    walk *w = user;
    ms_fileref ref = {0};

    w->entries++;
    w->scan->temp_entries++;
    ms_fs_file_stat(f, &ref);
    if (ref.deleted)
        w->scan->temp_deleted++;
    ref.volume = ms_fs_volume_at(w->fs, w->dir, w->volume);
    ref.path = ms_path_join(w->dir, name, len);
    if (!ref.path) {
        ms_scan_add_error(w->scan, "volume %d: unusable name in %s skipped",
                          w->volume, w->dir);
        return 0;
    }
    if (ref.type == MS_FT_DIR && !ref.deleted) {
        if (ms_grow((void **)&w->subdirs, &w->subcap, w->nsub + 1,
                    sizeof *w->subdirs) == MS_OK) {
            w->subdirs[w->nsub++] = ref.path;
            return 0;
        }
        w->err = MS_ERR_NOMEM;
    } else if (!ref.meta_reused &&
               (ref.type == MS_FT_REG ||
                (ref.deleted && ref.type == MS_FT_UNKNOWN))) {
        w->err = record_file(w, f, &ref);
    }
    free(ref.path);
    return w->err != MS_OK;
}

static ms_err walk_dir(walk *w, const char *dir, unsigned depth)
{
    if (depth > w->lim->max_depth) {
        ms_scan_add_error(w->scan, "volume %d: %s is deeper than %u levels; "
                          "not descended", w->volume, dir, w->lim->max_depth);
        ms_cov_partial(w->scan, w->cov, ms_asprintf(
            "limit reached: %s is deeper than %u levels, not descended",
            dir, w->lim->max_depth));
        return MS_OK;
    }
    size_t before = w->entries;
    char **mine = NULL;
    size_t nmine = 0;
    size_t budget = w->lim->max_entries > w->entries
                        ? w->lim->max_entries - w->entries : 0;
    w->dir = dir;
    w->subdirs = NULL;
    w->nsub = w->subcap = 0;
    ms_err rc = ms_fs_list_dir(w->fs, dir, on_entry, w, budget);
    mine = w->subdirs;
    nmine = w->nsub;
    ms_cov_listed(w->scan, w->cov, dir, rc, w->entries - before,
                  w->lim->max_entries);
    if (rc == MS_ERR_LIMIT && !w->limit_noted) {
        w->limit_noted = 1;
        ms_scan_add_error(w->scan, "volume %d: more than %zu names in one "
                          "temp directory; the walk stopped at %s", w->volume,
                          w->lim->max_entries, dir);
    }
    rc = w->err;
    for (size_t i = 0; i < nmine; i++) {
        if (rc == MS_OK)
            rc = walk_dir(w, mine[i], depth + 1);
        free(mine[i]);
    }
    free(mine);
    return rc;
}

ms_err ms_tempdirs_collect(ms_fs *fs, ms_scan *scan, int volume,
                           const ms_walk_limits *lim)
{
    walk w = { .fs = fs, .scan = scan, .volume = volume, .lim = lim };
    char *seen[16] = {0};
    size_t seen_cov[16];
    size_t nseen = 0;
    ms_err rc = MS_OK;

    for (size_t i = 0; i < ms_temp_dirs_count && rc == MS_OK; i++) {
        char *dir = NULL;
        size_t cov;
        rc = ms_cov_dir(fs, scan, volume, ms_temp_dirs[i], "temp_dir", &dir,
                        &cov);
        if (rc || !dir)
            continue;
        long dup = -1;
        for (size_t j = 0; j < nseen; j++)
            if (strcmp(seen[j], dir) == 0)
                dup = (long)j;
        if (dup >= 0 || nseen == sizeof seen / sizeof *seen) {
            if (dup >= 0)
                ms_cov_alias(scan, cov, seen_cov[dup]);
            free(dir);
            continue;
        }
        seen_cov[nseen] = cov;
        seen[nseen++] = dir;
        w.cov = cov;
        /* each temp dir has its own budget: a /tmp flooded with session
         * files must not keep /var/tmp or /dev/shm from being walked */
        w.entries = 0;
        w.limit_noted = 0;
        rc = walk_dir(&w, dir, 0);
    }
    for (size_t j = 0; j < nseen; j++)
        free(seen[j]);
    return rc;
}

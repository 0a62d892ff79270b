#include "scan/scan.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "artifacts/cronfiles.h"
#include "artifacts/hostid.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/analyze.h"
#include "detection/carve.h"
#include "detection/history.h"
#include "detection/story.h"
#include "detection/verdict.h"
#include "evidence/ewfhash.h"
#include "evidence/fs_mount.h"
#include "evidence/image.h"
#include "evidence/partial.h"
#include "evidence/volumes.h"
#include "scan/systems.h"
#include "scan/entry.h"

/* A separate /var partition is examined at /var: its crontabs and
 * /var/tmp are where the collectors look, and its paths are reported as
 * the server saw them. */
static ms_err on_volume_fs(const ms_scan_config *cfg, ms_scan *scan, int vol,
                           ms_fs *fs, ms_entry_run *entry);

/* What the volume callback needs besides the configuration. */
typedef struct walk_ctx {
    const ms_scan_config *cfg;
    ms_image   *img;
    ms_partial  hits;       /* files touching unreadable media */
    ms_entry_run entry;     /* web roots, access logs, time samples */
} walk_ctx;

static ms_err on_volume(void *user, ms_scan *scan, int vol, ms_fs *fs)
{
    walk_ctx *w = user;
    const char *mount = ms_fs_guess_mount(fs);
    ms_fs *view = NULL;
    ms_err rc;
    if (!mount) {
        rc = on_volume_fs(w->cfg, scan, vol, fs, &w->entry);
    } else if ((rc = ms_fs_mount_view(fs, mount, &view)) == MS_OK) {
        free(scan->volumes[vol].mount_point);
        scan->volumes[vol].mount_point = ms_strdup(mount);
        rc = on_volume_fs(w->cfg, scan, vol, view, &w->entry);
        ms_fs_close(view);
    }
    /* after the content was read, so read errors are known */
    if (rc == MS_OK)
        rc = ms_partial_mark_files(fs, scan, vol, ms_image_unreadable(w->img),
                                   &w->hits);
    if (rc == MS_OK)
        rc = ms_partial_mark_coverage(fs, scan, vol,
                                      ms_image_unreadable(w->img));
    return rc;
}

/* The collectors, on a file system or a system's namespace. */
static ms_err collect_fs(const ms_scan_config *cfg, ms_scan *scan, int vol,
                         ms_fs *fs, ms_entry_run *entry)
{
    /* Cron first: the programs it runs are analyzed with the temp files,
     * and a file found both ways is recorded once. */
    ms_err rc = ms_hostid_collect(fs, scan, vol);
    if (rc == MS_OK)
        rc = ms_cronfiles_collect(fs, scan, vol, cfg->max_crontab_bytes);
    if (rc == MS_OK)   /* cron's and sshd's logs, logins */
        rc = ms_history_collect(fs, scan, vol);
    if (rc == MS_OK)
        rc = ms_tempdirs_collect(fs, scan, vol, &cfg->walk);
    if (rc == MS_OK)   /* web roots, access logs, time samples */
        rc = ms_entry_volume(entry, cfg, fs, scan, vol);
    return rc;
}

static ms_err analyze_fs(const ms_scan_config *cfg, ms_scan *scan, int vol,
                         ms_fs *fs)
{
    ms_analyzer a = { cfg->rules, cfg->magic, cfg->max_scan_bytes,
                      cfg->extract_dir };
    /* the sweep only records its hits: analyzed below like the rest */
    ms_err rc = ms_sweep_volume(&cfg->sweep, cfg->rules, fs, scan, vol);
    if (rc == MS_OK)
        rc = ms_analyze_volume(&a, fs, scan, vol);
    /* after analysis, so journal-recovered block maps can name owners */
    if (rc == MS_OK && cfg->carve) {
        ms_carver cv = { .rules = cfg->rules,
                         .progress = cfg->carve_progress,
                         .extract_dir = cfg->extract_dir };
        rc = ms_carve_volume(&cv, fs, scan, vol);
    }
    return rc;
}

static ms_err on_volume_fs(const ms_scan_config *cfg, ms_scan *scan, int vol,
                           ms_fs *fs, ms_entry_run *entry)
{
    ms_err rc = collect_fs(cfg, scan, vol, fs, entry);
    return rc == MS_OK ? analyze_fs(cfg, scan, vol, fs) : rc;
}

static ms_err ns_collect(void *user, ms_scan *scan, int vol, ms_fs *fs)
{
    walk_ctx *w = user;
    return collect_fs(w->cfg, scan, vol, fs, &w->entry);
}

/* A volume mounted in a system's namespace: its files, found through
 * the namespace, analyzed through its mount view. */
static ms_err ns_analyze(void *user, ms_scan *scan, int vol, ms_fs *fs,
                         ms_fs *raw)
{
    walk_ctx *w = user;
    ms_err rc = analyze_fs(w->cfg, scan, vol, fs);
    if (rc == MS_OK)
        rc = ms_partial_mark_files(raw, scan, vol, ms_image_unreadable(w->img),
                                   &w->hits);
    if (rc == MS_OK)
        rc = ms_partial_mark_coverage(raw, scan, vol,
                                      ms_image_unreadable(w->img));
    return rc;
}

static ms_err record_images(const ms_scan_config *cfg, ms_scan *scan)
{
    scan->images = calloc(cfg->nimages, sizeof *scan->images);
    if (!scan->images)
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < cfg->nimages; i++) {
        scan->images[i] = ms_strdup(cfg->images[i]);
        if (!scan->images[i])
            return MS_ERR_NOMEM;
        scan->nimages++;
    }
    return MS_OK;
}

/* The image's identity for merging results: every file it was read from,
 * with its size. */
static ms_err record_segments(const ms_image *img, ms_scan *scan)
{
    size_t n = ms_image_segment_count(img);
    if (n == 0)
        return MS_OK;
    if (!(scan->segments = calloc(n, sizeof *scan->segments)))
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *p = ms_image_segment(img, i);
        if (!(scan->segments[i].path = ms_strdup(p ? p : "")))
            return MS_ERR_NOMEM;
        scan->nsegments++;
        scan->segments[i].size = ms_image_segment_size(img, i);
    }
    return MS_OK;
}

ms_err ms_scan_run(const ms_scan_config *cfg, ms_scan *scan, char **err_text)
{
    ms_image *img = NULL;
    walk_ctx w = { .cfg = cfg };
    ms_err rc;

    scan->started = (int64_t)time(NULL);
    if ((rc = record_images(cfg, scan)) != MS_OK)
        goto _exit;
    rc = ms_image_open(cfg->images, cfg->nimages, cfg->image_type, &img,
                       err_text);
    if (rc)
        goto _exit;
    scan->image_type = ms_strdup(ms_image_type_name(img));
    scan->image_size = ms_image_size(img);
    scan->sector_size = ms_image_sector_size(img);
    if ((rc = record_segments(img, scan)) != MS_OK)
        goto _exit;
    if (scan->image_type && !strcmp(scan->image_type, "ewf")) {
        char at[64];   /* for TIME_AFTER_ACQUISITION */
        if (ms_ewf_acquired(cfg->images, cfg->nimages, &scan->acquired, at)
                == MS_OK && !(scan->acquired_text = ms_strdup(at))) {
            rc = MS_ERR_NOMEM;
            goto _exit;
        }
    }
    if (ms_image_damage_note(img))
        ms_scan_add_error(scan, "%s", ms_image_damage_note(img));
    if (ms_image_container_hint(img))
        ms_scan_add_error(scan, "image is a %s", ms_image_container_hint(img));
    w.img = img;
    ms_ns_hooks hooks = { &w, ns_collect, ns_analyze, on_volume };
    rc = ms_systems_walk(img, scan, &hooks);
    if (rc == MS_OK)
        rc = ms_partial_finish(scan, ms_image_unreadable(img), &w.hits);
    if (rc == MS_OK)
        rc = ms_verdict_apply(scan, cfg->rules);
    if (rc == MS_OK)
        rc = ms_entry_finish(&w.entry, cfg, scan);
    if (rc == MS_OK)   /* after the verdict: histories link flagged jobs */
        rc = ms_history_finish(scan);
    if (rc == MS_OK)
        rc = ms_entry_story(scan);
    if (rc == MS_OK)
        rc = ms_story_build(scan);
    if (rc && !*err_text)
        *err_text = ms_asprintf("scan failed: %s", ms_strerror(rc));
_exit:
    ms_partial_free(&w.hits);
    ms_entry_run_free(&w.entry);
    ms_image_close(img);
    scan->finished = (int64_t)time(NULL);
    return rc;
}

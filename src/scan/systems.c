/* systems.c - one namespace per installed system. */
#include "scan/systems.h"

#include <stdlib.h>
#include <string.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/mounttab.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "evidence/fs_mount.h"
#include "evidence/fs_ns.h"
#include "evidence/volset.h"

/* A root file system: /etc and the programs' directories. */
static int is_root(ms_fs *fs)
{
    static const char *const dirs[] = { "/usr", "/bin", "/sbin", "/lib" };
    char *etc = ms_fs_resolve_dir(fs, "/etc");
    int n = 0;
    if (!etc)
        return 0;
    free(etc);
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char *d = ms_fs_resolve_dir(fs, dirs[i]);
        n += d != NULL;
        free(d);
    }
    return n > 0;
}

static long entry_of(const ms_volset *set, int vol)
{
    for (size_t i = 0; i < ms_volset_count(set); i++)
        if (ms_volset_volume(set, i) == vol)
            return (long)i;
    return -1;
}

/* Record on the volume where the table put it (first system wins). */
static ms_err claim(ms_scan *scan, int vol, const ms_mount *m)
{
    ms_volume *v = &scan->volumes[vol];
    if (v->mount_source)
        return MS_OK;
    free(v->mount_point);
    /* the root keeps NULL: "the root file system" (ms_model.h) */
    v->mount_point = strcmp(m->mount_point, "/") ? ms_strdup(m->mount_point)
                                                 : NULL;
    v->fstab_line = ms_strdup(m->text);
    v->mount_source = m->line ? ms_asprintf("%s line %u", m->source, m->line)
                              : ms_strdup(m->source);
    v->mount_how = ms_strdup(m->note ? m->note : "");
    return (v->mount_point || !strcmp(m->mount_point, "/")) && v->fstab_line &&
           v->mount_source && v->mount_how ? MS_OK : MS_ERR_NOMEM;
}

/* The namespace of system `sys` (root in entry r); marks claimed
 * entries. */
static ms_err build_ns(ms_scan *scan, const ms_volset *set, size_t r,
                       const ms_system *sys, char *claimed, ms_fs **out)
{
    ms_fs *ns = NULL;
    int root_vol = ms_volset_volume(set, r);
    ms_err rc = ms_fs_ns_new(&ns);
    if (rc)
        return rc;
    rc = ms_fs_ns_mount(ns, "/", ms_volset_fs(set, r), root_vol);
    claimed[r] = 1;
    for (size_t i = 0; rc == MS_OK && i < sys->nmounts; i++) {
        const ms_mount *m = &sys->mounts[i];
        const char *mp = m->mount_point;
        char *why = NULL;
        if (mp[0] != '/' || !strcmp(mp, "/"))
            continue;       /* "/" is the root the table was read from */
        switch (m->status) {
        case MS_MNT_MAPPED:
        case MS_MNT_INFERRED: {
            long e = entry_of(set, m->volume);
            if (e < 0) {
                const ms_volume *v = &scan->volumes[m->volume];
                why = ms_asprintf("volume %d (%s) holds %s but was not "
                                  "examined: %s", m->volume,
                                  v->stack ? v->stack : "?", mp,
                                  v->note ? v->note : "no file system opened");
                rc = why ? ms_fs_ns_absent(ns, mp, why, 0) : MS_ERR_NOMEM;
                break;
            }
            rc = ms_fs_ns_mount(ns, mp, ms_volset_fs(set, (size_t)e),
                                m->volume);
            if (rc == MS_OK)
                rc = claim(scan, m->volume, m);
            claimed[e] = 1;
            break;
        }
        case MS_MNT_BIND:
            rc = ms_fs_ns_bind(ns, mp, m->spec);
            break;
        case MS_MNT_MEMORY:
            rc = ms_fs_ns_absent(ns, mp, m->note, 1);
            break;
        case MS_MNT_ABSENT:
        case MS_MNT_NETWORK:
        case MS_MNT_UNMAPPED:
            why = ms_asprintf("%s (fstab mounts %s at %s)",
                              m->note ? m->note : "not in this image",
                              m->spec, mp);
            rc = why ? ms_fs_ns_absent(ns, mp, why, 0) : MS_ERR_NOMEM;
            break;
        default:
            break;
        }
        free(why);
        if (rc == MS_ERR_ARG || rc == MS_ERR_LIMIT) {
            ms_scan_add_error(scan, "volume %d: mount table entry %s (%s "
                              "line %u) left out of the namespace", root_vol,
                              mp, m->source, m->line);
            rc = MS_OK;
        }
    }
    if (rc == MS_OK) {
        ms_mount rm = { 0 };
        rm.source = (char *)"root file system";
        rm.text = (char *)"(the root the mount table was read from)";
        rm.mount_point = (char *)"/";
        rm.note = (char *)"the root file system the mount table was read "
                          "from";
        for (size_t i = 0; i < sys->nmounts; i++)
            if (!strcmp(sys->mounts[i].mount_point, "/"))
                rm = sys->mounts[i];
        rc = claim(scan, root_vol, &rm);
    }
    if (rc) {
        ms_fs_close(ns);
        return rc;
    }
    *out = ns;
    return MS_OK;
}

/* Content-based fallback: a volume no table claims whose content says
 * where it was mounted (fs_mount.h: a separate /var).  guess[i] is that
 * mount point or NULL; roots have none. */
static ms_err guess_entry(ms_system *sys, const char *mp, int vol,
                          ms_mount **out)
{
    ms_mount *v = realloc(sys->mounts, (sys->nmounts + 1) * sizeof *v);
    if (!v)
        return MS_ERR_NOMEM;
    sys->mounts = v;
    v = &sys->mounts[sys->nmounts++];
    memset(v, 0, sizeof *v);
    v->source = ms_strdup("content of the volume");
    v->text = ms_strdup("(no mount table entry: inferred from the volume's "
                        "content)");
    v->spec = ms_asprintf("volume %d", vol);
    v->mount_point = ms_strdup(mp);
    v->fs_type = ms_strdup("auto");
    v->options = ms_strdup("defaults");
    v->status = MS_MNT_INFERRED;
    v->volume = vol;
    v->note = ms_asprintf("inferred from content: volume %d holds what a "
                          "separate %s holds", vol, mp);
    *out = v;
    return v->source && v->text && v->spec && v->mount_point && v->fs_type &&
           v->options && v->note ? MS_OK : MS_ERR_NOMEM;
}

/* An fstab entry naming a volume that is not here (placeholder UUIDs,
 * a re-created file system) while exactly one unclaimed volume looks
 * like that mount point: taken, and said so. */
static ms_err fallback_absent(ms_system *sys, const ms_volset *set,
                              const char *const *guess, const char *taken)
{
    for (size_t k = 0; k < sys->nmounts; k++) {
        ms_mount *m = &sys->mounts[k];
        long hit = -1;
        int nhit = 0;
        if (m->status != MS_MNT_ABSENT)
            continue;
        for (size_t i = 0; i < ms_volset_count(set); i++)
            if (guess[i] && !taken[i] && !strcmp(guess[i], m->mount_point)) {
                hit = (long)i;
                nhit++;
            }
        if (nhit != 1)
            continue;
        int vol = ms_volset_volume(set, (size_t)hit);
        char *note = ms_asprintf("%s; volume %d looks like %s from its "
                                 "content and was taken for it (inferred)",
                                 m->note ? m->note : "not in this image", vol,
                                 m->mount_point);
        if (!note)
            return MS_ERR_NOMEM;
        free(m->note);
        m->note = note;
        m->status = MS_MNT_INFERRED;
        m->volume = vol;
    }
    return MS_OK;
}

static ms_err add_system(ms_scan *scan, ms_system *sys)
{
    ms_system *v = realloc(scan->systems, (scan->nsystems + 1) * sizeof *v);
    if (!v)
        return MS_ERR_NOMEM;
    scan->systems = v;
    scan->systems[scan->nsystems++] = *sys;
    memset(sys, 0, sizeof *sys);
    return MS_OK;
}

ms_err ms_systems_walk(ms_image *img, ms_scan *scan, const ms_ns_hooks *h)
{
    ms_volset *set = NULL;
    char *claimed = NULL;
    ms_err rc = ms_volumes_open_all(img, scan, h->on_volume, h->user, &set);
    if (rc)
        return rc;
    size_t n = ms_volset_count(set);
    claimed = calloc(n ? n : 1, 1);
    if (!claimed) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    /* which are roots, and where the others look mounted */
    char *root = calloc(n ? n : 1, 1);
    const char **guess = calloc(n ? n : 1, sizeof *guess);
    size_t nroots = 0;
    if (!root || !guess) {
        free(root);
        free(guess);
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    for (size_t i = 0; i < n; i++) {
        root[i] = (char)is_root(ms_volset_fs(set, i));
        nroots += root[i] != 0;
        if (!root[i])
            guess[i] = ms_fs_guess_mount(ms_volset_fs(set, i));
    }
    /* the systems and their namespaces, collected as the server saw them */
    for (size_t r = 0; r < n && rc == MS_OK; r++) {
        ms_fs *fs = ms_volset_fs(set, r), *ns = NULL;
        int vol = ms_volset_volume(set, r), found = 0;
        ms_system sys = { .root_volume = vol };
        if (!root[r])
            continue;
        rc = ms_mounttab_read(fs, vol, scan, &sys, &found);
        if (rc == MS_OK && found)
            rc = fallback_absent(&sys, set, guess, claimed);
        /* no mount table: the content guess, when it cannot be another
         * system's */
        for (size_t i = 0; rc == MS_OK && !found && nroots == 1 && i < n; i++) {
            ms_mount *m;
            if (guess[i] && !claimed[i])
                rc = guess_entry(&sys, guess[i], ms_volset_volume(set, i), &m);
        }
        if (rc == MS_OK && (found || sys.nmounts))
            rc = build_ns(scan, set, r, &sys, claimed, &ns);
        if (rc == MS_OK)
            rc = add_system(scan, &sys);
        ms_system_clear(&sys);
        if (rc == MS_OK && ns)
            rc = h->collect(h->user, scan, vol, ns);
        ms_fs_close(ns);
    }
    free(root);
    free(guess);
    /* each volume's files analyzed through a view at its mount point;
     * unclaimed volumes examined on their own */
    for (size_t i = 0; i < n && rc == MS_OK; i++) {
        ms_fs *fs = ms_volset_fs(set, i), *view = NULL;
        int vol = ms_volset_volume(set, i);
        const char *mp = scan->volumes[vol].mount_point;
        if (!claimed[i]) {
            rc = h->on_volume(h->user, scan, vol, fs);
        } else if (mp && strcmp(mp, "/") != 0 &&
                   (rc = ms_fs_mount_view(fs, mp, &view)) == MS_OK) {
            rc = h->analyze(h->user, scan, vol, view, fs);
            ms_fs_close(view);
        } else if (rc == MS_OK || rc == MS_ERR_ARG) {
            rc = h->analyze(h->user, scan, vol, fs, fs);
        }
        if (rc == MS_OK)
            rc = ms_volset_finish(set, i, scan);
    }
_exit:
    free(claimed);
    ms_volset_free(set);
    return rc;
}

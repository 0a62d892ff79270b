/* timecheck.c - inconsistent and copied times; see timecheck.h. */
#include "detection/timecheck.h"

#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "artifacts/fs_lookup.h"
#include "common/ms_mem.h"
#include "common/ms_reasons.h"
#include "common/ms_scan.h"

void ms_time_samples_free(ms_time_samples *ts)
{
    for (size_t i = 0; i < ts->n; i++)
        free(ts->s[i].path);
    free(ts->s);
    free(ts->vols);
    memset(ts, 0, sizeof *ts);
}

typedef struct sample_ctx {
    ms_time_samples *ts;
    int volume;
    size_t vi;            /* index into ts->vols */
    const char *dir;
    size_t taken;         /* from this directory */
    ms_err err;
} sample_ctx;

static int any_nsec(const ms_fileref *r)
{
    return (r->times[MS_T_MTIME].set && r->times[MS_T_MTIME].nsec) ||
           (r->times[MS_T_ATIME].set && r->times[MS_T_ATIME].nsec) ||
           (r->times[MS_T_CTIME].set && r->times[MS_T_CTIME].nsec);
}

static void take(sample_ctx *c, const ms_fileref *ref, const char *path)
{
    ms_time_samples *ts = c->ts;
    if (ref->type != MS_FT_REG || ref->deleted || !ref->times[MS_T_MTIME].set)
        return;
    ts->vols[c->vi].total++;
    ts->vols[c->vi].with_nsec += any_nsec(ref) != 0;
    if (ts->n >= MS_TIME_SAMPLE_MAX * ts->nvols)
        return;
    if (ms_grow((void **)&ts->s, &ts->cap, ts->n + 1, sizeof *ts->s)) {
        c->err = MS_ERR_NOMEM;
        return;
    }
    ms_time_sample *s = &ts->s[ts->n];
    s->volume = c->volume;
    s->inode = ref->inode;
    s->mtime = ref->times[MS_T_MTIME];
    if (!(s->path = ms_strdup(path))) {
        c->err = MS_ERR_NOMEM;
        return;
    }
    ts->n++;
}

static int on_sys(void *user, ms_fs_file *f, const char *name, size_t len)
{
    sample_ctx *c = user;
    ms_fileref ref = {0};
    ms_fs_file_stat(f, &ref);
    char *p = ms_path_join(c->dir, name, len);
    if (p)
        take(c, &ref, p);
    free(p);
    c->taken++;
    return c->err != MS_OK || c->taken >= MS_TIME_SAMPLE_MAX / 4;
}

ms_err ms_timecheck_sample(ms_fs *fs, int volume, ms_time_samples *ts)
{
    static const char *const dirs[] = { "/bin", "/usr/bin", "/sbin",
                                        "/usr/sbin" };
    if (ms_grow((void **)&ts->vols, &ts->volscap, ts->nvols + 1,
                sizeof *ts->vols))
        return MS_ERR_NOMEM;
    sample_ctx c = { .ts = ts, .volume = volume, .vi = ts->nvols };
    ts->vols[ts->nvols].volume = volume;
    ts->nvols++;
    char *seen[4] = {0};
    for (size_t i = 0; i < 4 && c.err == MS_OK; i++) {
        /* /bin -> usr/bin on merged-/usr systems: sample it once */
        char *d = ms_fs_resolve_dir(fs, dirs[i]);
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            dup |= d && seen[j] && !strcmp(seen[j], d);
        seen[i] = d;
        if (!d || dup)
            continue;
        c.dir = d;
        c.taken = 0;
        (void)ms_fs_list_dir(fs, d, on_sys, &c, MS_TIME_SAMPLE_MAX);
    }
    for (size_t j = 0; j < 4; j++)
        free(seen[j]);
    return c.err;
}

int ms_timecheck_volume_has_nsec(const ms_time_samples *ts, int volume)
{
    for (size_t i = 0; i < ts->nvols; i++)
        if (ts->vols[i].volume == volume && ts->vols[i].with_nsec > 0)
            return 1;
    return 0;
}

static const char *kind_name(int k)
{
    static const char *const n[] = { "mtime", "atime", "ctime", "crtime",
                                     "dtime" };
    return k >= 0 && k < MS_T_COUNT ? n[k] : "?";
}

/* a < b, to the nanosecond */
static int before(const ms_time *a, const ms_time *b)
{
    return a->sec < b->sec || (a->sec == b->sec && a->nsec < b->nsec);
}

ms_err ms_timecheck_file(ms_file *f, const ms_time_samples *ts, int64_t now)
{
    const ms_time *t = f->ref.times;
    const ms_time *m = &t[MS_T_MTIME], *c = &t[MS_T_CTIME],
                  *b = &t[MS_T_CRTIME], *a = &t[MS_T_ATIME];
    ms_err rc = MS_OK;
    if (f->missing)
        return MS_OK;
    if (m->set && b->set && before(m, b)) {
        f->times_unreliable |= 1u << MS_T_MTIME;
        rc = ms_file_reason_take(f, MS_R_TIME_MTIME_BEFORE_BIRTH,
            MS_SEV_SUSPICIOUS,
            ms_asprintf("modified %lld s before the inode was born (crtime): "
                        "the modification time was set by hand",
                        (long long)(b->sec - m->sec)));
    }
    if (!rc && m->set && c->set && before(c, m)) {
        f->times_unreliable |= (1u << MS_T_MTIME) | (1u << MS_T_CTIME);
        rc = ms_file_reason_take(f, MS_R_TIME_CTIME_BEFORE_MTIME,
            MS_SEV_SUSPICIOUS,
            ms_asprintf("inode change time %lld s before the modification "
                        "time: every write also sets the change time",
                        (long long)(m->sec - c->sec)));
    }
    for (size_t i = 0; !rc && m->set && i < ts->n; i++) {
        const ms_time_sample *s = &ts->s[i];
        if (s->volume != f->ref.volume || s->inode == f->ref.inode ||
            s->mtime.sec != m->sec || s->mtime.nsec != m->nsec)
            continue;
        f->times_unreliable |= 1u << MS_T_MTIME;
        if (a->set && a->sec == m->sec && a->nsec == m->nsec)
            f->times_unreliable |= 1u << MS_T_ATIME;
        rc = ms_file_reason_take(f, MS_R_TIME_COPIED_FROM_SYSTEM_FILE,
            MS_SEV_SUSPICIOUS,
            ms_asprintf("modification time identical to %s's to the "
                        "nanosecond (.%09u): copied with \"touch -r\"",
                        s->path, (unsigned)m->nsec));
        break;
    }
    if (!rc && m->set && m->nsec == 0 && (!a->set || a->nsec == 0) &&
        ms_timecheck_volume_has_nsec(ts, f->ref.volume)) {
        f->times_unreliable |= 1u << MS_T_MTIME;
        rc = ms_file_reason_take(f, MS_R_TIME_NSEC_ZERO, MS_SEV_INFO,
            ms_strdup("modification and access times have zero nanoseconds "
                      "on a file system that stores them (as \"touch -d\" "
                      "or \"touch -t\" leaves them)"));
    }
    for (int k = 0; !rc && k < MS_T_COUNT; k++) {
        if (k == MS_T_DTIME || !t[k].set || t[k].sec <= now || now <= 0)
            continue;
        f->times_unreliable |= 1u << k;
        rc = ms_file_reason_take(f, MS_R_TIME_IN_FUTURE, MS_SEV_SUSPICIOUS,
            ms_asprintf("%s is %lld s after this examination started, so "
                        "after the image was acquired", kind_name(k),
                        (long long)(t[k].sec - now)));
    }
    return rc;
}

/* The volume of a file, when the scan knows its superblock times. */
static const ms_volume *volume_of(const ms_scan *scan, int v)
{
    return v >= 0 && (size_t)v < scan->nvolumes ? &scan->volumes[v] : NULL;
}

ms_err ms_timecheck_after(ms_file *f, const ms_scan *scan)
{
    const ms_time *t = f->ref.times;
    const ms_volume *v = volume_of(scan, f->ref.volume);
    ms_err rc = MS_OK;
    if (f->missing)
        return MS_OK;
    /* the E01 date is the acquiring host's local time without a zone:
     * only a time later than any offset could explain is reported */
    int64_t acq = scan->acquired > 0 ? scan->acquired + MS_TIME_ACQ_SLACK
                                     : 0;
    for (int k = 0; !rc && acq && k < MS_T_COUNT; k++) {
        if (!t[k].set || t[k].sec <= acq)
            continue;
        f->times_unreliable |= 1u << k;
        rc = ms_file_reason_take(f, MS_R_TIME_AFTER_ACQUISITION,
            MS_SEV_SUSPICIOUS,
            ms_asprintf("%s is %lld s after the acquisition date the image "
                        "records (%s, read as UTC; %d h allowed for its "
                        "unrecorded zone)", kind_name(k),
                        (long long)(t[k].sec - scan->acquired),
                        scan->acquired_text ? scan->acquired_text : "?",
                        MS_TIME_ACQ_SLACK / 3600));
        break;   /* one reason for the file; every late time marked */
    }
    for (int k = 0; acq && k < MS_T_COUNT; k++)
        if (t[k].set && t[k].sec > acq)
            f->times_unreliable |= 1u << k;
    /* a cleanly unmounted ext file system: nothing was written after its
     * superblock's last write time (deletion times included) */
    int64_t lw = v && v->fs_clean ? v->fs_last_write : 0;
    for (int k = 0; !rc && lw > 0 && k < MS_T_COUNT; k++) {
        if (!t[k].set || t[k].sec <= lw)
            continue;
        for (int j = k; j < MS_T_COUNT; j++)
            if (t[j].set && t[j].sec > lw)
                f->times_unreliable |= 1u << j;
        char w[32] = "?";
        time_t tt = (time_t)lw;
        struct tm tm;
        if (gmtime_r(&tt, &tm))
            strftime(w, sizeof w, "%Y-%m-%dT%H:%M:%SZ", &tm);
        rc = ms_file_reason_take(f, MS_R_TIME_AFTER_FS_LAST_WRITE,
            MS_SEV_SUSPICIOUS,
            ms_asprintf("%s is %lld s after the file system's last write "
                        "(superblock s_wtime %s; it was unmounted cleanly, "
                        "so nothing was written after it)", kind_name(k),
                        (long long)(t[k].sec - lw), w));
        break;
    }
    return rc;
}

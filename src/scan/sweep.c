/* sweep.c - walk, read and scan every regular file (see sweep.h).
 *
 * Threads: the caller is the walker (directory listing, content reads,
 * recovery of deleted content: everything that touches ms_fs); workers
 * take filled buffers from a queue and scan them.  One mutex guards the
 * queue, the counters and the result lists; two condition variables say
 * "a job is queued" (workers wait) and "budget was freed" (walker waits).
 * Nothing else is shared, so there is no lock order to get wrong. */
#include "scan/sweep.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "artifacts/exec_magic.h"
#include "artifacts/fs_lookup.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "evidence/fs_mount.h"

#define READ_BLOCK   (4u << 20)   /* one sequential read through the fs */
#define DIR_MAX_NAMES ((size_t)1 << 26)

/* One file's content on its way to a worker. */
typedef struct job {
    struct job *next;
    uint8_t    *buf;
    size_t      len;
    ms_fileref  ref;      /* owned; kept only if the file is a hit */
} job;

typedef struct sweep {
    const ms_sweep_config *cfg;
    const ms_rules *rules;
    ms_fs    *fs;
    ms_scan  *scan;
    ms_sweep_stats *st;
    int       vol;
    uint64_t  max_file, budget;
    size_t    max_jobs;

    pthread_mutex_t mu;
    pthread_cond_t  has_job, has_room;
    job      *head, *tail;
    size_t    njobs;
    uint64_t  inflight;   /* bytes of queued and scanning buffers */
    int       done;       /* walker finished: workers drain and exit */
    ms_err    err;        /* first worker failure (allocation) */

    ms_fileref *hits;     /* this volume's hit files, unsorted */
    size_t    nhits, hits_cap;
    int       heaped;     /* hits is a max-heap (the bound was reached) */

    /* walker only */
    const char *dir;
    char    **subdirs;
    size_t    nsub, subcap;
    struct timespec t0, last;
    uint64_t  expect;     /* bytes in use on the fs, for the ETA; 0 unknown */
} sweep;

unsigned ms_sweep_workers(const ms_sweep_config *cfg)
{
    long n = cfg->workers ? (long)cfg->workers : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > MS_SWEEP_MAX_WORKERS ? MS_SWEEP_MAX_WORKERS : (unsigned)n;
}

/* ---- deterministic lists ---------------------------------------------- */

static int cmp_key(int va, uint64_t ia, const char *pa, int vb, uint64_t ib,
                   const char *pb)
{
    if (va != vb)
        return va < vb ? -1 : 1;
    if (ia != ib)
        return ia < ib ? -1 : 1;
    return strcmp(pa ? pa : "", pb ? pb : "");
}

static int cmp_skip(const void *a, const void *b)
{
    const ms_sweep_skip *x = a, *y = b;
    int c = cmp_key(x->volume, x->inode, x->path, y->volume, y->inode,
                    y->path);
    return c ? c : strcmp(x->reason, y->reason);
}

static int cmp_ref(const void *a, const void *b)
{
    const ms_fileref *x = a, *y = b;
    int c = cmp_key(x->volume, x->inode, x->path, y->volume, y->inode,
                    y->path);
    return c ? c : x->deleted - y->deleted;
}

/* Keep the `bound` smallest entries (by key) however many arrive, so the
 * list does not depend on the order the workers reported them. */
static void skip_trim(ms_sweep_stats *st, size_t bound)
{
    if (st->nskipped <= bound)
        return;
    qsort(st->skipped, st->nskipped, sizeof *st->skipped, cmp_skip);
    for (size_t i = bound; i < st->nskipped; i++)
        free(st->skipped[i].path);
    st->nskipped = bound;
}

/* Called with the mutex held (or before the workers start). */
static ms_err add_skip(sweep *s, const ms_fileref *ref, const char *reason)
{
    ms_sweep_stats *st = s->st;
    st->skipped_total++;
    if (st->nskipped >= 2 * st->skipped_bound)
        skip_trim(st, st->skipped_bound);
    ms_err rc = ms_grow((void **)&st->skipped, &st->skipped_cap,
                        st->nskipped + 1, sizeof *st->skipped);
    if (rc)
        return rc;
    ms_sweep_skip *k = &st->skipped[st->nskipped];
    k->volume = ref->volume;
    k->inode = ref->inode;
    k->size = ref->size;
    k->reason = reason;
    if (!(k->path = ms_strdup(ref->path ? ref->path : "")))
        return MS_ERR_NOMEM;
    st->nskipped++;
    return MS_OK;
}

/* The walker's way to add_skip: the list is shared with the workers. */
static ms_err skip_locked(sweep *s, const ms_fileref *ref, const char *reason)
{
    pthread_mutex_lock(&s->mu);
    ms_err rc = add_skip(s, ref, reason);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* ---- workers ------------------------------------------------------------ */

/* Any match from a rule graded suspicious or malicious?  Info rules note
 * facts (docs/detection.md) and do not make a file worth listing. */
static int worth_recording(const ms_rules *r, const ms_yara_match *m,
                           size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ms_rules_rule_severity(r, m[i].ns, m[i].rule) >= MS_SEV_SUSPICIOUS)
            return 1;
    return 0;
}

/* Sift the hit at i down the max-heap of s->hits (largest key on top). */
static void heap_down(sweep *s, size_t i)
{
    ms_fileref *h = s->hits;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->nhits && cmp_ref(&h[l], &h[m]) > 0)
            m = l;
        if (r < s->nhits && cmp_ref(&h[r], &h[m]) > 0)
            m = r;
        if (m == i)
            return;
        ms_fileref t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* The hit list is full: keep the MS_SWEEP_MAX_HITS smallest keys, so the
 * hits recorded do not depend on the order the workers finished.  The
 * list becomes a max-heap on the first overflow (record_hits sorts it
 * again); each later hit costs O(log n). */
static void keep_smallest_hit(sweep *s, ms_fileref *ref)
{
    if (s->nhits == 0)
        return;
    if (!s->heaped) {
        for (size_t i = s->nhits / 2; i-- > 0;)
            heap_down(s, i);
        s->heaped = 1;
    }
    if (cmp_ref(ref, &s->hits[0]) >= 0)
        return;
    ms_fileref out = s->hits[0];
    s->hits[0] = *ref;
    ref->path = NULL;   /* moved into the list */
    *ref = out;         /* the displaced one is freed with the job */
    heap_down(s, 0);
}

/* With the mutex held: account for one scanned job; the ref moves into
 * the hit list when the file is a hit. */
static ms_err finish_job(sweep *s, job *j, int hit, int info, unsigned status)
{
    ms_sweep_stats *st = s->st;
    ms_err rc = MS_OK;
    st->files_scanned++;
    st->bytes_scanned += j->len;
    st->deleted_scanned += j->ref.deleted != 0;
    st->info_only += !hit && info;
    if (status & MS_YSCAN_TIMEOUT)
        rc = add_skip(s, &j->ref, "timeout");
    if (rc == MS_OK && hit) {
        if (s->nhits + st->hits >= MS_SWEEP_MAX_HITS) {
            keep_smallest_hit(s, &j->ref);
            st->hits_not_recorded++;
        } else if ((rc = ms_grow((void **)&s->hits, &s->hits_cap,
                                 s->nhits + 1, sizeof *s->hits)) == MS_OK) {
            s->hits[s->nhits++] = j->ref;
            j->ref.path = NULL;
        }
    }
    return rc;
}

static void scan_job(sweep *s, ms_yscanner *ys, job *j)
{
    ms_yara_match *m = NULL;
    size_t n = 0;
    unsigned status = 0;
    ms_err rc = ms_yscanner_scan(ys, j->buf, j->len, &m, &n, &status);
    int hit = rc == MS_OK && worth_recording(s->rules, m, n);
    int info = rc == MS_OK && n > 0;
    ms_yara_matches_free(m, n);
    free(j->buf);
    j->buf = NULL;
    pthread_mutex_lock(&s->mu);
    if (rc == MS_OK)
        rc = finish_job(s, j, hit, info, status);
    else if (rc != MS_ERR_NOMEM)
        rc = add_skip(s, &j->ref, "scan_error");
    if (rc && !s->err)
        s->err = rc;
    s->inflight -= j->len;
    pthread_cond_signal(&s->has_room);
    pthread_mutex_unlock(&s->mu);
    ms_fileref_clear(&j->ref);
    free(j);
}

static void *worker(void *arg)
{
    sweep *s = arg;
    ms_yscanner *ys = NULL;
    int timeout = s->cfg->timeout_s > 0 ? s->cfg->timeout_s
                                        : MS_SWEEP_TIMEOUT_DEFAULT;
    ms_err rc = ms_yscanner_new(s->rules, timeout, MS_YARA_MAX_MATCHES, &ys);
    pthread_mutex_lock(&s->mu);
    if (rc && !s->err)
        s->err = rc;
    for (;;) {
        while (!s->head && !s->done)
            pthread_cond_wait(&s->has_job, &s->mu);
        job *j = s->head;
        if (!j)
            break;                 /* done and drained */
        s->head = j->next;
        if (!s->head)
            s->tail = NULL;
        s->njobs--;
        pthread_cond_signal(&s->has_room);
        pthread_mutex_unlock(&s->mu);
        if (ys) {
            scan_job(s, ys, j);
        } else {               /* no scanner: free what arrives */
            pthread_mutex_lock(&s->mu);
            s->inflight -= j->len;
            pthread_cond_signal(&s->has_room);
            pthread_mutex_unlock(&s->mu);
            free(j->buf);
            ms_fileref_clear(&j->ref);
            free(j);
        }
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    ms_yscanner_free(ys);
    return NULL;
}

/* ---- progress ----------------------------------------------------------- */

static double secs_since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static int count_free(void *user, uint64_t first, uint64_t n)
{
    (void)first;
    *(uint64_t *)user += n;
    return 0;
}

/* Bytes in use on the file system (allocated blocks): an upper bound of
 * the content the walk will read, so the ETA errs long.  0 when the
 * backend cannot tell (no allocation walk). */
static uint64_t used_bytes(ms_fs *fs)
{
    ms_fs_geometry g = { 0 };
    uint64_t nfree = 0;
    if (!fs->ops->unalloc_runs || !fs->ops->geometry)
        return 0;
    fs->ops->geometry(fs, &g);
    if (fs->ops->unalloc_runs(fs, count_free, &nfree) != MS_OK ||
        nfree >= g.block_count)
        return 0;
    return (g.block_count - nfree) * (uint64_t)g.block_size;
}

/* "\rsweep volume 1: 1234 files, 56.7 MiB, 12.3 MiB/s, ETA 1m05s" at
 * most twice a second, only where a person watches (cfg->progress).
 * The ETA counts allocated blocks, metadata included, so it errs long;
 * it is left out when the backend cannot count them. */
static void progress(sweep *s, int last)
{
    struct timespec now;
    char eta[48] = "";
    if (!s->cfg->progress)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!last && secs_since(&s->last, &now) < 0.5)
        return;
    s->last = now;
    pthread_mutex_lock(&s->mu);
    uint64_t files = s->st->files_scanned, bytes = s->st->bytes_scanned;
    pthread_mutex_unlock(&s->mu);
    double t = secs_since(&s->t0, &now);
    double mib = (double)bytes / 1048576.0;
    double rate = t > 0 ? (double)bytes / t : 0.0;
    if (!last && rate > 0 && s->expect > bytes) {
        double left = (double)(s->expect - bytes) / rate;
        if (left < 360000.0)
            snprintf(eta, sizeof eta, ", ETA %um%02us",
                     (unsigned)(left / 60), (unsigned)left % 60);
    }
    fprintf(stderr, "\rsweep volume %d: %llu files, %.1f MiB, %.1f MiB/s%s%s",
            s->vol, (unsigned long long)files, mib, rate / 1048576.0, eta,
            last ? "\n" : "   ");
    fflush(stderr);
}

/* ---- walker ------------------------------------------------------------- */

/* Wait until `len` more bytes and one more job fit; an empty queue
 * always admits one file, so a file of max_file bytes never waits
 * forever. */
static void wait_room(sweep *s, uint64_t len)
{
    pthread_mutex_lock(&s->mu);
    while ((s->inflight > 0 && s->inflight + len > s->budget) ||
           s->njobs >= s->max_jobs)
        pthread_cond_wait(&s->has_room, &s->mu);
    pthread_mutex_unlock(&s->mu);
}

/* Hand a buffer to the workers; blocks while the budget is spent. */
static ms_err enqueue(sweep *s, job *j)
{
    wait_room(s, j->len);      /* a recovered buffer was not reserved */
    pthread_mutex_lock(&s->mu);
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    s->njobs++;
    s->inflight += j->len;
    pthread_cond_signal(&s->has_job);
    ms_err rc = s->err;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Read the whole file into buf in large sequential blocks; bytes read. */
static uint64_t read_all(ms_fs_file *f, uint8_t *buf, uint64_t size)
{
    uint64_t done = 0;
    while (done < size) {
        uint64_t want = size - done < READ_BLOCK ? size - done : READ_BLOCK;
        ssize_t got = ms_fs_file_read(f, done, buf + done, (size_t)want);
        if (got <= 0)
            break;
        done += (uint64_t)got;
    }
    return done;
}

/* Under --sweep=executables: an x bit, or ELF / "#!" in the first bytes. */
static int selected(const sweep *s, ms_fs_file *f, const ms_fileref *ref)
{
    uint8_t head[4] = {0};
    if (s->cfg->mode != MS_SWEEP_EXECUTABLES || (ref->mode & 0111))
        return 1;
    ssize_t got = ms_fs_file_read(f, 0, head, sizeof head);
    return got > 0 && ms_content_is_executable_magic(head, (size_t)got);
}

static int sel_buf(const sweep *s, const ms_fileref *ref, const uint8_t *b,
                   size_t n)
{
    return s->cfg->mode != MS_SWEEP_EXECUTABLES || (ref->mode & 0111) ||
           ms_content_is_executable_magic(b, n);
}

/* A deleted name whose block map was cleared: the evidence layer's
 * recovery (the ext journal) may still know the content. */
static ms_err recover(sweep *s, ms_fileref *ref, job **out)
{
    ms_recovered *r = NULL;
    char *why = NULL;
    ms_err rc = ms_fs_recover_deleted(s->fs, ref->inode, s->max_file, &r,
                                      &why);
    /* the journal knows a size over the limit: skipped by the limit, so
     * listed (the backend says so only in words) */
    int over = rc == MS_ERR_NOT_FOUND && why &&
               strstr(why, "exceeds the recovery limit");
    free(why);
    if (rc == MS_ERR_NOMEM)
        return rc;
    if (over)
        return skip_locked(s, ref, "max_file");
    if (rc != MS_OK || !r->len || !sel_buf(s, ref, r->data, r->len)) {
        s->st->deleted_unrecoverable += rc != MS_OK || !r->len;
        s->st->files_not_selected += rc == MS_OK && r->len;
        ms_recovered_free(r);
        return MS_OK;
    }
    job *j = calloc(1, sizeof *j);
    if (!j) {
        ms_recovered_free(r);
        return MS_ERR_NOMEM;
    }
    j->buf = r->data;     /* taken over: the recovered copy is the buffer */
    j->len = r->len;
    r->data = NULL;
    ms_recovered_free(r);
    *out = j;
    return MS_OK;
}

static ms_err read_job(sweep *s, ms_fs_file *f, ms_fileref *ref, job **out)
{
    *out = NULL;
    if (ref->deleted && ref->size == 0)
        return ref->has_inode ? recover(s, ref, out) : MS_OK;
    if (ref->size == 0) {
        s->st->empty++;
        return MS_OK;
    }
    if (!selected(s, f, ref)) {
        s->st->files_not_selected++;
        return MS_OK;
    }
    if (ref->size > s->max_file)
        return skip_locked(s, ref, "max_file");
    wait_room(s, ref->size);
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->buf = malloc((size_t)ref->size))) {
        free(j);
        return MS_ERR_NOMEM;
    }
    j->len = (size_t)read_all(f, j->buf, ref->size);
    if (j->len == 0) {
        free(j->buf);
        free(j);
        if (ref->deleted) {
            s->st->deleted_unrecoverable++;
            return MS_OK;
        }
        return skip_locked(s, ref, "read_error");
    }
    *out = j;
    return MS_OK;
}

static ms_err file_entry(sweep *s, ms_fs_file *f, ms_fileref *ref)
{
    job *j = NULL;
    s->st->files_seen++;
    ms_err rc = read_job(s, f, ref, &j);
    if (rc || !j)
        return rc;
    j->ref = *ref;
    ref->path = NULL;             /* moved into the job */
    rc = enqueue(s, j);
    progress(s, 0);
    return rc;
}

static int on_entry(void *user, ms_fs_file *f, const char *name, size_t len)
{
    sweep *s = user;
    ms_fileref ref = {0};
    ms_err rc = MS_OK;

    ms_fs_file_stat(f, &ref);
    ref.volume = s->vol;
    if (!(ref.path = ms_path_join(s->dir, name, len)))
        return 0;                 /* unusable name: nothing to report on */
    if (ref.type == MS_FT_DIR && !ref.deleted) {
        rc = ms_grow((void **)&s->subdirs, &s->subcap, s->nsub + 1,
                     sizeof *s->subdirs);
        if (rc == MS_OK) {
            s->subdirs[s->nsub++] = ref.path;
            return 0;
        }
    } else if (!ref.meta_reused &&
               (ref.type == MS_FT_REG ||
                (ref.deleted && ref.type == MS_FT_UNKNOWN))) {
        rc = file_entry(s, f, &ref);
    }
    ms_fileref_clear(&ref);
    if (rc) {
        pthread_mutex_lock(&s->mu);
        if (!s->err)
            s->err = rc;
        pthread_mutex_unlock(&s->mu);
    }
    return rc != MS_OK;
}

static ms_err walk(sweep *s, const char *dir, unsigned depth)
{
    if (depth > MS_SWEEP_MAX_DEPTH) {
        s->st->dirs_not_listed++;
        ms_scan_add_error(s->scan, "volume %d: --sweep did not descend into "
                          "%s (deeper than %u levels)", s->vol, dir,
                          MS_SWEEP_MAX_DEPTH);
        return MS_OK;
    }
    s->dir = dir;
    s->subdirs = NULL;
    s->nsub = s->subcap = 0;
    s->st->dirs++;
    ms_err rc = ms_fs_list_dir(s->fs, dir, on_entry, s, DIR_MAX_NAMES);
    char **mine = s->subdirs;
    size_t nmine = s->nsub;
    if (rc == MS_ERR_LIMIT)
        ms_scan_add_error(s->scan, "volume %d: --sweep listed only the first "
                          "%zu names of %s", s->vol, DIR_MAX_NAMES, dir);
    else if (rc != MS_OK && rc != MS_ERR_NOMEM) {
        s->st->dirs_not_listed++;
        ms_scan_add_error(s->scan, "volume %d: --sweep could not list %s: %s",
                          s->vol, dir, ms_strerror(rc));
    }
    pthread_mutex_lock(&s->mu);
    rc = rc == MS_ERR_NOMEM ? rc : s->err;
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < nmine; i++) {
        if (rc == MS_OK)
            rc = walk(s, mine[i], depth + 1);
        free(mine[i]);
    }
    free(mine);
    return rc;
}

/* ---- the volume --------------------------------------------------------- */

static ms_err stats_for(const ms_sweep_config *cfg, ms_scan *scan,
                        ms_sweep_stats **out)
{
    if (!scan->sweep) {
        ms_sweep_stats *st = calloc(1, sizeof *st);
        if (!st)
            return MS_ERR_NOMEM;
        st->mode = cfg->mode;
        st->workers = ms_sweep_workers(cfg);
        st->max_file = cfg->max_file ? cfg->max_file
                                     : MS_SWEEP_MAX_FILE_DEFAULT;
        st->timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s
                                           : MS_SWEEP_TIMEOUT_DEFAULT;
        st->skipped_bound = MS_SWEEP_SKIP_BOUND;
        scan->sweep = st;
    }
    *out = scan->sweep;
    return MS_OK;
}

/* The volume's hits into scan->files, in (volume, inode, path) order. */
static ms_err record_hits(sweep *s)
{
    ms_err rc = MS_OK;
    if (s->nhits)
        qsort(s->hits, s->nhits, sizeof *s->hits, cmp_ref);
    for (size_t i = 0; i < s->nhits; i++) {
        size_t idx;
        if (rc == MS_OK)
            rc = ms_scan_file_for(s->scan, &s->hits[i], 0, MS_ORIGIN_SWEEP,
                                  &idx);
        if (rc == MS_OK)
            s->st->hits++;
        ms_fileref_clear(&s->hits[i]);
    }
    free(s->hits);
    s->hits = NULL;
    s->nhits = 0;
    return rc;
}

static ms_err run_workers(sweep *s, unsigned n)
{
    pthread_t *t = calloc(n, sizeof *t);
    unsigned started = 0;
    ms_err rc = t ? MS_OK : MS_ERR_NOMEM;
    for (; rc == MS_OK && started < n; started++)
        if (pthread_create(&t[started], NULL, worker, s) != 0)
            break;
    if (rc == MS_OK && started == 0)
        rc = MS_ERR_IO;
    if (started < s->st->workers)   /* report what really ran */
        s->st->workers = started;
    if (rc == MS_OK) {
        if (s->cfg->progress)
            s->expect = used_bytes(s->fs);
        clock_gettime(CLOCK_MONOTONIC, &s->t0);
        s->last = s->t0;
        rc = walk(s, ms_fs_mount_point(s->fs), 0);
    }
    pthread_mutex_lock(&s->mu);
    s->done = 1;
    pthread_cond_broadcast(&s->has_job);
    pthread_mutex_unlock(&s->mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    progress(s, 1);
    if (rc == MS_OK)
        rc = s->err;
    return rc;
}

ms_err ms_sweep_volume(const ms_sweep_config *cfg, const ms_rules *rules,
                       ms_fs *fs, ms_scan *scan, int vol)
{
    sweep s = { .cfg = cfg, .rules = rules, .fs = fs, .scan = scan,
                .vol = vol };
    if (cfg->mode == MS_SWEEP_OFF || !rules)
        return MS_OK;
    ms_err rc = stats_for(cfg, scan, &s.st);
    if (rc)
        return rc;
    unsigned n = ms_sweep_workers(cfg);
    s.max_file = s.st->max_file;
    s.budget = s.max_file + MS_SWEEP_QUEUE_BYTES;
    s.max_jobs = 4 * (size_t)n + 16;
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.has_job, NULL);
    pthread_cond_init(&s.has_room, NULL);
    rc = run_workers(&s, n);
    pthread_cond_destroy(&s.has_room);
    pthread_cond_destroy(&s.has_job);
    pthread_mutex_destroy(&s.mu);
    skip_trim(s.st, s.st->skipped_bound);
    if (s.st->nskipped)      /* qsort's base must not be NULL */
        qsort(s.st->skipped, s.st->nskipped, sizeof *s.st->skipped, cmp_skip);
    ms_err rc2 = record_hits(&s);
    return rc ? rc : rc2;
}

/* batch.c - see batch.h. */
#include "scan/batch.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/ms_mem.h"
#include "evidence/imgid.h"
#include "scan/manifest.h"
#include "scan/resultdir.h"

#define MAX_REASONS 32

typedef struct job {
    ms_manifest_entry *e;
    char   *name;              /* result directory name, or NULL */
    char    id[65];
    pid_t   pid;
    double  start, last_progress;
    unsigned long long rchar;
    int     done;
    const char *state;         /* clean|findings|incomplete|failed */
    json_t *reasons;           /* array of strings */
    json_t *not_read;          /* triage locations not (fully) read:
                                  the report's coverage records, or NULL */
    int     resumed;
    char   *errlog;
    char    sample[65];        /* media sample fingerprint, or "" */
    uint64_t media_size;
    long    twin;              /* earlier job with the same sample, or -1 */
    int     started;
    char   *duplicate_of;      /* result name of the same media, or NULL */
} job;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void reason(job *j, const char *text)
{
    if (!j->reasons)
        j->reasons = json_array();
    if (j->reasons && json_array_size(j->reasons) < MAX_REASONS)
        json_array_append_new(j->reasons, json_string(text ? text : "?"));
}

static void reasonf_take(job *j, char *text)
{
    reason(j, text ? text : "out of memory");
    free(text);
}

/* Bytes the child has read so far (its progress): /proc/PID/io rchar. */
static int child_rchar(pid_t pid, unsigned long long *out)
{
    char p[64], line[128];
    snprintf(p, sizeof p, "/proc/%ld/io", (long)pid);
    FILE *fp = fopen(p, "r");
    int found = 0;
    if (!fp)
        return -1;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "rchar: %llu", out) == 1) {
            found = 1;
            break;
        }
    fclose(fp);
    return found ? 0 : -1;
}

/* The state of a complete result, from its report.json. */
static void state_from_result(const char *dir, job *j)
{
    char *p = ms_asprintf("%s/%s/report.json", dir, j->name);
    json_t *r = p ? json_load_file(p, 0, NULL) : NULL;
    free(p);
    if (!r) {
        /* a duplicate record: the state of the result it points to */
        p = ms_asprintf("%s/%s/duplicate.json", dir, j->name);
        json_t *d = p ? json_load_file(p, 0, NULL) : NULL;
        free(p);
        const char *of = json_string_value(json_object_get(d, "duplicate_of"));
        if (of && !strchr(of, '/') && of[0] != '.') {
            p = ms_asprintf("%s/%s/report.json", dir, of);
            r = p ? json_load_file(p, 0, NULL) : NULL;
            free(p);
            if (r && !j->duplicate_of)
                j->duplicate_of = ms_strdup(of);
        }
        json_decref(d);
    }
    if (!r) {
        j->state = "failed";
        reason(j, "the result has no readable report.json");
        return;
    }
    json_t *s = json_object_get(r, "summary");
    json_int_t mal = json_integer_value(json_object_get(s, "malicious"));
    json_int_t sus = json_integer_value(json_object_get(s, "suspicious"));
    json_int_t cron = json_integer_value(json_object_get(s, "cron_findings"));
    json_int_t ex = json_integer_value(json_object_get(s, "exit_status"));
    json_int_t vex = json_integer_value(json_object_get(s, "volumes_examined"));
    if (!json_is_integer(json_object_get(s, "exit_status")))
        ex = 2;
    j->state = mal || sus || cron ? "findings" : ex == 0 ? "clean"
                                                        : "incomplete";
    /* why it is not fully examined, also beside findings: every volume
     * not examined or read in part, unreadable media, bounds hit */
    const char *alert;
    if ((alert = json_string_value(json_object_get(r, "integrity_alert"))))
        reason(j, alert);
    if ((alert = json_string_value(json_object_get(r, "evidence_alert"))))
        reason(j, alert);
    if (vex == 0)
        reason(j, "no file system in the image could be examined");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r, "volumes"), i, v) {
        const char *st = json_string_value(json_object_get(v, "state"));
        const char *note = json_string_value(json_object_get(v, "note"));
        const char *stack = json_string_value(json_object_get(v, "stack"));
        int partial = json_is_true(json_object_get(v, "partial"));
        if (st && (!strcmp(st, "not_examined") || partial))
            reasonf_take(j, ms_asprintf(
                "volume %lld (%s): %s%s%s", (long long)json_integer_value(
                    json_object_get(v, "index")),
                stack ? stack : "?", partial ? "read in part" : st,
                note ? ": " : "", note ? note : ""));
    }
    /* which temp directories and crontab locations were not read */
    json_array_foreach(json_object_get(r, "coverage"), i, v) {
        const char *st = json_string_value(json_object_get(v, "state"));
        const char *path = json_string_value(json_object_get(v, "path"));
        const char *why = json_string_value(json_object_get(v, "reason"));
        if (!st || (strcmp(st, "unreadable") && strcmp(st, "partial")))
            continue;
        if (!j->not_read)
            j->not_read = json_array();
        if (j->not_read && json_array_size(j->not_read) < MAX_REASONS)
            json_array_append_new(j->not_read, json_pack(
                "{s:O?, s:O?, s:O?, s:s, s:O?}",
                "volume", json_object_get(v, "volume"),
                "path", json_object_get(v, "path"),
                "kind", json_object_get(v, "kind"), "state", st,
                "reason", json_object_get(v, "reason")));
        reasonf_take(j, ms_asprintf(
            "volume %lld: %s %s: %s", (long long)json_integer_value(
                json_object_get(v, "volume")), path ? path : "?",
            st, why ? why : "no reason given"));
    }
    json_array_foreach(json_object_get(r, "errors"), i, v)
        if (json_is_string(v))
            reason(j, json_string_value(v));
    if (!strcmp(j->state, "clean") && j->reasons)
        j->state = "incomplete";      /* a partial scan is never clean */
    json_decref(r);
}

static void last_line_of(const char *path, job *j)
{
    FILE *fp = fopen(path, "r");
    char line[512], last[512] = "";
    if (!fp)
        return;
    for (int n = 0; n < 10000 && fgets(line, sizeof line, fp); n++)
        if (line[0] && line[0] != '\n')
            memcpy(last, line, sizeof last);
    fclose(fp);
    last[strcspn(last, "\n")] = '\0';
    if (last[0])
        reasonf_take(j, ms_asprintf("scanner said: %s", last));
}

static char *self_exe(void)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return ms_strdup(buf);
}

/* argv of the child: scanner, --result-dir DIR, the batch's options, the
 * line's options, --, the files. */
static char **child_argv(const ms_batch_options *o, const char *exe,
                         const ms_manifest_entry *e)
{
    size_t n = 0, cap = 4 + o->nscanner_args + 12 + e->nsegments + 1;
    char **a = calloc(cap, sizeof *a);
    if (!a)
        return NULL;
    a[n++] = (char *)exe;
    a[n++] = "--result-dir";
    a[n++] = (char *)o->dir;
    for (size_t i = 0; i < o->nscanner_args; i++)
        a[n++] = (char *)o->scanner_args[i];
    struct { const char *opt, *val; } kv[] = {
        { "--image-type", e->image_type }, { "--case", e->case_id },
        { "--examiner", e->examiner }, { "--evidence-id", e->evidence_id },
        { "--notes", e->notes },
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (kv[i].val) {
            a[n++] = (char *)kv[i].opt;
            a[n++] = (char *)kv[i].val;
        }
    if (e->hash == 1)
        a[n++] = "--hash";
    if (e->carve == 1)
        a[n++] = "--carve";
    a[n++] = "--";
    for (size_t i = 0; i < e->nsegments; i++)
        a[n++] = e->segments[i];
    a[n] = NULL;
    return a;
}

static int start_child(const ms_batch_options *o, const char *exe, job *j)
{
    char **argv = child_argv(o, exe, j->e);
    if (!argv || !(j->errlog = ms_asprintf("%s/.log-%ld-%zu.err", o->dir,
                                           (long)getpid(), j->e->line))) {
        free(argv);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);      /* one group: a kill takes all of the child */
        int nul = open("/dev/null", O_RDWR);
        int log = open(j->errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (nul >= 0) {
            dup2(nul, STDIN_FILENO);
            dup2(nul, STDOUT_FILENO);
        }
        if (log >= 0)
            dup2(log, STDERR_FILENO);
        execv(exe, argv);
        _exit(127);
    }
    free(argv);
    if (pid < 0)
        return -1;
    setpgid(pid, pid);
    j->pid = pid;
    j->start = j->last_progress = now();
    (void)child_rchar(pid, &j->rchar);
    return 0;
}

static void finish_child(const ms_batch_options *o, job *j, int status,
                         const char *killed_for)
{
    j->done = 1;
    ms_resultdir_sweep(o->dir, j->pid);
    if (killed_for) {
        j->state = "failed";
        reason(j, killed_for);
    } else if (WIFSIGNALED(status)) {
        j->state = "failed";
        reasonf_take(j, ms_asprintf("the scanner was killed by signal %d (%s)",
                                    WTERMSIG(status),
                                    strsignal(WTERMSIG(status))));
    } else if (ms_resultdir_matches(o->dir, j->name, j->id)) {
        state_from_result(o->dir, j);
    } else {
        j->state = "failed";
        reasonf_take(j, ms_asprintf("the scanner wrote no result (exit "
                                    "status %d)", WEXITSTATUS(status)));
    }
    if (!strcmp(j->state, "failed") && j->errlog)
        last_line_of(j->errlog, j);
    if (j->errlog)
        unlink(j->errlog);
}

/* Check limits of a running child: time limit and watchdog. */
static const char *over_limit(const ms_batch_options *o, job *j, double t)
{
    unsigned limit = j->e->time_limit ? j->e->time_limit : o->time_limit;
    unsigned long long r;
    if (child_rchar(j->pid, &r) == 0 && r != j->rchar) {
        j->rchar = r;
        j->last_progress = t;
    }
    if (limit && t - j->start > limit)
        return "time limit";
    if (o->watchdog && t - j->last_progress > o->watchdog)
        return "watchdog";
    return NULL;
}

static json_t *summary_line(const job *j)
{
    json_t *segs = json_array();
    for (size_t i = 0; segs && i < j->e->nsegments; i++)
        json_array_append_new(segs, json_string(j->e->segments[i]));
    json_t *o = json_pack("{s:I, s:o, s:s, s:o, s:o, s:b, s:o}",
                          "line", (json_int_t)j->e->line,
                          "segments", segs ? segs : json_array(),
                          "state", j->state ? j->state : "failed",
                          "result", j->name ? json_string(j->name)
                                            : json_null(),
                          "reasons", j->reasons ? json_incref(j->reasons)
                                                : json_array(),
                          "resumed", j->resumed,
                          "duplicate_of", j->duplicate_of
                              ? json_string(j->duplicate_of) : json_null());
    if (o && json_object_set_new(o, "not_read", j->not_read
                                 ? json_incref(j->not_read) : json_array())) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

/* SHA-256 of an image's whole media: from its report when the scan
 * hashed it (--hash), else computed now. */
static int media_sha256(const ms_batch_options *o, const job *j, char hex[65])
{
    char *p = ms_asprintf("%s/%s/report.json", o->dir, j->name);
    json_t *r = p ? json_load_file(p, 0, NULL) : NULL;
    free(p);
    const char *h = json_string_value(json_object_get(json_object_get(
        json_object_get(r, "image"), "media_hashes"), "sha256"));
    int ok = h && strlen(h) == 64;
    if (ok)
        memcpy(hex, h, 65);
    json_decref(r);
    if (ok)
        return 0;
    char *err = NULL;
    ms_err rc = ms_imgid_media_sha256((const char *const *)j->e->segments,
                                      j->e->nsegments, j->e->image_type, hex,
                                      &err);
    free(err);
    return rc == MS_OK ? 0 : -1;
}

/* j's media sample equals its twin's, which has a result: when the full
 * media SHA-256 of both are equal, j is recorded as a duplicate of it
 * (DIR/NAME/duplicate.json) with the twin's state; returns 1 then. */
static int try_duplicate(const ms_batch_options *o, job *jobs, job *j)
{
    job *t = &jobs[j->twin];
    char a[65], b[65];
    while (t->duplicate_of && t->twin >= 0)
        t = &jobs[t->twin];                /* the one really scanned */
    if (!t->state || !strcmp(t->state, "failed") || !t->name ||
        media_sha256(o, t, a) || media_sha256(o, j, b) || strcmp(a, b))
        return 0;
    ms_imgid id;
    char *err = NULL;
    if (ms_imgid_files((const char *const *)j->e->segments, j->e->nsegments,
                       &id, &err) != MS_OK) {
        free(err);
        return 0;
    }
    json_t *dup = json_pack("{s:s, s:s, s:s}", "duplicate_of", t->name,
                            "media_sha256", a,
                            "compared", "media sample, then the SHA-256 of "
                            "the whole media stream of both images");
    ms_err rc = ms_resultdir_write_duplicate(o->dir, &id, j->sample,
                                             j->media_size, dup, &err);
    json_decref(dup);
    ms_imgid_clear(&id);
    free(err);
    if (rc != MS_OK)
        return 0;
    j->done = 1;
    j->state = t->state;
    j->duplicate_of = ms_strdup(t->name);
    if (t->reasons)
        j->reasons = json_deep_copy(t->reasons);
    if (t->not_read)
        j->not_read = json_deep_copy(t->not_read);
    return 1;
}

static volatile sig_atomic_t stop_signal;
static void on_stop(int sig) { stop_signal = sig; }

int ms_batch_run(const ms_batch_options *o)
{
    ms_manifest m;
    char *err = NULL, *exe = NULL, *summary = NULL, *tmpsum = NULL;
    job *jobs = NULL;
    int status = 2;
    FILE *fp = NULL;

    if (ms_manifest_load(o->manifest, o->first, o->last, &m, &err) != MS_OK) {
        fprintf(stderr, "mumblescan: %s\n", err ? err : "cannot read manifest");
        free(err);
        return 2;
    }
    if (mkdir(o->dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mumblescan: cannot create results directory '%s': "
                "%s\n", o->dir, strerror(errno));
        goto _exit;
    }
    if (!(exe = self_exe()) || !(jobs = calloc(m.n + 1, sizeof *jobs)))
        goto _exit;
    ms_resultdir_sweep(o->dir, 0);
    if (o->summary)
        summary = ms_strdup(o->summary);
    else if (o->first > 1 || o->last)
        summary = ms_asprintf("%s/batch-summary-%zu-%zu.jsonl", o->dir,
                              o->first ? o->first : 1, o->last);
    else
        summary = ms_asprintf("%s/batch-summary.jsonl", o->dir);
    if (!summary)
        goto _exit;

    struct sigaction sa = { .sa_handler = on_stop };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    /* identities first: cheap, and a resumable image never starts */
    for (size_t i = 0; i < m.n; i++) {
        job *j = &jobs[i];
        j->e = &m.entries[i];
        j->twin = -1;
        if (j->e->error) {
            j->done = 1;
            j->state = "failed";
            reasonf_take(j, ms_asprintf("manifest line %zu: %s", j->e->line,
                                        j->e->error));
            continue;
        }
        ms_imgid id;
        char *why = NULL;
        if (ms_imgid_files((const char *const *)j->e->segments,
                           j->e->nsegments, &id, &why) != MS_OK) {
            j->done = 1;
            j->state = "failed";
            reasonf_take(j, ms_asprintf("evidence: %s", why ? why : "?"));
            free(why);
            continue;
        }
        memcpy(j->id, id.id, sizeof j->id);
        j->name = ms_resultdir_name(&id);
        ms_imgid_clear(&id);
        if (ms_imgid_media_sample((const char *const *)j->e->segments,
                                  j->e->nsegments, j->e->image_type,
                                  j->sample, &j->media_size, &why) != MS_OK)
            j->sample[0] = '\0';
        free(why);
        why = NULL;
        for (size_t k = 0; j->sample[0] && k < i; k++)
            if (jobs[k].sample[0] && !strcmp(jobs[k].sample, j->sample) &&
                jobs[k].media_size == j->media_size) {
                j->twin = (long)k;
                break;
            }
        if (j->name && ms_resultdir_matches(o->dir, j->name, j->id)) {
            j->done = 1;
            j->resumed = 1;
            state_from_result(o->dir, j);
        }
    }

    size_t running = 0;
    unsigned jobs_max = o->jobs ? o->jobs : 1;
    for (;;) {
        size_t waiting = 0;
        for (size_t i = 0; !stop_signal && i < m.n; i++) {
            job *j = &jobs[i];
            if (j->done || j->started)
                continue;
            /* an image whose media sample equals an earlier one's waits
             * for it; then a full media hash decides */
            if (j->twin >= 0 && !jobs[j->twin].done) {
                waiting++;
                continue;
            }
            if (running >= jobs_max) {
                waiting++;
                continue;
            }
            if (j->twin >= 0 && try_duplicate(o, jobs, j))
                continue;
            j->started = 1;
            if (start_child(o, exe, j)) {
                j->done = 1;
                j->state = "failed";
                reason(j, "cannot start the scanner process");
                continue;
            }
            running++;
        }
        if (running == 0 && (waiting == 0 || stop_signal))
            break;
        double t = now();
        for (size_t i = 0; i < m.n; i++) {
            job *j = &jobs[i];
            if (!j->pid || j->done)
                continue;
            int st;
            pid_t w = waitpid(j->pid, &st, WNOHANG);
            if (w == j->pid) {
                finish_child(o, j, st, NULL);
                running--;
                continue;
            }
            const char *why = stop_signal ? "the batch was interrupted"
                                          : over_limit(o, j, t);
            if (why) {
                kill(-j->pid, SIGKILL);
                kill(j->pid, SIGKILL);
                waitpid(j->pid, &st, 0);
                char *txt = !strcmp(why, "time limit")
                    ? ms_asprintf("time limit: the scan ran longer than %u s",
                                  j->e->time_limit ? j->e->time_limit
                                                   : o->time_limit)
                    : !strcmp(why, "watchdog")
                    ? ms_asprintf("watchdog: no progress (no evidence bytes "
                                  "read) for %u s", o->watchdog)
                    : ms_strdup(why);
                finish_child(o, j, st, txt);
                free(txt);
                running--;
            }
        }
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }

    /* the summary: every image line, atomically */
    int any_find = 0, any_bad = 0, any_failed = 0;
    if (!(tmpsum = ms_asprintf("%s.tmp%ld", summary, (long)getpid())) ||
        !(fp = fopen(tmpsum, "w")))
        goto _sumfail;
    for (size_t i = 0; i < m.n; i++) {
        job *j = &jobs[i];
        if (!j->state) {
            j->state = "failed";
            reason(j, "not started: the batch was interrupted");
        }
        any_find |= !strcmp(j->state, "findings");
        any_failed |= !strcmp(j->state, "failed");
        any_bad |= strcmp(j->state, "findings") && strcmp(j->state, "clean");
        any_bad |= !strcmp(j->state, "findings") && j->reasons != NULL;
        json_t *line = summary_line(j);
        if (!line || json_dumpf(line, fp, JSON_COMPACT | JSON_PRESERVE_ORDER)
            || fputc('\n', fp) == EOF) {
            json_decref(line);
            goto _sumfail;
        }
        json_decref(line);
        fprintf(stderr, "mumblescan: line %zu: %s%s\n", j->e->line, j->state,
                j->resumed ? " (result already present)" : "");
    }
    if (fflush(fp) || fsync(fileno(fp)) || fclose(fp)) {
        fp = NULL;
        goto _sumfail;
    }
    fp = NULL;
    if (rename(tmpsum, summary))
        goto _sumfail;
    status = stop_signal || any_failed ? 2 : any_find ? 1 : any_bad ? 3 : 0;
    goto _exit;
_sumfail:
    fprintf(stderr, "mumblescan: cannot write the batch summary '%s': %s\n",
            summary, strerror(errno));
    if (fp)
        fclose(fp);
    if (tmpsum)
        unlink(tmpsum);
_exit:
    for (size_t i = 0; jobs && i < m.n; i++) {
        free(jobs[i].name);
        free(jobs[i].errlog);
        free(jobs[i].duplicate_of);
        json_decref(jobs[i].reasons);
        json_decref(jobs[i].not_read);
    }
    free(jobs);
    free(tmpsum);
    free(summary);
    free(exe);
    ms_manifest_free(&m);
    return status;
}

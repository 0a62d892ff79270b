/* anacron.c - parse /etc/anacrontab; run-parts' choice of files.
 * See anacron.h for the rules. */
#include "artifacts/anacron.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "artifacts/linereader.h"

static int is_blank(char c) { return c == ' ' || c == '\t'; }

void ms_anacrontab_free(ms_anacrontab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->njobs; i++) {
        free(t->jobs[i].period);
        free(t->jobs[i].ident);
        free(t->jobs[i].command);
    }
    for (size_t i = 0; i < t->nproblems; i++)
        free(t->problems[i].text);
    for (size_t i = 0; i < t->nenv; i++) {
        free(t->env_names[i]);
        free(t->env_values[i]);
    }
    free(t->jobs);
    free(t->problems);
    free(t->env_names);
    free(t->env_values);
    free(t);
}

static ms_err problem(ms_anacrontab *t, unsigned line, size_t off, char *text)
{
    if (!text)
        return MS_ERR_NOMEM;
    if (t->nproblems >= MS_ANACRON_MAX_PROBLEMS) {
        /* counted, not kept: junk lines are as many as the attacker wants */
        t->problems_dropped++;
        free(text);
        return MS_OK;
    }
    ms_err e = ms_grow((void **)&t->problems, &t->problems_cap,
                       t->nproblems + 1, sizeof *t->problems);
    if (e) {
        free(text);
        return e;
    }
    t->problems[t->nproblems++] = (ms_anacron_problem){ line, off, text };
    return MS_OK;
}

/* "NAME=VALUE" with NAME free of blanks and '='. */
static int split_env(const char *p, char **name, char **value)
{
    const char *n = p;
    while (*p && !is_blank(*p) && *p != '=')
        p++;
    if (p == n)
        return 0;
    const char *ne = p;
    while (is_blank(*p))
        p++;
    if (*p != '=')
        return 0;
    p++;
    while (is_blank(*p))
        p++;
    *name = ms_strndup(n, (size_t)(ne - n));
    *value = ms_strdup(p);
    return *name && *value ? 1 : -1;
}

static ms_err add_env(ms_anacrontab *t, char *name, char *value)
{
    ms_err e = ms_grow((void **)&t->env_names, &t->env_cap, t->nenv + 1,
                       sizeof *t->env_names);
    if (!e)
        e = ms_grow((void **)&t->env_values, &t->env_cap2, t->nenv + 1,
                    sizeof *t->env_values);
    if (e) {
        free(name);
        free(value);
        return e;
    }
    t->env_names[t->nenv] = name;
    t->env_values[t->nenv++] = value;
    return MS_OK;
}

/* Next blank-separated word of *pp, copied; NULL at end of line. */
static char *word(const char **pp)
{
    const char *p = *pp;
    while (is_blank(*p))
        p++;
    const char *s = p;
    while (*p && !is_blank(*p))
        p++;
    *pp = p;
    return p > s ? ms_strndup(s, (size_t)(p - s)) : ms_strdup("");
}

static int all_digits(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 9 && strspn(s, "0123456789") == n;
}

static long period_of(const char *p)
{
    if (all_digits(p))
        return strtol(p, NULL, 10);
    if (!strcmp(p, "@daily"))
        return 1;
    if (!strcmp(p, "@weekly"))
        return 7;
    if (!strcmp(p, "@monthly") || !strcmp(p, "@yearly") ||
        !strcmp(p, "@annually"))
        return 0;
    return -1;
}

static ms_err parse_job(ms_anacrontab *t, const char *p, unsigned line,
                        size_t off, const char *path, long random_delay)
{
    ms_anacron_job j = { .line = line, .offset = off, .path_env = path,
                         .random_delay = random_delay, .nenv = t->nenv };
    char *delay = NULL;
    const char *why = NULL;
    ms_err rc = MS_ERR_NOMEM;

    if (!(j.period = word(&p)) || !(delay = word(&p)) ||
        !(j.ident = word(&p)))
        goto _exit;
    while (is_blank(*p))
        p++;
    if (!(j.command = ms_strdup(p)))
        goto _exit;
    if ((j.period_days = period_of(j.period)) < 0)
        why = "period is not a number of days or a known @keyword";
    else if (!all_digits(delay))
        why = "delay is not a number of minutes";
    else if (!*j.ident || strchr(j.ident, '/'))
        why = "missing or invalid job identifier";
    else if (!*j.command)
        why = "no command";
    if (why) {
        rc = problem(t, line, off, ms_strdup(why));
        goto _exit;
    }
    j.delay = strtol(delay, NULL, 10);
    if ((rc = ms_grow((void **)&t->jobs, &t->jobs_cap, t->njobs + 1,
                      sizeof *t->jobs)))
        goto _exit;
    t->jobs[t->njobs++] = j;
    free(delay);
    return MS_OK;
_exit:
    free(j.period);
    free(j.ident);
    free(j.command);
    free(delay);
    return rc;
}

/* "digits" of at most 9 characters (what anacron's atoi reads sanely) */
static int small_number(const char *s, const char *end, long *v)
{
    size_t n = (size_t)(end - s);
    if (n == 0 || n > 9 || strspn(s, "0123456789") < n)
        return 0;
    *v = strtol(s, NULL, 10);
    return 1;
}

/* The assignments anacron acts on itself (readtab.c parse_tab_line).
 * Returns NULL when the assignment stands, else why anacron refuses the
 * line (it is then not part of the environment). */
static const char *sched_env(ms_anacrontab *t, const char *name,
                             const char *value, long *random_delay)
{
    long a, b;
    /* readtab.c compares with strncmp over the name's length: a longer
     * name with the same start ("RANDOM_DELAYS") counts too */
    if (!strncmp(name, "START_HOURS_RANGE", 17)) {
        const char *dash = strchr(value, '-');
        if (!dash || !small_number(value, dash, &a) ||
            !small_number(dash + 1, dash + 1 + strlen(dash + 1), &b))
            return "START_HOURS_RANGE is not \"HOUR-HOUR\": anacron "
                   "refuses the line";
        if (b < a) {
            t->range_start = t->range_stop = 0;
            return "START_HOURS_RANGE ends before it starts: anacron "
                   "refuses the line and starts no job at any hour";
        }
        t->range_start = (int)a;
        t->range_stop = (int)b;
        return NULL;
    }
    if (!strncmp(name, "RANDOM_DELAY", 12)) {
        if (!small_number(value, value + strlen(value), &a))
            return "RANDOM_DELAY is not a number of minutes: anacron "
                   "refuses the line";
        *random_delay = a;
        return NULL;
    }
    if (!strncmp(name, "PREFERRED_HOUR", 14)) {
        if (small_number(value, value + strlen(value), &a)) {
            if (a > 24)
                return "PREFERRED_HOUR is not 0-24: anacron refuses the "
                       "line";
            t->preferred_hour = (int)a;
        }
    }
    return NULL;
}

struct ms_anacron_parser {
    ms_anacrontab *t;
    const char *path;     /* PATH in effect (borrowed from t->env_values) */
    long random_delay;
    int full;             /* MS_ANACRON_MAX_LINES jobs and assignments */
    ms_err err;
};

ms_err ms_anacron_parser_new(ms_anacron_parser **out)
{
    ms_anacron_parser *p = calloc(1, sizeof *p);
    if (!out)
        return MS_ERR_ARG;
    *out = NULL;
    if (!p || !(p->t = calloc(1, sizeof *p->t))) {
        free(p);
        return MS_ERR_NOMEM;
    }
    p->t->range_start = p->t->range_stop = p->t->preferred_hour = -1;
    p->random_delay = -1;
    *out = p;
    return MS_OK;
}

void ms_anacron_parser_free(ms_anacron_parser *p)
{
    if (!p)
        return;
    ms_anacrontab_free(p->t);
    free(p);
}

/* One line, NUL-terminated at its first NUL (anacron's readtab.c reads
 * the line into a C string: what follows a NUL is not seen), without
 * its '\r'. */
static ms_err parse_line(ms_anacron_parser *ps, char *l, unsigned line,
                         size_t off)
{
    ms_anacrontab *t = ps->t;
    char *name, *value;
    size_t n = strlen(l);
    ms_err rc = MS_OK;
    if (n > 0 && l[n - 1] == '\r')
        l[--n] = '\0';
    const char *p = l;
    while (is_blank(*p))
        p++;
    if (!*p || *p == '#')
        return MS_OK;
    if (ps->full)
        return problem(t, line, off, ms_strdup("too many jobs and "
                                               "assignments; not kept"));
    if (t->njobs + t->nenv >= MS_ANACRON_MAX_LINES) {
        ps->full = 1;
        return problem(t, line, off, ms_strdup("too many jobs and "
                                               "assignments; not kept"));
    }
    int env = split_env(p, &name, &value);
    if (env < 0)
        return MS_ERR_NOMEM;
    if (env == 0)
        return parse_job(t, p, line, off, ps->path, ps->random_delay);
    const char *bad = sched_env(t, name, value, &ps->random_delay);
    if (bad) {
        free(name);
        free(value);
        return problem(t, line, off, ms_strdup(bad));
    }
    rc = add_env(t, name, value);
    if (!rc && !strcmp(t->env_names[t->nenv - 1], "PATH"))
        ps->path = t->env_values[t->nenv - 1];
    return rc;
}

int ms_anacron_parser_line(void *user, const ms_line *l)
{
    ms_anacron_parser *ps = user;
    unsigned line = l->number > UINT32_MAX ? UINT32_MAX : (unsigned)l->number;
    size_t off = (size_t)l->offset;
    if (ps->err)
        return 1;
    if (l->len > MS_ANACRON_LINE_MAX + 1 ||
        (l->len == MS_ANACRON_LINE_MAX + 1 && l->data[l->kept - 1] != '\r')) {
        /* anacron itself would read it whole; it is padding (the raw scan
         * reports it) and only its first bytes are kept */
        char *txt = ms_asprintf("line is %llu bytes long (longer than %u); "
                                "not parsed",
                                (unsigned long long)l->len,
                                MS_ANACRON_LINE_MAX);
        ps->err = problem(ps->t, line, off, txt);
        return ps->err != MS_OK;
    }
    char *copy = ms_strndup(l->data, l->kept);
    if (!copy) {
        ps->err = MS_ERR_NOMEM;
        return 1;
    }
    ps->err = parse_line(ps, copy, line, off);
    free(copy);
    return ps->err != MS_OK;
}

ms_err ms_anacron_parser_finish(ms_anacron_parser *p, ms_anacrontab **out)
{
    ms_err rc;
    if (!p || !out)
        return MS_ERR_ARG;
    *out = NULL;
    rc = p->err;
    if (rc == MS_OK) {
        *out = p->t;
        p->t = NULL;
    }
    ms_anacron_parser_free(p);
    return rc;
}

ms_err ms_anacron_parse(const char *data, size_t len, ms_anacrontab **out)
{
    ms_anacron_parser *p = NULL;
    ms_lines_mem m = { (const uint8_t *)data, len };
    if (!out || (!data && len))
        return MS_ERR_ARG;
    *out = NULL;
    ms_err rc = ms_anacron_parser_new(&p);
    if (rc == MS_OK)
        rc = ms_lines_read(ms_lines_mem_read, &m, MS_ANACRON_LINE_MAX + 1,
                           ms_anacron_parser_line, NULL, p, NULL);
    if (rc != MS_OK) {
        ms_anacron_parser_free(p);
        return rc;
    }
    return ms_anacron_parser_finish(p, out);
}

char *ms_anacron_describe(const ms_anacron_job *j)
{
    const char *unit = NULL;
    if (!j)
        return NULL;
    if (j->period_days == 0)
        unit = strcmp(j->period, "@monthly") ? "once a year" : "once a month";
    if (unit)
        return ms_asprintf("%s (anacron), %ld minutes after anacron starts",
                           unit, j->delay);
    if (j->period_days == 1)
        return ms_asprintf("once a day (anacron), %ld minutes after anacron "
                           "starts", j->delay);
    return ms_asprintf("once every %ld days (anacron), %ld minutes after "
                       "anacron starts", j->period_days, j->delay);
}

char *ms_anacron_describe_in(const ms_anacrontab *t,
                             const ms_anacron_job *j)
{
    char *base = ms_anacron_describe(j), *out = NULL;
    char rd[128] = "", hr[160] = "";
    if (!base || !t)
        return base;
    if (j->random_delay > 0)
        snprintf(rd, sizeof rd, " plus a random 0-%ld minutes "
                 "(RANDOM_DELAY=%ld)", j->random_delay, j->random_delay);
    if (t->range_start >= 0 && t->range_start == t->range_stop)
        snprintf(hr, sizeof hr, ", never started (START_HOURS_RANGE "
                 "selects no hour)");
    else if (t->range_start >= 0)
        snprintf(hr, sizeof hr, ", started only from %02d:00 to before "
                 "%02d:00 (START_HOURS_RANGE=%d-%d)", t->range_start,
                 t->range_stop, t->range_start, t->range_stop);
    out = ms_asprintf("%s%s%s", base, rd, hr);
    free(base);
    return out;
}

ms_err ms_anacron_env_words(const ms_anacrontab *t, const ms_anacron_job *j,
                            char **out)
{
    ms_buf b = { 0 };
    ms_err rc = MS_OK;
    if (!t || !j || !out)
        return MS_ERR_ARG;
    *out = NULL;
    for (size_t i = 0; i < j->nenv && i < t->nenv && !rc; i++)
        rc = ms_buf_printf(&b, "%s%s=%s", i ? "; " : "", t->env_names[i],
                           t->env_values[i]);
    if (rc) {
        ms_buf_free(&b);
        return rc;
    }
    if (j->nenv == 0)
        return MS_OK;
    *out = ms_buf_steal(&b);
    return *out ? MS_OK : MS_ERR_NOMEM;
}

static int debian_name_ok(const char *n)
{
    for (; *n; n++)
        if (!(isalnum((unsigned char)*n) && (unsigned char)*n < 128) &&
            *n != '_' && *n != '-')
            return 0;
    return 1;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int cronie_name_ok(const char *n)
{
    static const char *const bad[] = { "~", ",", ".rpmsave", ".rpmorig",
                                       ".rpmnew", ".swp", ".cfsaved", NULL };
    for (size_t i = 0; bad[i]; i++)
        if (ends_with(n, bad[i]))
            return 0;
    return strstr(n, ".dpkg-") == NULL;
}

int ms_runparts_runs(const char *name, unsigned mode, ms_cron_dialect d,
                     const char **why)
{
    static const char *const not_exec = "not executable: run-parts skips it";
    static const char *const deb = "name has characters other than letters, "
                                   "digits, '_' and '-': Debian's run-parts "
                                   "skips it";
    static const char *const cro = "backup or package-manager suffix: "
                                   "cronie's run-parts skips it";
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    if (!name || !*name || name[0] == '.') {
        *why = "hidden or empty name: run-parts skips it";
        return 0;
    }
    if (!(mode & 0111)) {
        *why = not_exec;
        return 0;
    }
    int dok = debian_name_ok(name), cok = cronie_name_ok(name);
    switch (d) {
    case MS_CRON_DIALECT_DEBIAN:
        *why = dok ? NULL : deb;
        return dok;
    case MS_CRON_DIALECT_CRONIE_15:
    case MS_CRON_DIALECT_CRONIE_16:
        *why = cok ? NULL : cro;
        return cok;
    default:
        *why = dok || cok ? NULL : deb;
        return dok || cok;
    }
}

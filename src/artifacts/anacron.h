/* anacron.h - /etc/anacrontab and the run-parts directories.
 *
 * anacrontab lines (anacron's readtab.c, Debian anacron 2.3 and cronie's
 * anacron): blank lines and '#' comments are skipped; "NAME=VALUE" sets
 * the environment (PATH, SHELL, START_HOURS_RANGE, RANDOM_DELAY ...); a
 * job is "PERIOD DELAY IDENTIFIER COMMAND", separated by blanks:
 *  - PERIOD: days as a number, or @daily @weekly @monthly @yearly
 *    @annually (cronie's anacron; Debian's knows @monthly);
 *  - DELAY: minutes to wait after anacron starts;
 *  - IDENTIFIER: the job's name (its timestamp file), no '/';
 *  - COMMAND: the rest of the line, run by /bin/sh -c.
 * Anything else is a problem line (anacron refuses it).
 *
 * run-parts (what /etc/crontab and anacron call for /etc/cron.hourly,
 * daily, weekly, monthly) runs only some files of a directory: Debian's
 * run-parts only executable files whose names are made of ASCII letters,
 * digits, '_' and '-'; cronie's run-parts script every executable file
 * except names ending in ~ , .rpmsave .rpmorig .rpmnew .swp .cfsaved
 * .dpkg-* .
 *
 * No I/O, no global state; bounds as in cron_parse.h. */
#ifndef MS_ANACRON_H
#define MS_ANACRON_H

#include <stddef.h>
#include "artifacts/cron_sched.h"
#include "common/ms_error.h"

#define MS_ANACRON_MAX_LINES 100000u
#define MS_ANACRON_LINE_MAX  (64u * 1024u)

typedef struct ms_anacron_job {
    unsigned line;
    size_t offset;        /* byte offset of the line */
    char *period;         /* as written: "1", "@monthly" */
    long period_days;     /* days; 0 for @monthly/@yearly (calendar) */
    long delay;           /* minutes */
    char *ident;
    char *command;
    const char *path_env; /* borrowed from env[]; NULL if unset */
} ms_anacron_job;

typedef struct ms_anacron_problem {
    unsigned line;
    size_t offset;
    char *text;
} ms_anacron_problem;

typedef struct ms_anacrontab {
    ms_anacron_job *jobs;         size_t njobs, jobs_cap;
    ms_anacron_problem *problems; size_t nproblems, problems_cap;
    char **env_names, **env_values; size_t nenv, env_cap, env_cap2;
} ms_anacrontab;

ms_err ms_anacron_parse(const char *data, size_t len, ms_anacrontab **out);
void ms_anacrontab_free(ms_anacrontab *t);

/* "every day (anacron), 5 minutes after anacron starts" - malloc'd. */
char *ms_anacron_describe(const ms_anacron_job *j);

/* 1 if run-parts of dialect d runs a file of that name and mode; else 0
 * and *why (static text) says why not.  Unknown dialects: runs if either
 * run-parts would. */
int ms_runparts_runs(const char *name, unsigned mode, ms_cron_dialect d,
                     const char **why);

#endif

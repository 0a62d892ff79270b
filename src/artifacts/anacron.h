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
 * Assignments that change scheduling (cronie anacron/readtab.c
 * parse_tab_line, lock.c, runjob.c; Debian's anacron has the same):
 *  - START_HOURS_RANGE=A-B (digits): jobs start only in hours A..B-1;
 *    the last valid one counts for all jobs; not "digits-digits" or B < A:
 *    a problem line (and B < A leaves a range in which no job starts);
 *  - RANDOM_DELAY=N (digits): a random 0..N minutes, drawn when the line
 *    is read, added to the delay of every job read after it; else a
 *    problem line;
 *  - PREFERRED_HOUR=H (0-24);
 *  - every assignment reaches the jobs read after it, in order.
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

/* The file is read whole, line by line (padding before a job must not
 * hide it); what is kept is bounded: jobs and assignments together, the
 * bytes of one line (a longer line is a problem, not parsed), problems
 * (the rest counted in problems_dropped). */
#define MS_ANACRON_MAX_LINES 100000u
#define MS_ANACRON_LINE_MAX  (64u * 1024u)
#define MS_ANACRON_MAX_PROBLEMS 1000u

typedef struct ms_anacron_job {
    unsigned line;
    size_t offset;        /* byte offset of the line */
    char *period;         /* as written: "1", "@monthly" */
    long period_days;     /* days; 0 for @monthly/@yearly (calendar) */
    long delay;           /* minutes */
    char *ident;
    char *command;
    const char *path_env; /* borrowed from env[]; NULL if unset */
    /* RANDOM_DELAY in effect when the job was read (readtab.c adds the
     * random number drawn then to the job's delay), -1 if none */
    long random_delay;
    /* environment assignments before the job (runjob.c xputenv: the
     * first nenv of the table's env_names/env_values) */
    size_t nenv;
} ms_anacron_job;

typedef struct ms_anacron_problem {
    unsigned line;
    size_t offset;
    char *text;
} ms_anacron_problem;

typedef struct ms_anacrontab {
    ms_anacron_job *jobs;         size_t njobs, jobs_cap;
    ms_anacron_problem *problems; size_t nproblems, problems_cap;
    size_t problems_dropped;      /* beyond MS_ANACRON_MAX_PROBLEMS */
    char **env_names, **env_values; size_t nenv, env_cap, env_cap2;
    /* START_HOURS_RANGE: jobs start only when range_start <= hour <
     * range_stop (lock.c); the last valid assignment counts for every
     * job; -1 when unset.  A reversed range leaves 0-0: no job starts
     * (readtab.c resets it, then rejects the line) */
    int range_start, range_stop;
    /* PREFERRED_HOUR (0-24), -1 when unset */
    int preferred_hour;
} ms_anacrontab;

/* Parse text in memory (the unit tests, content recovered into memory). */
ms_err ms_anacron_parse(const char *data, size_t len, ms_anacrontab **out);

/* The same line by line, for ms_lines_read (artifacts/linereader.h): a
 * file of any size in memory bounded per line.  A line is taken up to
 * its first NUL (anacron reads it into a C string).
 * ms_anacron_parser_line has the ms_line_cb shape (the parser as user
 * data) and returns non-zero only when out of memory; finish hands the
 * table over and frees the parser, whatever it returns. */
typedef struct ms_anacron_parser ms_anacron_parser;
struct ms_line;
ms_err ms_anacron_parser_new(ms_anacron_parser **out);
int ms_anacron_parser_line(void *p, const struct ms_line *line);
ms_err ms_anacron_parser_finish(ms_anacron_parser *p, ms_anacrontab **out);
void ms_anacron_parser_free(ms_anacron_parser *p);
void ms_anacrontab_free(ms_anacrontab *t);

/* "every day (anacron), 5 minutes after anacron starts" - malloc'd. */
char *ms_anacron_describe(const ms_anacron_job *j);

/* The same with the table's START_HOURS_RANGE and the job's
 * RANDOM_DELAY: "once a day (anacron), 5 minutes after anacron starts
 * plus a random 0-45 minutes (RANDOM_DELAY=45), started only from 03:00
 * to before 22:00 (START_HOURS_RANGE=3-22)".  malloc'd. */
char *ms_anacron_describe_in(const ms_anacrontab *t,
                             const ms_anacron_job *j);

/* The job's environment from the anacrontab, "NAME=VALUE" joined by
 * "; ", or NULL when none (then *out is NULL).  MS_ERR_NOMEM. */
ms_err ms_anacron_env_words(const ms_anacrontab *t, const ms_anacron_job *j,
                            char **out);

/* 1 if run-parts of dialect d runs a file of that name and mode; else 0
 * and *why (static text) says why not.  Unknown dialects: runs if either
 * run-parts would. */
int ms_runparts_runs(const char *name, unsigned mode, ms_cron_dialect d,
                     const char **why);

#endif

/* cron_parse.h - parse a whole crontab file the way cron reads it.
 *
 * Input is the raw bytes of a crontab from a disk image: hostile.  Lines
 * cron would reject are reported as problems (never fatal); the rest
 * become jobs or environment assignments.  Rules follow cronie / Vixie
 * cron (user.c, env.c, entry.c, do_command.c):
 *  - blank lines and lines whose first non-blank is '#' are skipped;
 *  - a line is first tried as "NAME = VALUE" (cronie's load_env: NAME may
 *    be quoted and then may contain blanks; VALUE may be quoted; blanks
 *    around '=' allowed; trailing blanks of an unquoted value dropped;
 *    anything after a closing quote makes it a non-assignment), and only
 *    if that fails as a job;
 *  - a job is five fields or an @keyword, then (system crontabs only) a
 *    user name, then the command; a leading '-' (cronie: do not log) is
 *    accepted and dropped;
 *  - cron rejects a command (user crontab) or user (system crontab) that
 *    starts with '*', as a likely six-field typo; so do we;
 *  - the command is split at the first unescaped '%': the rest is the
 *    job's standard input, with '%' turned into newlines (do_command.c);
 *  - CR before LF is stripped (DOS line ends).
 *
 * Bounds: lines longer than MS_CRON_LINE_MAX and lines holding a NUL
 * byte are reported and skipped; at most MS_CRON_MAX_LINES lines are read
 * and hitting the limit is reported.  A job on a last line without a
 * newline is a problem, not a job: cron's load_entry drops it.
 *
 * No I/O, no global state. */
#ifndef MS_CRON_PARSE_H
#define MS_CRON_PARSE_H

#include <stddef.h>
#include "artifacts/cron_sched.h"
#include "common/ms_error.h"

#define MS_CRON_LINE_MAX  (64u * 1024u)  /* bytes, without the newline */
#define MS_CRON_MAX_LINES 100000u

typedef struct ms_cron_entry {
    unsigned line;      /* 1-based line number */
    char *schedule;     /* fields as written, joined by one space, or the
                           @keyword */
    char *user;         /* user field; NULL for user crontabs */
    char *command;      /* text before the first unescaped %, with \%
                           turned into % (other backslashes kept) */
    char *input;        /* text after the first unescaped %, other
                           unescaped % turned into newlines and \% into %;
                           NULL when the command has no unescaped % */
    ms_cron_sched sched;
    /* Values of PATH and SHELL in effect at this line (NULL if not set in
     * the file).  BORROWED: they point into the owning ms_cron_file's
     * env[].value strings; never free them, and do not use them after
     * ms_cron_file_free(). */
    const char *path_env;
    const char *shell_env;
    /* issue 10: CRON_TZ and TZ in effect at this line (borrowed like
     * path_env; NULL if not set in the file) */
    const char *cron_tz_env;
    const char *tz_env;
    /* issue 10: when the line's meaning depends on the cron
     * implementation (dialect unknown or not modelled), every reading in
     * words; else NULL.  Owned. */
    char *dialect_note;
    size_t offset;      /* byte offset of the line in the file */
} ms_cron_entry;

typedef struct ms_cron_problem {
    unsigned line;      /* 1-based line number the problem is about */
    char *text;         /* English explanation; printable ASCII except
                           where it quotes the file */
    size_t offset;      /* byte offset of the line's first byte */
} ms_cron_problem;

typedef struct ms_cron_env {
    unsigned line;
    char *name;         /* may be empty or hold blanks, as cronie allows */
    char *value;        /* quotes removed */
} ms_cron_env;

/* Everything owned by the struct; free with ms_cron_file_free(). */
typedef struct ms_cron_file {
    ms_cron_entry   *entries;  size_t nentries;
    ms_cron_problem *problems; size_t nproblems;
    ms_cron_env     *env;      size_t nenv;   /* in file order */
    size_t entries_cap, problems_cap, env_cap;
    ms_cron_dialect dialect;  /* rules applied (issue 10) */
    size_t cur_offset;        /* internal: offset of the line being read */
} ms_cron_file;

/* Parse len bytes of crontab text.  system != 0 for /etc/crontab and
 * /etc/cron.d files (user field after the schedule).  On MS_OK *out is a
 * new file (caller frees with ms_cron_file_free), even when every line was
 * a problem.  MS_ERR_ARG for NULL out (or NULL data with len > 0),
 * MS_ERR_NOMEM on allocation failure (then *out is NULL). */
ms_err ms_cron_parse(const char *data, size_t len, int system,
                     ms_cron_file **out);

/* Same with one cron implementation's field rules (cron_sched.h).  With
 * MS_CRON_DIALECT_UNKNOWN or an unmodelled dialect, each line is read
 * with every modelled dialect's rules: a line all of them reject is a
 * problem; a line only some accept is kept as a job, with every reading
 * in its dialect_note.  ms_cron_parse() is MS_CRON_DIALECT_UNKNOWN. */
ms_err ms_cron_parse_dialect(const char *data, size_t len, int system,
                             ms_cron_dialect dialect, ms_cron_file **out);

/* Free f and everything it owns; NULL is fine. */
void ms_cron_file_free(ms_cron_file *f);

/* Split a cron command at '%' exactly as cron does (see ms_cron_entry).
 * Sets *command (never NULL on success) and *input (NULL if no unescaped
 * %); both malloc'd, caller frees.  Exposed for tests and callers that
 * get commands from elsewhere. */
ms_err ms_cron_split_percent(const char *cmd, char **command, char **input);

#endif

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
 * Lines are read the way cron reads them (docs/detection.md, "Crontab
 * lines as cron reads them"): every line of the file is parsed, however
 * long the lines before it; an over-long line is parsed from its first
 * MS_CRON_LINE_MAX bytes (cronie keeps that much of a command and reads
 * on to the newline) and reported; a line holding a NUL is parsed up to
 * the NUL (cron's C strings end there) and reported.  Comment and blank
 * lines cost nothing however many there are; at most MS_CRON_MAX_KEPT
 * jobs and assignments (MS_CRON_MAX_KEPT_BYTES of text) and
 * MS_CRON_MAX_PROBLEMS problems are kept, the rest counted.  A job on a
 * last line without a newline is a problem, not a job: cron's load_entry
 * drops it.
 *
 * Lines come from artifacts/linereader.h: ms_cron_parser_line() takes
 * them one at a time (a crontab of any size in bounded memory);
 * ms_cron_parse() is the same over a buffer.  No I/O, no global state. */
#ifndef MS_CRON_PARSE_H
#define MS_CRON_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "artifacts/cron_sched.h"
#include "artifacts/linereader.h"
#include "common/ms_error.h"

/* Bytes of a line parsed: cronie's MAX_COMMAND (131072) less its NUL. */
#define MS_CRON_LINE_MAX  131071u
/* Jobs plus assignments kept, and the bytes of their lines. */
#define MS_CRON_MAX_KEPT  100000u
#define MS_CRON_MAX_KEPT_BYTES (256u << 20)
#define MS_CRON_MAX_PROBLEMS 100000u /* = MS_CRON_MAX_REJECTED */
/* cronie's MAX_GARBAGE: comment and blank bytes in a row a user crontab
 * may hold before cronie refuses the whole file. */
#define MS_CRON_CRONIE_GARBAGE 32768u

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
    /* CRON_TZ and TZ in effect at this line (borrowed like
     * path_env; NULL if not set in the file) */
    const char *cron_tz_env;
    const char *tz_env;
    /* when the line's meaning depends on the cron
     * implementation (dialect unknown or not modelled), every reading in
     * words; else NULL.  Owned. */
    char *dialect_note;
    /* FreeBSD's -n/-q options in words, or NULL (systemd-cron's timer
     * settings are added by the collector from env[]).  Owned. */
    char *timer;
    size_t offset;      /* byte offset of the line in the file */
    /* BusyBox: the line's number among the lines crond's config_read
     * returns (blank lines and comments, '#' ending any line, not
     * counted); 0 for other dialects */
    unsigned long read_line;
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
    /* counted beyond the caps, not kept */
    size_t problems_dropped;   /* problems past MS_CRON_MAX_PROBLEMS */
    size_t entries_dropped;    /* lines past MS_CRON_MAX_KEPT(_BYTES) */
    uint64_t kept_bytes;       /* bytes of the parsed job/env lines */
    ms_cron_dialect dialect;   /* rules applied */
    uint64_t cur_offset;       /* internal: offset of the line being read */
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

/* Incremental form, with one cron implementation's field rules (see
 * ms_cron_parse_dialect): new parser, one call per line in file order (lines
 * as ms_lines_read delivers them, at most MS_CRON_LINE_MAX bytes kept),
 * then finish, which hands over the file and frees the parser (on
 * MS_OK).  ms_cron_parser_free() drops a parser not finished.  Errors:
 * MS_ERR_ARG, MS_ERR_NOMEM (the parser must then be freed). */
typedef struct ms_cron_parser ms_cron_parser;
ms_err ms_cron_parser_new(int system, ms_cron_dialect dialect,
                          ms_cron_parser **out);
ms_err ms_cron_parser_line(ms_cron_parser *p, const ms_line *line);
ms_err ms_cron_parser_finish(ms_cron_parser *p, ms_cron_file **out);
void ms_cron_parser_free(ms_cron_parser *p);

/* Free f and everything it owns; NULL is fine. */
void ms_cron_file_free(ms_cron_file *f);

/* Split a cron command at '%' exactly as cron does (see ms_cron_entry).
 * Sets *command (never NULL on success) and *input (NULL if no unescaped
 * %); both malloc'd, caller frees.  Exposed for tests and callers that
 * get commands from elsewhere. */
ms_err ms_cron_split_percent(const char *cmd, char **command, char **input);

#endif

/* cron_command.h - which programs does a cron command run?
 *
 * A static, approximate reading of the POSIX shell command line that cron
 * hands to /bin/sh -c.  Nothing is executed or expanded; words keep
 * variables as written ("$HOME/bin/x"), so the caller can report them as
 * unresolved.  It is a forensic helper, not a shell: it aims to find every
 * program a typical (or typically malicious) crontab command starts.
 *
 * What counts as a program:
 *  - the command word of each simple command, after leading NAME=value
 *    assignments, redirections (anywhere), and the reserved words if, then,
 *    elif, else, do, while, until, "!", "{", "}", fi, done, esac, time;
 *  - separators ; && || | & newline, ( ) subshells and { } groups;
 *  - wrappers are looked through and NOT reported themselves: exec, nice,
 *    nohup, timeout DURATION, env [-i] [-u N] [-C DIR] [VAR=x], flock
 *    FILE [-c CMD], ionice, sudo, doas, command, setsid, stdbuf, taskset
 *    MASK, chronic, nocache, time;
 *  - "sh -c STR" (any shell) and "su/runuser ... -c STR", "flock ... -c
 *    STR", "env -S STR", "eval ARGS": STR is parsed recursively and the
 *    shell itself is not reported (it only wraps the string);
 *  - interpreters perl, python, python2, python3 (and pythonX.Y), sh,
 *    bash, dash, ksh, zsh, ash, mksh, php, ruby, node, nodejs, recognised
 *    by basename so "/usr/bin/perl" counts: the interpreter is reported
 *    (is_script 0) and its script argument too (is_script 1, interpreter
 *    = the interpreter word as written).  Code given inline (perl -e,
 *    python -c, php -r, ruby -e, node -e) or modules (python -m) mean no
 *    script; a shell reading stdin ("... | sh") is reported alone;
 *  - ". FILE" and "source FILE" report FILE as a script with interpreter
 *    "." or "source" (the running shell reads it);
 *  - command substitution $(...), `...` and <(...) >(...): the programs
 *    inside are reported (after the enclosing command's); a command word
 *    that is only a substitution is not a program itself;
 *  - builtins and keywords give NO entry when written without a '/':
 *    test [ [[ true false : echo printf exit return export unset set
 *    shift read local declare typeset readonly wait kill trap umask
 *    ulimit alias type hash pwd let getopts break continue shopt builtin
 *    ... and "command -v/-V X" (a lookup, not a run).  "/bin/echo" is a
 *    file and IS reported.  Arguments of test/[ are never programs.
 *  - "cd DIR" is not a program: it sets cwd for the programs that follow in
 *    the same (sub)shell, unless it is piped or backgrounded.  Relative DIR
 *    is joined to an earlier cd; bare "cd" gives "$HOME".  A ( ) subshell
 *    restores the directory when it ends.
 *  - for/select/case headers and function names are not programs; case
 *    patterns ("start)") are skipped roughly.
 * Not handled: here-document bodies, aliases, functions defined and then
 * called (the name is reported as a program), arithmetic $((...)).
 *
 * Bounds: commands longer than MS_CMD_MAX_LEN are refused, at most
 * MS_CMD_MAX_PROGS programs are returned, and strings are re-parsed at
 * most MS_CMD_MAX_DEPTH levels deep (sh -c inside $(...) inside ...). */
#ifndef MS_CRON_COMMAND_H
#define MS_CRON_COMMAND_H

#include <stddef.h>
#include "common/ms_error.h"

#define MS_CMD_MAX_LEN   (64u * 1024u)
#define MS_CMD_MAX_PROGS 64u
#define MS_CMD_MAX_DEPTH 4

typedef struct ms_cmd_prog {
    char *word;        /* program as written, after quote removal */
    char *cwd;         /* directory from a preceding `cd DIR &&` / `cd DIR;`
                          in the same command (or env -C), else NULL */
    int   is_script;   /* the word is a script given to an interpreter */
    char *interpreter; /* interpreter word when is_script, else NULL */
    /* run only if a preceding test finds it: "[ -x P ] && P",
     * "test -f P && P", "command -v P >/dev/null && P", "if [ -x P ];
     * then P; fi", "[ -x P ] || exit 0; P".  An absent guarded program
     * never runs. */
    int   guarded;
} ms_cmd_prog;

/* Find the programs `command` runs, in order of appearance.
 * On MS_OK, *progs / *n hold what was found (*n may be 0, *progs then
 * NULL) and the caller frees them with ms_cmd_progs_free().  When a bound
 * was hit (too many programs, nesting too deep) the list is cut short but
 * the call still returns MS_OK; use the _ex variant to learn that.
 * Errors leave *progs NULL and *n 0: MS_ERR_ARG, MS_ERR_NOMEM, and
 * MS_ERR_LIMIT for a command longer than MS_CMD_MAX_LEN (not parsed). */
ms_err ms_cron_command_programs(const char *command, ms_cmd_prog **progs,
                                size_t *n);

/* Same; *truncated (if not NULL) is set to 1 when a bound cut the list
 * short or some nested string was not examined, else 0. */
ms_err ms_cron_command_programs_ex(const char *command, ms_cmd_prog **progs,
                                   size_t *n, int *truncated);

/* 1 if the command starts a shell that reads its commands from standard
 * input (e.g. "/bin/sh" alone, "bash -s"), not fed by a pipe: cron's text
 * after '%' is then a script.  0 otherwise (and on any error). */
int ms_cron_command_reads_stdin(const char *command);

/* Free an array returned by ms_cron_command_programs(); NULL is fine. */
void ms_cmd_progs_free(ms_cmd_prog *progs, size_t n);

#endif

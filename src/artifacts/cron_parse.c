/* cron_parse.c - crontab file -> jobs, environment, problems.
 * See cron_parse.h for the rules; comments here say why. */
#include "artifacts/cron_parse.h"
#include "artifacts/cron_dialect_rules.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

/* cron's Skip_Blanks: only space and tab separate fields. */
static int is_blank(char c) { return c == ' ' || c == '\t'; }

static const char *skip_blanks(const char *p)
{
    while (is_blank(*p))
        p++;
    return p;
}

static const char *skip_word(const char *p)
{
    while (*p && !is_blank(*p))
        p++;
    return p;
}

/* ---- the file struct ---------------------------------------------------- */

static void entry_free(ms_cron_entry *e)
{
    free(e->schedule);
    free(e->user);
    free(e->command);
    free(e->input);
    free(e->dialect_note);
    free(e->timer);
}

void ms_cron_file_free(ms_cron_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nentries; i++)
        entry_free(&f->entries[i]);
    for (size_t i = 0; i < f->nproblems; i++)
        free(f->problems[i].text);
    for (size_t i = 0; i < f->nenv; i++) {
        free(f->env[i].name);
        free(f->env[i].value);
    }
    free(f->entries);
    free(f->problems);
    free(f->env);
    free(f);
}

/* Takes ownership of text (NULL means the allocation already failed). */
static ms_err add_problem(ms_cron_file *f, unsigned line, char *text)
{
    if (!text)
        return MS_ERR_NOMEM;
    ms_err e = ms_grow((void **)&f->problems, &f->problems_cap,
                       f->nproblems + 1, sizeof *f->problems);
    if (e) {
        free(text);
        return e;
    }
    f->problems[f->nproblems].line = line;
    f->problems[f->nproblems].text = text;
    f->problems[f->nproblems].offset = f->cur_offset;
    f->nproblems++;
    return MS_OK;
}

/* ---- environment lines (cronie env.c load_env) -------------------------- */

enum env_state { NAMEI, NAME, EQ1, EQ2, VALUEI, VALUE, FINI, ERROR };

/* Run cronie's state machine over line (no leading blanks).  Returns 1
 * and malloc'd name and value if it is an assignment, 0 if not, -1 if out
 * of memory.  name and value are at most strlen(line) bytes each. */
static int parse_env(const char *line, char **name, char **value)
{
    size_t n = strlen(line);
    char *nm = calloc(1, n + 1), *val = calloc(1, n + 1), *str = nm;
    const char *c = line;
    enum env_state state = NAMEI;
    char quote = 0;

    if (!nm || !val)
        goto _nomem;
    while (state != ERROR && *c) {
        switch (state) {
        case NAMEI:
        case VALUEI:
            if (*c == '\'' || *c == '"')
                quote = *c++;
            state++;
            if (!*c)
                break;
            /* fall through */
        case NAME:
        case VALUE:
            if (quote) {
                if (*c == quote) {
                    state++;
                    c++;
                    break;
                }
                if (state == NAME && *c == '=') {
                    state = ERROR;
                    break;
                }
            } else if (state == NAME) {
                if (isspace((unsigned char)*c)) {
                    c++;
                    state++;
                    break;
                }
                if (*c == '=') {
                    state++;
                    break;
                }
            }
            *str++ = *c++;
            break;
        case EQ1:
            if (*c == '=') {
                state++;
                str = val;
                quote = 0;
            } else if (!isspace((unsigned char)*c)) {
                state = ERROR;
            }
            c++;
            break;
        case EQ2:
        case FINI:
            if (isspace((unsigned char)*c))
                c++;
            else
                state++;
            break;
        default:
            state = ERROR;
            break;
        }
    }
    if (state != FINI && state != EQ2 && !(state == VALUE && !quote)) {
        free(nm);
        free(val);
        return 0;
    }
    if (state == VALUE) { /* unquoted value: drop trailing blanks */
        char *e = val + strlen(val);
        while (e > val && isspace((unsigned char)e[-1]))
            *--e = '\0';
    }
    *name = nm;
    *value = val;
    return 1;
_nomem:
    free(nm);
    free(val);
    return -1;
}

/* ---- % handling (cron do_command.c) ------------------------------------- */

ms_err ms_cron_split_percent(const char *cmd, char **command, char **input)
{
    size_t n = cmd ? strlen(cmd) : 0;
    char *c = NULL, *in = NULL, *p;
    const char *s;
    int escaped = 0;

    if (!cmd || !command || !input)
        return MS_ERR_ARG;
    *command = *input = NULL;
    if (!(c = malloc(n + 1)))
        goto _nomem;
    /* Command part: "\%" becomes "%", any other backslash stays; an
     * escaped character never starts an escape itself. */
    for (s = cmd, p = c; *s; s++) {
        if (escaped) {
            if (*s == '%')
                p--;          /* overwrite the backslash */
            *p++ = *s;
            escaped = 0;
            continue;
        }
        if (*s == '%')
            break;
        escaped = *s == '\\';
        *p++ = *s;
    }
    *p = '\0';
    if (*s == '%') {
        /* Input part: unescaped % is a newline, "\%" is "%", other
         * backslashes are kept, a trailing backslash too. */
        if (!(in = malloc(n + 1)))
            goto _nomem;
        escaped = 0;
        for (s++, p = in; *s; s++) {
            char ch = *s;
            if (escaped) {
                if (ch != '%')
                    *p++ = '\\';
            } else if (ch == '%') {
                ch = '\n';
            }
            escaped = ch == '\\';
            if (!escaped)
                *p++ = ch;
        }
        if (escaped)
            *p++ = '\\';
        *p = '\0';
    }
    *command = c;
    *input = in;
    return MS_OK;
_nomem:
    free(c);
    free(in);
    return MS_ERR_NOMEM;
}

/* ---- job lines ---------------------------------------------------------- */

/* Parse a job line (blanks already skipped).  Returns MS_OK having added
 * an entry or a problem, or MS_ERR_NOMEM. */
typedef struct line_ctx {
    ms_cron_file *f;
    unsigned line;
    int system;
    int has_newline;
    const char *path, *shell;  /* borrowed from f->env */
    const char *cron_tz, *tz;  /* borrowed from f->env */
    ms_cron_dialect dialect;
    unsigned long read_lines;  /* BusyBox: lines config_read returned */
} line_ctx;

static ms_err job_problem(line_ctx *lc, const char *why)
{
    return add_problem(lc->f, lc->line, ms_strdup(why));
}

/* Readings compared when the dialect is unknown.  The first NDECIDE
 * (the Linux Vixie-cron family) decide whether the line is a job, the
 * first of them that accepts it gives the reading kept; the others'
 * readings are added to the note (or to the problem) when they differ.
 * FreeBSD's cron is not among them: detection finds FreeBSD by
 * /bin/freebsd-version, so an unknown dialect is not FreeBSD. */
static const ms_cron_dialect modelled[] = {
    MS_CRON_DIALECT_DEBIAN, MS_CRON_DIALECT_CRONIE_15,
    MS_CRON_DIALECT_CRONIE_16, MS_CRON_DIALECT_SYSTEMD_CRON,
    MS_CRON_DIALECT_BUSYBOX
};
#define NMODELLED (sizeof modelled / sizeof *modelled)
#define NDECIDE 3

static const char *dialect_words(ms_cron_dialect d)
{
    switch (d) {
    case MS_CRON_DIALECT_DEBIAN:    return "Debian/Ubuntu cron 3.0pl1";
    case MS_CRON_DIALECT_CRONIE_15: return "cronie before 1.6";
    case MS_CRON_DIALECT_FREEBSD:   return "FreeBSD cron";
    case MS_CRON_DIALECT_SYSTEMD_CRON: return "systemd-cron";
    case MS_CRON_DIALECT_BUSYBOX:   return "BusyBox crond";
    default:                        return "cronie 1.6 or later";
    }
}

/* Every reading in words into b: "X runs it ...; Y rejects it: ...". */
static ms_err readings(ms_buf *b, const ms_err *r, const ms_cron_sched *s,
                       char *const *why)
{
    ms_err rc = MS_OK;
    for (size_t i = 0; i < NMODELLED && !rc; i++) {
        /* BusyBox runs a line it logs a parse error for */
        int runs = r[i] == MS_OK ||
                   (modelled[i] == MS_CRON_DIALECT_BUSYBOX && why[i]);
        char *w = runs ? ms_cron_sched_describe(&s[i]) : NULL;
        if (runs && !w)
            rc = MS_ERR_NOMEM;
        else if (runs)
            rc = ms_buf_printf(b, "%s%s runs it %s%s%s%s", i ? "; " : "",
                               dialect_words(modelled[i]), w,
                               why[i] ? " (" : "", why[i] ? why[i] : "",
                               why[i] ? ")" : "");
        else
            rc = ms_buf_printf(b, "%s%s rejects it: %s", i ? "; " : "",
                               dialect_words(modelled[i]),
                               why[i] ? why[i] : "");
        free(w);
    }
    return rc;
}

/* Known dialect: its rules.  Otherwise every reading (see modelled[]);
 * if they disagree, all of them go into e->dialect_note, or into the
 * problem when the deciding dialects all reject the line. */
static ms_err parse_fields_dialect(line_ctx *lc, const char *const *fields,
                                   ms_cron_entry *e, char **err_text)
{
    ms_cron_sched s[NMODELLED];
    char *why[NMODELLED] = { 0 };
    ms_err r[NMODELLED];
    size_t first_ok = NMODELLED, nok = 0, nalt = 0;
    int differ = 0;
    ms_err rc = MS_OK;
    ms_buf b = { 0 };

    if (lc->dialect == MS_CRON_DIALECT_BUSYBOX)
        return ms_cron_sched_parse_busybox(fields, &e->sched,
                                           &e->dialect_note);
    if (lc->dialect == MS_CRON_DIALECT_SYSTEMD_CRON)
        return ms_cron_sched_parse_systemd(fields, &e->sched, err_text,
                                           &e->dialect_note);
    if (ms_cron_dialect_modelled(lc->dialect))
        return ms_cron_sched_parse_dialect(fields, lc->dialect, &e->sched,
                                           err_text);
    for (size_t i = 0; i < NMODELLED; i++) {
        if (modelled[i] == MS_CRON_DIALECT_BUSYBOX) {
            r[i] = ms_cron_sched_parse_busybox(fields, &s[i], &why[i]);
            if (r[i] == MS_OK && why[i])
                r[i] = MS_ERR_FORMAT;   /* counted as a refusal */
        } else if (modelled[i] == MS_CRON_DIALECT_SYSTEMD_CRON) {
            char *note = NULL;
            r[i] = ms_cron_sched_parse_systemd(fields, &s[i], &why[i],
                                               &note);
            free(note);
        } else {
            r[i] = ms_cron_sched_parse_dialect(fields, modelled[i], &s[i],
                                               &why[i]);
        }
        if (r[i] != MS_OK && r[i] != MS_ERR_FORMAT) {
            rc = r[i];
            goto _exit;
        }
        if (i >= NDECIDE) {
            nalt += r[i] == MS_OK ||
                    (modelled[i] == MS_CRON_DIALECT_BUSYBOX && why[i]);
            continue;
        }
        if (r[i] == MS_OK) {
            nok++;
            if (first_ok == NMODELLED)
                first_ok = i;
            else if (!ms_cron_sched_equal(&s[first_ok], &s[i]))
                differ = 1;
        }
    }
    for (size_t i = NDECIDE; i < NMODELLED && first_ok < NMODELLED; i++)
        if (r[i] != MS_OK || !ms_cron_sched_fires_same(&s[first_ok], &s[i]))
            differ = 1;
    if (nok == 0) {                   /* every deciding dialect rejects */
        rc = MS_ERR_FORMAT;
        if (!nalt) {
            *err_text = why[NDECIDE - 1];
            why[NDECIDE - 1] = NULL;
            goto _exit;
        }
        ms_err brc = ms_buf_printf(&b, "rejected by Debian's cron and "
                                   "cronie, but the meaning depends on the "
                                   "cron implementation (not identified): ");
        if (!brc)
            brc = readings(&b, r, s, why);
        if (brc) {
            ms_buf_free(&b);
            rc = brc;
            goto _exit;
        }
        *err_text = ms_buf_steal(&b);
        if (!*err_text)
            rc = MS_ERR_NOMEM;
        goto _exit;
    }
    e->sched = s[first_ok];
    if (nok == NDECIDE && !differ)
        goto _exit;
    rc = ms_buf_printf(&b, "meaning depends on the cron implementation "
                       "(%s%s): ", lc->dialect == MS_CRON_DIALECT_UNKNOWN
                       ? "not identified" : "rules of ",
                       lc->dialect == MS_CRON_DIALECT_UNKNOWN ? ""
                       : ms_cron_dialect_name(lc->dialect));
    if (!rc)
        rc = readings(&b, r, s, why);
    if (rc) {
        ms_buf_free(&b);
        goto _exit;
    }
    e->dialect_note = ms_buf_steal(&b);
    rc = e->dialect_note ? MS_OK : MS_ERR_NOMEM;
_exit:
    for (size_t i = 0; i < NMODELLED; i++)
        free(why[i]);
    return rc;
}

/* Schedule part: fills e->sched and e->schedule, advances *pp past it.
 * Returns MS_OK, MS_ERR_FORMAT (problem already added) or NOMEM. */
static ms_err parse_schedule(line_ctx *lc, const char **pp, ms_cron_entry *e)
{
    const char *p = *pp, *start[5];
    char *fields[5] = { 0 }, *err_text = NULL;
    ms_err rc = MS_ERR_NOMEM;

    if (*p == '@') {
        const char *end = skip_word(p);
        if (!(e->schedule = ms_strndup(p, (size_t)(end - p))))
            return MS_ERR_NOMEM;
        const char *mnote = NULL;
        if (ms_cron_sched_macro_dialect(e->schedule, lc->dialect, &e->sched,
                                        &mnote) != MS_OK) {
            char *w = ms_strndup(p, (size_t)(end - p) > 64 ? 64
                                 : (size_t)(end - p));
            rc = add_problem(lc->f, lc->line,
                             w ? ms_asprintf("unknown keyword \"%s\"", w)
                               : NULL);
            free(w);
            return rc ? rc : MS_ERR_FORMAT;
        }
        if (mnote && !(e->dialect_note = ms_strdup(mnote)))
            return MS_ERR_NOMEM;
        *pp = skip_blanks(end);
        return MS_OK;
    }
    for (int i = 0; i < 5; i++) {
        if (!*p) {
            rc = add_problem(lc->f, lc->line,
                             ms_asprintf("only %d of 5 schedule fields and "
                                         "no command", i));
            goto _exit;
        }
        start[i] = p;
        p = skip_word(p);
        if (!(fields[i] = ms_strndup(start[i], (size_t)(p - start[i]))))
            goto _exit;
        p = skip_blanks(p);
    }
    rc = parse_fields_dialect(lc, (const char *const *)fields, e,
                              &err_text);
    if (rc == MS_ERR_FORMAT) {
        rc = add_problem(lc->f, lc->line, err_text ? err_text
                         : ms_strdup("bad schedule"));
        err_text = NULL;
        goto _exit;
    }
    if (rc)
        goto _exit;
    e->schedule = ms_asprintf("%s %s %s %s %s", fields[0], fields[1],
                              fields[2], fields[3], fields[4]);
    rc = e->schedule ? MS_OK : MS_ERR_NOMEM;
    *pp = p;
_exit:
    for (int i = 0; i < 5; i++)
        free(fields[i]);
    free(err_text);
    /* a problem was recorded: tell the caller to drop the line */
    if (rc == MS_OK && !e->schedule)
        rc = MS_ERR_FORMAT;
    return rc;
}

/* Append a sentence to e->dialect_note ("; " between sentences). */
static ms_err note_add(ms_cron_entry *e, const char *text)
{
    char *n = e->dialect_note ? ms_asprintf("%s; %s", e->dialect_note, text)
                              : ms_strdup(text);
    if (!n)
        return MS_ERR_NOMEM;
    free(e->dialect_note);
    e->dialect_note = n;
    return MS_OK;
}

/* FreeBSD's user field (entry.c load_entry, built with LOGIN_CAP):
 * "user[:group][/class]": the class after the last '/' is cut first,
 * then the group after the last ':'; cron runs the job as user with
 * that group (a group or class the system lacks rejects the line, which
 * is not checked here). */
static ms_err freebsd_user(ms_cron_entry *e)
{
    char *u = e->user, *cls = strrchr(u, '/'), *grp;
    if (cls)
        *cls++ = '\0';
    grp = strrchr(u, ':');
    if (grp)
        *grp++ = '\0';
    if (!grp && !cls)
        return MS_OK;
    ms_buf b = { 0 };
    ms_err rc = ms_buf_printf(&b, "FreeBSD cron: user field \"%s%s%s%s%s\": "
                              "runs as %s", u, grp ? ":" : "",
                              grp ? grp : "", cls ? "/" : "",
                              cls ? cls : "", u);
    if (!rc && grp)
        rc = ms_buf_printf(&b, " with group %s", grp);
    if (!rc && cls)
        rc = ms_buf_printf(&b, " in login class %s", cls);
    char *t = rc ? NULL : ms_buf_steal(&b);
    ms_buf_free(&b);
    if (!t)
        return MS_ERR_NOMEM;
    rc = note_add(e, t);
    free(t);
    return rc;
}

/* FreeBSD's options before the command (entry.c load_entry, FreeBSD
 * 12+): "-n" (mail only when the job fails) and "-q" (the run is not
 * logged), each once and followed by a blank; another letter, a
 * repeated option or no blank is "bad option", no command after them
 * "bad command".  They go into e->timer. */
static ms_err freebsd_options(line_ctx *lc, const char **pp,
                              ms_cron_entry *e)
{
    const char *p = *pp;
    int n = 0, q = 0;
    while (*p == '-') {
        int *seen = p[1] == 'n' ? &n : p[1] == 'q' ? &q : NULL;
        if (!seen || *seen || (p[2] != ' ' && p[2] != '\t'))
            return job_problem(lc, "bad option: FreeBSD's cron accepts only "
                               "-n and -q, once each and followed by a "
                               "blank, before the command")
                   ? MS_ERR_NOMEM : MS_ERR_FORMAT;
        *seen = 1;
        p = skip_blanks(p + 2);
        if (!*p)
            return job_problem(lc, "no command after the options")
                   ? MS_ERR_NOMEM : MS_ERR_FORMAT;
    }
    *pp = p;
    if (!n && !q)
        return MS_OK;
    e->timer = ms_asprintf("FreeBSD cron options:%s%s", n ? " -n (mail only "
                           "when the job fails)" : "", q ? " -q (the run is "
                           "not logged to syslog)" : "");
    return e->timer ? MS_OK : MS_ERR_NOMEM;
}

/* User field and command; returns MS_ERR_FORMAT after adding a problem. */
static ms_err parse_command(line_ctx *lc, const char *p, ms_cron_entry *e)
{
    if (!*p)
        return job_problem(lc, "no command") ? MS_ERR_NOMEM : MS_ERR_FORMAT;
    if (*p == '*') /* cron: "catch a common typo" (a sixth time field) */
        return job_problem(lc, lc->system
                           ? "user field starts with '*' (cron rejects this)"
                           : "command starts with '*' (cron rejects this)")
               ? MS_ERR_NOMEM : MS_ERR_FORMAT;
    if (lc->system) {
        const char *end = skip_word(p);
        if (!(e->user = ms_strndup(p, (size_t)(end - p))))
            return MS_ERR_NOMEM;
        p = skip_blanks(end);
        if (!*p)
            return job_problem(lc, "no command after the user field")
                   ? MS_ERR_NOMEM : MS_ERR_FORMAT;
        if (lc->dialect == MS_CRON_DIALECT_FREEBSD) {
            ms_err urc = freebsd_user(e);
            if (urc)
                return urc;
        }
    }
    if (lc->dialect == MS_CRON_DIALECT_FREEBSD) {
        ms_err orc = freebsd_options(lc, &p, e);
        if (orc)
            return orc;
    }
    if (lc->dialect == MS_CRON_DIALECT_BUSYBOX) {
        /* crond.c fork_job runs "sh -c" on the text as is: no '%' */
        if (!(e->command = ms_strdup(p)))
            return MS_ERR_NOMEM;
    } else if (ms_cron_split_percent(p, &e->command, &e->input)) {
        return MS_ERR_NOMEM;
    }
    if (!*skip_blanks(e->command))
        return job_problem(lc, "empty command (nothing before '%')")
               ? MS_ERR_NOMEM : MS_ERR_FORMAT;
    return MS_OK;
}

/* BusyBox crond (load_crontab): a line of fewer than six words (two
 * for an @keyword) is skipped without a word; so is an unknown
 * @keyword.  MS_ERR_FORMAT after recording it as a problem. */
static ms_err busybox_words(line_ctx *lc, const char *p)
{
    unsigned n = 0, need = *p == '@' ? 2 : 6;
    while (*p && n < need) {
        n++;
        p = skip_blanks(skip_word(p));
    }
    if (n >= need)
        return MS_OK;
    return job_problem(lc, need == 2
                       ? "BusyBox crond skips an @keyword line without a "
                         "command"
                       : "BusyBox crond skips a line of fewer than six "
                         "words (after cutting it at '#')")
           ? MS_ERR_NOMEM : MS_ERR_FORMAT;
}

static ms_err parse_job(line_ctx *lc, const char *p)
{
    ms_cron_entry e = { 0 };
    ms_cron_file *f = lc->f;
    ms_err rc;

    if (*p == '-' && lc->dialect != MS_CRON_DIALECT_BUSYBOX &&
        lc->dialect != MS_CRON_DIALECT_FREEBSD)
        p++;        /* cronie: "-" before the schedule means don't log */
    if (lc->dialect == MS_CRON_DIALECT_BUSYBOX) {
        ms_err brc = busybox_words(lc, p);
        if (brc)
            return brc == MS_ERR_FORMAT ? MS_OK : brc;
    }
    if ((rc = parse_schedule(lc, &p, &e)) || (rc = parse_command(lc, p, &e)))
        goto _exit;
    /* cron's load_entry: "a file without a \n before the EOF is rude":
     * the entry is dropped (cronie and Debian alike), so it is no job
     *; its text is still in the raw crontab the IOC scan
     * reads, and the rejected line says what it was */
    if (!lc->has_newline) {
        rc = add_problem(lc->f, lc->line,
                         ms_asprintf("last line has no newline: cron "
                                     "rejects this job (schedule \"%s\")",
                                     e.schedule));
        if (!rc)
            rc = MS_ERR_FORMAT;
        goto _exit;
    }
    if ((rc = ms_grow((void **)&f->entries, &f->entries_cap,
                      f->nentries + 1, sizeof *f->entries)))
        goto _exit;
    e.line = lc->line;
    e.read_line = lc->read_lines;
    e.offset = f->cur_offset;
    e.path_env = lc->path;
    e.shell_env = lc->shell;
    e.cron_tz_env = lc->cron_tz;
    e.tz_env = lc->tz;
    f->entries[f->nentries++] = e;
    return MS_OK;
_exit:
    entry_free(&e);
    return rc == MS_ERR_FORMAT ? MS_OK : rc;
}

static ms_err add_env(line_ctx *lc, char *name, char *value)
{
    ms_cron_file *f = lc->f;
    ms_err e = ms_grow((void **)&f->env, &f->env_cap, f->nenv + 1,
                       sizeof *f->env);
    if (e) {
        free(name);
        free(value);
        return e;
    }
    f->env[f->nenv].line = lc->line;
    f->env[f->nenv].name = name;
    f->env[f->nenv].value = value;
    f->nenv++;
    /* later assignments override earlier ones for later jobs */
    if (strcmp(name, "PATH") == 0)
        lc->path = value;
    else if (strcmp(name, "SHELL") == 0)
        lc->shell = value;
    else if (strcmp(name, "CRON_TZ") == 0)
        lc->cron_tz = value;
    else if (strcmp(name, "TZ") == 0)
        lc->tz = value;
    return MS_OK;
}

/* BusyBox crond's load_crontab knows three assignments, by the prefix
 * of the line's first word: MAILTO=, SHELL=, PATH=; the value is the
 * rest of that word.  1, 0 (not one), -1 out of memory. */
static int busybox_env(const char *p, char **name, char **value)
{
    static const char *const names[] = { "MAILTO", "SHELL", "PATH", NULL };
    for (size_t i = 0; names[i]; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(p, names[i], n) || p[n] != '=')
            continue;
        const char *v = p + n + 1, *end = skip_word(v);
        *name = ms_strdup(names[i]);
        *value = ms_strndup(v, (size_t)(end - v));
        if (*name && *value)
            return 1;
        free(*name);
        free(*value);
        *name = *value = NULL;
        return -1;
    }
    return 0;
}

/* One line without its newline; may hold any byte but NUL. */
static ms_err parse_line(line_ctx *lc, const char *data, size_t len)
{
    char *line = ms_strndup(data, len), *name = NULL, *value = NULL;
    ms_err rc = MS_OK;

    if (!line)
        return MS_ERR_NOMEM;
    const char *p = skip_blanks(line);
    if (lc->dialect == MS_CRON_DIALECT_BUSYBOX) {
        /* config_read(PARSE_EOL_COMMENTS): '#' anywhere ends the line */
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
    }
    if (*p == '\0' || *p == '#')
        goto _exit;
    if (lc->dialect == MS_CRON_DIALECT_BUSYBOX)
        lc->read_lines++;   /* a line config_read returns */
    switch (lc->dialect == MS_CRON_DIALECT_BUSYBOX
            ? busybox_env(p, &name, &value) : parse_env(p, &name, &value)) {
    case 1:
        rc = add_env(lc, name, value);
        break;
    case 0:
        rc = parse_job(lc, p);
        break;
    default:
        rc = MS_ERR_NOMEM;
        break;
    }
_exit:
    free(line);
    return rc;
}

/* ---- the file, line by line -------------------------------------------- */

struct ms_cron_parser {
    ms_cron_file *f;
    line_ctx lc;
    uint64_t garbage;      /* bytes of comment/blank lines in a row */
    int garbage_noted;
};

ms_err ms_cron_parser_new(int system, ms_cron_dialect dialect,
                          ms_cron_parser **out)
{
    if (!out)
        return MS_ERR_ARG;
    *out = NULL;
    ms_cron_parser *p = calloc(1, sizeof *p);
    if (!p || !(p->f = calloc(1, sizeof *p->f))) {
        free(p);
        return MS_ERR_NOMEM;
    }
    p->lc.f = p->f;
    p->lc.system = system != 0;
    p->lc.dialect = dialect;
    p->f->dialect = dialect;
    *out = p;
    return MS_OK;
}

void ms_cron_parser_free(ms_cron_parser *p)
{
    if (!p)
        return;
    ms_cron_file_free(p->f);
    free(p);
}

/* Problems beyond the cap are counted only: a file of a million junk
 * lines must not cost a million strings. */
static ms_err line_problem(ms_cron_parser *p, unsigned line, char *text)
{
    if (p->f->nproblems >= MS_CRON_MAX_PROBLEMS) {
        free(text);
        p->f->problems_dropped++;
        return text ? MS_OK : MS_ERR_NOMEM;
    }
    return add_problem(p->f, line, text);
}

static unsigned line_no(uint64_t n)
{
    return n > UINT_MAX ? UINT_MAX : (unsigned)n;
}

ms_err ms_cron_parser_line(ms_cron_parser *p, const ms_line *l)
{
    ms_cron_file *f;
    ms_err rc = MS_OK;
    if (!p || !l || (!l->data && l->kept))
        return MS_ERR_ARG;
    f = p->f;
    f->cur_offset = l->offset;
    p->lc.line = line_no(l->number);
    p->lc.has_newline = l->has_newline;
    size_t llen = l->kept;
    /* DOS line ends; an over-long line's CR was not kept anyway */
    if (l->has_newline && llen > 0 && llen == l->len &&
        l->data[llen - 1] == '\r')
        llen--;
    /* cron reads the line into a C string: it ends at the first NUL */
    size_t clen = strnlen(l->data, llen);
    const char *q = l->data;
    while (q < l->data + llen && is_blank(*q))
        q++;
    /* but skip_comments looks at the bytes: a NUL where the schedule
     * starts is no blank line for cron, it is a syntax error */
    if (q < l->data + llen && *q == '\0') {
        p->garbage = 0;
        return line_problem(p, p->lc.line, ms_asprintf(
            "NUL byte where the schedule should start (byte offset %llu): "
            "a syntax error for cron (Debian's cron then ignores the whole "
            "crontab)", (unsigned long long)(l->offset + (uint64_t)(q -
                                                          l->data))));
    }
    if (q == l->data + llen || *q == '#') {
        /* cronie's skip_comments gives up on a user crontab after
         * MAX_GARBAGE bytes of comments and blank lines in a row */
        p->garbage += l->len + 1;
        if (!p->lc.system && !p->garbage_noted &&
            p->garbage > MS_CRON_CRONIE_GARBAGE) {
            p->garbage_noted = 1;
            rc = line_problem(p, p->lc.line, ms_asprintf(
                "more than %u bytes of comments and blank lines in a row "
                "end here: cronie refuses to load this whole crontab (too "
                "many garbage characters); Debian's cron reads on",
                MS_CRON_CRONIE_GARBAGE));
        }
        return rc;
    }
    p->garbage = 0;
    if (f->nentries + f->nenv >= MS_CRON_MAX_KEPT ||
        f->kept_bytes > MS_CRON_MAX_KEPT_BYTES) {
        if (!f->entries_dropped++)
            rc = line_problem(p, p->lc.line, ms_asprintf(
                "more than %u jobs and assignments or %u MiB of them: "
                "this and later lines were counted, not parsed",
                MS_CRON_MAX_KEPT, MS_CRON_MAX_KEPT_BYTES >> 20));
        return rc;
    }
    if (l->len > MS_CRON_LINE_MAX)
        rc = line_problem(p, p->lc.line, ms_asprintf(
            "line is %llu bytes long (at byte offset %llu): parsed from its "
            "first %u bytes, as cronie keeps at most that much of a command "
            "(Debian's cron keeps 999)", (unsigned long long)l->len,
            (unsigned long long)l->offset, MS_CRON_LINE_MAX));
    if (rc == MS_OK && l->nuls && l->first_nul < llen)
        rc = line_problem(p, p->lc.line, ms_asprintf(
            "line holds %llu NUL byte%s (the first at byte offset %llu): "
            "cron reads the line only up to the first",
            (unsigned long long)l->nuls, l->nuls == 1 ? "" : "s",
            (unsigned long long)(l->offset + l->first_nul)));
    if (rc == MS_OK) {
        size_t before = f->nproblems;
        rc = parse_line(&p->lc, l->data, clen);
        f->kept_bytes += clen;
        /* parse_line adds problems uncapped; trim to the cap */
        while (rc == MS_OK && f->nproblems > MS_CRON_MAX_PROBLEMS &&
               f->nproblems > before) {
            free(f->problems[--f->nproblems].text);
            f->problems_dropped++;
        }
    }
    return rc;
}

ms_err ms_cron_parser_finish(ms_cron_parser *p, ms_cron_file **out)
{
    if (!p || !out)
        return MS_ERR_ARG;
    *out = p->f;
    p->f = NULL;
    free(p);
    return MS_OK;
}

typedef struct buf_ctx {
    ms_cron_parser *p;
    ms_err rc;
} buf_ctx;

static int feed_buf(void *user, const ms_line *l)
{
    buf_ctx *b = user;
    b->rc = ms_cron_parser_line(b->p, l);
    return b->rc != MS_OK;
}

ms_err ms_cron_parse(const char *data, size_t len, int system,
                     ms_cron_file **out)
{
    return ms_cron_parse_dialect(data, len, system, MS_CRON_DIALECT_UNKNOWN,
                                 out);
}

ms_err ms_cron_parse_dialect(const char *data, size_t len, int system,
                             ms_cron_dialect dialect, ms_cron_file **out)
{
    ms_cron_parser *p = NULL;
    ms_err rc;

    if (!out || (!data && len))
        return MS_ERR_ARG;
    *out = NULL;
    if ((rc = ms_cron_parser_new(system, dialect, &p)))
        return rc;
    ms_lines_mem m = { (const uint8_t *)data, len };
    buf_ctx b = { p, MS_OK };
    rc = ms_lines_read(ms_lines_mem_read, &m, MS_CRON_LINE_MAX, feed_buf,
                       NULL, &b, NULL);
    if (rc == MS_OK)
        rc = b.rc;
    if (rc) {
        ms_cron_parser_free(p);
        return rc;
    }
    return ms_cron_parser_finish(p, out);
}

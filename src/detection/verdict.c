#include "detection/verdict.h"

#include <stdlib.h>
#include <string.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/namescore.h"
#include "common/ms_mem.h"
#include "common/ms_persist.h"
#include "common/ms_reasons.h"
#include "common/ms_scan.h"
#include "common/ms_utf8.h"
#include "detection/unpack_scan.h"

/* Short name for the many call sites; text is consumed. */
static ms_err add(ms_file *f, ms_reason_id id, enum ms_severity sev,
                  char *text)
{
    return ms_file_reason_take(f, id, sev, text);
}

/* Evidence of a reason a persistence record gives the file it runs. */
static ms_reason_ev rec_ev(const ms_persistence *r)
{
    return (ms_reason_ev){ .source_path = r->source.path,
                           .source_line = r->line,
                           .has_offset = r->line != 0, .offset = r->offset };
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int program_in_temp(const ms_program *p)
{
    return (p->resolved && ms_path_is_temp(p->resolved)) ||
           (p->as_written && p->as_written[0] == '/' &&
            ms_path_is_temp(p->as_written));
}

/* "the cron job at /etc/crontab:3" (line 0: the whole file). */
static char *where(const ms_persistence *r)
{
    const char *noun = r->noun ? r->noun : r->kind ? r->kind : "entry";
    const char *src = r->source.path ? r->source.path : "?";
    return ms_asprintf("the %s at %s:%u", noun, src, r->line);
}

/* Why the program of a record cannot be run as written, if it cannot. */
static ms_err absence_reason(ms_file *f, const ms_persistence *r,
                             const ms_program *p, const char *at)
{
    ms_reason_ev ev = rec_ev(r);
    if (p->status == MS_PROG_UNRESOLVED)
        return ms_file_reason_ev(f, MS_R_CRON_PROGRAM_UNRESOLVED,
                                 MS_SEV_SUSPICIOUS,
                   ms_asprintf("run by %s through a path that cannot be "
                               "resolved inside the image: %s", at,
                               p->note ? p->note : "unknown"), &ev);
    if (p->status == MS_PROG_MISSING) {
        ev.recovery_method = f->recovery ? f->recovery_method : MS_RECOV_NONE;
        ev.certainty = f->recovery ? f->recovery_certainty : MS_CERT_NONE;
        return ms_file_reason_ev(f, MS_R_CRON_PROGRAM_MISSING,
                                 MS_SEV_SUSPICIOUS,
                   ms_asprintf("run by %s but %s", at, f->missing
                                   ? "not present in the image"
                                   : f->recovery
                                   ? "deleted (its content was recovered "
                                     "from the journal)"
                                   : "deleted (only its directory entry "
                                     "remains)"), &ev);
    }
    return MS_OK;
}

/* Reasons a file earns from the persistence record that runs it.  The
 * CRON_* codes keep their names (stable identifiers) and are raised for
 * every persistence kind; the sentence names the kind. */
static ms_err record_reasons(ms_scan *scan, const ms_persistence *r,
                             const ms_program *p)
{
    ms_file *f = &scan->files[p->file_index];
    int temp = program_in_temp(p);
    int every15 = ms_trigger_every(&r->trigger, 15);
    ms_reason_ev ev = rec_ev(r);
    char *at = where(r);
    ms_err rc = at ? MS_OK : MS_ERR_NOMEM;

    f->referenced = 1;
    if (!rc)
        rc = absence_reason(f, r, p, at);
    if (rc)
        goto _exit;
    if (every15 && temp)
        rc = ms_file_reason_ev(f, MS_R_CRON_15MIN_TEMP_PROGRAM,
                   MS_SEV_SUSPICIOUS,
                   ms_asprintf("run every 15 minutes from a temp directory by "
                               "%s, the persistence ESET documents for "
                               "Mumblehard", at), &ev);
    else if (temp)
        rc = ms_file_reason_ev(f, MS_R_CRON_TEMP_PROGRAM, MS_SEV_SUSPICIOUS,
                   ms_asprintf("run from a temp directory by %s", at), &ev);
    else if (every15)
        rc = ms_file_reason_ev(f, MS_R_CRON_15MIN, MS_SEV_INFO,
                   ms_asprintf("run every 15 minutes by %s", at), &ev);
_exit:
    free(at);
    return rc;
}

/* One reason per distinct rule, however many strings matched. */
static ms_err yara_reasons(ms_file *f, const ms_rules *rules)
{
    for (size_t i = 0; i < f->nmatches; i++) {
        const ms_yara_match *m = &f->matches[i];
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(f->matches[k].rule, m->rule) &&
                   !strcmp(f->matches[k].ns, m->ns);
        if (seen)
            continue;
        enum ms_severity sev = rules ? ms_rules_rule_severity(rules, m->ns,
                                                              m->rule)
                                     : MS_SEV_SUSPICIOUS;
        /* a rule graded "info" (e.g. the common Firefox 7.0.1 UA) notes
         * a fact and never flags the file */
        ms_reason_ev ev = { .rule = m->rule, .ns = m->ns,
                            .has_offset = 1, .offset = m->offset };
        ms_err rc = ms_file_reason_ev(
            f, sev == MS_SEV_MALICIOUS ? MS_R_YARA_MATCH
               : sev == MS_SEV_INFO ? MS_R_YARA_INFO
                                    : MS_R_YARA_LOW_CONFIDENCE,
            sev, ms_asprintf("matches YARA rule %s:%s at offset %llu", m->ns,
                             m->rule, (unsigned long long)m->offset), &ev);
        if (rc)
            return rc;
    }
    return MS_OK;
}

/* Names built to hide from `ls` and the shell: control bytes, invalid
 * UTF-8 (shown as '?' by ls), or nothing but dots and blanks ("...",
 * ". ").  The random-name score does not judge such names at all. */
static int hiding_name(const char *name)
{
    size_t len = strlen(name);
    int only_dots_blanks = len > 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x20 || ch == 0x7f)
            return 1;
        if (ch != '.' && ch != ' ')
            only_dots_blanks = 0;
    }
    if (!ms_utf8_valid(name, len))
        return 1;
    return only_dots_blanks && strcmp(name, ".") && strcmp(name, "..");
}

static ms_err temp_reasons(ms_file *f)
{
    ms_err rc = MS_OK;
    const char *why = NULL;
    const char *name = basename_of(f->ref.path);

    f->name_score = ms_name_score(name, &why);
    if (f->name_score >= MS_NAME_RANDOM_THRESHOLD)
        rc = add(f, MS_R_TEMP_EXEC_RANDOM_NAME, MS_SEV_SUSPICIOUS,
                 ms_asprintf("executable in a temp directory with a random-"
                             "looking name (score %d of 100: %s)",
                             f->name_score, why ? why : "random"));
    if (!rc && hiding_name(name))
        rc = add(f, MS_R_TEMP_EXEC_HIDDEN_NAME, MS_SEV_SUSPICIOUS,
                 ms_strdup("executable in a temp directory whose name is "
                           "made to hide (control bytes, invalid UTF-8, or "
                           "only dots and blanks)"));
    if (!rc && f->ref.deleted)
        rc = add(f, MS_R_TEMP_EXEC_DELETED, MS_SEV_SUSPICIOUS,
                 ms_strdup("deleted executable in a temp directory"));
    if (!rc)
        rc = f->referenced
                 ? add(f, MS_R_TEMP_EXEC, MS_SEV_INFO,
                       ms_strdup("executable in a temp directory"))
                 : add(f, MS_R_TEMP_EXEC_ORPHAN, MS_SEV_INFO,
                       ms_strdup("executable in a temp directory that no "
                                 "cron job runs"));
    return rc;
}

static ms_err file_reasons(ms_file *f, const ms_rules *rules)
{
    ms_err rc = yara_reasons(f, rules);
    if (!rc)
        rc = ms_unpack_reasons(f, rules);
    if (!rc && (f->origin & MS_ORIGIN_TEMP_DIR) && f->executable)
        rc = temp_reasons(f);
    if (!rc && f->origin == MS_ORIGIN_SWEEP)
        rc = add(f, MS_R_SWEEP_MATCH, MS_SEV_INFO,
                 ms_strdup("found only by --sweep: outside the cron "
                           "programs, temp directories and web roots "
                           "triage examines"));
    if (!rc && f->recovery && !(f->origin & MS_ORIGIN_CARVE)) {
        /* the code keeps its name for compatibility; it stands for any
         * method but carving, which the evidence field names */
        ms_reason_ev ev = { .recovery_method = f->recovery_method,
                            .certainty = f->recovery_certainty };
        rc = ms_file_reason_ev(f, MS_R_RECOVERED_FROM_JOURNAL, MS_SEV_INFO,
                               ms_strdup(f->recovery), &ev);
    }
    if (!rc && !f->missing && !f->content_read && f->content_note)
        rc = add(f, MS_R_CONTENT_UNRECOVERABLE, MS_SEV_INFO,
                 ms_strdup(f->content_note));
    if (!rc && f->scan_truncated)
        rc = add(f, MS_R_SCAN_TRUNCATED, MS_SEV_INFO,
                 ms_strdup("larger than the scan limit: YARA saw only the "
                           "first part (hashes cover all of it)"));
    return rc;
}

/* A record whose command names a Mumblehard C&C (e.g. fetches from
 * 194.54.81.163) is an indicator of its own, whatever it runs. */
static ms_err record_ioc_reasons(ms_persistence *r)
{
    if (!r->command || r->nreasons)
        return MS_OK;
    char *what = ms_asprintf("the %s's command",
                             r->noun ? r->noun : r->kind ? r->kind : "entry");
    if (!what)
        return MS_ERR_NOMEM;
    size_t first = r->nreasons;
    ms_err rc = ms_ioc_reasons((const uint8_t *)r->command,
                               strlen(r->command), what, 0, &r->reasons,
                               &r->nreasons);
    for (size_t i = first; i < r->nreasons && !rc; i++) {
        /* the line is the record's, not one inside the command */
        r->reasons[i].ev.source_line = r->line;
        if (r->source.path && !r->reasons[i].ev.source_path &&
            !(r->reasons[i].ev.source_path = ms_strdup(r->source.path)))
            rc = MS_ERR_NOMEM;
        for (size_t p = 0; p < r->nprograms; p++)
            if (r->programs[p].file_index >= 0) {
                r->reasons[i].ev.has_file = 1;
                r->reasons[i].ev.file_id = (size_t)r->programs[p].file_index;
                break;
            }
    }
    free(what);
    return rc;
}

ms_err ms_verdict_apply(ms_scan *scan, const ms_rules *rules)
{
    ms_err rc = MS_OK;
    for (size_t j = 0; j < scan->npersistence && !rc; j++)
        rc = record_ioc_reasons(&scan->persistence[j]);
    for (size_t j = 0; j < scan->npersistence && !rc; j++) {
        const ms_persistence *r = &scan->persistence[j];
        for (size_t p = 0; p < r->nprograms && !rc; p++)
            if (r->programs[p].file_index >= 0 &&
                (size_t)r->programs[p].file_index < scan->nfiles)
                rc = record_reasons(scan, r, &r->programs[p]);
    }
    for (size_t i = 0; i < scan->nfiles && !rc; i++)
        rc = file_reasons(&scan->files[i], rules);
    return rc;
}

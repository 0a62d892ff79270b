#include "detection/verdict.h"

#include <stdlib.h>
#include <string.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/namescore.h"
#include "common/ms_mem.h"
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

/* Evidence of a reason a cron job gives the file it runs. */
static ms_reason_ev job_ev(const char *tab, const ms_cronjob *j)
{
    return (ms_reason_ev){ .source_path = tab, .source_line = j->line,
                           .has_offset = 1, .offset = j->offset };
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int program_in_temp(const ms_program *p)
{
    return (p->resolved && ms_path_is_temp(p->resolved)) ||
           (p->as_written[0] == '/' && ms_path_is_temp(p->as_written));
}

/* Why the program of a job cannot be run as written, if it cannot. */
static ms_err absence_reason(ms_file *f, const ms_cronjob *j,
                             const ms_program *p, const char *tab)
{
    ms_reason_ev ev = job_ev(tab, j);
    if (p->status == MS_PROG_UNRESOLVED)
        return ms_file_reason_ev(f, MS_R_CRON_PROGRAM_UNRESOLVED,
                                 MS_SEV_SUSPICIOUS,
                   ms_asprintf("run by the cron job at %s:%u through a path "
                               "that cannot be resolved inside the image: %s",
                               tab, j->line, p->note ? p->note : "unknown"),
                                 &ev);
    if (p->status == MS_PROG_MISSING) {
        ev.recovery_method = f->recovery ? f->recovery_method : MS_RECOV_NONE;
        ev.certainty = f->recovery ? f->recovery_certainty : MS_CERT_NONE;
        return ms_file_reason_ev(f, MS_R_CRON_PROGRAM_MISSING,
                                 MS_SEV_SUSPICIOUS,
                   ms_asprintf("run by the cron job at %s:%u but %s", tab,
                               j->line, f->missing
                                   ? "not present in the image"
                                   : f->recovery
                                   ? "deleted (its content was recovered "
                                     "from the journal)"
                                   : "deleted (only its directory entry "
                                     "remains)"), &ev);
    }
    return MS_OK;
}

/* Reasons a file earns from the cron job that runs it. */
static ms_err job_reasons(ms_scan *scan, const ms_cronjob *j,
                          const ms_program *p)
{
    ms_file *f = &scan->files[p->file_index];
    const char *tab = scan->crontabs[j->crontab].file.path;
    int temp = program_in_temp(p);
    ms_reason_ev ev = job_ev(tab, j);

    f->referenced = 1;
    ms_err rc = absence_reason(f, j, p, tab);
    if (rc)
        return rc;
    if (j->every_15_min && temp)
        return ms_file_reason_ev(f, MS_R_CRON_15MIN_TEMP_PROGRAM,
                   MS_SEV_SUSPICIOUS,
                   ms_asprintf("run every 15 minutes from a temp directory by "
                               "the cron job at %s:%u, the persistence ESET "
                               "documents for Mumblehard", tab, j->line), &ev);
    if (temp)
        return ms_file_reason_ev(f, MS_R_CRON_TEMP_PROGRAM, MS_SEV_SUSPICIOUS,
                   ms_asprintf("run from a temp directory by the cron job at "
                               "%s:%u", tab, j->line), &ev);
    if (j->every_15_min)
        return ms_file_reason_ev(f, MS_R_CRON_15MIN, MS_SEV_INFO,
                   ms_asprintf("run every 15 minutes by the cron job at %s:%u",
                               tab, j->line), &ev);
    return MS_OK;
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

/* A job whose command names a Mumblehard C&C (e.g. fetches from
 * 194.54.81.163) is an indicator of its own, whatever it runs. */
static ms_err job_ioc_reasons(ms_cronjob *job)
{
    if (!job->command || job->nreasons)
        return MS_OK;
    return ms_ioc_reasons((const uint8_t *)job->command,
                          strlen(job->command), "the cron job's command", 0,
                          &job->reasons, &job->nreasons);
}

ms_err ms_verdict_apply(ms_scan *scan, const ms_rules *rules)
{
    ms_err rc = MS_OK;
    for (size_t j = 0; j < scan->njobs && !rc; j++)
        rc = job_ioc_reasons(&scan->jobs[j]);
    for (size_t j = 0; j < scan->njobs && !rc; j++) {
        const ms_cronjob *job = &scan->jobs[j];
        for (size_t p = 0; p < job->nprograms && !rc; p++)
            if (job->programs[p].file_index >= 0)
                rc = job_reasons(scan, job, &job->programs[p]);
    }
    for (size_t i = 0; i < scan->nfiles && !rc; i++)
        rc = file_reasons(&scan->files[i], rules);
    return rc;
}

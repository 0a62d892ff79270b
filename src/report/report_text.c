/* report_text.c - the human-readable report for a terminal.
 *
 * Order follows what an examiner needs first: the verdict, then why
 * (findings), then the cron evidence, the volumes (what was and was not
 * looked at), the timeline, and problems.  Every string from the image
 * goes through ms_escape_text() so no byte from the evidence can drive the
 * terminal. */
#include "report/report.h"
#include "report/report_entry.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/indicators.h"
#include "common/ms_coverage.h"
#include "common/ms_persist.h"
#include "detection/perlscript.h"
#include "evidence/imghash.h"
#include "report/escape.h"
#include "report/history_report.h"
#include "report/timefmt.h"
#include "report/timeline.h"
#include "report/writer.h"
#include "report/layout.h"

/* Output state: the first failure sticks and later calls do nothing, so
 * the writers below stay linear instead of checking every line. */
typedef ms_writer tctx;

static void tprintf(tctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void tprintf(tctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_wvprintf(c, fmt, ap);
    va_end(ap);
}

/* Escaped copy of an image string ("-" for NULL); NULL only after an
 * allocation failure, which is recorded in c. */
static char *tesc(tctx *c, const char *s)
{
    char *e;
    if (!s)
        s = "-";
    e = ms_escape_text(s, strlen(s));
    if (!e && !c->err)
        c->err = MS_ERR_NOMEM;
    return e;
}

/* "    label       value\n" with the value escaped. */
static void field(tctx *c, const char *label, const char *s)
{
    char *e = tesc(c, s);
    if (e)
        tprintf(c, "      %-11s %s\n", label, e);
    free(e);
}

static void recovery_field(tctx *c, const char *how,
                           enum ms_recovery_method method,
                           enum ms_certainty cert)
{
    tprintf(c, "      %-11s by %s, certainty %s\n", "recovered",
            ms_recovery_method_name(method), ms_report_certainty_name(cert));
    field(c, "", how);
}

static void upper_copy(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        dst[i] = (char)toupper((unsigned char)s[i]);
    dst[i] = '\0';
}

static void verdict_block(tctx *c, const ms_summary *m)
{
    char v[16];
    upper_copy(v, sizeof v, m->verdict ? m->verdict : "incomplete");
    tprintf(c, "VERDICT: %s%s\n", v,
            m->evidence_incomplete ? " (EVIDENCE INCOMPLETE: part of the "
                                     "media could not be read)" : "");
    tprintf(c, "  files:    %zu malicious, %zu suspicious, %zu clean "
               "(%zu examined in the image, %zu cron programs missing)\n",
            m->malicious, m->suspicious, m->clean, m->files_examined,
            m->files_missing);
    tprintf(c, "  cron:     %zu jobs, %zu running every 15 minutes\n",
            m->cron_jobs, m->every_15_min_jobs);
    if (m->cron_findings)
        tprintf(c, "  cron IOC: %zu crontabs/jobs name Mumblehard network "
                   "indicators (see Persistence, Crontabs)\n",
                m->cron_findings);
    tprintf(c, "  volumes:  %zu examined, %zu not examined, "
               "%zu without file system\n", m->volumes_examined,
            m->volumes_not_examined, m->volumes_no_fs);
    tprintf(c, "  temp:     %zu names listed in temp directories (%zu deleted)\n",
            m->temp_entries, m->temp_deleted);
    if (m->locations_read + m->locations_absent + m->locations_not_read)
        tprintf(c, "  coverage: %zu triage locations read, %zu absent, %zu "
                   "NOT READ%s\n", m->locations_read, m->locations_absent,
                m->locations_not_read, m->locations_not_read
                    ? " (see Triage locations)" : "");
    if (m->evidence_incomplete)
        tprintf(c, "  evidence: INCOMPLETE: %" PRIu64 " bytes in %zu "
                   "unreadable range%s; %zu volume%s and %zu file%s partial "
                   "(see Unreadable media)\n", m->unreadable_bytes,
                m->unreadable_ranges, m->unreadable_ranges == 1 ? "" : "s",
                m->volumes_partial, m->volumes_partial == 1 ? "" : "s",
                m->files_partial, m->files_partial == 1 ? "" : "s");
    tprintf(c, "  exit:     %d (%s)\n\n", m->exit_status,
            ms_exit_status_text(m->exit_status));
}

/* Every temp directory and crontab location looked for, per system. */
static void coverage_block(tctx *c, const ms_scan *s)
{
    if (!s->ncoverage)
        return;
    tprintf(c, "Triage locations (temp directories and crontab locations "
               "looked for on each system)\n");
    for (size_t i = 0; i < s->ncoverage; i++) {
        const ms_coverage *v = &s->coverage[i];
        char *p = tesc(c, v->path), *r = tesc(c, v->reason);
        char *res = v->resolved ? tesc(c, v->resolved) : NULL;
        if (p && r)
            tprintf(c, "  system v%d  v%d %-26s %-20s %-10s%s%s%s%s%s\n",
                    v->system_volume, v->volume, p,
                    ms_cov_kind_words(v->kind), ms_cov_state_name(v->state),
                    res ? " -> " : "", res ? res : "",
                    v->reason ? (v->state == MS_COV_READ ? " (" : ": ") : "",
                    v->reason ? r : "",
                    v->reason && v->state == MS_COV_READ ? ")" : "");
        free(p);
        free(r);
        free(res);
    }
    tprintf(c, "\n");
}

static void time_str(int64_t sec, uint32_t nsec, char buf[MS_TIME_BUFSZ])
{
    if (ms_time_format(sec, nsec, buf) != MS_OK)
        snprintf(buf, MS_TIME_BUFSZ, "(invalid time)");
}

static void scan_block(tctx *c, const ms_scan *s, const char *version)
{
    char t0[MS_TIME_BUFSZ], t1[MS_TIME_BUFSZ];
    tprintf(c, "Scan\n");
    field(c, "tool", version ? version : "unknown");
    for (size_t i = 0; i < s->nimages; i++)
        field(c, "image", s->images[i]);
    field(c, "image type", s->image_type);
    tprintf(c, "      %-11s %" PRIu64 " bytes, sector size %u\n", "size",
            s->image_size, s->sector_size);
    field(c, "rules", s->rules_desc);
    time_str(s->started, 0, t0);
    time_str(s->finished, 0, t1);
    tprintf(c, "      %-11s %s .. %s\n\n", "run", t0, t1);
}

/* --sweep: counts, and every file a limit kept from being scanned. */
static void sweep_block(tctx *c, const ms_scan *s)
{
    const ms_sweep_stats *w = s->sweep;
    if (!w)
        return;
    tprintf(c, "Sweep (--sweep%s)\n",
            w->mode == MS_SWEEP_EXECUTABLES ? "=executables" : "");
    tprintf(c, "      %-11s %" PRIu64 " files, %" PRIu64 " bytes (%" PRIu64
               " deleted with content); %" PRIu64 " hits recorded\n",
            "scanned", w->files_scanned, w->bytes_scanned, w->deleted_scanned,
            w->hits);
    tprintf(c, "      %-11s %" PRIu64 " files met, %" PRIu64 " not selected, %"
               PRIu64 " empty, %" PRIu64 " deleted without content, %" PRIu64
               " info-only matches\n", "counted", w->files_seen,
            w->files_not_selected, w->empty, w->deleted_unrecoverable,
            w->info_only);
    tprintf(c, "      %-11s %" PRIu64 " bytes per file, %d s per file\n",
            "limits", w->max_file, w->timeout_s);
    if (w->hits_not_recorded)
        tprintf(c, "      %-11s %" PRIu64 " more hits not recorded (the "
                   "bound on recorded hits was reached)\n", "hits",
                w->hits_not_recorded);
    tprintf(c, "      %-11s %" PRIu64 " (%zu listed, at most %zu)\n",
            "skipped", w->skipped_total, w->nskipped, w->skipped_bound);
    for (size_t i = 0; i < w->nskipped; i++) {
        const ms_sweep_skip *k = &w->skipped[i];
        char *p = ms_escape_text(k->path, strlen(k->path));
        tprintf(c, "        volume %d inode %" PRIu64 " %s: %" PRIu64
                   " bytes, %s\n", k->volume, k->inode, p ? p : "?",
                k->size, k->reason);
        free(p);
    }
    tprintf(c, "\n");
}

/* Who the server is: one entry per system found (artifacts/hostid.h). */
static void hosts_block(tctx *c, const ms_scan *s)
{
    if (!s->nhosts)
        return;
    tprintf(c, "Host\n");
    for (size_t i = 0; i < s->nhosts; i++) {
        const ms_host *h = &s->hosts[i];
        tprintf(c, "  system on volume %d\n", h->volume);
        field(c, "host name", h->hostname);
        field(c, "OS", h->os_pretty_name ? h->os_pretty_name : h->os_id);
        field(c, "machine-id", h->machine_id);
        for (size_t k = 0; k < h->naddrs; k++) {
            char *a = tesc(c, h->addrs[k].addr);
            char *d = tesc(c, h->addrs[k].iface ? h->addrs[k].iface : "");
            char *f = tesc(c, h->addrs[k].source);
            if (a && d && f)
                tprintf(c, "      %-11s %s%s%s (%s)\n", "address", a,
                        *d ? " on " : "", d, f);
            free(a);
            free(d);
            free(f);
        }
        for (size_t k = 0; k < h->nkeys; k++) {
            char *fp = tesc(c, h->keys[k].fingerprint);
            char *l = tesc(c, h->keys[k].label);
            if (fp && l)
                tprintf(c, "      %-11s %u %s (%s)\n", "ssh key",
                        h->keys[k].bits, fp, l);
            free(fp);
            free(l);
        }
    }
    tprintf(c, "\n");
}

static void file_title(tctx *c, const ms_file *f)
{
    char v[16], *p = tesc(c, f->ref.path ? f->ref.path : "");
    const char *state = f->missing ? " (missing)"
                        : f->ref.deleted ? " (deleted)" : "";
    upper_copy(v, sizeof v, ms_report_verdict_name(f->verdict));
    if (p)
        tprintf(c, "  [%s] v%d:%s%s\n", v, f->ref.volume, p, state);
    free(p);
}

static void file_facts(tctx *c, const ms_file *f)
{
    const ms_fileref *r = &f->ref;
    if (r->has_inode)
        tprintf(c, "      %-11s %" PRIu64 "%s%s\n", "inode", r->inode,
                r->deleted ? "  (name deleted)" : "",
                r->meta_reused ? "  (inode reused)" : "");
    else
        tprintf(c, "      %-11s none%s\n", "inode",
                f->missing ? " (not in the image)" : "");
    if (!f->missing)
        tprintf(c, "      %-11s %" PRIu64 " bytes, %s, mode %04o, uid %"
                   PRIu32 ", gid %" PRIu32 "\n", "size", r->size,
                ms_report_ftype_name(r->type), (unsigned)(r->mode & 07777),
                r->uid, r->gid);
    int cron = (f->origin & MS_ORIGIN_CRON_PROGRAM) != 0;
    int temp = (f->origin & MS_ORIGIN_TEMP_DIR) != 0;
    tprintf(c, "      %-11s %s%s%s%s, executable: %s, name score %d\n",
            "origin", cron ? "cron program" : "", cron && temp ? " + " : "",
            temp ? "temp dir" : "",
            (f->origin & MS_ORIGIN_CARVE) ? "carved from unallocated blocks"
            : (f->origin & MS_ORIGIN_WEBROOT) ? "web root"
            : f->origin == MS_ORIGIN_SWEEP ? "sweep (outside the triage "
                                             "paths)" : "",
            f->executable ? "yes" : "no", f->name_score);
    if (f->origin & MS_ORIGIN_CARVE)
        tprintf(c, "      %-11s block %" PRIu64 ", image offset %" PRIu64
                   "\n", "carved at", f->carve_block, f->carve_image_offset);
    tprintf(c, "      %-11s %s%s\n", "content", ms_report_content_state(f),
            f->partial ? " (PARTIAL: part of it lies in unreadable media, "
                         "read as zeros)" : "");
    if (f->content_note)
        field(c, "", f->content_note);
    if (f->recovery)
        recovery_field(c, f->recovery, f->recovery_method,
                       f->recovery_certainty);
    if (f->magic)
        field(c, "magic", f->magic);
}

static void file_elf_hashes(tctx *c, const ms_file *f)
{
    const ms_elfinfo *e = &f->elf;
    if (e->valid) {
        char *mn = tesc(c, e->machine_name ? e->machine_name : "unknown");
        char *on = tesc(c, e->osabi_name ? e->osabi_name : "unknown");
        if (mn && on)
            tprintf(c, "      %-11s ELF%d %s-endian, type %u, machine %u "
                       "(%s), OS ABI %u (%s)\n", "elf", e->elf_class,
                    e->big_endian ? "big" : "little", e->etype, e->machine,
                    mn, e->osabi, on);
        free(mn);
        free(on);
    }
    if (strnlen(f->md5, sizeof f->md5) == 0)
        return;
    tprintf(c, "      %-11s %.32s\n", "md5", f->md5);
    tprintf(c, "      %-11s %.40s\n", "sha1", f->sha1);
    tprintf(c, "      %-11s %.64s\n", "sha256", f->sha256);
}

static void file_detection(tctx *c, const ms_file *f)
{
    for (size_t i = 0; i < f->nmatches; i++) {
        const ms_yara_match *m = &f->matches[i];
        char *rule = tesc(c, m->rule), *ns = tesc(c, m->ns);
        char *sid = tesc(c, m->string_id), *data = tesc(c, m->data_hex);
        if (rule && ns && sid && data)
            tprintf(c, "      %-11s %s (namespace %s) string %s at offset "
                       "%" PRIu64 " (0x%" PRIx64 "): %s\n", "yara", rule, ns,
                    sid, m->offset, m->offset, data);
        free(rule);
        free(ns);
        free(sid);
        free(data);
    }
    for (size_t i = 0; i < f->nreasons; i++) {
        const ms_reason *r = &f->reasons[i];
        char *code = tesc(c, r->code), *text = tesc(c, r->text);
        if (code && text)
            tprintf(c, "      %-11s %s: %s (%s)\n", "reason", code, text,
                    ms_report_severity_name(r->severity));
        free(code);
        free(text);
    }
}

static void unpacked_indicators(tctx *c, const ms_unpacked *u)
{
    for (size_t i = 0; i < u->nindicators; i++) {
        const ms_indicator *x = &u->indicators[i];
        char *v = tesc(c, x->value);
        const char *mark = x->cls == MS_IOC_KNOWN ? "  [KNOWN MUMBLEHARD IOC]"
                           : x->cls == MS_IOC_DECOY
                               ? "  [decoy (legitimate site), not flagged]"
                           : x->cls == MS_IOC_WEAK
                               ? "  [common UA, informational]" : "";
        if (v)
            tprintf(c, "      %-11s %-10s %s  (script offset %" PRIu64
                       ")%s\n", i ? "" : "indicators",
                    ms_ioc_type_name(x->type), v, x->offset, mark);
        free(v);
    }
    if (u->indicators_truncated)
        tprintf(c, "      %-11s (more indicators not listed)\n", "");
}

/* What the static unpacker recovered from a packer hit. */
static void file_unpacked(tctx *c, const ms_file *f)
{
    const ms_unpacked *u = f->unpacked;
    if (!u)
        return;
    if (!u->ok) {
        field(c, "unpack", "packer matched, unpack failed");
        field(c, "", u->failure);
        return;
    }
    tprintf(c, "      %-11s key %u, limit 0x%x, wrap 0x%x, step 0x%x, %zu "
               "decrypt calls\n", "unpacked", u->key, u->limit, u->wrap,
            u->step, u->calls);
    field(c, "method", u->method ? u->method : "static");
    field(c, "interpreter", u->interpreter);
    tprintf(c, "      %-11s %" PRIu64 " bytes at file offset %" PRIu64
               ", sha256 %.64s\n", "script", u->script_size,
            u->script_offset, u->sha256);
    tprintf(c, "      %-11s %s\n", "kind", ms_script_kind_name(u->kind));
    for (size_t i = 0; i < u->nfeatures; i++)
        tprintf(c, "      %-11s %s\n", i ? "" : "features", u->features[i]);
    unpacked_indicators(c, u);
    /* one line per rule (the JSON report lists every string match) */
    for (size_t i = 0; i < u->nmatches; i++) {
        const ms_yara_match *m = &u->matches[i];
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(u->matches[k].rule, m->rule) &&
                   !strcmp(u->matches[k].ns, m->ns);
        char *rule = seen ? NULL : tesc(c, m->rule);
        if (rule)
            tprintf(c, "      %-11s %s at script offset %" PRIu64 "\n",
                    i ? "" : "script yara", rule, m->offset);
        free(rule);
    }
    if (u->extracted)
        field(c, "extracted", u->extracted);
    if (u->extract_note)
        field(c, "extract", u->extract_note);
}

/* Reasons of a crontab or a persistence record (network indicators in
 * its text). */
static void cron_reasons(tctx *c, const ms_reason *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *code = tesc(c, r[i].code), *text = tesc(c, r[i].text);
        if (code && text)
            tprintf(c, "      %-11s %s: %s (%s)\n", "reason", code, text,
                    ms_report_severity_name(r[i].severity));
        free(code);
        free(text);
    }
}

static void file_times(tctx *c, const ms_fileref *r)
{
    for (int k = 0; k < MS_T_COUNT; k++) {
        char buf[MS_TIME_BUFSZ];
        if (!ms_time_usable(&r->times[k]))
            continue;
        time_str(r->times[k].sec, r->times[k].nsec, buf);
        tprintf(c, "      %-11s %c %s\n", k == 0 ? "times" : "",
                ms_timeline_event((enum ms_time_kind)k), buf);
    }
}

static void findings_block(tctx *c, const ms_scan *s, const ms_summary *m)
{
    tprintf(c, "Findings (%zu)\n", m->malicious + m->suspicious);
    if (m->malicious + m->suspicious == 0)
        tprintf(c, "  none\n");
    /* Malicious first, then suspicious: the worst news at the top. */
    for (int sev = MS_SEV_MALICIOUS; sev >= MS_SEV_SUSPICIOUS; sev--) {
        for (size_t i = 0; i < s->nfiles && !c->err; i++) {
            const ms_file *f = &s->files[i];
            int v = f->verdict >= MS_SEV_MALICIOUS ? MS_SEV_MALICIOUS
                                                   : (int)f->verdict;
            if (v != sev)
                continue;
            file_title(c, f);
            file_facts(c, f);
            file_elf_hashes(c, f);
            file_detection(c, f);
            file_unpacked(c, f);
            file_times(c, &f->ref);
        }
    }
    tprintf(c, "\n");
}

static void examined_block(tctx *c, const ms_scan *s, const ms_summary *m)
{
    tprintf(c, "Examined, clean (%zu)\n", m->clean);
    for (size_t i = 0; i < s->nfiles && !c->err; i++) {
        const ms_file *f = &s->files[i];
        if (f->verdict >= MS_SEV_SUSPICIOUS)
            continue;
        char *p = tesc(c, f->ref.path ? f->ref.path : "");
        if (p)
            tprintf(c, "  v%d:%s%s  (%" PRIu64 " bytes, content %s)\n",
                    f->ref.volume, p, f->ref.deleted ? " (deleted)" : "",
                    f->ref.size, ms_report_content_state(f));
        free(p);
        for (size_t k = 0; k < f->nreasons; k++) {
            char *code = tesc(c, f->reasons[k].code);
            char *text = tesc(c, f->reasons[k].text);
            if (code && text)
                tprintf(c, "      %-11s %s: %s\n", "note", code, text);
            free(code);
            free(text);
        }
    }
    tprintf(c, "\n");
}

static void crontabs_block(tctx *c, const ms_scan *s)
{
    tprintf(c, "Crontabs (%zu)\n", s->ncrontabs);
    for (size_t i = 0; i < s->ncrontabs && !c->err; i++) {
        const ms_crontab *ct = &s->crontabs[i];
        char *p = tesc(c, ct->file.path), *owner = tesc(c, ct->owner);
        if (p && owner)
            tprintf(c, "  v%d:%s%s  %s, owner %s%s\n", ct->file.volume, p,
                    ct->file.deleted ? " (deleted)" : "",
                    ct->system ? "system crontab" : "user crontab", owner,
                    ct->readable ? "" : ", UNREADABLE");
        free(p);
        free(owner);
        if (ct->note)
            field(c, "note", ct->note);
        if (ct->dialect)
            field(c, "dialect", ct->dialect);
        if (ct->dialect_why)
            field(c, "", ct->dialect_why);
        for (size_t k = 0; k < ct->nrejected && !c->err; k++) {
            char *r = tesc(c, ct->rejected[k].reason);
            if (r)
                tprintf(c, "      %-11s line %u (byte %llu): %s\n",
                        "rejected", ct->rejected[k].line,
                        (unsigned long long)ct->rejected[k].offset, r);
            free(r);
        }
        cron_reasons(c, ct->reasons, ct->nreasons);
        if (ct->recovery)
            recovery_field(c, ct->recovery, ct->recovery_method,
                           ct->recovery_certainty);
    }
    tprintf(c, "\n");
}

static void program_line(tctx *c, const ms_scan *s, const ms_program *p)
{
    char *as = tesc(c, p->as_written), *res = tesc(c, p->resolved);
    const char *verdict = "";
    if (p->file_index >= 0 && (size_t)p->file_index < s->nfiles) {
        int v = s->files[p->file_index].verdict;
        verdict = v >= MS_SEV_MALICIOUS ? "  [MALICIOUS]"
                  : v == MS_SEV_SUSPICIOUS ? "  [SUSPICIOUS]" : "  [clean]";
    }
    if (as && res)
        tprintf(c, "      %-11s %s  %s -> %s%s%s%s\n", "program", as,
                ms_report_prog_status_name(p->status), res, verdict,
                p->guarded ? "  [guarded]" : "",
                p->via_stdin ? "  [from stdin]" : "");
    free(as);
    free(res);
    if (p->note)
        field(c, "", p->note);
}

/* One persistence record, whatever its kind: the kind-specific details
 * are its attributes, printed as they come. */
static void persistence_entry(tctx *c, const ms_scan *s,
                              const ms_persistence *p)
{
    char *file = tesc(c, p->source.path ? p->source.path : "?");
    char *user = tesc(c, p->user ? p->user : "-");
    char *kind = tesc(c, p->kind ? p->kind : "unknown");
    if (file && user && kind)
        tprintf(c, "  v%d:%s:%u  %s, user %s%s%s\n", p->source.volume, file,
                p->line, kind, user,
                ms_trigger_every(&p->trigger, 15) ? "  [EVERY 15 MINUTES]"
                                                  : "",
                p->trigger.type == MS_TRIG_BOOT ? "  [at boot]" : "");
    free(file);
    free(user);
    free(kind);
    if (p->schedule)
        field(c, "schedule", p->schedule);
    if (p->schedule_words)
        field(c, "in words", p->schedule_words);
    for (size_t i = 0; i < p->nattrs; i++)
        field(c, p->attrs[i].key ? p->attrs[i].key : "", p->attrs[i].value);
    if (p->command)
        field(c, "command", p->command);
    for (size_t i = 0; i < p->nprograms; i++)
        program_line(c, s, &p->programs[i]);
    if (p->recovery_method != MS_RECOV_NONE)
        tprintf(c, "      %-11s by %s, certainty %s\n", "recovered",
                ms_recovery_method_name(p->recovery_method),
                ms_report_certainty_name(p->recovery_certainty));
    cron_reasons(c, p->reasons, p->nreasons);
}

static void persistence_block(tctx *c, const ms_scan *s)
{
    tprintf(c, "Persistence: programs run later or again (%zu)\n",
            s->npersistence);
    if (s->npersistence == 0)
        tprintf(c, "  none\n");
    for (size_t i = 0; i < s->npersistence && !c->err; i++)
        persistence_entry(c, s, &s->persistence[i]);
    tprintf(c, "\n");
}

static size_t max_len(char **v, size_t n, size_t floor)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] && strlen(v[i]) > floor)
            floor = strlen(v[i]);
    return floor;
}

/* Escaped columns of the volume table: vs_type, desc, fs_type, note. */
#define VCOLS 4

static void volume_rows(tctx *c, const ms_scan *s, char **cells)
{
    size_t w[VCOLS];
    for (int k = 0; k < VCOLS; k++) {
        /* cells is row-major; gather column k's width. */
        w[k] = k == 0 ? 5 : k == 1 ? 11 : 7;
        for (size_t i = 0; i < s->nvolumes; i++)
            w[k] = max_len(&cells[i * VCOLS + k], 1, w[k]);
    }
    tprintf(c, "  %-3s %-14s %-14s %-*s %-4s %-*s %-*s %-12s %s\n", "#",
            "offset", "length", (int)w[0], "table", "slot", (int)w[1],
            "description", (int)w[2], "fs", "state", "note");
    for (size_t i = 0; i < s->nvolumes; i++) {
        const ms_volume *v = &s->volumes[i];
        char **r = &cells[i * VCOLS];
        char slot[24] = "-";
        if (v->slot >= 0)
            snprintf(slot, sizeof slot, "%ld", v->slot);
        tprintf(c, "  %-3d %-14" PRIu64 " %-14" PRIu64 " %-*s %-4s %-*s "
                   "%-*s %-12s %s%s\n", v->index, v->offset, v->length,
                (int)w[0], r[0], slot, (int)w[1], r[1], (int)w[2], r[2],
                ms_report_vol_state_name(v->state),
                v->partial ? "PARTIAL (touches unreadable media) " : "",
                v->note ? r[3] : "");
    }
}

/* One line per volume: the layers it was found through, and its IDs. */
static void volume_stacks(tctx *c, const ms_scan *s)
{
    for (size_t i = 0; i < s->nvolumes && !c->err; i++) {
        const ms_volume *v = &s->volumes[i];
        if (!v->stack)
            continue;
        char *st = tesc(c, v->stack), *u = tesc(c, v->uuid),
             *l = tesc(c, v->label);
        tprintf(c, "  %-3d %s%s%s%s%s%s%s\n", v->index, st ? st : "",
                v->uuid ? "  uuid " : "", v->uuid && u ? u : "",
                v->label ? "  label " : "", v->label && l ? l : "",
                !v->mount_point ? "" :
                (!v->mount_how || strstr(v->mount_how, "inferred"))
                    ? "  mounted at (inferred) " : "  mounted at ",
                v->mount_point ? v->mount_point : "");
        free(st);
        free(u);
        free(l);
    }
}

static void volumes_block(tctx *c, const ms_scan *s)
{
    char **cells = NULL;
    size_t n = 0;

    tprintf(c, "Volumes (%zu)\n", s->nvolumes);
    if (s->nvolumes > SIZE_MAX / VCOLS / sizeof *cells) {
        c->err = MS_ERR_NOMEM;
        return;
    }
    cells = calloc(s->nvolumes * VCOLS + 1, sizeof *cells);
    if (!cells) {
        c->err = MS_ERR_NOMEM;
        return;
    }
    for (size_t i = 0; i < s->nvolumes; i++) {
        const ms_volume *v = &s->volumes[i];
        cells[n++] = tesc(c, v->vs_type);
        cells[n++] = tesc(c, v->desc);
        cells[n++] = tesc(c, v->fs_type);
        cells[n++] = tesc(c, v->note);
    }
    if (!c->err && s->nvolumes)
        volume_rows(c, s, cells);
    if (!c->err && s->nvolumes) {
        tprintf(c, "  volume stacks:\n");
        volume_stacks(c, s);
    }
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
    tprintf(c, "\n");
}

static void timeline_block(tctx *c, const ms_scan *s)
{
    ms_tl_entry *tl = NULL;
    size_t n = 0;
    ms_err e = ms_timeline_build(s, &tl, &n);

    if (e) {
        if (!c->err)
            c->err = e;
        return;
    }
    tprintf(c, "Timeline (%zu events, UTC)\n", n);
    if (n)
        tprintf(c, "  %-30s %-2s %-10s %s\n", "time", "ev", "verdict",
                "path");
    for (size_t i = 0; i < n && !c->err; i++) {
        char t[MS_TIME_BUFSZ];
        char *p = tesc(c, tl[i].path);
        const char *what = tl[i].verdict < 0 ? "crontab"
                           : ms_report_verdict_name(tl[i].verdict);
        time_str(tl[i].sec, tl[i].nsec, t);
        if (p)
            tprintf(c, "  %-30s %-2c %-10s v%d:%s%s\n", t, tl[i].event, what,
                    tl[i].volume, p,
                    tl[i].recovered ? "  [recovered from journal]" : "");
        free(p);
    }
    ms_timeline_free(tl);
    tprintf(c, "\n");
}

/* Damaged or truncated evidence: every range that could not be read,
 * with the volumes and reported files it touches. */
static void unreadable_block(tctx *c, const ms_scan *s)
{
    if (!s->nunreadable)
        return;
    tprintf(c, "Unreadable media (%zu range%s%s)\n", s->nunreadable,
            s->nunreadable == 1 ? "" : "s",
            s->unreadable_coarsened ? ", merged at the list's bound" : "");
    tprintf(c, "  %-14s %-14s %s\n", "offset", "length", "cause");
    for (size_t i = 0; i < s->nunreadable && !c->err; i++) {
        const ms_unreadable *u = &s->unreadable[i];
        tprintf(c, "  %-14" PRIu64 " %-14" PRIu64 " %s\n", u->offset,
                u->length, u->cause ? u->cause : "unreadable");
        if (u->nvolumes) {
            tprintf(c, "      volumes");
            for (size_t k = 0; k < u->nvolumes; k++)
                tprintf(c, " #%d", u->volumes[k]);
            tprintf(c, "\n");
        }
        for (size_t k = 0; k < u->nfiles && !c->err; k++) {
            if (u->files[k] >= s->nfiles)
                continue;
            const ms_file *f = &s->files[u->files[k]];
            char *p = tesc(c, f->ref.path);
            if (p)
                tprintf(c, "      file    v%d:%s\n", f->ref.volume, p);
            free(p);
        }
    }
    tprintf(c, "\n");
}

static void errors_block(tctx *c, const ms_scan *s)
{
    tprintf(c, "Errors (%zu)\n", s->nerrors);
    for (size_t i = 0; i < s->nerrors && !c->err; i++) {
        char *e = tesc(c, s->errors[i]);
        if (e)
            tprintf(c, "  - %s\n", e);
        free(e);
    }
}

static void alert_block(tctx *c, const ms_scan *s)
{
    char *alert = ms_report_integrity_alert(s);
    if (alert)
        tprintf(c, "!!! %s\n\n", alert);
    free(alert);
    alert = ms_report_incomplete_alert(s);
    if (alert)
        tprintf(c, "!!! %s\n\n", alert);
    free(alert);
}

static void case_block(tctx *c, const ms_scan *s)
{
    const ms_case_info *k = &s->case_info;
    if (!k->case_id && !k->examiner && !k->evidence_id && !k->notes)
        return;
    tprintf(c, "Case\n");
    field(c, "case", k->case_id);
    field(c, "examiner", k->examiner);
    field(c, "evidence id", k->evidence_id);
    field(c, "notes", k->notes);
    tprintf(c, "\n");
}

static void evidence_block(tctx *c, const ms_scan *s)
{
    const ms_integrity *ig = &s->integrity;
    tprintf(c, "Evidence integrity\n");
    tprintf(c, "      %-11s %s\n", "access", "opened read-only; the image "
            "was never written");
    tprintf(c, "      %-11s %s\n", "integrity", ms_integrity_state(ig));
    if (ig->computed)
        tprintf(c, "      %-11s %" PRIu64 " bytes of the %s\n", "hashed",
                ig->bytes_hashed, ig->hashed_what ? ig->hashed_what
                                                  : "media");
    for (int a = 0; a < MS_HASH_COUNT; a++) {
        if (ig->computed)
            tprintf(c, "      %-11s %.64s (computed)\n",
                    ms_hash_algo_title(a), ig->computed_hex[a]);
        if (ig->stored_hex[a][0])
            tprintf(c, "      %-11s %.64s (stored in image: %s)\n",
                    ms_hash_algo_title(a), ig->stored_hex[a],
                    ms_hash_check_name(ig->check[a]));
    }
    if (!ig->requested)
        tprintf(c, "      %-11s %s\n", "", "media not hashed (use --hash)");
    if (ig->note)
        field(c, "note", ig->note);
    tprintf(c, "\n");
}

static void provenance_block(tctx *c, const ms_scan *s)
{
    const ms_provenance *p = &s->prov;
    tprintf(c, "\nProvenance\n");
    for (size_t i = 0; i < p->nlibs; i++) {
        char *n = tesc(c, p->libs[i].name), *v = tesc(c, p->libs[i].version);
        if (n && v)
            tprintf(c, "      %-11s %s\n", n, v);
        free(n);
        free(v);
    }
    for (size_t i = 0; i < p->nrules; i++) {
        char *n = tesc(c, p->rules[i].path), *v = tesc(c, p->rules[i].sha256);
        if (n && v)
            tprintf(c, "      %-11s %s (sha256 %s)\n", "rule file", n, v);
        free(n);
        free(v);
    }
    field(c, "command", p->command_line);
    field(c, "host", p->host);
    tprintf(c, "\n");
}

ms_err ms_report_text(FILE *out, const ms_report_ctx *ctx)
{
    tctx c = { out, MS_OK };

    if (!out || !ctx || !ctx->scan || !ctx->summary)
        return MS_ERR_ARG;
    const ms_scan *scan = ctx->scan;
    const ms_summary *sum = ctx->summary;
    const char *version = ctx->version;
    alert_block(&c, scan);
    verdict_block(&c, sum);
    ms_hr_text_story(&c, scan);
    case_block(&c, scan);
    scan_block(&c, scan, version);
    sweep_block(&c, scan);
    hosts_block(&c, scan);
    evidence_block(&c, scan);
    findings_block(&c, scan, sum);
    examined_block(&c, scan, sum);
    persistence_block(&c, scan);
    crontabs_block(&c, scan);
    ms_hr_text_history(&c, scan);
    volumes_block(&c, scan);
    ms_report_layout_text(&c, scan);
    unreadable_block(&c, scan);
    coverage_block(&c, scan);
    ms_text_entry(&c, scan);
    timeline_block(&c, scan);
    errors_block(&c, scan);
    provenance_block(&c, scan);
    if (!c.err && (fflush(out) != 0 || ferror(out)))
        c.err = MS_ERR_IO;
    return c.err;
}

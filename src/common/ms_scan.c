#include "common/ms_scan.h"
#include "common/ms_entry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_coverage.h"
#include "common/ms_mem.h"
#include "common/ms_persist.h"

void ms_scan_add_error(ms_scan *scan, const char *fmt, ...)
{
    va_list ap;
    char buf[1024];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (ms_grow((void **)&scan->errors, &scan->errors_cap,
                scan->nerrors + 1, sizeof *scan->errors) != MS_OK)
        return;
    char *copy = ms_strdup(buf);
    if (copy)
        scan->errors[scan->nerrors++] = copy;
}

#define NEW_ELEM(arr, n, cap)                                              \
    do {                                                                   \
        ms_err rc_ = ms_grow((void **)&(arr), &(cap), (n) + 1,             \
                             sizeof *(arr));                               \
        if (rc_)                                                           \
            return rc_;                                                    \
        *index = (n)++;                                                    \
        return MS_OK;                                                      \
    } while (0)

ms_err ms_scan_new_file(ms_scan *s, size_t *index)
{
    NEW_ELEM(s->files, s->nfiles, s->files_cap);
}

ms_err ms_scan_new_crontab(ms_scan *s, size_t *index)
{
    NEW_ELEM(s->crontabs, s->ncrontabs, s->crontabs_cap);
}

ms_err ms_scan_new_job(ms_scan *s, size_t *index)
{
    ms_err rc = ms_grow((void **)&s->jobs, &s->jobs_cap, s->njobs + 1,
                        sizeof *s->jobs);
    if (rc)
        return rc;
    s->jobs[s->njobs].persistence = -1;   /* no record yet */
    *index = s->njobs++;
    return MS_OK;
}

static int same_object(const ms_file *f, const ms_fileref *ref, int missing)
{
    if (f->ref.volume != ref->volume || f->missing != missing)
        return 0;
    if (missing || !ref->has_inode || !f->ref.has_inode)
        return f->ref.path && ref->path && strcmp(f->ref.path, ref->path) == 0;
    return f->ref.inode == ref->inode && f->ref.deleted == ref->deleted &&
           (!ref->deleted || strcmp(f->ref.path, ref->path) == 0);
}

ms_err ms_scan_file_for(ms_scan *scan, const ms_fileref *ref, int missing,
                        unsigned origin, size_t *index)
{
    for (size_t i = 0; i < scan->nfiles; i++) {
        if (same_object(&scan->files[i], ref, missing)) {
            scan->files[i].origin |= origin;
            *index = i;
            return MS_OK;
        }
    }
    char *path = ms_strdup(ref->path);
    if (!path)
        return MS_ERR_NOMEM;
    ms_err rc = ms_scan_new_file(scan, index);
    if (rc) {
        free(path);
        return rc;
    }
    ms_file *f = &scan->files[*index];
    f->ref = *ref;
    f->ref.path = path;
    f->missing = missing;
    f->origin = origin;
    return MS_OK;
}

ms_err ms_file_reason_ev(ms_file *f, ms_reason_id id, enum ms_severity sev,
                        char *text, const ms_reason_ev *ev)
{
    ms_err rc = ms_reasons_add(&f->reasons, &f->nreasons, id, sev, text, ev);
    if (rc)
        return rc;
    if (sev > f->verdict)
        f->verdict = sev;
    f->flagged = f->verdict >= MS_SEV_SUSPICIOUS;
    return MS_OK;
}

void ms_unpacked_free(ms_unpacked *u)
{
    if (!u)
        return;
    free(u->failure);
    free(u->interpreter);
    free(u->features);
    for (size_t i = 0; i < u->nindicators; i++)
        free(u->indicators[i].value);
    free(u->indicators);
    for (size_t i = 0; i < u->nmatches; i++) {
        free(u->matches[i].rule);
        free(u->matches[i].ns);
        free(u->matches[i].string_id);
        free(u->matches[i].data_hex);
    }
    free(u->matches);
    free(u->extracted);
    free(u->extract_note);
    free(u);
}

void ms_fileref_clear(ms_fileref *r)
{
    free(r->path);
    r->path = NULL;
}

void ms_file_clear(ms_file *f)
{
    ms_fileref_clear(&f->ref);
    free(f->content_note);
    free(f->recovery);
    free(f->magic);
    for (size_t i = 0; i < f->nmatches; i++) {
        free(f->matches[i].rule);
        free(f->matches[i].ns);
        free(f->matches[i].string_id);
        free(f->matches[i].data_hex);
    }
    free(f->matches);
    ms_reasons_free(f->reasons, f->nreasons);
    ms_unpacked_free(f->unpacked);
}

static void job_clear(ms_cronjob *j)
{
    free(j->user);
    free(j->schedule);
    free(j->schedule_words);
    free(j->command);
    ms_programs_free(j->programs, j->nprograms);
    ms_reasons_free(j->reasons, j->nreasons);
    free(j->input);
    free(j->time_zone);
    free(j->dialect_note);
    free(j->environment);
    free(j->timer);
    ms_trigger_clear(&j->trigger);
}

static void sweep_free(ms_sweep_stats *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nskipped; i++)
        free(w->skipped[i].path);
    free(w->skipped);
    free(w);
}

void ms_scan_free(ms_scan *s)
{
    ms_scan_history_free(s);
    sweep_free(s->sweep);
    ms_coverage_free(s);
    for (size_t i = 0; i < s->nimages; i++)
        free(s->images[i]);
    free(s->images);
    for (size_t i = 0; i < s->nsegments; i++)
        free(s->segments[i].path);
    free(s->segments);
    for (size_t i = 0; i < s->nhosts; i++)
        ms_host_clear(&s->hosts[i]);
    free(s->hosts);
    free(s->image_type);
    free(s->acquired_text);
    for (size_t i = 0; i < s->nvolumes; i++) {
        free(s->volumes[i].vs_type);
        free(s->volumes[i].desc);
        free(s->volumes[i].fs_type);
        free(s->volumes[i].note);
        free(s->volumes[i].stack);
        free(s->volumes[i].uuid);
        free(s->volumes[i].label);
        free(s->volumes[i].mount_point);
        free(s->volumes[i].lvm_vg);
        free(s->volumes[i].lvm_lv);
        free(s->volumes[i].part_uuid);
        free(s->volumes[i].part_label);
        free(s->volumes[i].fstab_line);
        free(s->volumes[i].mount_source);
        free(s->volumes[i].mount_how);
    }
    free(s->volumes);
    for (size_t i = 0; i < s->nsystems; i++)
        ms_system_clear(&s->systems[i]);
    free(s->systems);
    for (size_t i = 0; i < s->ncrontabs; i++) {
        ms_fileref_clear(&s->crontabs[i].file);
        free(s->crontabs[i].owner);
        free(s->crontabs[i].note);
        ms_reasons_free(s->crontabs[i].reasons, s->crontabs[i].nreasons);
        free(s->crontabs[i].recovery);
        for (size_t k = 0; k < s->crontabs[i].nrejected; k++)
            free(s->crontabs[i].rejected[k].reason);
        free(s->crontabs[i].rejected);
        free(s->crontabs[i].dialect);
        free(s->crontabs[i].dialect_why);
    }
    free(s->crontabs);
    for (size_t i = 0; i < s->njobs; i++)
        job_clear(&s->jobs[i]);
    free(s->jobs);
    for (size_t i = 0; i < s->npersistence; i++)
        ms_persistence_clear(&s->persistence[i]);
    free(s->persistence);
    for (size_t i = 0; i < s->nfiles; i++)
        ms_file_clear(&s->files[i]);
    free(s->files);
    for (size_t i = 0; i < s->nerrors; i++)
        free(s->errors[i]);
    free(s->errors);
    for (size_t i = 0; i < s->nunreadable; i++) {
        free(s->unreadable[i].volumes);
        free(s->unreadable[i].files);
    }
    free(s->unreadable);
    free(s->rules_desc);
    free(s->integrity.note);
    free(s->case_info.case_id);
    free(s->case_info.examiner);
    free(s->case_info.evidence_id);
    free(s->case_info.notes);
    free(s->prov.command_line);
    free(s->prov.host);
    for (size_t i = 0; i < s->prov.nlibs; i++) {
        free(s->prov.libs[i].name);
        free(s->prov.libs[i].version);
    }
    free(s->prov.libs);
    for (size_t i = 0; i < s->prov.nrules; i++) {
        free(s->prov.rules[i].path);
        free(s->prov.rules[i].sha256);
        free(s->prov.rules[i].ns);
    }
    free(s->prov.rules);
    ms_entry_free(s->entry);
}

ms_err ms_file_reason_take(ms_file *f, ms_reason_id id,
                           enum ms_severity sev, char *text)
{
    return ms_file_reason_ev(f, id, sev, text, NULL);
}

void ms_host_clear(ms_host *h)
{
    if (!h)
        return;
    free(h->hostname);
    free(h->hostname_source);
    free(h->os_pretty_name);
    free(h->os_id);
    free(h->os_version_id);
    free(h->machine_id);
    for (size_t i = 0; i < h->naddrs; i++) {
        free(h->addrs[i].addr);
        free(h->addrs[i].iface);
        free(h->addrs[i].source);
    }
    free(h->addrs);
    for (size_t i = 0; i < h->nkeys; i++) {
        free(h->keys[i].path);
        free(h->keys[i].type);
        free(h->keys[i].label);
        free(h->keys[i].fingerprint);
    }
    free(h->keys);
    memset(h, 0, sizeof *h);
}

void ms_mount_clear(ms_mount *m)
{
    free(m->source);
    free(m->text);
    free(m->spec);
    free(m->mount_point);
    free(m->fs_type);
    free(m->options);
    free(m->note);
}

void ms_system_clear(ms_system *s)
{
    for (size_t i = 0; i < s->nmounts; i++)
        ms_mount_clear(&s->mounts[i]);
    free(s->mounts);
    free(s->layout);
}

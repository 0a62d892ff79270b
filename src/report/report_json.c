/* report_json.c - the JSON report (contract: docs/json-format.md).
 *
 * The document is built as a jansson tree and dumped once, with
 * JSON_PRESERVE_ORDER so the key order is the order of insertion below and
 * the output is byte-for-byte stable.  Every builder returns a new
 * reference or NULL; every jansson call is checked. */
#include "report/report.h"
#include "report/report_entry.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_coverage.h"
#include "common/ms_mem.h"
#include "common/ms_persist.h"
#include "common/ms_reasons.h"
#include "artifacts/indicators.h"
#include "artifacts/mounttab.h"
#include "detection/perlscript.h"
#include "evidence/imghash.h"
#include "report/escape.h"
#include "report/history_report.h"
#include "report/timefmt.h"
#include "report/timeline.h"

/* docs/json-format.md, "Schema version": MAJOR.MINOR; MINOR grows when
 * fields are added, MAJOR when one is removed, renamed or changes
 * meaning.  A reader must refuse a MAJOR it does not know. */
#define MS_JSON_SCHEMA_VERSION "1.2"

/* json_object_set_new/json_array_append_new steal `v` even on failure and
 * fail on v == NULL, so one check covers the allocation and the insert. */
#define SET(o, k, v) \
    do { if (json_object_set_new((o), (k), (v))) goto _exit; } while (0)
#define SETS(o, k, s) \
    do { if (set_str((o), (k), (s))) goto _exit; } while (0)
#define APPEND(a, v) \
    do { if (json_array_append_new((a), (v))) goto _exit; } while (0)

/* Bytes >= 0x80 that survived ms_escape_text() (i.e. it judged them valid
 * UTF-8) but that jansson still refused: write them as \xNN too. */
static char *ascii_only(const char *s)
{
    ms_buf b = { 0 };
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        ms_err e = *p < 0x80 ? ms_buf_append(&b, (const char *)p, 1)
                             : ms_buf_printf(&b, "\\x%02x", *p);
        if (e) {
            ms_buf_free(&b);
            return NULL;
        }
    }
    return ms_buf_steal(&b);
}

/* A JSON string for bytes from the image; *lossy is set when the bytes
 * were not valid UTF-8 and the escaped form (ms_escape_text, which escapes
 * the backslash too, so it stays reversible) was used instead. */
static json_t *image_string(const char *s, int *lossy)
{
    size_t len = strlen(s);
    json_t *v = NULL;
    char *esc = NULL, *ascii = NULL;

    *lossy = 0;
    if (ms_utf8_valid(s, len)) {
        v = json_stringn(s, len); /* NULL if jansson disagrees */
        if (v)
            return v;
    }
    *lossy = 1;
    esc = ms_escape_text(s, len);
    if (!esc)
        goto _exit;
    v = json_string(esc);
    if (!v) {
        ascii = ascii_only(esc);
        v = ascii ? json_string(ascii) : NULL;
    }
_exit:
    free(esc);
    free(ascii);
    return v;
}

/* obj[key] = s by the contract's UTF-8 rule: NULL -> null; invalid UTF-8
 * -> escaped text plus obj[key + "_hex"] with the raw bytes.  0 or -1. */
static int set_str(json_t *obj, const char *key, const char *s)
{
    int lossy, rc = -1;
    char *hex = NULL, *hkey = NULL;

    if (!s)
        return json_object_set_new(obj, key, json_null());
    if (json_object_set_new(obj, key, image_string(s, &lossy)))
        return -1;
    if (!lossy)
        return 0;
    hex = ms_hex((const unsigned char *)s, strlen(s));
    hkey = ms_asprintf("%s_hex", key);
    if (hex && hkey && json_object_set_new(obj, hkey, json_string(hex)) == 0)
        rc = 0;
    free(hex);
    free(hkey);
    return rc;
}

/* Array elements cannot carry a "_hex" sibling: they get the escaped form
 * only, which is still lossless (the escaping is reversible). */
static json_t *plain_str(const char *s)
{
    int lossy;
    return s ? image_string(s, &lossy) : json_null();
}

/* JSON integers are int64 in jansson; a larger value (only possible from a
 * corrupt image) is written as a decimal string rather than wrapped. */
static json_t *j_u64(uint64_t v)
{
    char buf[24];
    if (v <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)v);
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return json_string(buf);
}

static json_t *j_time_raw(int64_t sec, uint32_t nsec)
{
    char buf[MS_TIME_BUFSZ];
    if (ms_time_format(sec, nsec, buf) != MS_OK)
        return json_null();
    return json_string(buf);
}

static json_t *j_time(const ms_time *t)
{
    return ms_time_usable(t) ? j_time_raw(t->sec, t->nsec) : json_null();
}

static json_t *j_inode(const ms_fileref *r)
{
    return r->has_inode ? j_u64(r->inode) : json_null();
}

static json_t *j_times(const ms_fileref *r)
{
    static const char *const keys[MS_T_COUNT] = {
        [MS_T_MTIME] = "mtime", [MS_T_ATIME] = "atime",
        [MS_T_CTIME] = "ctime", [MS_T_CRTIME] = "crtime",
        [MS_T_DTIME] = "dtime" };
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    for (int k = 0; k < MS_T_COUNT; k++)
        SET(o, keys[k], j_time(&r->times[k]));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_tool(const char *version)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "name", json_string("mumblescan"));
    SETS(o, "version", version ? version : "unknown");
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_scan(const ms_scan *s)
{
    json_t *o = json_object(), *imgs = NULL, *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "started", j_time_raw(s->started, 0));
    SET(o, "finished", j_time_raw(s->finished, 0));
    imgs = json_array();
    if (!imgs)
        goto _exit;
    for (size_t i = 0; i < s->nimages; i++)
        APPEND(imgs, plain_str(s->images[i]));
    SET(o, "images", imgs);
    imgs = NULL;
    SETS(o, "image_type", s->image_type);
    SET(o, "image_size", j_u64(s->image_size));
    SET(o, "sector_size", json_integer(s->sector_size));
    SETS(o, "rules", s->rules_desc);
    ret = o;
    o = NULL;
_exit:
    json_decref(imgs);
    json_decref(o);
    return ret;
}

static json_t *j_count(size_t n)
{
    return j_u64((uint64_t)n);
}

/* One system found in the image: who it is (artifacts/hostid.h). */
static json_t *j_host(const ms_host *h)
{
    json_t *o = json_object(), *a = NULL, *x = NULL, *t, *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "volume", json_integer(h->volume));
    SET(o, "hostname", plain_str(h->hostname));
    SET(o, "hostname_source", plain_str(h->hostname_source));
    SET(o, "os_pretty_name", plain_str(h->os_pretty_name));
    SET(o, "os_id", plain_str(h->os_id));
    SET(o, "os_version_id", plain_str(h->os_version_id));
    SET(o, "machine_id", plain_str(h->machine_id));
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < h->naddrs; i++) {
        if (!(x = json_object()))
            goto _exit;
        SET(x, "address", plain_str(h->addrs[i].addr));
        SET(x, "interface", plain_str(h->addrs[i].iface));
        SET(x, "source", plain_str(h->addrs[i].source));
        t = x;
        x = NULL;
        APPEND(a, t);
    }
    t = a;
    a = NULL;
    SET(o, "addresses", t);
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < h->nkeys; i++) {
        if (!(x = json_object()))
            goto _exit;
        SET(x, "path", plain_str(h->keys[i].path));
        SET(x, "type", plain_str(h->keys[i].type));
        SET(x, "bits", json_integer(h->keys[i].bits));
        SET(x, "fingerprint", plain_str(h->keys[i].fingerprint));
        SET(x, "label", plain_str(h->keys[i].label));
        t = x;
        x = NULL;
        APPEND(a, t);
    }
    t = a;
    a = NULL;
    SET(o, "ssh_host_keys", t);
    ret = o;
    o = NULL;
_exit:
    json_decref(x);
    json_decref(a);
    json_decref(o);
    return ret;
}

static json_t *j_hosts(const ms_scan *s)
{
    json_t *a = json_array(), *ret = NULL;
    if (!a)
        return NULL;
    for (size_t i = 0; i < s->nhosts; i++)
        APPEND(a, j_host(&s->hosts[i]));
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    return ret;
}

static json_t *j_hexmap(const char hex[MS_HASH_COUNT][65], int present);

/* Who this evidence is, for recognising one image across results: the
 * paths as given, every file read (with its size), the format, the
 * media size and, with --hash, the media hashes. */
static json_t *j_image(const ms_scan *s)
{
    json_t *o = json_object(), *a = NULL, *x = NULL, *t, *ret = NULL;
    if (!o)
        return NULL;
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < s->nimages; i++)
        APPEND(a, plain_str(s->images[i]));
    t = a;
    a = NULL;
    SET(o, "paths", t);
    SETS(o, "format", s->image_type);
    SET(o, "media_size", j_u64(s->image_size));
    SET(o, "sector_size", json_integer(s->sector_size));
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < s->nsegments; i++) {
        if (!(x = json_object()))
            goto _exit;
        SET(x, "path", plain_str(s->segments[i].path));
        SET(x, "size", j_u64(s->segments[i].size));
        t = x;
        x = NULL;
        APPEND(a, t);
    }
    t = a;
    a = NULL;
    SET(o, "segments", t);
    SET(o, "media_hashes", j_hexmap(s->integrity.computed_hex,
                                    s->integrity.computed));
    ret = o;
    o = NULL;
_exit:
    json_decref(x);
    json_decref(a);
    json_decref(o);
    return ret;
}

static json_t *j_summary(const ms_summary *m)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "verdict", json_string(m->verdict ? m->verdict : "incomplete"));
    SET(o, "malicious", j_count(m->malicious));
    SET(o, "suspicious", j_count(m->suspicious));
    SET(o, "files_examined", j_count(m->files_examined));
    SET(o, "cron_jobs", j_count(m->cron_jobs));
    SET(o, "every_15_min_jobs", j_count(m->every_15_min_jobs));
    SET(o, "volumes_examined", j_count(m->volumes_examined));
    SET(o, "volumes_not_examined", j_count(m->volumes_not_examined));
    SET(o, "temp_entries", j_count(m->temp_entries));
    SET(o, "temp_deleted_entries", j_count(m->temp_deleted));
    SET(o, "exit_status", json_integer(m->exit_status));
    SET(o, "cron_findings", j_count(m->cron_findings));
    SET(o, "integrity_mismatch", json_boolean(m->integrity_mismatch));
    SET(o, "evidence_incomplete", json_boolean(m->evidence_incomplete));
    SET(o, "unreadable_bytes", j_u64(m->unreadable_bytes));
    SET(o, "locations_read", j_count(m->locations_read));
    SET(o, "locations_absent", j_count(m->locations_absent));
    SET(o, "locations_not_read", j_count(m->locations_not_read));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_volume(const ms_volume *v)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "index", json_integer(v->index));
    SET(o, "offset", j_u64(v->offset));
    SET(o, "length", j_u64(v->length));
    SETS(o, "vs_type", v->vs_type);
    SETS(o, "description", v->desc);
    SET(o, "slot", v->slot >= 0 ? json_integer(v->slot) : json_null());
    SETS(o, "fs_type", v->fs_type);
    SET(o, "state", json_string(ms_report_vol_state_name(v->state)));
    SETS(o, "note", v->note);
    SETS(o, "stack", v->stack);
    SETS(o, "uuid", v->uuid);
    SETS(o, "label", v->label);
    SETS(o, "mount_point", v->mount_point);
    SET(o, "partial", json_boolean(v->partial));
    /* the server's mount table (docs/json-format.md, "Systems") */
    SETS(o, "lvm_vg", v->lvm_vg);
    SETS(o, "lvm_lv", v->lvm_lv);
    SETS(o, "part_uuid", v->part_uuid);
    SETS(o, "part_label", v->part_label);
    SETS(o, "fstab_line", v->fstab_line);
    SETS(o, "mount_source", v->mount_source);
    SETS(o, "mount_how", v->mount_how);
    /* ext superblock times, what TIME_AFTER_FS_LAST_WRITE compares with */
    SET(o, "fs_last_write", v->fs_last_write > 0
        ? j_time_raw(v->fs_last_write, 0) : json_null());
    SET(o, "fs_last_mount", v->fs_last_mount > 0
        ? j_time_raw(v->fs_last_mount, 0) : json_null());
    SET(o, "fs_clean", v->fs_last_write > 0 ? json_boolean(v->fs_clean)
                                            : json_null());
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_reason(const ms_reason *r);

/* One system: its root volume, where its layout came from, and every
 * mount-table entry with what it was mapped to. */
static json_t *j_system(const ms_system *sy)
{
    json_t *o = json_object(), *a = json_array(), *ret = NULL;
    if (!o || !a)
        goto _exit;
    SET(o, "root_volume", json_integer(sy->root_volume));
    SETS(o, "layout", sy->layout);
    for (size_t i = 0; i < sy->nmounts; i++) {
        const ms_mount *m = &sy->mounts[i];
        json_t *e = json_object();
        if (!e || json_array_append_new(a, e))
            goto _exit;
        SETS(e, "mount_point", m->mount_point);
        SETS(e, "spec", m->spec);
        SETS(e, "fs_type", m->fs_type);
        SETS(e, "options", m->options);
        SET(e, "status", json_string(ms_mount_status_name(m->status)));
        SET(e, "volume", m->volume >= 0 ? json_integer(m->volume)
                                         : json_null());
        SETS(e, "note", m->note);
        SETS(e, "source", m->source);
        SET(e, "line", m->line ? json_integer(m->line) : json_null());
        SETS(e, "text", m->text);
    }
    SET(o, "mounts", a);
    a = NULL;
    ret = o;
    o = NULL;
_exit:
    json_decref(a);
    json_decref(o);
    return ret;
}

static json_t *j_systems(const ms_scan *s)
{
    json_t *a = json_array(), *ret = NULL;
    if (!a)
        return NULL;
    for (size_t i = 0; i < s->nsystems; i++)
        APPEND(a, j_system(&s->systems[i]));
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    return ret;
}

/* Reasons of a crontab or cron job (network indicators in its text). */
static json_t *j_reasons(const ms_reason *r, size_t n)
{
    json_t *a = json_array(), *ret = NULL;
    if (!a)
        return NULL;
    for (size_t i = 0; i < n; i++)
        APPEND(a, j_reason(&r[i]));
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    return ret;
}

/* How deleted content was recovered, or null. */
static json_t *j_recovery(enum ms_recovery_method method, const char *how,
                          enum ms_certainty cert, uint64_t size)
{
    if (!how)
        return json_null();
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "method", json_string(ms_recovery_method_name(method)));
    SETS(o, "provenance", how);
    SET(o, "certainty", json_string(ms_report_certainty_name(cert)));
    if (size)
        SET(o, "size", j_u64(size));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* {method, certainty} of a record whose source was recovered. */
static json_t *j_recovery_short(enum ms_recovery_method m,
                                enum ms_certainty cert)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "method", json_string(ms_recovery_method_name(m)));
    SET(o, "certainty", json_string(ms_report_certainty_name(cert)));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* Every line cron rejects, individually. */
static json_t *j_rejected(const ms_crontab *c)
{
    json_t *a = json_array(), *o = NULL;
    if (!a)
        return NULL;
    for (size_t i = 0; i < c->nrejected; i++) {
        const ms_cron_rejected *r = &c->rejected[i];
        if (!(o = json_object()))
            goto _exit;
        SET(o, "line", json_integer(r->line));
        SET(o, "offset", j_u64(r->offset));
        SETS(o, "reason", r->reason ? r->reason : "");
        json_t *item = o;
        o = NULL;            /* APPEND steals it, even on failure */
        APPEND(a, item);
    }
    return a;
_exit:
    json_decref(o);
    json_decref(a);
    return NULL;
}

static json_t *j_crontab(const ms_crontab *c, size_t index)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "index", j_count(index));
    SET(o, "volume", json_integer(c->file.volume));
    SETS(o, "path", c->file.path);
    SET(o, "inode", j_inode(&c->file));
    SET(o, "deleted", json_boolean(c->file.deleted));
    SET(o, "system", json_boolean(c->system));
    SETS(o, "owner", c->owner);
    SET(o, "readable", json_boolean(c->readable));
    SETS(o, "note", c->note);
    SET(o, "recovery", j_recovery(c->recovery_method, c->recovery,
                                  c->recovery_certainty, 0));
    SET(o, "size", j_u64(c->file.size));
    SET(o, "times", j_times(&c->file));
    SET(o, "reasons", j_reasons(c->reasons, c->nreasons));
    SETS(o, "dialect", c->dialect);
    SETS(o, "dialect_evidence", c->dialect_why);
    SET(o, "rejected_lines", j_rejected(c));
    SET(o, "rejected_lines_total", j_u64(c->rejected_total));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_program(const ms_scan *s, const ms_program *p)
{
    json_t *o = json_object(), *ret = NULL;
    int has_file = p->file_index >= 0 && (size_t)p->file_index < s->nfiles;
    if (!o)
        return NULL;
    SETS(o, "as_written", p->as_written ? p->as_written : "");
    SETS(o, "resolved", p->resolved);
    SET(o, "status", json_string(ms_report_prog_status_name(p->status)));
    SETS(o, "note", p->note);
    SET(o, "file", has_file ? json_integer(p->file_index) : json_null());
    SET(o, "guarded", json_boolean(p->guarded));
    SET(o, "via_stdin", json_boolean(p->via_stdin));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* The record of a job, which holds the reasons the verdicts gave it. */
static const ms_persistence *job_record(const ms_scan *s, const ms_cronjob *j)
{
    if (j->persistence < 0 || (size_t)j->persistence >= s->npersistence)
        return NULL;
    const ms_persistence *p = &s->persistence[j->persistence];
    return p->kind_index >= 0 && (size_t)p->kind_index < s->njobs &&
           &s->jobs[p->kind_index] == j ? p : NULL;
}

static json_t *j_job(const ms_scan *s, const ms_cronjob *j)
{
    const ms_persistence *rec = job_record(s, j);
    json_t *o = json_object(), *progs = NULL, *ret = NULL;
    const ms_crontab *ct = (j->crontab >= 0 && (size_t)j->crontab <
                            s->ncrontabs) ? &s->crontabs[j->crontab] : NULL;
    if (!o)
        return NULL;
    SET(o, "crontab", ct ? json_integer(j->crontab) : json_null());
    SET(o, "volume", json_integer(ct ? ct->file.volume : -1));
    SETS(o, "file", ct ? ct->file.path : NULL);
    SET(o, "line", json_integer(j->line));
    SETS(o, "user", j->user);
    SETS(o, "schedule", j->schedule ? j->schedule : "");
    SETS(o, "schedule_words", j->schedule_words ? j->schedule_words : "");
    SET(o, "every_15_minutes", json_boolean(j->every_15_min));
    SET(o, "reboot", json_boolean(j->reboot));
    SET(o, "recovered_from_journal", json_boolean(ct && ct->recovery));
    SETS(o, "command", j->command ? j->command : "");
    SETS(o, "stdin", j->input);
    SETS(o, "time_zone", j->time_zone);
    SETS(o, "dialect_note", j->dialect_note);
    SET(o, "offset", j_u64(j->offset));
    SETS(o, "environment", j->environment);
    SETS(o, "timer", j->timer);
    progs = json_array();
    if (!progs)
        goto _exit;
    for (size_t i = 0; i < j->nprograms; i++)
        APPEND(progs, j_program(s, &j->programs[i]));
    SET(o, "programs", progs);
    progs = NULL;
    SET(o, "reasons", rec ? j_reasons(rec->reasons, rec->nreasons)
                          : j_reasons(j->reasons, j->nreasons));
    ret = o;
    o = NULL;
_exit:
    json_decref(progs);
    json_decref(o);
    return ret;
}

static json_t *j_origin(unsigned origin)
{
    json_t *a = json_array(), *ret = NULL;
    if (!a)
        return NULL;
    if (origin & MS_ORIGIN_CRON_PROGRAM)
        APPEND(a, json_string("cron_program"));
    if (origin & MS_ORIGIN_TEMP_DIR)
        APPEND(a, json_string("temp_dir"));
    if (origin & MS_ORIGIN_CARVE)
        APPEND(a, json_string("carve"));
    if (origin & MS_ORIGIN_WEBROOT)
        APPEND(a, json_string("webroot"));
    if (origin & MS_ORIGIN_SWEEP)
        APPEND(a, json_string("sweep"));
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    return ret;
}

static json_t *j_elf(const ms_elfinfo *e)
{
    json_t *o, *ret = NULL;
    if (!e->valid)
        return json_null();
    o = json_object();
    if (!o)
        return NULL;
    SET(o, "class", json_integer(e->elf_class));
    SET(o, "endian", json_string(e->big_endian ? "big" : "little"));
    SET(o, "type", json_integer(e->etype));
    SET(o, "machine", json_integer(e->machine));
    SETS(o, "machine_name", e->machine_name ? e->machine_name : "unknown");
    SET(o, "osabi", json_integer(e->osabi));
    SETS(o, "osabi_name", e->osabi_name ? e->osabi_name : "unknown");
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* The hash fields are fixed arrays filled by the scan; bound the read in
 * case one was left without its NUL. */
static int set_hash(json_t *o, const char *key, const char *h, size_t cap)
{
    char *s = ms_strndup(h, strnlen(h, cap));
    int rc = s ? set_str(o, key, s) : -1;
    free(s);
    return rc;
}

static json_t *j_hashes(const ms_file *f)
{
    json_t *o, *ret = NULL;
    if (strnlen(f->md5, sizeof f->md5) == 0)
        return json_null(); /* content never read */
    o = json_object();
    if (!o)
        return NULL;
    if (set_hash(o, "md5", f->md5, sizeof f->md5) ||
        set_hash(o, "sha1", f->sha1, sizeof f->sha1) ||
        set_hash(o, "sha256", f->sha256, sizeof f->sha256))
        goto _exit;
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_match(const ms_yara_match *m)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SETS(o, "rule", m->rule ? m->rule : "");
    SETS(o, "namespace", m->ns ? m->ns : "");
    SETS(o, "string", m->string_id);
    SET(o, "offset", j_u64(m->offset));
    SETS(o, "data", m->data_hex ? m->data_hex : "");
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* A reason's evidence as fields: only those it has. */
static json_t *j_reason_ev(const ms_reason_ev *e)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    if (e->rule)
        SETS(o, "rule", e->rule);
    if (e->ns)
        SETS(o, "namespace", e->ns);
    if (e->has_offset)
        SET(o, "offset", j_u64(e->offset));
    if (e->source_path)
        SETS(o, "source", e->source_path);
    if (e->source_line)
        SET(o, "line", json_integer(e->source_line));
    if (e->ioc_type)
        SETS(o, "indicator_type", e->ioc_type);
    if (e->ioc_value)
        SETS(o, "indicator", e->ioc_value);
    if (e->recovery_method != MS_RECOV_NONE) {
        SET(o, "recovery_method",
            json_string(ms_recovery_method_name(e->recovery_method)));
        SET(o, "certainty",
            json_string(ms_report_certainty_name(e->certainty)));
    }
    if (e->has_file)
        SET(o, "file", j_count(e->file_id));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_reason(const ms_reason *r)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SETS(o, "code", r->code ? r->code : "UNKNOWN");
    SET(o, "severity", json_string(ms_report_severity_name(r->severity)));
    SETS(o, "text", r->text ? r->text : "");
    SET(o, "evidence", j_reason_ev(&r->ev));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* Fields of FILE after "times"; split out only to keep functions short. */
static int add_detection(json_t *o, const ms_file *f)
{
    json_t *a = json_array();
    if (!a || json_object_set_new(o, "yara", a))
        return -1;
    for (size_t i = 0; i < f->nmatches; i++)
        if (json_array_append_new(a, j_match(&f->matches[i])))
            return -1;
    if (json_object_set_new(o, "verdict",
                            json_string(ms_report_verdict_name(f->verdict))))
        return -1;
    a = json_array();
    if (!a || json_object_set_new(o, "reasons", a))
        return -1;
    for (size_t i = 0; i < f->nreasons; i++)
        if (json_array_append_new(a, j_reason(&f->reasons[i])))
            return -1;
    return 0;
}

static json_t *j_indicator(const ms_indicator *x)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "type", json_string(ms_ioc_type_name(x->type)));
    SETS(o, "value", x->value ? x->value : "");
    SET(o, "class", json_string(ms_ioc_class_name(x->cls)));
    SET(o, "decoy", json_boolean(x->cls == MS_IOC_DECOY));
    SET(o, "offset", j_u64(x->offset));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* Lists of the unpack result: features, indicators, script YARA hits. */
static int add_unpacked_lists(json_t *o, const ms_unpacked *u)
{
    json_t *a = json_array();
    if (!a || json_object_set_new(o, "features", a))
        return -1;
    for (size_t i = 0; i < u->nfeatures; i++)
        if (json_array_append_new(a, json_string(u->features[i])))
            return -1;
    a = json_array();
    if (!a || json_object_set_new(o, "indicators", a))
        return -1;
    for (size_t i = 0; i < u->nindicators; i++)
        if (json_array_append_new(a, j_indicator(&u->indicators[i])))
            return -1;
    if (json_object_set_new(o, "indicators_truncated",
                            json_boolean(u->indicators_truncated)))
        return -1;
    a = json_array();
    if (!a || json_object_set_new(o, "yara", a))
        return -1;
    for (size_t i = 0; i < u->nmatches; i++)
        if (json_array_append_new(a, j_match(&u->matches[i])))
            return -1;
    return 0;
}

/* "unpacked": null unless a packer rule matched the file. */
static json_t *j_unpacked(const ms_unpacked *u)
{
    json_t *o, *ret = NULL;
    if (!u)
        return json_null();
    o = json_object();
    if (!o)
        return NULL;
    SET(o, "status", json_string(u->ok ? "unpacked" : "failed"));
    SETS(o, "method", u->ok ? u->method : NULL);
    SETS(o, "failure", u->failure);
    SET(o, "key", json_integer(u->key));
    SET(o, "limit", json_integer(u->limit));
    SET(o, "wrap", json_integer(u->wrap));
    SET(o, "step", json_integer(u->step));
    SET(o, "routine_offset", j_u64(u->routine_offset));
    SET(o, "calls", j_count(u->calls));
    SETS(o, "interpreter", u->ok ? u->interpreter : NULL);
    SET(o, "script_offset", u->ok ? j_u64(u->script_offset) : json_null());
    SET(o, "script_size", u->ok ? j_u64(u->script_size) : json_null());
    SETS(o, "sha256", u->ok ? u->sha256 : NULL);
    SET(o, "kind", u->ok ? json_string(ms_script_kind_name(u->kind))
                         : json_null());
    if (add_unpacked_lists(o, u))
        goto _exit;
    SETS(o, "extracted", u->extracted);
    SETS(o, "extract_note", u->extract_note);
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_file(const ms_file *f, size_t id)
{
    const ms_fileref *r = &f->ref;
    json_t *o = json_object(), *ret = NULL;
    char mode[8];
    if (!o)
        return NULL;
    snprintf(mode, sizeof mode, "%04o", (unsigned)(r->mode & 07777));
    SET(o, "id", j_count(id));
    SET(o, "volume", json_integer(r->volume));
    SETS(o, "path", r->path ? r->path : "");
    SET(o, "inode", j_inode(r));
    SET(o, "deleted", json_boolean(r->deleted));
    SET(o, "missing", json_boolean(f->missing));
    SET(o, "type", json_string(ms_report_ftype_name(r->type)));
    SET(o, "mode", json_string(mode));
    SET(o, "uid", json_integer(r->uid));
    SET(o, "gid", json_integer(r->gid));
    SET(o, "size", j_u64(r->size));
    SET(o, "origin", j_origin(f->origin));
    SET(o, "executable", json_boolean(f->executable));
    SET(o, "referenced_by_cron", json_boolean(f->referenced));
    SET(o, "name_score", json_integer(f->name_score));
    SET(o, "content", json_string(ms_report_content_state(f)));
    SETS(o, "content_note", f->content_note);
    SET(o, "partial", json_boolean(f->partial));
    SET(o, "recovery", j_recovery(f->recovery_method, f->recovery,
                                  f->recovery_certainty, f->recovered_size));
    if (f->origin & MS_ORIGIN_CARVE) {
        SET(o, "carve_block", j_u64(f->carve_block));
        SET(o, "carve_image_offset", j_u64(f->carve_image_offset));
    }
    SETS(o, "magic", f->magic);
    SET(o, "elf", j_elf(&f->elf));
    SET(o, "hashes", j_hashes(f));
    SET(o, "times", j_times(r));
    if (add_detection(o, f))
        goto _exit;
    SET(o, "unpacked", j_unpacked(f->unpacked));
    SET(o, "times_unreliable", ms_json_times_unreliable(f->times_unreliable));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_tl_entry(const ms_tl_entry *t)
{
    json_t *o = json_object(), *ret = NULL;
    char ev[2] = { t->event, '\0' };
    if (!o)
        return NULL;
    SET(o, "time", j_time_raw(t->sec, t->nsec));
    SET(o, "event", json_string(ev));
    SET(o, "volume", json_integer(t->volume));
    SETS(o, "path", t->path);
    SET(o, "inode", t->has_inode ? j_u64(t->inode) : json_null());
    SET(o, "source", json_string(t->source));
    SET(o, "recovered", t->recovered ? json_string(t->recovered) : json_null());
    SET(o, "verdict", t->verdict < 0 ? json_null()
                      : json_string(ms_report_verdict_name(t->verdict)));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_timeline(const ms_scan *s)
{
    ms_tl_entry *tl = NULL;
    size_t n = 0;
    json_t *a = NULL, *ret = NULL;

    if (ms_timeline_build(s, &tl, &n) != MS_OK)
        return NULL;
    a = json_array();
    if (!a)
        goto _exit;
    for (size_t i = 0; i < n; i++)
        APPEND(a, j_tl_entry(&tl[i]));
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    ms_timeline_free(tl);
    return ret;
}

/* ---- persistence records: every kind the same way -------------------- */

/* The bit numbers set in `bits` below `limit`, as an array. */
static json_t *j_bits(uint64_t bits, unsigned limit)
{
    json_t *a = json_array(), *ret = NULL;
    if (!a)
        return NULL;
    for (unsigned i = 0; i < limit; i++)
        if (bits & (UINT64_C(1) << i))
            APPEND(a, json_integer(i));
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    return ret;
}

static json_t *j_trigger(const ms_trigger *t)
{
    json_t *o = json_object(), *ret = NULL;
    int times = t->type == MS_TRIG_TIMES;
    if (!o)
        return NULL;
    SET(o, "type", json_string(ms_trigger_type_name(t->type)));
    SET(o, "minutes", times ? j_bits(t->minutes, 60) : json_null());
    SET(o, "hours", times ? j_bits(t->hours, 24) : json_null());
    SET(o, "every_day", times ? json_boolean(t->every_day) : json_null());
    SETS(o, "text", t->text);
    if (t->type == MS_TRIG_INTERVAL)
        SET(o, "interval_seconds", json_integer((json_int_t)t->interval_sec));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* Kind-specific details as [{key, value}], in the collector's order. */
static json_t *j_attrs(const ms_persistence *p)
{
    json_t *a = json_array(), *x = NULL, *t;
    if (!a)
        return NULL;
    for (size_t i = 0; i < p->nattrs; i++) {
        if (!(x = json_object()))
            goto _exit;
        SETS(x, "key", p->attrs[i].key ? p->attrs[i].key : "");
        SETS(x, "value", p->attrs[i].value ? p->attrs[i].value : "");
        t = x;
        x = NULL;
        APPEND(a, t);   /* steals t even on failure */
    }
    return a;
_exit:
    json_decref(x);
    json_decref(a);
    return NULL;
}

static json_t *j_persistence(const ms_scan *s, const ms_persistence *p,
                             size_t index)
{
    json_t *o = json_object(), *progs = NULL, *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "index", j_count(index));
    SETS(o, "kind", p->kind ? p->kind : "unknown");
    SET(o, "volume", json_integer(p->source.volume));
    SETS(o, "source", p->source.path);
    SET(o, "inode", j_inode(&p->source));
    SET(o, "deleted", json_boolean(p->source.deleted));
    SET(o, "line", p->line ? json_integer(p->line) : json_null());
    SET(o, "offset", p->line ? j_u64(p->offset) : json_null());
    SETS(o, "user", p->user);
    SET(o, "trigger", j_trigger(&p->trigger));
    SET(o, "every_15_minutes",
        json_boolean(ms_trigger_every(&p->trigger, 15)));
    SET(o, "at_boot", json_boolean(p->trigger.type == MS_TRIG_BOOT));
    SETS(o, "schedule", p->schedule);
    SETS(o, "schedule_words", p->schedule_words);
    SETS(o, "command", p->command);
    if (!(progs = json_array()))
        goto _exit;
    for (size_t i = 0; i < p->nprograms; i++)
        APPEND(progs, j_program(s, &p->programs[i]));
    SET(o, "programs", progs);
    progs = NULL;
    SET(o, "attributes", j_attrs(p));
    SET(o, "recovery", p->recovery_method == MS_RECOV_NONE ? json_null()
        : j_recovery_short(p->recovery_method, p->recovery_certainty));
    SET(o, "reasons", j_reasons(p->reasons, p->nreasons));
    ret = o;
    o = NULL;
_exit:
    json_decref(progs);
    json_decref(o);
    return ret;
}

/* findings (flagged == 1) or examined (flagged == 0) files. */
static json_t *j_files(const ms_scan *s, int flagged)
{
    json_t *a = json_array(), *ret = NULL;
    if (!a)
        return NULL;
    for (size_t i = 0; i < s->nfiles; i++) {
        const ms_file *f = &s->files[i];
        if ((f->verdict >= MS_SEV_SUSPICIOUS) == flagged)
            APPEND(a, j_file(f, i));
    }
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    return ret;
}

enum list_kind { L_VOLUMES, L_CRONTABS, L_JOBS, L_ERRORS, L_PERSISTENCE };

static json_t *j_list(const ms_scan *s, enum list_kind which)
{
    json_t *a = json_array(), *ret = NULL;
    if (!a)
        return NULL;
    if (which == L_VOLUMES)
        for (size_t i = 0; i < s->nvolumes; i++)
            APPEND(a, j_volume(&s->volumes[i]));
    else if (which == L_CRONTABS)
        for (size_t i = 0; i < s->ncrontabs; i++)
            APPEND(a, j_crontab(&s->crontabs[i], i));
    else if (which == L_JOBS)
        for (size_t i = 0; i < s->njobs; i++)
            APPEND(a, j_job(s, &s->jobs[i]));
    else if (which == L_PERSISTENCE)
        for (size_t i = 0; i < s->npersistence; i++)
            APPEND(a, j_persistence(s, &s->persistence[i], i));
    else
        for (size_t i = 0; i < s->nerrors; i++)
            APPEND(a, plain_str(s->errors[i]));
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    return ret;
}

/* ---- case, evidence integrity, provenance ---------------------------- */

static json_t *j_case(const ms_case_info *c)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SETS(o, "case", c->case_id);
    SETS(o, "examiner", c->examiner);
    SETS(o, "evidence_id", c->evidence_id);
    SETS(o, "notes", c->notes);
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_hexmap(const char hex[MS_HASH_COUNT][65], int present)
{
    json_t *o, *ret = NULL;
    if (!present)
        return json_null();
    if (!(o = json_object()))
        return NULL;
    for (int a = 0; a < MS_HASH_COUNT; a++)
        SET(o, ms_hash_algo_key(a), hex[a][0]
            ? json_stringn(hex[a], strnlen(hex[a], 64)) : json_null());
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_evidence(const ms_scan *s)
{
    const ms_integrity *ig = &s->integrity;
    json_t *o = json_object(), *chk = NULL, *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "opened_read_only", json_true());
    SET(o, "hash_requested", json_boolean(ig->requested));
    int media = ig->computed && ig->hashed_what &&
                !strcmp(ig->hashed_what, "media");
    SET(o, "media_bytes_hashed", media ? j_u64(ig->bytes_hashed)
                                       : json_null());
    SETS(o, "hashed_what", ig->computed ? ig->hashed_what : NULL);
    SET(o, "bytes_hashed", ig->computed ? j_u64(ig->bytes_hashed)
                                        : json_null());
    SET(o, "computed", j_hexmap(ig->computed_hex, ig->computed));
    SET(o, "stored", j_hexmap(ig->stored_hex, ig->stored_checked));
    if (!(chk = json_object()))
        goto _exit;
    for (int a = 0; a < MS_HASH_COUNT; a++)
        if (json_object_set_new(chk, ms_hash_algo_key(a),
                                json_string(ms_hash_check_name(ig->check[a]))))
            goto _exit;
    json_t *c = chk;
    chk = NULL;
    SET(o, "check", c);
    SET(o, "integrity", json_string(ms_integrity_state(ig)));
    SETS(o, "note", ig->note);
    ret = o;
    o = NULL;
_exit:
    json_decref(chk);
    json_decref(o);
    return ret;
}

static json_t *j_provenance(const ms_provenance *p)
{
    json_t *o = json_object(), *a = NULL, *x = NULL, *t, *ret = NULL;
    if (!o)
        return NULL;
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < p->nlibs; i++) {
        if (!(x = json_object()))
            goto _exit;
        SETS(x, "name", p->libs[i].name);
        SETS(x, "version", p->libs[i].version);
        t = x;
        x = NULL;
        APPEND(a, t); /* steals t even on failure */
    }
    t = a;
    a = NULL;
    SET(o, "libraries", t);
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < p->nrules; i++) {
        if (!(x = json_object()))
            goto _exit;
        SETS(x, "path", p->rules[i].path);
        SETS(x, "sha256", p->rules[i].sha256);
        SETS(x, "namespace", p->rules[i].ns);
        t = x;
        x = NULL;
        APPEND(a, t);
    }
    t = a;
    a = NULL;
    SET(o, "rule_files", t);
    SETS(o, "command_line", p->command_line);
    SETS(o, "host", p->host);
    ret = o;
    o = NULL;
_exit:
    json_decref(x);
    json_decref(a);
    json_decref(o);
    return ret;
}

/* Damaged or truncated evidence: the ranges that could not be read. */
static json_t *j_unreadable(const ms_scan *s)
{
    json_t *o = json_object(), *a = json_array(), *ret = NULL;
    json_t *r = NULL, *vs = NULL, *fs = NULL, *fo = NULL, *t;
    if (!o || !a)
        goto _exit;
    for (size_t i = 0; i < s->nunreadable; i++) {
        const ms_unreadable *u = &s->unreadable[i];
        if (!(r = json_object()) || !(vs = json_array()) ||
            !(fs = json_array()))
            goto _exit;
        SET(r, "offset", j_u64(u->offset));
        SET(r, "length", j_u64(u->length));
        SET(r, "cause", json_string(u->cause ? u->cause : "unreadable"));
        for (size_t k = 0; k < u->nvolumes; k++)
            APPEND(vs, json_integer(u->volumes[k]));
        for (size_t k = 0; k < u->nfiles; k++) {
            if (u->files[k] >= s->nfiles)
                continue;
            const ms_file *f = &s->files[u->files[k]];
            if (!(fo = json_object()))
                goto _exit;
            SET(fo, "id", j_count(u->files[k]));
            SET(fo, "volume", json_integer(f->ref.volume));
            SETS(fo, "path", f->ref.path ? f->ref.path : "");
            t = fo;             /* *_new steal even on failure */
            fo = NULL;
            APPEND(fs, t);
        }
        t = vs;
        vs = NULL;
        SET(r, "volumes", t);
        t = fs;
        fs = NULL;
        SET(r, "files", t);
        t = r;
        r = NULL;
        APPEND(a, t);
    }
    SET(o, "evidence_incomplete", json_boolean(s->evidence_incomplete));
    SET(o, "coarsened", json_boolean(s->unreadable_coarsened));
    t = a;
    a = NULL;
    SET(o, "ranges", t);
    ret = o;
    o = NULL;
_exit:
    json_decref(fo);
    json_decref(fs);
    json_decref(vs);
    json_decref(r);
    json_decref(a);
    json_decref(o);
    return ret;
}

static json_t *j_sweep_skip(const ms_sweep_skip *k)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "volume", json_integer(k->volume));
    SET(o, "inode", j_u64(k->inode));
    SETS(o, "path", k->path);
    SET(o, "size", j_u64(k->size));
    SET(o, "reason", json_string(k->reason));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* --sweep: what was scanned, counted; what a limit kept from being
 * scanned, listed (docs/json-format.md).  null without --sweep. */
static json_t *j_sweep(const ms_scan *s)
{
    const ms_sweep_stats *w = s->sweep;
    json_t *o, *a = NULL, *ret = NULL;
    if (!w)
        return json_null();
    if (!(o = json_object()))
        return NULL;
    SET(o, "mode", json_string(w->mode == MS_SWEEP_EXECUTABLES
                                   ? "executables" : "all"));
    SET(o, "workers", json_integer(w->workers));
    SET(o, "max_file", j_u64(w->max_file));
    SET(o, "timeout_seconds", json_integer(w->timeout_s));
    SET(o, "files_seen", j_u64(w->files_seen));
    SET(o, "files_scanned", j_u64(w->files_scanned));
    SET(o, "bytes_scanned", j_u64(w->bytes_scanned));
    SET(o, "deleted_scanned", j_u64(w->deleted_scanned));
    SET(o, "deleted_unrecoverable", j_u64(w->deleted_unrecoverable));
    SET(o, "not_selected", j_u64(w->files_not_selected));
    SET(o, "empty", j_u64(w->empty));
    SET(o, "info_only", j_u64(w->info_only));
    SET(o, "hits", j_u64(w->hits));
    SET(o, "hits_not_recorded", j_u64(w->hits_not_recorded));
    SET(o, "directories", j_u64(w->dirs));
    SET(o, "directories_not_listed", j_u64(w->dirs_not_listed));
    SET(o, "skipped_total", j_u64(w->skipped_total));
    SET(o, "skipped_bound", j_u64(w->skipped_bound));
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < w->nskipped; i++)
        APPEND(a, j_sweep_skip(&w->skipped[i]));
    SET(o, "skipped", a);
    a = NULL;
    ret = o;
    o = NULL;
_exit:
    json_decref(a);
    json_decref(o);
    return ret;
}

/* Every triage location looked for, per system (docs/json-format.md). */
static json_t *j_coverage(const ms_scan *s)
{
    json_t *a = json_array(), *o = NULL, *ret = NULL, *t;
    if (!a)
        return NULL;
    for (size_t i = 0; i < s->ncoverage; i++) {
        const ms_coverage *c = &s->coverage[i];
        if (!(o = json_object()))
            goto _exit;
        SET(o, "system_volume", json_integer(c->system_volume));
        SET(o, "volume", json_integer(c->volume));
        SET(o, "kind", json_string(c->kind ? c->kind : "location"));
        if (set_str(o, "path", c->path) || set_str(o, "resolved", c->resolved))
            goto _exit;
        SET(o, "state", json_string(ms_cov_state_name(c->state)));
        if (set_str(o, "reason", c->reason))
            goto _exit;
        SET(o, "inode", c->has_inode ? j_u64(c->inode) : json_null());
        SET(o, "entries", j_u64(c->entries));
        t = o;
        o = NULL;
        APPEND(a, t);
    }
    ret = a;
    a = NULL;
_exit:
    json_decref(o);
    json_decref(a);
    return ret;
}

static json_t *j_report(const ms_scan *s, const char *version,
                        const ms_summary *sum)
{
    json_t *o = json_object(), *ret = NULL;
    char *alert = NULL;
    if (!o)
        return NULL;
    /* A stored-hash mismatch is the first thing a reader sees. */
    if ((alert = ms_report_integrity_alert(s)) != NULL)
        SET(o, "integrity_alert", json_string(alert));
    free(alert);
    if ((alert = ms_report_incomplete_alert(s)) != NULL)
        SET(o, "evidence_alert", json_string(alert));
    SET(o, "schema_version", json_string(MS_JSON_SCHEMA_VERSION));
    SET(o, "tool", j_tool(version));
    SET(o, "image", j_image(s));
    SET(o, "scan", j_scan(s));
    SET(o, "hosts", j_hosts(s));
    SET(o, "summary", j_summary(sum));
    SET(o, "story", ms_hr_json_story(s));
    SET(o, "case", j_case(&s->case_info));
    SET(o, "evidence", j_evidence(s));
    SET(o, "provenance", j_provenance(&s->prov));
    SET(o, "volumes", j_list(s, L_VOLUMES));
    SET(o, "crontabs", j_list(s, L_CRONTABS));
    SET(o, "cron_jobs", j_list(s, L_JOBS));
    SET(o, "findings", j_files(s, 1));
    SET(o, "examined", j_files(s, 0));
    SET(o, "timeline", j_timeline(s));
    SET(o, "errors", j_list(s, L_ERRORS));
    /* last: the keys before it keep their stable order */
    SET(o, "unreadable", j_unreadable(s));
    SET(o, "systems", j_systems(s));
    /* schema 1.1: every persistence record, any kind */
    SET(o, "persistence", j_list(s, L_PERSISTENCE));
    SET(o, "execution_history", ms_hr_json_history(s));
    SET(o, "entry", ms_json_entry(s));
    SET(o, "sweep", j_sweep(s));
    SET(o, "coverage", j_coverage(s));
    ret = o;
    o = NULL;
_exit:
    free(alert);
    json_decref(o);
    return ret;
}

ms_err ms_report_json(FILE *out, const ms_report_ctx *ctx)
{
    ms_err e = MS_OK;
    json_t *root;

    if (!out || !ctx || !ctx->scan || !ctx->summary)
        return MS_ERR_ARG;
    root = j_report(ctx->scan, ctx->version, ctx->summary);
    if (!root)
        return MS_ERR_NOMEM;
    if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
        fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
        e = MS_ERR_IO;
    json_decref(root);
    return e;
}

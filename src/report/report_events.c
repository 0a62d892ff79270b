/* report_events.c - the event-list formats: Timesketch JSON Lines and CSV.
 *
 * Both hold one record per timeline event (timeline.h), joined with the
 * details of the file the event belongs to, so a spreadsheet or Timesketch
 * shows why a time matters without the JSON report beside it.  Contracts:
 * docs/json-format.md ("Timesketch" and "CSV"). */
#include "report/report.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_persist.h"
#include "common/ms_reasons.h"
#include "report/escape.h"
#include "report/history_report.h"
#include "report/timefmt.h"
#include "report/timeline.h"

/* Timesketch's own names for the time kinds. */
static const char *event_desc(char ev)
{
    switch (ev) {
    case 'm': return "Content Modification Time";
    case 'a': return "Last Access Time";
    case 'c': return "Metadata Modification Time";
    case 'b': return "Creation Time";
    case 'd': return "Deletion Time";
    }
    return "Unknown Time";
}

static const ms_file *entry_file(const ms_scan *s, const ms_tl_entry *t)
{
    return t->file_index >= 0 && (size_t)t->file_index < s->nfiles
           ? &s->files[t->file_index] : NULL;
}

/* "CODE;CODE" and "rule;rule" lists of a file (static strings and rule
 * names from our own rules; still escaped by the callers). */
/* How the entry's content was recovered (journal, carving), or NULL. */
static const char *entry_recovery(const ms_scan *s, const ms_tl_entry *t,
                                  enum ms_certainty *cert,
                                  enum ms_recovery_method *method)
{
    const ms_file *f = entry_file(s, t);
    if (f) {
        *cert = f->recovery_certainty;
        *method = f->recovery_method;
        return f->recovery;
    }
    if (t->crontab_index >= 0 && (size_t)t->crontab_index < s->ncrontabs) {
        *cert = s->crontabs[t->crontab_index].recovery_certainty;
        *method = s->crontabs[t->crontab_index].recovery_method;
        return s->crontabs[t->crontab_index].recovery;
    }
    return NULL;
}

static char *codes_of(const ms_reason *r, size_t n)
{
    ms_buf b = { 0 };
    for (size_t i = 0; r && i < n; i++)
        ms_buf_printf(&b, "%s%s", i ? ";" : "",
                      r[i].code ? r[i].code : "UNKNOWN");
    return b.data ? ms_buf_steal(&b) : ms_strdup("");
}

static char *reason_codes(const ms_file *f)
{
    return f ? codes_of(f->reasons, f->nreasons) : ms_strdup("");
}

/* A persistence record in one line of words, for the CSV details and the
 * Timesketch message: "line N: trigger; runs COMMAND; programs: P
 * (status); key: value". */
static char *persist_details(const ms_persistence *p)
{
    ms_buf b = { 0 };
    ms_buf_printf(&b, "line %u: %s", p->line,
                  p->schedule_words ? p->schedule_words
                                    : ms_trigger_type_name(p->trigger.type));
    if (p->schedule)
        ms_buf_printf(&b, " (%s)", p->schedule);
    if (ms_trigger_every(&p->trigger, 15))
        ms_buf_puts(&b, " [every 15 minutes]");
    if (p->user)
        ms_buf_printf(&b, "; user %s", p->user);
    if (p->command)
        ms_buf_printf(&b, "; runs %s", p->command);
    for (size_t i = 0; i < p->nprograms; i++)
        ms_buf_printf(&b, "%s%s (%s)", i ? ", " : "; programs: ",
                      p->programs[i].as_written ? p->programs[i].as_written
                                                : "",
                      ms_report_prog_status_name(p->programs[i].status));
    for (size_t i = 0; i < p->nattrs; i++)
        ms_buf_printf(&b, "; %s: %s", p->attrs[i].key ? p->attrs[i].key : "",
                      p->attrs[i].value ? p->attrs[i].value : "");
    return b.data ? ms_buf_steal(&b) : ms_strdup("");
}

static char *yara_rules(const ms_file *f)
{
    ms_buf b = { 0 };
    for (size_t i = 0; f && i < f->nmatches; i++) {
        const char *r = f->matches[i].rule ? f->matches[i].rule : "";
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = f->matches[j].rule && strcmp(f->matches[j].rule, r) == 0;
        if (!dup)
            ms_buf_printf(&b, "%s%s", b.len ? ";" : "", r);
    }
    return b.data ? ms_buf_steal(&b) : ms_strdup("");
}

/* ---- Timesketch ------------------------------------------------------- */

static json_t *ts_str(const char *s)
{
    size_t len = strlen(s);
    if (ms_utf8_valid(s, len)) {
        json_t *v = json_stringn(s, len);
        if (v)
            return v;
    }
    char *e = ms_escape_text(s, len); /* printable ASCII + valid UTF-8 */
    json_t *v = e ? json_string(e) : NULL;
    free(e);
    return v;
}

/* Case metadata on every event, so a mixed sketch still tells cases
 * apart; fields that were not given are left out. */
static int ts_case(json_t *o, const ms_scan *s)
{
    const ms_case_info *c = &s->case_info;
    const char *k[4] = { "case", "evidence_id", "examiner", "notes" };
    const char *v[4] = { c->case_id, c->evidence_id, c->examiner, c->notes };
    for (int i = 0; i < 4; i++)
        if (v[i] && json_object_set_new(o, k[i], ts_str(v[i])))
            return -1;
    return 0;
}

#define TSET(o, k, v) \
    do { if (json_object_set_new((o), (k), (v))) goto _exit; } while (0)

/* Timesketch's datetime: ISO 8601 with an explicit offset and
 * microseconds (what it stores), cut from our nanosecond TIME
 * "...SS.nnnnnnnnnZ"; the full nanoseconds go in the `time` field.
 * Non-zero when iso is too short to be one of ours. */
static int ts_datetime(const char *iso, char dt[MS_TIME_BUFSZ + 8])
{
    size_t n = strlen(iso);
    if (n < 11)
        return -1;
    snprintf(dt, MS_TIME_BUFSZ + 8, "%.*s+00:00", (int)(n - 4), iso);
    return 0;
}

static json_t *ts_event(const ms_scan *s, const ms_tl_entry *t)
{
    const ms_file *f = entry_file(s, t);
    char iso[MS_TIME_BUFSZ], dt[MS_TIME_BUFSZ + 8];
    char *msg = NULL, *codes = reason_codes(f), *rules = yara_rules(f);
    const char *verdict = t->verdict < 0 ? "crontab"
                          : ms_report_verdict_name(t->verdict);
    json_t *o = json_object(), *ret = NULL;

    if (!o || !codes || !rules || ms_time_format(t->sec, t->nsec, iso) ||
        ts_datetime(iso, dt))
        goto _exit;
    msg = ms_asprintf("[%s] %s %s%s%s", verdict, event_desc(t->event),
                      t->path, *codes ? " - " : "", codes);
    if (!msg)
        goto _exit;
    TSET(o, "message", ts_str(msg));
    TSET(o, "datetime", json_string(dt));
    TSET(o, "timestamp_desc", json_string(event_desc(t->event)));
    /* microseconds since the epoch, floor */
    TSET(o, "timestamp", json_integer((json_int_t)(t->sec > INT64_MAX / 1000000
        || t->sec < INT64_MIN / 1000000 ? 0 : t->sec * 1000000 + t->nsec / 1000)));
    TSET(o, "time", json_string(iso));
    TSET(o, "event", json_stringn(&t->event, 1));
    TSET(o, "path", ts_str(t->path));
    TSET(o, "volume", json_integer(t->volume));
    TSET(o, "inode", t->has_inode ? json_integer((json_int_t)(t->inode &
                                                  INT64_MAX)) : json_null());
    TSET(o, "source", json_string(t->source));
    TSET(o, "verdict", json_string(verdict));
    TSET(o, "reasons", json_string(codes));
    TSET(o, "yara_rules", ts_str(rules));
    TSET(o, "sha256", f && f->sha256[0] ? json_stringn(f->sha256,
                      strnlen(f->sha256, 64)) : json_null());
    enum ms_certainty cert = MS_CERT_NONE;
    enum ms_recovery_method method = MS_RECOV_NONE;
    const char *rec = entry_recovery(s, t, &cert, &method);
    TSET(o, "recovery", rec ? ts_str(rec) : json_null());
    TSET(o, "recovery_certainty", rec ? json_string(ms_report_certainty_name(cert))
                                      : json_null());
    TSET(o, "recovery_method",
         rec ? json_string(ms_recovery_method_name(method)) : json_null());
    TSET(o, "data_type", json_string("mumblescan:file"));
    if (ts_case(o, s))
        goto _exit;
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    free(msg);
    free(codes);
    free(rules);
    return ret;
}

static ms_err ts_line(FILE *out, json_t *o)
{
    ms_err e = MS_OK;
    if (!o)
        return MS_ERR_NOMEM;
    if (json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
        fputc('\n', out) == EOF)
        e = MS_ERR_IO;
    json_decref(o);
    return e;
}

/* A stored-hash mismatch becomes the first line, dated at the scan start
 * (the moment it was observed). */
static json_t *ts_alert(const ms_scan *s, const char *alert)
{
    char iso[MS_TIME_BUFSZ], dt[MS_TIME_BUFSZ + 8];
    json_t *o = json_object(), *ret = NULL;
    if (!o || ms_time_format(s->started, 0, iso) || ts_datetime(iso, dt))
        goto _exit;
    TSET(o, "message", json_string(alert));
    TSET(o, "datetime", json_string(dt));
    TSET(o, "timestamp_desc", json_string("Integrity Check Time"));
    TSET(o, "timestamp", json_integer((json_int_t)s->started * 1000000));
    TSET(o, "time", json_string(iso));
    TSET(o, "verdict", json_string("integrity_failure"));
    TSET(o, "data_type", json_string("mumblescan:integrity"));
    if (ts_case(o, s))
        goto _exit;
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

/* The time fields of an event dated at a source file's mtime (`set`),
 * else at the scan start: 0, or -1 when out of memory. */
static int ts_dated(json_t *o, int set, int64_t sec, uint32_t nsec,
                    const char *iso, const char *dt)
{
    json_int_t us = sec > INT64_MAX / 1000000 || sec < INT64_MIN / 1000000
                        ? 0 : sec * 1000000 + nsec / 1000;
    if (json_object_set_new(o, "datetime", json_string(dt)) ||
        json_object_set_new(o, "timestamp_desc",
                            json_string(set ? "Content Modification Time"
                                            : "Scan Time")) ||
        json_object_set_new(o, "timestamp", json_integer(us)) ||
        json_object_set_new(o, "time", json_string(iso)))
        return -1;
    return 0;
}

/* A crontab line cron rejects, dated at the crontab's mtime
 * (when the line was last written at the latest), else the scan start. */
static json_t *ts_rejected(const ms_scan *s, const ms_crontab *ct,
                           const ms_cron_rejected *r)
{
    char iso[MS_TIME_BUFSZ], dt[MS_TIME_BUFSZ + 8];
    const ms_time *mt = &ct->file.times[MS_T_MTIME];
    int64_t sec = mt->set ? mt->sec : s->started;
    uint32_t nsec = mt->set ? mt->nsec : 0;
    json_t *o = json_object(), *ret = NULL;
    char *msg = NULL;
    if (!o || ms_time_format(sec, nsec, iso) || ts_datetime(iso, dt))
        goto _exit;
    msg = ms_asprintf("[cron_rejected_line] %s line %u (byte %llu): %s",
                      ct->file.path ? ct->file.path : "", r->line,
                      (unsigned long long)r->offset,
                      r->reason ? r->reason : "");
    if (!msg)
        goto _exit;
    TSET(o, "message", ts_str(msg));
    if (ts_dated(o, mt->set, sec, nsec, iso, dt))
        goto _exit;
    TSET(o, "path", ts_str(ct->file.path));
    TSET(o, "volume", json_integer(ct->file.volume));
    TSET(o, "source", json_string("crontab"));
    TSET(o, "line", json_integer(r->line));
    TSET(o, "offset", json_integer((json_int_t)(r->offset & INT64_MAX)));
    TSET(o, "reason", ts_str(r->reason ? r->reason : ""));
    TSET(o, "data_type", json_string("mumblescan:cron_rejected_line"));
    if (ts_case(o, s))
        goto _exit;
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    free(msg);
    return ret;
}

/* A persistence record, dated like a rejected line: at its source's
 * mtime, else the scan start. */
static json_t *ts_persistence(const ms_scan *s, const ms_persistence *p)
{
    char iso[MS_TIME_BUFSZ], dt[MS_TIME_BUFSZ + 8];
    const ms_time *mt = &p->source.times[MS_T_MTIME];
    int64_t sec = mt->set ? mt->sec : s->started;
    uint32_t nsec = mt->set ? mt->nsec : 0;
    json_t *o = json_object(), *ret = NULL;
    char *details = persist_details(p), *msg = NULL;
    char *codes = codes_of(p->reasons, p->nreasons);
    if (!o || !details || !codes || ms_time_format(sec, nsec, iso) ||
        ts_datetime(iso, dt))
        goto _exit;
    msg = ms_asprintf("[persistence:%s] %s %s", p->kind ? p->kind : "unknown",
                      p->source.path ? p->source.path : "", details);
    if (!msg)
        goto _exit;
    TSET(o, "message", ts_str(msg));
    if (ts_dated(o, mt->set, sec, nsec, iso, dt))
        goto _exit;
    TSET(o, "path", ts_str(p->source.path));
    TSET(o, "volume", json_integer(p->source.volume));
    TSET(o, "source", ts_str(p->kind ? p->kind : "unknown"));
    TSET(o, "line", json_integer(p->line));
    TSET(o, "trigger", json_string(ms_trigger_type_name(p->trigger.type)));
    TSET(o, "every_15_minutes",
         json_boolean(ms_trigger_every(&p->trigger, 15)));
    TSET(o, "command", p->command ? ts_str(p->command) : json_null());
    TSET(o, "reasons", json_string(codes));
    TSET(o, "data_type", json_string("mumblescan:persistence"));
    if (ts_case(o, s))
        goto _exit;
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    free(msg);
    free(details);
    free(codes);
    return ret;
}

/* The story, cron runs and logins (history_report.h), one line each. */
static json_t *ts_hist(const ms_scan *s, const ms_hr_event *x)
{
    char iso[MS_TIME_BUFSZ], dt[MS_TIME_BUFSZ + 8], dtype[48];
    json_t *o = json_object(), *ret = NULL;
    if (!o || ms_time_format(x->sec, x->nsec, iso) || ts_datetime(iso, dt))
        goto _exit;
    snprintf(dtype, sizeof dtype, "mumblescan:%s", x->record);
    TSET(o, "message", ts_str(x->message));
    TSET(o, "datetime", json_string(dt));
    TSET(o, "timestamp_desc", json_string(x->desc));
    TSET(o, "timestamp", json_integer((json_int_t)(x->sec > INT64_MAX / 1000000
        || x->sec < INT64_MIN / 1000000 ? 0 : x->sec * 1000000 + x->nsec / 1000)));
    TSET(o, "time", json_string(iso));
    TSET(o, "path", ts_str(x->path));
    TSET(o, "volume", json_integer(x->volume));
    TSET(o, "inode", x->has_inode ? json_integer((json_int_t)(x->inode &
                                                  INT64_MAX)) : json_null());
    TSET(o, "source", json_string(x->record));
    if (x->certainty)
        TSET(o, "certainty", json_string(x->certainty));
    TSET(o, "data_type", json_string(dtype));
    if (ts_case(o, s))
        goto _exit;
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static ms_err ts_history(FILE *out, const ms_scan *s)
{
    ms_hr_event *ev = NULL;
    size_t n = 0;
    ms_err e = ms_hr_events(s, &ev, &n);
    for (size_t i = 0; i < n && !e; i++)
        e = ts_line(out, ts_hist(s, &ev[i]));
    ms_hr_events_free(ev, n);
    return e;
}

ms_err ms_report_timesketch(FILE *out, const ms_report_ctx *ctx)
{
    ms_tl_entry *tl = NULL;
    size_t n = 0;
    ms_err e;
    char *alert;

    if (!out || !ctx || !ctx->scan)
        return MS_ERR_ARG;
    const ms_scan *scan = ctx->scan;
    if ((alert = ms_report_integrity_alert(scan)) != NULL) {
        e = ts_line(out, ts_alert(scan, alert));
        free(alert);
        if (e)
            return e;
    }
    if ((e = ts_history(out, scan)) != MS_OK)
        return e;
    if ((e = ms_timeline_build(scan, &tl, &n)) != MS_OK)
        return e;
    for (size_t i = 0; i < n && !e; i++)
        e = ts_line(out, ts_event(scan, &tl[i]));
    ms_timeline_free(tl);
    for (size_t i = 0; i < scan->ncrontabs && !e; i++)
        for (size_t k = 0; k < scan->crontabs[i].nrejected && !e; k++)
            e = ts_line(out, ts_rejected(scan, &scan->crontabs[i],
                                         &scan->crontabs[i].rejected[k]));
    for (size_t i = 0; i < scan->npersistence && !e; i++)
        e = ts_line(out, ts_persistence(scan, &scan->persistence[i]));
    if (!e && (fflush(out) != 0 || ferror(out)))
        e = MS_ERR_IO;
    return e;
}

/* ---- CSV -------------------------------------------------------------- */

/* One RFC 4180 field: escaped for text (no control bytes, no bidi),
 * neutralised against spreadsheet formulas (OWASP: a leading = + - @ tab
 * or CR gets an apostrophe), always quoted with quotes doubled. */
static ms_err csv_field(ms_buf *b, const char *s, int last)
{
    char *e = ms_escape_text(s ? s : "", s ? strlen(s) : 0);
    ms_err rc = MS_ERR_NOMEM;
    if (!e)
        return rc;
    if (ms_buf_append(b, "\"", 1))
        goto _exit;
    if (strchr("=+-@\t\r", e[0]) && e[0] && ms_buf_append(b, "'", 1))
        goto _exit;
    for (const char *p = e; *p; p++)
        if (ms_buf_append(b, p, 1) || (*p == '"' && ms_buf_append(b, p, 1)))
            goto _exit;
    rc = ms_buf_append(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
_exit:
    free(e);
    return rc;
}

static const char *const csv_header[] = {
    "record", "time", "event", "event_description", "volume", "path",
    "inode", "source", "verdict", "deleted", "size", "mode", "uid", "gid",
    "md5", "sha256", "reasons", "yara_rules", "details",
    "case", "evidence_id", "examiner", "notes",
    "recovery", "recovery_certainty", "recovery_method"
};
#define CSV_NCOLS (sizeof csv_header / sizeof csv_header[0])

static ms_err csv_row(FILE *out, const char *const *cells)
{
    ms_buf b = { 0 };
    ms_err e = MS_OK;
    for (size_t i = 0; i < CSV_NCOLS && !e; i++)
        e = csv_field(&b, cells[i], i + 1 == CSV_NCOLS);
    if (!e && fwrite(b.data, 1, b.len, out) != b.len)
        e = MS_ERR_IO;
    ms_buf_free(&b);
    return e;
}

static ms_err csv_event(FILE *out, const ms_scan *s, const ms_tl_entry *t)
{
    const ms_file *f = entry_file(s, t);
    char iso[MS_TIME_BUFSZ], ev[2] = { t->event, 0 }, vol[16], ino[24] = "",
         size[24] = "", mode[8] = "", uid[12] = "", gid[12] = "";
    char *codes = reason_codes(f), *rules = yara_rules(f);
    const ms_fileref *r = f ? &f->ref
        : (t->crontab_index >= 0 && (size_t)t->crontab_index < s->ncrontabs)
          ? &s->crontabs[t->crontab_index].file : NULL;
    ms_err e = MS_ERR_NOMEM;

    if (!codes || !rules)
        goto _exit;
    if (ms_time_format(t->sec, t->nsec, iso))
        iso[0] = '\0';
    snprintf(vol, sizeof vol, "%d", t->volume);
    if (t->has_inode)
        snprintf(ino, sizeof ino, "%" PRIu64, t->inode);
    if (r) {
        snprintf(size, sizeof size, "%" PRIu64, r->size);
        snprintf(mode, sizeof mode, "%04o", (unsigned)(r->mode & 07777));
        snprintf(uid, sizeof uid, "%" PRIu32, r->uid);
        snprintf(gid, sizeof gid, "%" PRIu32, r->gid);
    }
    const char *cells[CSV_NCOLS] = {
        "event", iso, ev, event_desc(t->event), vol, t->path, ino, t->source,
        t->verdict < 0 ? "" : ms_report_verdict_name(t->verdict),
        r && r->deleted ? "yes" : "no", size, mode, uid, gid,
        f && f->md5[0] ? f->md5 : "", f && f->sha256[0] ? f->sha256 : "",
        codes, rules, f && f->magic ? f->magic : "",
        s->case_info.case_id, s->case_info.evidence_id,
        s->case_info.examiner, s->case_info.notes, NULL, NULL, NULL
    };
    enum ms_certainty cert = MS_CERT_NONE;
    enum ms_recovery_method method = MS_RECOV_NONE;
    const char *rec = entry_recovery(s, t, &cert, &method);
    if (rec) {
        cells[CSV_NCOLS - 3] = rec;
        cells[CSV_NCOLS - 2] = ms_report_certainty_name(cert);
        cells[CSV_NCOLS - 1] = ms_recovery_method_name(method);
    }
    char md5[33], sha[65];
    if (f) { /* bounded copies of the fixed hash arrays */
        snprintf(md5, sizeof md5, "%.32s", f->md5);
        snprintf(sha, sizeof sha, "%.64s", f->sha256);
        cells[14] = md5;
        cells[15] = sha;
    }
    e = csv_row(out, cells);
_exit:
    free(codes);
    free(rules);
    return e;
}

/* A row of empty cells but the record name and the case columns. */
static void csv_blank(const char **cells, const char *record,
                      const ms_scan *s)
{
    for (size_t i = 0; i < CSV_NCOLS; i++)
        cells[i] = "";
    cells[0] = record;
    cells[19] = s->case_info.case_id;
    cells[20] = s->case_info.evidence_id;
    cells[21] = s->case_info.examiner;
    cells[22] = s->case_info.notes;
}

/* One row per persistence record, any kind: record "persistence",
 * source the kind, details the record in words. */
static ms_err csv_persistence(FILE *out, const ms_scan *s,
                              const ms_persistence *p)
{
    const char *cells[CSV_NCOLS];
    char vol[16], ino[24] = "";
    char *details = persist_details(p), *codes = codes_of(p->reasons,
                                                           p->nreasons);
    ms_err e = MS_ERR_NOMEM;
    if (!details || !codes)
        goto _exit;
    snprintf(vol, sizeof vol, "%d", p->source.volume);
    if (p->source.has_inode)
        snprintf(ino, sizeof ino, "%" PRIu64, p->source.inode);
    csv_blank(cells, "persistence", s);
    cells[4] = vol;
    cells[5] = p->source.path;
    cells[6] = ino;
    cells[7] = p->kind ? p->kind : "unknown";
    cells[9] = p->source.deleted ? "yes" : "no";
    cells[16] = codes;
    cells[18] = details;
    if (p->recovery_method != MS_RECOV_NONE) {
        cells[CSV_NCOLS - 2] = ms_report_certainty_name(p->recovery_certainty);
        cells[CSV_NCOLS - 1] = ms_recovery_method_name(p->recovery_method);
    }
    e = csv_row(out, cells);
_exit:
    free(details);
    free(codes);
    return e;
}

/* One row per crontab line cron rejects: record
 * "cron_rejected_line", details "line N, byte offset O: reason". */
static ms_err csv_rejected(FILE *out, const ms_scan *s, const ms_crontab *ct)
{
    ms_err e = MS_OK;
    char vol[16];
    snprintf(vol, sizeof vol, "%d", ct->file.volume);
    for (size_t k = 0; k <= ct->nrejected && !e; k++) {
        char *details;
        if (k == ct->nrejected) {
            if (ct->rejected_total <= ct->nrejected)
                break;
            details = ms_asprintf("%zu more rejected lines not listed "
                                  "(bound reached)",
                                  ct->rejected_total - ct->nrejected);
        } else {
            details = ms_asprintf("line %u, byte offset %llu: %s",
                                  ct->rejected[k].line,
                                  (unsigned long long)ct->rejected[k].offset,
                                  ct->rejected[k].reason ? ct->rejected[k].reason
                                                         : "");
        }
        if (!details)
            return MS_ERR_NOMEM;
        const char *cells[CSV_NCOLS];
        csv_blank(cells, "cron_rejected_line", s);
        cells[4] = vol;
        cells[5] = ct->file.path;
        cells[7] = "crontab";
        cells[9] = ct->file.deleted ? "yes" : "no";
        cells[18] = details;
        e = csv_row(out, cells);
        free(details);
    }
    return e;
}

/* The story, cron runs and logins: record "story" / "cron_run" /
 * "login", the message in details, the certainty in recovery_certainty's
 * place is not used: details say it. */
static ms_err csv_history(FILE *out, const ms_scan *s)
{
    ms_hr_event *ev = NULL;
    size_t n = 0;
    ms_err e = ms_hr_events(s, &ev, &n);
    for (size_t i = 0; i < n && !e; i++) {
        char iso[MS_TIME_BUFSZ], vol[16], ino[24] = "";
        if (ms_time_format(ev[i].sec, ev[i].nsec, iso))
            iso[0] = '\0';
        snprintf(vol, sizeof vol, "%d", ev[i].volume);
        if (ev[i].has_inode)
            snprintf(ino, sizeof ino, "%" PRIu64, ev[i].inode);
        char *details = ev[i].certainty
            ? ms_asprintf("%s (certainty %s)", ev[i].message, ev[i].certainty)
            : ms_strdup(ev[i].message);
        if (!details) {
            e = MS_ERR_NOMEM;
            break;
        }
        const char *cells[CSV_NCOLS] = { ev[i].record };
        for (size_t k = 1; k < CSV_NCOLS; k++)
            cells[k] = "";
        cells[1] = iso;
        cells[3] = ev[i].desc;
        cells[4] = vol;
        cells[5] = ev[i].path;
        cells[6] = ino;
        cells[7] = ev[i].record;
        cells[18] = details;
        cells[19] = s->case_info.case_id;
        cells[20] = s->case_info.evidence_id;
        cells[21] = s->case_info.examiner;
        cells[22] = s->case_info.notes;
        e = csv_row(out, cells);
        free(details);
    }
    ms_hr_events_free(ev, n);
    return e;
}

ms_err ms_report_csv(FILE *out, const ms_report_ctx *ctx)
{
    ms_tl_entry *tl = NULL;
    size_t n = 0;
    ms_err e;
    char *alert;

    if (!out || !ctx || !ctx->scan)
        return MS_ERR_ARG;
    const ms_scan *scan = ctx->scan;
    if ((e = csv_row(out, csv_header)) != MS_OK)
        return e;
    if ((alert = ms_report_integrity_alert(scan)) != NULL) {
        const char *cells[CSV_NCOLS];
        csv_blank(cells, "integrity_alert", scan);
        cells[8] = "integrity_failure";
        cells[18] = alert;
        e = csv_row(out, cells);
        free(alert);
        if (e)
            return e;
    }
    if ((e = csv_history(out, scan)) != MS_OK)
        return e;
    if ((e = ms_timeline_build(scan, &tl, &n)) != MS_OK)
        return e;
    for (size_t i = 0; i < n && !e; i++)
        e = csv_event(out, scan, &tl[i]);
    ms_timeline_free(tl);
    for (size_t i = 0; i < scan->ncrontabs && !e; i++)
        e = csv_rejected(out, scan, &scan->crontabs[i]);
    for (size_t i = 0; i < scan->npersistence && !e; i++)
        e = csv_persistence(out, scan, &scan->persistence[i]);
    if (!e && (fflush(out) != 0 || ferror(out)))
        e = MS_ERR_IO;
    return e;
}

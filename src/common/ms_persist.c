/* ms_persist.c - persistence records; see ms_persist.h. */
#include "common/ms_persist.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_reasons.h"

#define ALL_MINUTES ((UINT64_C(1) << 60) - 1)
#define ALL_HOURS   ((UINT32_C(1) << 24) - 1)

const char *ms_trigger_type_name(enum ms_trigger_type t)
{
    static const char *const names[MS_TRIG_COUNT] = {
        "unknown", "times", "boot", "calendar", "login", "once",
        "interval"
    };
    return (unsigned)t < MS_TRIG_COUNT ? names[t] : "unknown";
}

int ms_trigger_every(const ms_trigger *t, unsigned period)
{
    /* FreeBSD's "@900": period seconds after each run ends */
    if (t && t->type == MS_TRIG_INTERVAL)
        return period > 0 && t->interval_sec == (uint64_t)period * 60;
    if (!t || t->type != MS_TRIG_TIMES || !t->every_day || period == 0 ||
        period > 60 || 60 % period != 0)
        return 0;
    uint64_t m = t->minutes & ALL_MINUTES;
    if (m == 0 || (t->hours & ALL_HOURS) != ALL_HOURS)
        return 0;
    unsigned first = (unsigned)__builtin_ctzll(m);
    if (first >= period)
        return 0;
    uint64_t want = 0;
    for (unsigned k = first; k < 60; k += period)
        want |= UINT64_C(1) << k;
    return m == want;
}

ms_err ms_trigger_copy(const ms_trigger *src, ms_trigger *dst)
{
    *dst = *src;
    dst->text = NULL;
    if (src->text && !(dst->text = ms_strdup(src->text)))
        return MS_ERR_NOMEM;
    return MS_OK;
}

void ms_trigger_clear(ms_trigger *t)
{
    free(t->text);
    t->text = NULL;
}

ms_err ms_scan_new_persistence(ms_scan *s, size_t *index)
{
    ms_err rc = ms_grow((void **)&s->persistence, &s->persistence_cap,
                        s->npersistence + 1, sizeof *s->persistence);
    if (rc)
        return rc;
    memset(&s->persistence[s->npersistence], 0, sizeof *s->persistence);
    s->persistence[s->npersistence].kind_index = -1;
    *index = s->npersistence++;
    return MS_OK;
}

ms_err ms_persistence_attr(ms_persistence *p, const char *key,
                           const char *value)
{
    if (!value)
        return MS_OK;
    size_t cap = p->nattrs; /* grown one at a time */
    ms_attr a = { ms_strdup(key ? key : ""), ms_strdup(value) };
    if (!a.key || !a.value ||
        ms_grow((void **)&p->attrs, &cap, p->nattrs + 1, sizeof *p->attrs)) {
        free(a.key);
        free(a.value);
        return MS_ERR_NOMEM;
    }
    p->attrs[p->nattrs++] = a;
    return MS_OK;
}

ms_err ms_fileref_copy(const ms_fileref *src, ms_fileref *dst)
{
    *dst = *src;
    dst->path = NULL;
    if (src->path && !(dst->path = ms_strdup(src->path)))
        return MS_ERR_NOMEM;
    return MS_OK;
}

void ms_programs_free(ms_program *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].as_written);
        free(p[i].resolved);
        free(p[i].note);
    }
    free(p);
}

ms_err ms_programs_copy(const ms_program *src, size_t n, ms_program **out)
{
    *out = NULL;
    if (n == 0)
        return MS_OK;
    ms_program *a = calloc(n, sizeof *a);
    if (!a)
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        a[i] = src[i];
        a[i].as_written = a[i].resolved = a[i].note = NULL;
        if ((src[i].as_written &&
             !(a[i].as_written = ms_strdup(src[i].as_written))) ||
            (src[i].resolved && !(a[i].resolved = ms_strdup(src[i].resolved))) ||
            (src[i].note && !(a[i].note = ms_strdup(src[i].note)))) {
            ms_programs_free(a, i + 1);
            return MS_ERR_NOMEM;
        }
    }
    *out = a;
    return MS_OK;
}

void ms_persistence_clear(ms_persistence *p)
{
    free(p->source.path);
    free(p->user);
    ms_trigger_clear(&p->trigger);
    free(p->schedule);
    free(p->schedule_words);
    free(p->command);
    ms_programs_free(p->programs, p->nprograms);
    ms_reasons_free(p->reasons, p->nreasons);
    for (size_t i = 0; i < p->nattrs; i++) {
        free(p->attrs[i].key);
        free(p->attrs[i].value);
    }
    free(p->attrs);
    memset(p, 0, sizeof *p);
    p->kind_index = -1;
}

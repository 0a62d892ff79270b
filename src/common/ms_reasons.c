/* ms_reasons.c - the reason table; see ms_reasons.h. */
#include "common/ms_reasons.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

static const ms_reason_def table[MS_R_COUNT] = {
#define MS_REASON_ROW_(code, sev, text) { #code, MS_SEV_##sev, text },
    MS_REASON_TABLE(MS_REASON_ROW_)
#undef MS_REASON_ROW_
};

const ms_reason_def *ms_reason_def_get(ms_reason_id id)
{
    return (unsigned)id < MS_R_COUNT ? &table[id] : NULL;
}

const ms_reason_def *ms_reason_def_find(const char *code)
{
    for (size_t i = 0; code && i < MS_R_COUNT; i++)
        if (strcmp(table[i].code, code) == 0)
            return &table[i];
    return NULL;
}

static void ev_free(ms_reason_ev *e)
{
    free((char *)e->rule);
    free((char *)e->ns);
    free((char *)e->source_path);
    free((char *)e->ioc_type);
    free((char *)e->ioc_value);
    memset(e, 0, sizeof *e);
}

/* Copy the strings of `in` into *out; *out is cleared on failure. */
static ms_err ev_copy(const ms_reason_ev *in, ms_reason_ev *out)
{
    memset(out, 0, sizeof *out);
    if (!in)
        return MS_OK;
    *out = *in;
    out->rule = out->ns = out->source_path = NULL;
    out->ioc_type = out->ioc_value = NULL;
    if ((in->rule && !(out->rule = ms_strdup(in->rule))) ||
        (in->ns && !(out->ns = ms_strdup(in->ns))) ||
        (in->source_path &&
         !(out->source_path = ms_strdup(in->source_path))) ||
        (in->ioc_type && !(out->ioc_type = ms_strdup(in->ioc_type))) ||
        (in->ioc_value && !(out->ioc_value = ms_strdup(in->ioc_value)))) {
        ev_free(out);
        return MS_ERR_NOMEM;
    }
    return MS_OK;
}

ms_err ms_reasons_add(ms_reason **reasons, size_t *n, ms_reason_id id,
                      enum ms_severity sev, char *text,
                      const ms_reason_ev *ev)
{
    const ms_reason_def *def = ms_reason_def_get(id);
    ms_reason r = { 0 };
    size_t cap = *n; /* reasons arrays are grown one at a time */
    ms_err rc = MS_OK;

    if (!def) {
        rc = MS_ERR_ARG;
        goto _exit;
    }
    if (!text) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    if ((rc = ev_copy(ev, &r.ev)) != MS_OK)
        goto _exit;
    if ((rc = ms_grow((void **)reasons, &cap, *n + 1, sizeof **reasons))) {
        ev_free(&r.ev);
        goto _exit;
    }
    r.code = def->code;
    r.severity = sev;
    r.text = text;
    text = NULL;
    (*reasons)[(*n)++] = r;
_exit:
    free(text);
    return rc;
}

ms_err ms_reasons_copy(const ms_reason *src, size_t n, ms_reason **out)
{
    *out = NULL;
    if (n == 0)
        return MS_OK;
    ms_reason *a = calloc(n, sizeof *a);
    if (!a)
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        a[i].code = src[i].code;
        a[i].severity = src[i].severity;
        if (!(a[i].text = ms_strdup(src[i].text ? src[i].text : "")) ||
            ev_copy(&src[i].ev, &a[i].ev) != MS_OK) {
            ms_reasons_free(a, i + 1);
            return MS_ERR_NOMEM;
        }
    }
    *out = a;
    return MS_OK;
}

void ms_reason_clear(ms_reason *r)
{
    free(r->text);
    r->text = NULL;
    ev_free(&r->ev);
}

void ms_reasons_free(ms_reason *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++)
        ms_reason_clear(&r[i]);
    free(r);
}

const char *ms_recovery_method_name(enum ms_recovery_method m)
{
    static const char *const names[MS_RECOV_COUNT] = {
        "none", "inode", "journal", "carve"
    };
    return (unsigned)m < MS_RECOV_COUNT ? names[m] : "none";
}

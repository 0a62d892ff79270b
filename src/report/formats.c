/* formats.c - the format table and the calls that go through it. */
#include "report/report.h"

#include <string.h>

/* One row per format.  The order is the ms_report_format index. */
static const ms_report_format_def formats[] = {
    { "text",       "report.txt",              ms_report_text },
    { "json",       "report.json",             ms_report_json },
    { "bodyfile",   "report.body",             ms_report_bodyfile },
    { "html",       "report.html",             ms_report_html },
    { "timesketch", "report.timesketch.jsonl", ms_report_timesketch },
    { "csv",        "report.csv",              ms_report_csv },
};
#define NFORMATS (sizeof formats / sizeof formats[0])
_Static_assert(NFORMATS <= MS_REPORT_FORMAT_MAX, "raise MS_REPORT_FORMAT_MAX");

size_t ms_report_format_count(void) { return NFORMATS; }

const ms_report_format_def *ms_report_format_get(ms_report_format fmt)
{
    return fmt < NFORMATS ? &formats[fmt] : NULL;
}

ms_err ms_report_write(FILE *out, ms_report_format fmt, const ms_scan *scan,
                       const ms_report_info *info)
{
    const ms_report_format_def *def = ms_report_format_get(fmt);
    ms_summary own;
    ms_report_ctx ctx = { scan, info ? info->version : NULL,
                          info ? info->summary : NULL };

    if (!out || !scan || !def)
        return MS_ERR_ARG;
    if (!ctx.summary) {
        ms_err e = ms_summary_compute(scan, &own);
        if (e)
            return e;
        ctx.summary = &own;
    }
    return def->write(out, &ctx);
}

ms_err ms_report_format_parse(const char *name, ms_report_format *fmt)
{
    if (!name || !fmt)
        return MS_ERR_ARG;
    for (size_t i = 0; i < NFORMATS; i++) {
        if (strcmp(name, formats[i].name) == 0) {
            *fmt = (ms_report_format)i;
            return MS_OK;
        }
    }
    return MS_ERR_ARG;
}

ms_err ms_report_formats_parse(const char *list, ms_report_format *fmts,
                               size_t cap, size_t *n)
{
    char name[32];
    *n = 0;
    if (!list || !*list)
        return MS_ERR_ARG;
    for (const char *p = list;;) {
        size_t len = strcspn(p, ",");
        ms_report_format f;
        if (len == 0 || len >= sizeof name || *n == cap)
            return MS_ERR_ARG;
        memcpy(name, p, len);
        name[len] = '\0';
        if (ms_report_format_parse(name, &f) != MS_OK)
            return MS_ERR_ARG;
        for (size_t i = 0; i < *n; i++)
            if (fmts[i] == f)
                return MS_ERR_ARG;
        fmts[(*n)++] = f;
        if (!p[len])
            return MS_OK;
        p += len + 1;
    }
}

const char *ms_report_format_filename(ms_report_format fmt)
{
    const ms_report_format_def *def = ms_report_format_get(fmt);
    return def ? def->filename : "report";
}

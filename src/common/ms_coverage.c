/* ms_coverage.c - see ms_coverage.h. */
#include "common/ms_coverage.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

ms_err ms_coverage_add(ms_scan *scan, int system_volume, int volume,
                       const char *kind, const char *path, size_t *index)
{
    char *copy = ms_strdup(path);
    if (!copy || ms_grow((void **)&scan->coverage, &scan->coverage_cap,
                         scan->ncoverage + 1, sizeof *scan->coverage)) {
        free(copy);
        return MS_ERR_NOMEM;
    }
    ms_coverage *c = &scan->coverage[scan->ncoverage];
    memset(c, 0, sizeof *c);
    c->system_volume = system_volume;
    c->volume = volume;
    c->kind = kind;
    c->path = copy;
    c->state = MS_COV_READ;
    *index = scan->ncoverage++;
    return MS_OK;
}

void ms_coverage_set(ms_scan *scan, size_t index, enum ms_cov_state state,
                     char *reason)
{
    if (index >= scan->ncoverage) {
        free(reason);
        return;
    }
    ms_coverage *c = &scan->coverage[index];
    c->state = state;
    free(c->reason);
    c->reason = reason;
}

const char *ms_cov_state_name(enum ms_cov_state s)
{
    switch (s) {
    case MS_COV_READ:       return "read";
    case MS_COV_ABSENT:     return "absent";
    case MS_COV_UNREADABLE: return "unreadable";
    case MS_COV_PARTIAL:    return "partial";
    }
    return "unknown";
}

const char *ms_cov_kind_words(const char *kind)
{
    static const struct { const char *k, *w; } t[] = {
        { "temp_dir", "temp directory" },
        { "crontab", "system crontab" },
        { "cron_dir", "crontab directory" },
        { "cron_spool", "crontab spool" },
        { "anacrontab", "anacrontab" },
        { "run_parts", "run-parts directory" },
    };
    for (size_t i = 0; kind && i < sizeof t / sizeof *t; i++)
        if (!strcmp(kind, t[i].k))
            return t[i].w;
    return kind ? kind : "location";
}

int ms_cov_not_read(const ms_coverage *c)
{
    return c->state == MS_COV_UNREADABLE || c->state == MS_COV_PARTIAL;
}

void ms_coverage_free(ms_scan *scan)
{
    for (size_t i = 0; i < scan->ncoverage; i++) {
        free(scan->coverage[i].path);
        free(scan->coverage[i].resolved);
        free(scan->coverage[i].reason);
    }
    free(scan->coverage);
    scan->coverage = NULL;
    scan->ncoverage = scan->coverage_cap = 0;
}

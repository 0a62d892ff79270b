/* ms_history_model.c - freeing the execution history, logins and story of
 * a scan (ms_model.h); called from ms_scan_free. */
#include <stdlib.h>

#include "common/ms_scan.h"

void ms_scan_history_free(ms_scan *s)
{
    for (size_t i = 0; i < s->nlogsrcs; i++) {
        free(s->logsrcs[i].path);
        free(s->logsrcs[i].year_note);
        free(s->logsrcs[i].time_zone);
        free(s->logsrcs[i].time_zone_source);
        free(s->logsrcs[i].note);
    }
    free(s->logsrcs);
    free(s->cron_runs);
    for (size_t i = 0; i < s->njob_history; i++) {
        free(s->job_history[i].user);
        free(s->job_history[i].command);
        free(s->job_history[i].sources);
    }
    free(s->job_history);
    for (size_t i = 0; i < s->nlogins; i++) {
        free(s->logins[i].user);
        free(s->logins[i].host);
        free(s->logins[i].line);
    }
    free(s->logins);
    for (size_t i = 0; i < s->nstory; i++) {
        free(s->story[i].source);
        free(s->story[i].text);
    }
    free(s->story);
}

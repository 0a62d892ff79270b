/* ms_entry.c - allocation of the entry-vector model. */
#include "common/ms_entry.h"

#include <stdlib.h>

#include "common/ms_scan.h"

ms_entry *ms_entry_get(ms_scan *scan)
{
    if (!scan->entry)
        scan->entry = calloc(1, sizeof *scan->entry);
    return scan->entry;
}

void ms_story_time_clear(ms_story_time *t)
{
    free(t->path);
    free(t->source);
    t->path = t->source = NULL;
    t->set = 0;
}

void ms_entry_free(ms_entry *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nroots; i++) {
        free(e->roots[i].path);
        free(e->roots[i].url_prefix);
        free(e->roots[i].source);
    }
    free(e->roots);
    for (size_t i = 0; i < e->nnearby; i++)
        ms_fileref_clear(&e->nearby[i].ref);
    free(e->nearby);
    for (size_t i = 0; i < e->nrequests; i++) {
        ms_web_request *r = &e->requests[i];
        free(r->path);
        free(r->client);
        free(r->method);
        free(r->url);
        free(r->user_agent);
        free(r->log);
    }
    free(e->requests);
    ms_story_time_clear(&e->anchor);
    ms_story_time_clear(&e->shell_created);
    ms_story_time_clear(&e->first_request);
    free(e);
}

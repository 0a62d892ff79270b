/* fleet_index.h - the fleet seen per sample, per indicator and per cron
 * line: which hosts share each, when each was first and last seen, and
 * which host is the earliest known victim (the campaign view).  Built
 * from the sorted hosts, so it is deterministic too. */
#ifndef MS_FLEET_INDEX_H
#define MS_FLEET_INDEX_H

#include <stddef.h>

#include "fleet/fleet.h"

typedef struct ms_fref {
    size_t      host;    /* index into ms_fleet.hosts */
    ms_ftime    first, last;
    const char *detail;  /* path / cron file (borrowed from the host) */
} ms_fref;

typedef struct ms_fgroup {
    const char *kind;    /* "sample" | "indicator" | "cron" (static) */
    const char *key;     /* sha256 | indicator value | "schedule command" */
    const char *sub;     /* script sha256 | indicator type | NULL */
    const char *klass;   /* indicator class, else NULL */
    char       *owned;   /* key storage when built (cron lines) */
    ms_fref    *refs;  size_t nrefs;  /* sorted by first seen, host */
    ms_ftime    first, last;
    size_t      earliest;   /* host of the earliest first sighting */
} ms_fgroup;

typedef struct ms_findex {
    ms_fgroup *samples;    size_t nsamples;
    ms_fgroup *indicators; size_t nindicators;
    ms_fgroup *crons;      size_t ncrons;
    /* campaign view: every group above with its hosts, ordered by number
     * of hosts (desc), first seen, kind, key; pointers into the arrays */
    ms_fgroup **campaign;  size_t ncampaign;
} ms_findex;

ms_err ms_findex_build(const ms_fleet *f, ms_findex *x);
void ms_findex_free(ms_findex *x);

#endif

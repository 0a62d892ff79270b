/* fleet_hunt.h - retro-hunt: new indicators checked against every stored
 * result while it is read (the result is not kept, only the hits). */
#ifndef MS_FLEET_HUNT_H
#define MS_FLEET_HUNT_H

#include <jansson.h>

#include "fleet/fleet.h"

/* Check one FILE object of a result (findings[] or examined[]). */
void ms_fleet_hunt_file(ms_fleet *f, const ms_fhost *h, json_t *file,
                        const char *list);
/* Check one cron_jobs[] entry. */
void ms_fleet_hunt_cron(ms_fleet *f, const ms_fhost *h, json_t *job);
/* Check the host's own facts and the indicators kept for it. */
void ms_fleet_hunt_host(ms_fleet *f, const ms_fhost *h);

#endif

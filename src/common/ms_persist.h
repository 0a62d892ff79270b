/* ms_persist.h - persistence records (ms_model.h): triggers, attributes,
 * building and freeing.
 *
 * A persistence record is anything that runs a program later or again
 * (cron job, systemd timer, at job, rc script, shell start-up line).  A
 * collector for a new kind appends records with ms_scan_new_persistence
 * and fills them; the verdict rules and every report format then handle
 * it without change. */
#ifndef MS_PERSIST_H
#define MS_PERSIST_H

#include <stddef.h>

#include "common/ms_error.h"
#include "common/ms_model.h"

/* "unknown", "times", "boot", "calendar", "login", "once". */
const char *ms_trigger_type_name(enum ms_trigger_type t);

/* 1 if the trigger fires every `period` minutes around the clock, every
 * day: a TIMES trigger on every day, in every hour, at exactly the
 * minutes m, m+period, ... for one m < period (period divides 60).
 * An INTERVAL trigger of exactly period minutes (FreeBSD "@900", each
 * run 900 s after the previous one ends) counts too.
 * "Every 15 minutes" is ms_trigger_every(t, 15). */
int ms_trigger_every(const ms_trigger *t, unsigned period);

/* Deep copy (text included); *dst is overwritten. */
ms_err ms_trigger_copy(const ms_trigger *src, ms_trigger *dst);
void ms_trigger_clear(ms_trigger *t);

/* Append a zeroed record (kind_index -1) and return its index. */
ms_err ms_scan_new_persistence(ms_scan *scan, size_t *index);

/* Append a kind-specific detail; both strings are copied.  A NULL value
 * adds nothing. */
ms_err ms_persistence_attr(ms_persistence *p, const char *key,
                           const char *value);

/* Deep copies of a file reference and of a program list. */
ms_err ms_fileref_copy(const ms_fileref *src, ms_fileref *dst);
ms_err ms_programs_copy(const ms_program *src, size_t n, ms_program **out);
void ms_programs_free(ms_program *p, size_t n);

void ms_persistence_clear(ms_persistence *p);

#endif

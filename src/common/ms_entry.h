/* ms_entry.h - building and freeing the entry-vector part of the model
 * (ms_scan.entry, see ms_model.h). */
#ifndef MS_ENTRY_H
#define MS_ENTRY_H

#include "common/ms_error.h"
#include "common/ms_model.h"

/* scan->entry, allocated (zeroed) on first use; NULL on allocation
 * failure. */
ms_entry *ms_entry_get(ms_scan *scan);

void ms_story_time_clear(ms_story_time *t);
void ms_entry_free(ms_entry *e);   /* frees e itself too; NULL is fine */

#endif

/* ms_reasons.c - the reason table; see ms_reasons.h. */
#include "common/ms_reasons.h"

#include <string.h>

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

#include "report/timeline.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_reasons.h"
#include "report/timefmt.h"

/* Index = enum ms_time_kind; the string order is also the sort order. */
static const char EVENTS[MS_T_COUNT + 1] = "macbd";

char ms_timeline_event(enum ms_time_kind kind)
{
    return (unsigned)kind < MS_T_COUNT ? EVENTS[kind] : '?';
}

static int event_rank(char ev)
{
    const char *p = ev ? strchr(EVENTS, ev) : NULL;
    return p ? (int)(p - EVENTS) : MS_T_COUNT;
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int entry_cmp(const void *pa, const void *pb)
{
    const ms_tl_entry *a = pa, *b = pb;
    CMP(a->sec, b->sec);
    CMP(a->nsec, b->nsec);
    int c = strcmp(a->path, b->path); /* compares as unsigned char */
    if (c)
        return c < 0 ? -1 : 1;
    CMP(event_rank(a->event), event_rank(b->event));
    CMP(a->volume, b->volume);
    CMP(a->has_inode, b->has_inode);
    CMP(a->inode, b->inode);
    c = strcmp(a->source, b->source);
    if (c)
        return c < 0 ? -1 : 1;
    CMP(a->verdict, b->verdict);
    CMP(a->file_index, b->file_index);
    CMP(a->crontab_index, b->crontab_index);
    return 0; /* equal on every field: the order cannot show */
}

typedef struct tl_acc {
    ms_tl_entry *v;
    size_t n, cap;
} tl_acc;

static ms_err add_ref(tl_acc *acc, const ms_fileref *ref, const char *source,
                      int verdict)
{
    for (int k = 0; k < MS_T_COUNT; k++) {
        const ms_time *t = &ref->times[k];
        if (!ms_time_usable(t))
            continue;
        ms_err e = ms_grow((void **)&acc->v, &acc->cap, acc->n + 1,
                           sizeof *acc->v);
        if (e)
            return e;
        ms_tl_entry *x = &acc->v[acc->n++];
        x->sec = t->sec;
        x->nsec = t->nsec;
        x->event = EVENTS[k];
        x->volume = ref->volume;
        x->path = ref->path ? ref->path : "";
        x->inode = ref->inode;
        x->has_inode = ref->has_inode;
        x->source = source;
        x->verdict = verdict;
    }
    return MS_OK;
}

ms_err ms_timeline_build(const ms_scan *scan, ms_tl_entry **out, size_t *n)
{
    ms_err e = MS_OK;
    tl_acc acc = { 0 };

    if (!scan || !out || !n)
        return MS_ERR_ARG;
    *out = NULL;
    *n = 0;

    for (size_t i = 0; i < scan->nfiles; i++) {
        const ms_file *f = &scan->files[i];
        if (f->missing)
            continue; /* a path that is not in the image has no times */
        int v = (int)f->verdict;
        size_t first = acc.n;
        e = add_ref(&acc, &f->ref,
                    v >= MS_SEV_SUSPICIOUS ? "finding" : "examined", v);
        if (e)
            goto _exit;
        for (size_t k = first; k < acc.n; k++) {
            acc.v[k].file_index = (long)i;
            acc.v[k].crontab_index = -1;
            acc.v[k].recovered = f->recovery && !(f->origin & MS_ORIGIN_CARVE)
                ? ms_recovery_method_name(f->recovery_method) : NULL;
        }
    }
    for (size_t i = 0; i < scan->ncrontabs; i++) {
        size_t first = acc.n;
        e = add_ref(&acc, &scan->crontabs[i].file, "crontab", -1);
        if (e)
            goto _exit;
        for (size_t k = first; k < acc.n; k++) {
            acc.v[k].file_index = -1;
            acc.v[k].crontab_index = (long)i;
            acc.v[k].recovered = scan->crontabs[i].recovery
                ? ms_recovery_method_name(scan->crontabs[i].recovery_method)
                : NULL;
        }
    }
    if (acc.n > 1)
        qsort(acc.v, acc.n, sizeof *acc.v, entry_cmp);
    *out = acc.v;
    *n = acc.n;
    acc.v = NULL;

_exit:
    free(acc.v);
    return e;
}

void ms_timeline_free(ms_tl_entry *entries)
{
    free(entries);
}

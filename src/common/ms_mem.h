/* ms_mem.h - checked allocation helpers.
 *
 * Every array in mumblescan grows through ms_grow(), which checks the
 * multiplication for overflow, so a hostile count read from an image can
 * never wrap an allocation size. */
#ifndef MS_MEM_H
#define MS_MEM_H

#include <stddef.h>
#include "ms_error.h"

/* Ensure *arr holds at least `need` elements of `elem` bytes; *cap is the
 * current capacity in elements.  New slots are zeroed. */
ms_err ms_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* strdup/strndup (at most n bytes, stopping at a NUL) that return NULL
 * only on allocation failure or NULL input. */
char *ms_strdup(const char *s);
char *ms_strndup(const char *s, size_t n);

/* Allocating printf; NULL on failure. */
char *ms_asprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Growable byte buffer, always NUL-terminated when len > 0. */
typedef struct ms_buf {
    char  *data;
    size_t len;
    size_t cap;
} ms_buf;

ms_err ms_buf_append(ms_buf *b, const char *s, size_t n);
ms_err ms_buf_puts(ms_buf *b, const char *s);
ms_err ms_buf_printf(ms_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hand the string over to the caller (who frees it) and reset b. */
char *ms_buf_steal(ms_buf *b);
void  ms_buf_free(ms_buf *b);

#endif

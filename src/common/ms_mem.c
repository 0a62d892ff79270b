#include "ms_mem.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ms_err ms_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return MS_OK;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return MS_ERR_NOMEM;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return MS_ERR_NOMEM;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return MS_ERR_NOMEM;
    memset((char *)p + *cap * elem, 0, (ncap - *cap) * elem);
    *arr = p;
    *cap = ncap;
    return MS_OK;
}

char *ms_strdup(const char *s)
{
    return s ? ms_strndup(s, strlen(s)) : NULL;
}

char *ms_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    n = strnlen(s, n); /* like strndup: never read past the terminator */
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *vasprintf_checked(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *ms_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = vasprintf_checked(fmt, ap);
    va_end(ap);
    return p;
}

ms_err ms_buf_append(ms_buf *b, const char *s, size_t n)
{
    if (n > SIZE_MAX - b->len - 1)
        return MS_ERR_NOMEM;
    ms_err e = ms_grow((void **)&b->data, &b->cap, b->len + n + 1, 1);
    if (e)
        return e;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return MS_OK;
}

ms_err ms_buf_puts(ms_buf *b, const char *s)
{
    return ms_buf_append(b, s, strlen(s));
}

ms_err ms_buf_printf(ms_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = vasprintf_checked(fmt, ap);
    va_end(ap);
    if (!p)
        return MS_ERR_NOMEM;
    ms_err e = ms_buf_puts(b, p);
    free(p);
    return e;
}

char *ms_buf_steal(ms_buf *b)
{
    char *p = b->data ? b->data : ms_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void ms_buf_free(ms_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* writer.h - formatted output that remembers its first error.
 *
 * The text and HTML writers emit hundreds of small pieces; checking each
 * fprintf would bury the layout.  A writer records the first failure and
 * ignores everything after it, and the caller checks `err` once. */
#ifndef MS_WRITER_H
#define MS_WRITER_H

#include <stdarg.h>
#include <stdio.h>
#include "common/ms_error.h"

typedef struct ms_writer {
    FILE  *out;
    ms_err err;     /* first error (MS_ERR_IO, or set by the caller) */
} ms_writer;

void ms_wvprintf(ms_writer *w, const char *fmt, va_list ap);

#endif

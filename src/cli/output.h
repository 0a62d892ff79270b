/* output.h - write a report so that a reader never sees half of it.
 *
 * With a file name, the report goes to a temporary file in the same
 * directory that is renamed over the name only after every byte was
 * written and flushed; any failure removes the temporary file and leaves
 * no report at all. */
#ifndef MS_OUTPUT_H
#define MS_OUTPUT_H

#include <stdio.h>
#include "common/ms_error.h"

typedef struct ms_output {
    FILE *fp;
    char *final_path;  /* NULL for stdout */
    char *tmp_path;
    int   direct;      /* a device/FIFO written in place (no rename) */
} ms_output;

ms_err ms_output_open(ms_output *o, const char *path, char **err_text);
/* Commit (ok != 0) or discard the report; returns MS_ERR_IO if the
 * commit failed, with a reason in *err_text. */
ms_err ms_output_close(ms_output *o, int ok, char **err_text);

#endif

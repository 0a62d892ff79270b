/* ms_error.h - error codes shared by every layer.
 *
 * Functions that can fail return one of these (MS_OK is 0) and report
 * details through an output parameter or the scan's error list; they never
 * print or exit.  Keeping codes explicit lets callers decide whether a
 * failure is fatal (the image) or only noted (one volume, one file). */
#ifndef MS_ERROR_H
#define MS_ERROR_H

typedef enum ms_err {
    MS_OK = 0,
    MS_ERR_NOMEM,      /* allocation failed */
    MS_ERR_ARG,        /* caller passed something invalid */
    MS_ERR_IO,         /* read error on the evidence or an output */
    MS_ERR_FORMAT,     /* data is not in the expected format */
    MS_ERR_NOT_FOUND,  /* path or object does not exist */
    MS_ERR_LIMIT,      /* a safety bound (depth, size, count) was hit */
    MS_ERR_LOOP,       /* symlink loop or too many link hops */
    MS_ERR_ESCAPE,     /* a path tried to leave the image's root */
    MS_ERR_UNSUPPORTED,/* recognised but not handled */
    MS_ERR_YARA,       /* libyara reported an error */
    MS_ERR_INTERNAL
} ms_err;

/* Short English description of an error code; never NULL. */
const char *ms_strerror(ms_err err);

#endif

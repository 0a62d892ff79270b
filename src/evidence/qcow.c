/* qcow.c - libqcow behind a TSK_IMG_INFO. */
#include "evidence/qcow.h"

#include <stdlib.h>
#include <string.h>
#include <libqcow.h>

#include "common/ms_mem.h"
#include "evidence/imgwrap.h"

/* libqcow's error text spans lines; keep the first, bounded. */
static char *qcow_error(libqcow_error_t *e, const char *what)
{
    char msg[512] = "";
    if (e && libqcow_error_sprint(e, msg, sizeof msg) > 0) {
        msg[sizeof msg - 1] = '\0';
        for (char *p = msg; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
    }
    libqcow_error_free(&e);
    return ms_asprintf("%s%s%s", what, *msg ? ": " : "", msg);
}

int ms_qcow_detect(TSK_IMG_INFO *img)
{
    char m[4];
    return tsk_img_read(img, 0, m, sizeof m) == (ssize_t)sizeof m &&
           memcmp(m, "QFI\xfb", 4) == 0;
}

static ssize_t qcow_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    libqcow_error_t *e = NULL;
    ssize_t n = libqcow_file_read_buffer_at_offset(ctx, buf, len,
                                                   (off64_t)off, &e);
    libqcow_error_free(&e);
    return n;
}

static void qcow_free(void *ctx)
{
    libqcow_file_t *f = ctx;
    libqcow_file_close(f, NULL);
    libqcow_file_free(&f, NULL);
}

/* The backing file name as stored in the header, or NULL if none. */
static char *backing_name(libqcow_file_t *f)
{
    size_t sz = 0;
    if (libqcow_file_get_utf8_backing_filename_size(f, &sz, NULL) != 1 ||
        sz == 0 || sz > 65536)
        return NULL;
    uint8_t *name = calloc(1, sz + 1);
    if (name && libqcow_file_get_utf8_backing_filename(f, name, sz, NULL) != 1) {
        free(name);
        return NULL;
    }
    return (char *)name;
}

ms_err ms_qcow_open(const char *path, TSK_IMG_INFO **out,
                    const char **type_name, char **err_text)
{
    libqcow_file_t *f = NULL;
    libqcow_error_t *e = NULL;
    uint32_t version = 0;
    uint32_t method = 0;
    size64_t size = 0;
    ms_err rc = MS_ERR_FORMAT;

    *out = NULL;
    if (libqcow_file_initialize(&f, &e) != 1) {
        *err_text = qcow_error(e, "libqcow initialisation failed");
        return MS_ERR_NOMEM;
    }
    if (libqcow_file_open(f, path, LIBQCOW_OPEN_READ, &e) != 1) {
        *err_text = qcow_error(e, "libqcow cannot open the qcow image");
        libqcow_file_free(&f, NULL);
        return MS_ERR_FORMAT;
    }
    if (libqcow_file_get_format_version(f, &version, NULL) != 1)
        version = 0;
    *type_name = version == 1 ? "qcow" : "qcow2";
    char *backing = backing_name(f);
    if (backing) {
        /* Clusters absent from an overlay live in its parent; scanning
         * the overlay alone would read them as zeros and miss files. */
        *err_text = ms_asprintf("%s image with backing file '%s': the "
                                "backing chain is not resolved, scan a "
                                "flattened copy ('qemu-img convert')",
                                *type_name, backing);
        free(backing);
        rc = MS_ERR_UNSUPPORTED;
        goto _exit;
    }
    if (libqcow_file_get_encryption_method(f, &method, NULL) == 1 &&
        method != LIBQCOW_ENCRYPTION_METHOD_NONE) {
        *err_text = ms_asprintf("%s image is encrypted: cannot be examined "
                                "without the key", *type_name);
        rc = MS_ERR_UNSUPPORTED;
        goto _exit;
    }
    if (libqcow_file_get_media_size(f, &size, &e) != 1 || size == 0) {
        *err_text = qcow_error(e, "qcow image has no readable media size");
        goto _exit;
    }
    rc = ms_imgwrap_open(f, (uint64_t)size, 512, qcow_read, qcow_free, out);
    if (rc == MS_OK)
        return MS_OK;
    *err_text = ms_asprintf("cannot wrap the %s image for libtsk", *type_name);
_exit:
    qcow_free(f);
    return rc;
}

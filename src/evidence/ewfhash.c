#include "evidence/ewfhash.h"

#include <ctype.h>
#include <libewf.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

/* libewf hash values are text from the image file: keep only a string of
 * hex digits of the right length, lowercased; anything else is treated as
 * "not stored" rather than compared. */
static void take_hex(char dst[65], const char *src, size_t want)
{
    size_t i = 0;
    dst[0] = '\0';
    for (; src[i] && i < want; i++)
        if (!isxdigit((unsigned char)src[i]))
            return;
    if (i != want || src[i])
        return;
    for (i = 0; i < want; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[want] = '\0';
}

static void get_value(libewf_handle_t *h, const char *id, size_t hexlen,
                      char dst[65])
{
    uint8_t val[130] = { 0 };
    libewf_error_t *e = NULL;
    int r = libewf_handle_get_utf8_hash_value(h, (const uint8_t *)id,
                                              strlen(id), val, sizeof val, &e);
    if (e)
        libewf_error_free(&e);
    if (r == 1)
        take_hex(dst, (const char *)val, hexlen);
}

ms_err ms_ewf_stored_hashes(const char *const *paths, size_t n,
                            ms_integrity *ig)
{
    libewf_error_t *e = NULL;
    libewf_handle_t *h = NULL;
    char **names = NULL;
    int nnames = 0;
    ms_err rc = MS_ERR_FORMAT;

    ig->stored_checked = 1;
    if (n == 0)
        return MS_ERR_ARG;
    if (libewf_glob(paths[0], strlen(paths[0]), LIBEWF_FORMAT_UNKNOWN,
                    &names, &nnames, &e) != 1 || nnames <= 0)
        goto _exit;
    if (libewf_handle_initialize(&h, &e) != 1)
        goto _exit;
    if (libewf_handle_open(h, names, nnames, LIBEWF_OPEN_READ, &e) != 1)
        goto _exit;

    uint8_t md5[16];
    if (libewf_handle_get_md5_hash(h, md5, sizeof md5, &e) == 1) {
        for (int i = 0; i < 16; i++)
            snprintf(ig->stored_hex[MS_HASH_MD5] + 2 * i, 3, "%02x", md5[i]);
    } else {
        get_value(h, "MD5", 32, ig->stored_hex[MS_HASH_MD5]);
    }
    if (e)
        libewf_error_free(&e);
    get_value(h, "SHA1", 40, ig->stored_hex[MS_HASH_SHA1]);
    get_value(h, "SHA256", 64, ig->stored_hex[MS_HASH_SHA256]);
    rc = MS_OK;
_exit:
    if (rc != MS_OK && !ig->note)
        ig->note = ms_strdup("the stored acquisition hashes could not be "
                             "read (libewf could not open the segments)");
    if (e)
        libewf_error_free(&e);
    if (h) {
        libewf_handle_close(h, NULL);
        libewf_handle_free(&h, NULL);
    }
    if (names)
        libewf_glob_free(names, nnames, NULL);
    return rc;
}

const char *ms_ewf_version(void)
{
    return libewf_get_version();
}

#include "evidence/ewfhash.h"

#include <ctype.h>
#include <libewf.h>
#include <stdio.h>
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

/* "YYYY-MM-DDTHH:MM:SS" (libewf's ISO 8601 form) as seconds, the fields
 * taken as UTC; -1 when the text is not that. */
static int64_t iso_seconds(const char *v)
{
    int y, mo, d, h, mi, se;
    static const int cum[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243,
                                 273, 304, 334 };
    if (sscanf(v, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6 ||
        y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
        h > 23 || mi > 59 || se > 60)
        return -1;
    int64_t yy = y - 1970;
    int64_t days = yy * 365 + (y - 1969) / 4 - (y - 1901) / 100 +
                   (y - 1601) / 400 + cum[mo - 1] + d - 1;
    if (mo > 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        days++;
    return days * 86400 + h * 3600 + mi * 60 + se;
}

ms_err ms_ewf_acquired(const char *const *paths, size_t n, int64_t *sec,
                       char text[64])
{
    libewf_error_t *e = NULL;
    libewf_handle_t *h = NULL;
    char **names = NULL;
    int nnames = 0;
    uint8_t val[64] = { 0 };
    ms_err rc = MS_ERR_FORMAT;

    *sec = -1;
    text[0] = '\0';
    if (n == 0)
        return MS_ERR_ARG;
    if (libewf_glob(paths[0], strlen(paths[0]), LIBEWF_FORMAT_UNKNOWN,
                    &names, &nnames, &e) != 1 || nnames <= 0 ||
        libewf_handle_initialize(&h, &e) != 1 ||
        libewf_handle_open(h, names, nnames, LIBEWF_OPEN_READ, &e) != 1 ||
        libewf_handle_set_header_values_date_format(
            h, LIBEWF_DATE_FORMAT_ISO8601, &e) != 1)
        goto _exit;
    rc = MS_ERR_NOT_FOUND;
    if (libewf_handle_get_utf8_header_value(h, (const uint8_t *)"acquiry_date",
                                            12, val, sizeof val - 1, &e) != 1)
        goto _exit;
    /* text from the image: printable ASCII only */
    for (size_t i = 0; i < 63 && val[i]; i++)
        text[i] = val[i] >= 0x20 && val[i] < 0x7f ? (char)val[i] : '?',
        text[i + 1] = '\0';
    if ((*sec = iso_seconds(text)) >= 0)
        rc = MS_OK;
_exit:
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

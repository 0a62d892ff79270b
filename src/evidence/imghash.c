#include "evidence/imghash.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <tsk/libtsk.h>

#include "common/ms_mem.h"
#include "evidence/image.h"

/* Large reads: E01 chunks are 32 KiB, raw reads are sequential; 4 MiB
 * keeps syscalls and libewf chunk lookups rare. */
#define CHUNK (4u << 20)

struct ms_imghash {
    pthread_t thread;
    char    **paths;
    size_t    npaths;
    char     *type_name;
    /* results, written by the thread, read after join */
    ms_err    rc;
    uint64_t  bytes;
    char      hex[MS_HASH_COUNT][65];
    char     *note;
};

static const EVP_MD *algo_md(int a)
{
    switch (a) {
    case MS_HASH_MD5:  return EVP_md5();
    case MS_HASH_SHA1: return EVP_sha1();
    default:           return EVP_sha256();
    }
}

static void *hash_thread(void *arg)
{
    ms_imghash *h = arg;
    EVP_MD_CTX *ctx[MS_HASH_COUNT] = { 0 };
    TSK_IMG_INFO *img = NULL;
    char *buf = malloc(CHUNK);
    TSK_IMG_TYPE_ENUM type = TSK_IMG_TYPE_DETECT;

    h->rc = MS_ERR_NOMEM;
    if (!buf)
        goto _exit;
    for (int a = 0; a < MS_HASH_COUNT; a++)
        if (!(ctx[a] = EVP_MD_CTX_new()) ||
            EVP_DigestInit_ex(ctx[a], algo_md(a), NULL) != 1)
            goto _exit;
    if (h->type_name && strcmp(h->type_name, "auto") != 0)
        type = tsk_img_type_toid_utf8(h->type_name);
    /* tsk errors are per-thread, so this does not disturb the scan. */
    img = tsk_img_open_utf8((int)h->npaths, (const char *const *)h->paths,
                            type, 0);
    if (!img) {
        h->rc = MS_ERR_FORMAT;
        h->note = ms_tsk_error("cannot open the image for hashing");
        goto _exit;
    }
    uint64_t size = img->size > 0 ? (uint64_t)img->size : 0;
    for (uint64_t off = 0; off < size;) {
        size_t want = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
        ssize_t got = tsk_img_read(img, (TSK_OFF_T)off, buf, want);
        if (got <= 0) {
            h->rc = MS_ERR_IO;
            char *why = ms_tsk_error("read error");
            h->note = ms_asprintf("media read failed at byte %llu: %s; no "
                                  "image hash computed",
                                  (unsigned long long)off, why ? why : "");
            free(why);
            goto _exit;
        }
        for (int a = 0; a < MS_HASH_COUNT; a++)
            if (EVP_DigestUpdate(ctx[a], buf, (size_t)got) != 1)
                goto _exit;
        off += (uint64_t)got;
        h->bytes = off;
    }
    for (int a = 0; a < MS_HASH_COUNT; a++) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned len = 0;
        if (EVP_DigestFinal_ex(ctx[a], md, &len) != 1 || len > 32)
            goto _exit;
        for (unsigned i = 0; i < len; i++)
            snprintf(h->hex[a] + 2 * i, 3, "%02x", md[i]);
    }
    h->rc = MS_OK;
_exit:
    if (img)
        tsk_img_close(img);
    for (int a = 0; a < MS_HASH_COUNT; a++)
        EVP_MD_CTX_free(ctx[a]);
    free(buf);
    return NULL;
}

static void imghash_free(ms_imghash *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->npaths; i++)
        free(h->paths[i]);
    free(h->paths);
    free(h->type_name);
    free(h->note);
    free(h);
}

ms_err ms_imghash_start(const char *const *paths, size_t n,
                        const char *type_name, ms_imghash **out)
{
    ms_imghash *h = calloc(1, sizeof *h);
    *out = NULL;
    if (!h || !(h->paths = calloc(n ? n : 1, sizeof *h->paths)))
        goto _fail;
    for (; h->npaths < n; h->npaths++)
        if (!(h->paths[h->npaths] = ms_strdup(paths[h->npaths])))
            goto _fail;
    if (type_name && !(h->type_name = ms_strdup(type_name)))
        goto _fail;
    if (pthread_create(&h->thread, NULL, hash_thread, h) != 0)
        goto _fail;
    *out = h;
    return MS_OK;
_fail:
    imghash_free(h);
    return MS_ERR_NOMEM;
}

ms_err ms_imghash_finish(ms_imghash *h, ms_integrity *ig)
{
    if (!h)
        return MS_ERR_ARG;
    pthread_join(h->thread, NULL);
    ms_err rc = h->rc;
    ig->requested = 1;
    ig->bytes_hashed = h->bytes;
    if (rc == MS_OK) {
        ig->computed = 1;
        memcpy(ig->computed_hex, h->hex, sizeof h->hex);
    } else {
        free(ig->note);
        ig->note = h->note ? h->note
                           : ms_strdup("image hash failed: out of memory");
        h->note = NULL;
    }
    imghash_free(h);
    return rc;
}

void ms_integrity_compare(ms_integrity *ig)
{
    for (int a = 0; a < MS_HASH_COUNT; a++) {
        if (!ig->stored_hex[a][0])
            ig->check[a] = MS_HCHK_NOT_STORED;
        else if (!ig->computed)
            ig->check[a] = MS_HCHK_NOT_COMPUTED;
        else
            ig->check[a] = strcasecmp(ig->stored_hex[a],
                                      ig->computed_hex[a]) == 0
                           ? MS_HCHK_VERIFIED : MS_HCHK_MISMATCH;
    }
}

int ms_integrity_mismatch(const ms_integrity *ig)
{
    for (int a = 0; a < MS_HASH_COUNT; a++)
        if (ig->check[a] == MS_HCHK_MISMATCH)
            return 1;
    return 0;
}

const char *ms_hash_algo_title(enum ms_hash_algo a)
{
    return a == MS_HASH_MD5 ? "MD5" : a == MS_HASH_SHA1 ? "SHA-1" : "SHA-256";
}

const char *ms_hash_algo_key(enum ms_hash_algo a)
{
    return a == MS_HASH_MD5 ? "md5" : a == MS_HASH_SHA1 ? "sha1" : "sha256";
}

const char *ms_hash_check_name(enum ms_hash_check c)
{
    switch (c) {
    case MS_HCHK_VERIFIED:     return "verified";
    case MS_HCHK_MISMATCH:     return "mismatch";
    case MS_HCHK_NOT_COMPUTED: return "not_computed";
    case MS_HCHK_NOT_STORED:   break;
    }
    return "not_stored";
}

const char *ms_integrity_state(const ms_integrity *ig)
{
    int verified = 0;
    for (int a = 0; a < MS_HASH_COUNT; a++) {
        if (ig->check[a] == MS_HCHK_MISMATCH)
            return "mismatch";
        verified |= ig->check[a] == MS_HCHK_VERIFIED;
    }
    if (verified)
        return "verified";
    return ig->computed ? "computed" : "not_checked";
}

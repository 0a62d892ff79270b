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
    int       started;      /* the thread runs (join it) */
    /* Opened by the caller's thread before the hash thread starts:
     * libewf parses the E01 header dates with tzset(), which is not
     * thread-safe, so no two image opens may overlap (ThreadSanitizer
     * saw the race with the scan's own open).  Closed by the thread. */
    ms_image *img;
    const char *what;       /* ms_image_hashed_what() of img */
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

/* The digests run in parallel with each other: one worker thread per
 * algorithm hashes the buffer the reader filled, while the reader fills
 * the other buffer.  Two barriers per chunk hand the buffers over:
 *   A: buf[cur] (len bytes) is ready, or done is set;
 *   B: every worker has finished with buf[cur].
 * A barrier orders memory, so the fields below need no other lock. */
typedef struct pipeline {
    pthread_barrier_t a, b;
    pthread_mutex_t gate_lock;   /* workers start only once all exist */
    pthread_cond_t  gate_cv;
    int             gate;        /* 0 wait, 1 run, -1 give up */
    char       *buf[2];
    size_t      len;
    int         cur;
    int         done;
    EVP_MD_CTX *ctx[MS_HASH_COUNT];
    int         failed[MS_HASH_COUNT];
} pipeline;

typedef struct worker_arg {
    pipeline *p;
    int       algo;
} worker_arg;

static void *digest_worker(void *arg)
{
    worker_arg *w = arg;
    pipeline *p = w->p;
    pthread_mutex_lock(&p->gate_lock);
    while (p->gate == 0)
        pthread_cond_wait(&p->gate_cv, &p->gate_lock);
    int run = p->gate > 0;
    pthread_mutex_unlock(&p->gate_lock);
    if (!run)
        return NULL;
    for (;;) {
        pthread_barrier_wait(&p->a);
        if (p->done)
            return NULL;
        if (!p->failed[w->algo] &&
            EVP_DigestUpdate(p->ctx[w->algo], p->buf[p->cur], p->len) != 1)
            p->failed[w->algo] = 1;
        pthread_barrier_wait(&p->b);
    }
}

/* Read the next chunk at *off into dst; 0 at the end, -1 on error (note
 * set). */
static ssize_t read_chunk(ms_imghash *h, TSK_IMG_INFO *img, uint64_t size,
                          uint64_t off, char *dst)
{
    if (off >= size)
        return 0;
    size_t want = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
    ssize_t got = tsk_img_read(img, (TSK_OFF_T)off, dst, want);
    if (got <= 0) {
        char *why = ms_tsk_error("read error");
        h->note = ms_asprintf("media read failed at byte %llu: %s; no "
                              "image hash computed",
                              (unsigned long long)off, why ? why : "");
        free(why);
        return -1;
    }
    return got;
}

static void open_gate(pipeline *p, int value)
{
    pthread_mutex_lock(&p->gate_lock);
    p->gate = value;
    pthread_cond_broadcast(&p->gate_cv);
    pthread_mutex_unlock(&p->gate_lock);
}

/* The reader's side of the pipeline: read chunk n+1 into the spare buffer
 * while the workers digest chunk n.  Sets h->rc and h->bytes. */
static void stream_image(ms_imghash *h, TSK_IMG_INFO *img, uint64_t size,
                         pipeline *p)
{
    uint64_t off = 0;
    ssize_t got = read_chunk(h, img, size, off, p->buf[0]);
    h->rc = MS_OK;
    while (got > 0) {
        p->len = (size_t)got;
        pthread_barrier_wait(&p->a);      /* workers take buf[cur] */
        off += (uint64_t)got;
        got = read_chunk(h, img, size, off, p->buf[1 - p->cur]);
        pthread_barrier_wait(&p->b);      /* workers are done with it */
        p->cur = 1 - p->cur;
        h->bytes = off;
    }
    if (got < 0)
        h->rc = MS_ERR_IO;
    p->done = 1;
    pthread_barrier_wait(&p->a);          /* release the workers */
}

/* Final digests as lowercase hex into h->hex. */
static ms_err digests_hex(ms_imghash *h, pipeline *p)
{
    for (int a = 0; a < MS_HASH_COUNT; a++) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned len = 0;
        if (p->failed[a] || EVP_DigestFinal_ex(p->ctx[a], md, &len) != 1 ||
            len > 32)
            return MS_ERR_INTERNAL;
        for (unsigned i = 0; i < len; i++)
            snprintf(h->hex[a] + 2 * i, 3, "%02x", md[i]);
    }
    return MS_OK;
}

static void *hash_thread(void *arg)
{
    ms_imghash *h = arg;
    pipeline p = { .gate_lock = PTHREAD_MUTEX_INITIALIZER,
                   .gate_cv = PTHREAD_COND_INITIALIZER };
    pthread_t workers[MS_HASH_COUNT];
    worker_arg wargs[MS_HASH_COUNT];
    int nworkers = 0, barriers = 0;
    ms_image *image = h->img;    /* the thread owns it from here */
    TSK_IMG_INFO *img = ms_image_tsk(image);

    h->img = NULL;
    h->rc = MS_ERR_NOMEM;
    p.buf[0] = malloc(CHUNK);
    p.buf[1] = malloc(CHUNK);
    if (!p.buf[0] || !p.buf[1])
        goto _exit;
    for (int a = 0; a < MS_HASH_COUNT; a++)
        if (!(p.ctx[a] = EVP_MD_CTX_new()) ||
            EVP_DigestInit_ex(p.ctx[a], algo_md(a), NULL) != 1)
            goto _exit;
    uint64_t size = ms_image_size(image);

    if (pthread_barrier_init(&p.a, NULL, MS_HASH_COUNT + 1) != 0)
        goto _exit;
    if (pthread_barrier_init(&p.b, NULL, MS_HASH_COUNT + 1) != 0) {
        pthread_barrier_destroy(&p.a);
        goto _exit;
    }
    barriers = 1;
    for (; nworkers < MS_HASH_COUNT; nworkers++) {
        wargs[nworkers] = (worker_arg){ &p, nworkers };
        if (pthread_create(&workers[nworkers], NULL, digest_worker,
                           &wargs[nworkers]) != 0)
            break;
    }
    open_gate(&p, nworkers == MS_HASH_COUNT ? 1 : -1);
    if (nworkers < MS_HASH_COUNT)
        goto _join; /* the started workers saw -1 and returned */

    stream_image(h, img, size, &p);
_join:
    for (int i = 0; i < nworkers; i++)
        pthread_join(workers[i], NULL);
    if (nworkers < MS_HASH_COUNT) {
        h->rc = MS_ERR_INTERNAL;
        h->note = ms_strdup("cannot start the hash threads");
        goto _exit;
    }
    if (h->rc == MS_OK)
        h->rc = digests_hex(h, &p);
_exit:
    if (barriers) {
        pthread_barrier_destroy(&p.a);
        pthread_barrier_destroy(&p.b);
    }
    pthread_mutex_destroy(&p.gate_lock);
    pthread_cond_destroy(&p.gate_cv);
    ms_image_close(image);
    for (int a = 0; a < MS_HASH_COUNT; a++)
        EVP_MD_CTX_free(p.ctx[a]);
    free(p.buf[0]);
    free(p.buf[1]);
    return NULL;
}

static void imghash_free(ms_imghash *h)
{
    if (!h)
        return;
    ms_image_close(h->img);
    free(h->note);
    free(h);
}

ms_err ms_imghash_start(const char *const *paths, size_t n,
                        const char *type_name, ms_imghash **out)
{
    char *err = NULL;
    ms_imghash *h = calloc(1, sizeof *h);
    *out = NULL;
    if (!h)
        return MS_ERR_NOMEM;
    /* The same opener as the scan: a qcow2 is hashed as its guest disk,
     * an E01 as its media, never as the container's bytes by accident. */
    ms_err rc = ms_image_open(paths, n, type_name, &h->img, &err);
    if (rc == MS_ERR_NOMEM) {
        free(err);
        imghash_free(h);
        return rc;
    }
    if (rc) {
        /* reported by ms_imghash_finish like any other hash failure */
        h->rc = rc;
        h->note = ms_asprintf("cannot open the image for hashing: %s",
                              err ? err : ms_strerror(rc));
        free(err);
        *out = h;
        return MS_OK;
    }
    h->what = ms_image_hashed_what(h->img);
    if (pthread_create(&h->thread, NULL, hash_thread, h) != 0) {
        imghash_free(h);
        return MS_ERR_NOMEM;
    }
    h->started = 1;
    *out = h;
    return MS_OK;
}

ms_err ms_imghash_finish(ms_imghash *h, ms_integrity *ig)
{
    if (!h)
        return MS_ERR_ARG;
    if (h->started)
        pthread_join(h->thread, NULL);
    ms_err rc = h->rc;
    ig->requested = 1;
    ig->bytes_hashed = h->bytes;
    if (rc == MS_OK) {
        ig->computed = 1;
        ig->hashed_what = h->what;
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

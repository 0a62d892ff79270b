/* imgid.c - see imgid.h.  Everything here only reads the evidence. */
#include "evidence/imgid.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ms_mem.h"
#include "common/ms_model.h"
#include "evidence/image.h"
#include "evidence/imghash.h"

#define MIB (1u << 20)
#define SAMPLE_REGIONS 64
#define SAMPLE_LEN (64u << 10)

static void to_hex(const unsigned char *md, unsigned len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < len && i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

/* SHA-256 of `len` bytes of fd at `off` (fewer at the end of the file). */
static ms_err hash_range(int fd, uint64_t off, uint64_t len, char *buf,
                         char hex[65])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    ms_err rc = MS_ERR_IO;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
        goto _exit;
    while (len > 0) {
        size_t want = len < MIB ? (size_t)len : MIB;
        ssize_t got = pread(fd, buf, want, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            goto _exit;
        if (got == 0)
            break;
        if (EVP_DigestUpdate(c, buf, (size_t)got) != 1)
            goto _exit;
        off += (uint64_t)got;
        len -= (uint64_t)got;
    }
    if (EVP_DigestFinal_ex(c, md, &mdlen) != 1)
        goto _exit;
    to_hex(md, mdlen, hex);
    rc = MS_OK;
_exit:
    EVP_MD_CTX_free(c);
    return rc;
}

void ms_imgid_clear(ms_imgid *id)
{
    for (size_t i = 0; i < id->nfiles; i++)
        free(id->files[i].path);
    free(id->files);
    memset(id, 0, sizeof *id);
}

static ms_err one_file(const char *path, ms_imgid_file *f, char *buf,
                       char **err_text)
{
    struct stat st;
    char real[PATH_MAX];
    int fd = -1;
    ms_err rc = MS_ERR_IO;

    if (!realpath(path, real) ||
        (fd = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0 ||
        fstat(fd, &st) != 0) {
        *err_text = ms_asprintf("cannot open '%s': %s", path, strerror(errno));
        goto _exit;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        *err_text = ms_asprintf("'%s' is not a regular file or block device",
                                path);
        rc = MS_ERR_ARG;
        goto _exit;
    }
    f->size = (uint64_t)st.st_size;
    if (S_ISBLK(st.st_mode)) {
        off_t end = lseek(fd, 0, SEEK_END);
        f->size = end > 0 ? (uint64_t)end : 0;
    }
    f->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    uint64_t tail = f->size > MIB ? f->size - MIB : 0;
    if (hash_range(fd, 0, MIB, buf, f->head_sha256) != MS_OK ||
        hash_range(fd, tail, MIB, buf, f->tail_sha256) != MS_OK) {
        *err_text = ms_asprintf("cannot read '%s': %s", path, strerror(errno));
        goto _exit;
    }
    if (!(f->path = ms_strdup(real))) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    rc = MS_OK;
_exit:
    if (fd >= 0)
        close(fd);
    return rc;
}

ms_err ms_imgid_files(const char *const *paths, size_t n, ms_imgid *out,
                      char **err_text)
{
    char *buf = NULL;
    EVP_MD_CTX *c = NULL;
    ms_err rc = MS_ERR_NOMEM;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;

    memset(out, 0, sizeof *out);
    *err_text = NULL;
    if (n == 0 || n > 100000)
        return MS_ERR_ARG;
    if (!(buf = malloc(MIB)) || !(out->files = calloc(n, sizeof *out->files)))
        goto _exit;
    if (!(c = EVP_MD_CTX_new()) ||
        EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
        goto _exit;
    char head[64];
    int hl = snprintf(head, sizeof head, "mumblescan-image-id %d\n",
                      MS_IMGID_VERSION);
    EVP_DigestUpdate(c, head, (size_t)hl);
    for (size_t i = 0; i < n; i++) {
        if ((rc = one_file(paths[i], &out->files[i], buf, err_text)) != MS_OK)
            goto _exit;
        out->nfiles++;
        ms_imgid_file *f = &out->files[i];
        /* the path with its terminating NUL, so no two lists hash alike */
        char *rec = ms_asprintf("%llu %lld %s %s\n",
                                (unsigned long long)f->size,
                                (long long)f->mtime_ns, f->head_sha256,
                                f->tail_sha256);
        if (!rec) {
            rc = MS_ERR_NOMEM;
            goto _exit;
        }
        EVP_DigestUpdate(c, f->path, strlen(f->path) + 1);
        EVP_DigestUpdate(c, rec, strlen(rec));
        free(rec);
    }
    if (EVP_DigestFinal_ex(c, md, &mdlen) != 1) {
        rc = MS_ERR_INTERNAL;
        goto _exit;
    }
    to_hex(md, mdlen, out->id);
    rc = MS_OK;
_exit:
    if (rc != MS_OK)
        ms_imgid_clear(out);
    if (rc == MS_ERR_NOMEM && !*err_text)
        *err_text = ms_strdup("out of memory");
    EVP_MD_CTX_free(c);
    free(buf);
    return rc;
}

ms_err ms_imgid_media_sample(const char *const *paths, size_t n,
                             const char *type_name, char hex[65],
                             uint64_t *media_size, char **err_text)
{
    ms_image *img = NULL;
    EVP_MD_CTX *c = NULL;
    char *buf = NULL;
    ms_err rc;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;

    *err_text = NULL;
    if ((rc = ms_image_open(paths, n, type_name, &img, err_text)) != MS_OK)
        return rc;
    rc = MS_ERR_NOMEM;
    if (!(buf = malloc(MIB)) || !(c = EVP_MD_CTX_new()) ||
        EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
        goto _exit;
    TSK_IMG_INFO *t = ms_image_tsk(img);
    uint64_t size = ms_image_size(img);
    *media_size = size;
    char head[96];
    int hl = snprintf(head, sizeof head, "mumblescan-media-sample %d %llu\n",
                      MS_IMGID_VERSION, (unsigned long long)size);
    EVP_DigestUpdate(c, head, (size_t)hl);
    /* region list: head, 64 evenly spaced, tail; reads of the tolerant
     * image never fail (missing bytes read as zeros) */
    for (int r = 0; r < SAMPLE_REGIONS + 2; r++) {
        uint64_t off, len;
        if (r == 0) {
            off = 0;
            len = MIB;
        } else if (r == SAMPLE_REGIONS + 1) {
            off = size > MIB ? size - MIB : 0;
            len = MIB;
        } else {
            off = size / (SAMPLE_REGIONS + 1) * (uint64_t)r;
            len = SAMPLE_LEN;
        }
        if (off >= size)
            continue;
        if (len > size - off)
            len = size - off;
        ssize_t got = tsk_img_read(t, (TSK_OFF_T)off, buf, (size_t)len);
        if (got < 0) {
            *err_text = ms_asprintf("media read failed at byte %llu",
                                    (unsigned long long)off);
            rc = MS_ERR_IO;
            goto _exit;
        }
        EVP_DigestUpdate(c, buf, (size_t)got);
    }
    if (EVP_DigestFinal_ex(c, md, &mdlen) != 1) {
        rc = MS_ERR_INTERNAL;
        goto _exit;
    }
    to_hex(md, mdlen, hex);
    rc = MS_OK;
_exit:
    if (rc == MS_ERR_NOMEM && !*err_text)
        *err_text = ms_strdup("out of memory");
    EVP_MD_CTX_free(c);
    free(buf);
    ms_image_close(img);
    return rc;
}

ms_err ms_imgid_media_sha256(const char *const *paths, size_t n,
                             const char *type_name, char hex[65],
                             char **err_text)
{
    ms_imghash *h = NULL;
    ms_integrity ig;
    memset(&ig, 0, sizeof ig);
    *err_text = NULL;
    ms_err rc = ms_imghash_start(paths, n, type_name, &h);
    if (rc != MS_OK) {
        *err_text = ms_strdup("cannot start the media hash");
        return rc;
    }
    ms_imghash_finish(h, &ig);
    if (!ig.computed || !ig.computed_hex[MS_HASH_SHA256][0]) {
        *err_text = ms_asprintf("media hash failed: %s",
                                ig.note ? ig.note : "unknown reason");
        free(ig.note);
        return MS_ERR_IO;
    }
    memcpy(hex, ig.computed_hex[MS_HASH_SHA256], 65);
    free(ig.note);
    return MS_OK;
}

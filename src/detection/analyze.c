#include "detection/analyze.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/unpack_scan.h"

/* Large enough for few read calls through libtsk, small enough that the
 * hashing buffer of a huge file costs nothing. */
#define CHUNK (1u << 20)

typedef struct content {
    uint8_t *buf;       /* first max_scan_bytes, for magic/ELF/YARA */
    size_t   len;
    uint64_t total;     /* bytes read and hashed */
} content;

/* Stream the file through the hasher, keeping its head in memory. */
static ms_err read_content(const ms_analyzer *a, ms_fs_file *f, ms_file *mf,
                           content *c)
{
    ms_hasher *h = NULL;
    uint8_t *chunk = malloc(CHUNK);
    uint64_t size = mf->ref.size;
    size_t keep = size < a->max_scan_bytes ? (size_t)size
                                           : (size_t)a->max_scan_bytes;
    ms_err rc = MS_ERR_NOMEM;

    c->buf = malloc(keep ? keep : 1);
    if (!chunk || !c->buf || ms_hasher_new(&h) != MS_OK)
        goto _exit;
    while (c->total < size) {
        uint64_t want = size - c->total < CHUNK ? size - c->total : CHUNK;
        ssize_t got = ms_fs_file_read(f, c->total, chunk, (size_t)want);
        if (got <= 0)
            break;
        if ((rc = ms_hasher_update(h, chunk, (size_t)got)) != MS_OK)
            goto _exit;
        if (c->len < keep) {
            size_t n = keep - c->len < (size_t)got ? keep - c->len : (size_t)got;
            memcpy(c->buf + c->len, chunk, n);
            c->len += n;
        }
        c->total += (uint64_t)got;
    }
    rc = MS_OK;
    if (c->total == size && size > 0)
        rc = ms_hasher_final(h, mf->md5, mf->sha1, mf->sha256);
_exit:
    ms_hasher_free(h);
    free(chunk);
    return rc;
}

static const char *why_unreadable(const ms_file *mf, uint64_t got)
{
    if (mf->ref.size == 0 && mf->ref.deleted)
        return "deleted: the file system cleared the size and block map, "
               "content is not recoverable from metadata";
    if (mf->ref.size == 0)
        return "empty file";
    if (got == 0)
        return "content could not be read from the image";
    return NULL;
}

static ms_err scan_content(const ms_analyzer *a, ms_file *mf, const content *c)
{
    char *desc = ms_magic_describe(a->magic, c->buf, c->len);
    mf->magic = desc;
    ms_elf_parse(c->buf, c->len, &mf->elf);
    if (ms_content_is_executable_magic(c->buf, c->len))
        mf->executable = 1;
    if (!a->rules)
        return MS_OK;
    unsigned status = 0;
    ms_err rc = ms_rules_scan_ex(a->rules, c->buf, c->len, MS_YARA_TIMEOUT_S,
                                 MS_YARA_MAX_MATCHES, &mf->matches,
                                 &mf->nmatches, &status);
    if (rc == MS_OK && (status & MS_YSCAN_TIMEOUT))
        rc = ms_file_reason_take(mf, MS_R_YARA_TIMEOUT, MS_SEV_INFO,
                                 ms_strdup("YARA scan timed out; matches are "
                                           "partial"));
    if (rc == MS_OK && ms_unpack_wanted(mf, a->rules))
        rc = ms_unpack_file(mf, c->buf, c->len, c->total > c->len, a->rules,
                            a->extract_dir);
    return rc == MS_ERR_NOMEM ? rc : MS_OK;
}

/* Recovered content lives in memory: bound what we are prepared to hold. */
#define RECOVER_MAX_BYTES (64u << 20)

/* A deleted file whose block map was cleared: try older metadata (the
 * ext3/ext4 journal) through the backend.  Returns MS_OK with
 * mf->content_read set on success, MS_OK with a content_note otherwise. */
static ms_err recover_one(const ms_analyzer *a, ms_fs *fs, ms_file *mf,
                          const char *why_unreadable_text)
{
    ms_recovered *r = NULL;
    char *why = NULL;
    ms_hasher *h = NULL;
    ms_err rc = ms_fs_recover_deleted(fs, mf->ref.inode, RECOVER_MAX_BYTES,
                                      &r, &why);
    if (rc == MS_ERR_NOMEM)
        goto _exit;
    if (rc != MS_OK) {
        mf->content_note = why ? ms_asprintf("%s; %s", why_unreadable_text, why)
                               : ms_strdup(why_unreadable_text);
        rc = mf->content_note ? MS_OK : MS_ERR_NOMEM;
        goto _exit;
    }
    if ((rc = ms_hasher_new(&h)) != MS_OK ||
        (rc = ms_hasher_update(h, r->data, r->len)) != MS_OK ||
        (rc = ms_hasher_final(h, mf->md5, mf->sha1, mf->sha256)) != MS_OK)
        goto _exit;
    mf->recovery = ms_asprintf("recovered from the ext journal: %s",
                               r->provenance);
    if (!mf->recovery) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    mf->recovery_certainty = r->certainty;
    mf->recovery_method = r->method ? r->method : MS_RECOV_JOURNAL;
    mf->recovered_size = r->len;
    mf->recovered_block_lo = r->block_lo;
    mf->recovered_block_hi = r->block_hi;
    mf->content_read = 1;
    content c = { r->data, r->len, r->len };
    if (c.len > a->max_scan_bytes) {
        c.len = (size_t)a->max_scan_bytes;
        mf->scan_truncated = 1;
    }
    rc = scan_content(a, mf, &c);
_exit:
    ms_hasher_free(h);
    ms_recovered_free(r);
    free(why);
    return rc;
}

static ms_err analyze_one(const ms_analyzer *a, ms_fs *fs, ms_file *mf)
{
    ms_fs_file *f = NULL;
    content c = {0};
    ms_err rc = MS_OK;

    if (ms_fs_open_inode(fs, mf->ref.inode, &f) != MS_OK) {
        mf->content_note = ms_strdup("inode could not be opened");
        return MS_OK;
    }
    rc = read_content(a, f, mf, &c);
    if (rc)
        goto _exit;
    const char *why = why_unreadable(mf, c.total);
    if (why && mf->ref.deleted && mf->ref.size == 0) {
        rc = recover_one(a, fs, mf, why);
        goto _exit;
    }
    if (why) {
        mf->content_note = ms_strdup(why);
        goto _exit;
    }
    if (c.total < mf->ref.size)
        mf->content_note = ms_asprintf("only %llu of %llu bytes could be read",
                                       (unsigned long long)c.total,
                                       (unsigned long long)mf->ref.size);
    mf->content_read = 1;
    mf->scan_truncated = c.total > c.len;
    rc = scan_content(a, mf, &c);
_exit:
    free(c.buf);
    ms_fs_file_close(f);
    return rc;
}

ms_err ms_analyze_volume(const ms_analyzer *a, ms_fs *fs, ms_scan *scan,
                         int volume)
{
    for (size_t i = 0; i < scan->nfiles; i++) {
        ms_file *mf = &scan->files[i];
        if (mf->ref.volume != volume || mf->missing || mf->content_read ||
            mf->content_note || !mf->ref.has_inode)
            continue;
        if (mf->ref.meta_reused) {
            mf->content_note = ms_strdup("deleted name whose inode now "
                                         "belongs to another file");
            continue;
        }
        ms_err rc = analyze_one(a, fs, &scan->files[i]);
        if (rc)
            return rc;
    }
    return MS_OK;
}

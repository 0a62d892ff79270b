/* ext_replay.c - jbd2 replay set (see ext_replay.h). */
#include "evidence/ext_replay.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "evidence/ext_journal.h"
#include "evidence/overlay.h"

typedef struct copy {
    uint64_t fs_block;
    uint32_t seq;
    uint32_t jblock;
    size_t   order;     /* log order: the later copy wins */
    int      escaped;
} copy;

typedef struct jrevoke { uint64_t block; uint32_t seq; } jrevoke;

typedef struct jfile { TSK_FS_FILE *jf; uint32_t bs; } jfile;

static int jread(void *user, uint32_t j, uint8_t *buf)
{
    jfile *r = user;
    tsk_error_reset();
    ssize_t got = tsk_fs_file_read(r->jf, (TSK_OFF_T)j * r->bs, (char *)buf,
                                   r->bs, TSK_FS_FILE_READ_FLAG_NONE);
    return got == (ssize_t)r->bs ? 0 : -1;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Open the file system and its journal file; parse the journal sb. */
static ms_err open_journal(TSK_IMG_INFO *img, uint64_t off, TSK_FS_INFO **fsp,
                           jfile *jfp, ms_jsb *sb, uint8_t **bufp, char **why)
{
    uint8_t s[1024];
    *fsp = NULL;
    jfp->jf = NULL;
    *bufp = NULL;
    tsk_error_reset();
    if (tsk_img_read(img, (TSK_OFF_T)(off + 1024), (char *)s, sizeof s) !=
        (ssize_t)sizeof s) {
        *why = ms_strdup("superblock unreadable");
        return MS_ERR_UNSUPPORTED;
    }
    uint32_t jinum = le32(s + 0xE0);
    if (jinum == 0) {
        *why = ms_strdup("the file system has no internal journal");
        return MS_ERR_NOT_FOUND;
    }
    tsk_error_reset();
    TSK_FS_INFO *fs = tsk_fs_open_img(img, (TSK_OFF_T)off,
                                      TSK_FS_TYPE_EXT_DETECT);
    if (!fs) {
        *why = ms_strdup("libtsk cannot open the file system");
        return MS_ERR_UNSUPPORTED;
    }
    *fsp = fs;
    jfp->bs = fs->block_size;
    tsk_error_reset();
    jfp->jf = tsk_fs_file_open_meta(fs, NULL, jinum);
    *bufp = malloc(fs->block_size);
    if (!*bufp)
        return MS_ERR_NOMEM;
    if (!jfp->jf || !jfp->jf->meta || jread(jfp, 0, *bufp) != 0) {
        *why = ms_strdup("the journal inode could not be read");
        return MS_ERR_UNSUPPORTED;
    }
    if (ms_jsb_parse(*bufp, fs->block_size, sb) != MS_OK ||
        sb->blocksize != fs->block_size) {
        *why = ms_strdup("no valid jbd2 journal superblock");
        return MS_ERR_UNSUPPORTED;
    }
    uint64_t fblocks = (uint64_t)jfp->jf->meta->size / fs->block_size;
    if (sb->maxlen > fblocks)
        sb->maxlen = (uint32_t)fblocks;
    if (sb->first >= sb->maxlen) {
        *why = ms_strdup("journal superblock geometry is inconsistent");
        return MS_ERR_UNSUPPORTED;
    }
    return MS_OK;
}

static void close_journal(TSK_FS_INFO *fs, jfile *jf, uint8_t *buf)
{
    if (jf->jf)
        tsk_fs_file_close(jf->jf);
    if (fs)
        tsk_fs_close(fs);
    free(buf);
}

int ms_ext_journal_active(TSK_IMG_INFO *img, uint64_t off)
{
    TSK_FS_INFO *fs;
    jfile jf;
    ms_jsb sb;
    uint8_t *buf;
    char *why = NULL;
    int active = open_journal(img, off, &fs, &jf, &sb, &buf, &why) == MS_OK &&
                 sb.start != 0;
    close_journal(fs, &jf, buf);
    free(why);
    return active;
}

static int cmp_copy(const void *a, const void *b)
{
    const copy *x = a, *y = b;
    if (x->fs_block != y->fs_block)
        return x->fs_block < y->fs_block ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_revoke(const void *a, const void *b)
{
    const jrevoke *x = a, *y = b;
    return x->block < y->block ? -1 : x->block > y->block;
}

/* Sequence numbers wrap at 2^32: compare them as the kernel's tid_geq. */
static int tid_geq(uint32_t x, uint32_t y) { return (int32_t)(x - y) >= 0; }

static uint32_t next_block(const ms_jsb *sb, uint32_t j)
{
    return j + 1 >= sb->maxlen ? sb->first : j + 1;
}

ms_err ms_ext_replay_compute(TSK_IMG_INFO *img, uint64_t off,
                             ms_ext_replay *r, char **why)
{
    TSK_FS_INFO *fs = NULL;
    jfile jf = { NULL, 0 };
    ms_jsb sb;
    uint8_t *b = NULL;
    copy *cp = NULL;
    jrevoke *rv = NULL;
    size_t ncp = 0, cpcap = 0, nrv = 0, rvcap = 0;
    size_t committed_cp = 0, committed_rv = 0;
    ms_jtag *tags = NULL;
    uint64_t *rblks = NULL;
    ms_err rc;

    memset(r, 0, sizeof *r);
    *why = NULL;
    rc = open_journal(img, off, &fs, &jf, &sb, &b, why);
    if (rc)
        goto _exit;
    r->bs = sb.blocksize;
    if (sb.start == 0) {
        *why = ms_strdup("the journal is empty (s_start 0)");
        rc = MS_ERR_NOT_FOUND;
        goto _exit;
    }
    if (sb.start < sb.first || sb.start >= sb.maxlen) {
        *why = ms_strdup("journal start lies outside the log");
        rc = MS_ERR_UNSUPPORTED;
        goto _exit;
    }
    size_t max_tags = sb.blocksize / 8 + 1, max_rv = sb.blocksize / 4 + 1;
    tags = calloc(max_tags, sizeof *tags);
    rblks = calloc(max_rv, sizeof *rblks);
    if (!tags || !rblks) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }

    /* PASS_SCAN and PASS_REVOKE of fs/jbd2/recovery.c in one walk: at
     * most one lap of the log. */
    uint32_t expect = sb.sequence, j = sb.start;
    uint64_t visited = 0, limit = sb.maxlen - sb.first;
    r->seq_first = sb.sequence;
    while (visited < limit) {
        uint32_t type, seq;
        if (jread(&jf, j, b) != 0 || !ms_jblock_header(b, sb.blocksize, &type,
                                                       &seq) || seq != expect)
            break;
        visited++;
        if (type == MS_JBD2_DESCRIPTOR) {
            size_t nt = 0;
            if (ms_jdesc_parse(&sb, b, sb.blocksize, tags, max_tags, &nt))
                break;
            uint32_t p = j;
            for (size_t i = 0; i < nt && visited < limit; i++) {
                p = next_block(&sb, p);
                visited++;
                if (ncp >= MS_JOURNAL_MAX_ENTRIES) {
                    *why = ms_strdup("journal holds more block copies than "
                                     "the replay bound");
                    rc = MS_ERR_LIMIT;
                    goto _exit;
                }
                if (ms_grow((void **)&cp, &cpcap, ncp + 1, sizeof *cp)) {
                    rc = MS_ERR_NOMEM;
                    goto _exit;
                }
                cp[ncp] = (copy){ tags[i].fs_block, seq, p, ncp,
                                  (tags[i].flags & MS_JBD2_FLAG_ESCAPE) != 0 };
                ncp++;
            }
            j = next_block(&sb, p);
            continue;
        }
        if (type == MS_JBD2_REVOKE) {
            size_t nr = 0;
            if (ms_jrevoke_parse(&sb, b, sb.blocksize, rblks, max_rv, &nr))
                break;
            for (size_t i = 0; i < nr; i++) {
                if (nrv >= MS_JOURNAL_MAX_ENTRIES ||
                    ms_grow((void **)&rv, &rvcap, nrv + 1, sizeof *rv)) {
                    rc = nrv >= MS_JOURNAL_MAX_ENTRIES ? MS_ERR_LIMIT
                                                       : MS_ERR_NOMEM;
                    if (rc == MS_ERR_LIMIT)
                        *why = ms_strdup("too many jrevoke records");
                    goto _exit;
                }
                rv[nrv++] = (jrevoke){ rblks[i], seq };
            }
        } else if (type == MS_JBD2_COMMIT) {
            /* everything up to here belongs to committed transactions */
            committed_cp = ncp;
            committed_rv = nrv;
            r->ntrans++;
            r->seq_last = seq;
            expect++;
        } else {
            break;   /* a superblock or garbage inside the log: its end */
        }
        j = next_block(&sb, j);
    }
    r->uncommitted = ncp > committed_cp || nrv > committed_rv;
    ncp = committed_cp;
    nrv = committed_rv;
    if (r->ntrans == 0 || ncp == 0) {
        *why = ms_strdup(r->ntrans ? "the committed transactions hold no "
                                     "block copies"
                                   : "the journal holds no committed "
                                     "transaction");
        rc = MS_ERR_NOT_FOUND;
        goto _exit;
    }

    /* last copy per block; skip it if revoked by a transaction >= its own */
    qsort(cp, ncp, sizeof *cp, cmp_copy);
    if (nrv > 1)
        qsort(rv, nrv, sizeof *rv, cmp_revoke);
    size_t out = 0;
    uint64_t nblocks = fs->block_count;
    for (size_t i = 0; i < ncp; i++) {
        if (i + 1 < ncp && cp[i + 1].fs_block == cp[i].fs_block)
            continue;
        int revoked = 0;
        jrevoke key = { cp[i].fs_block, 0 };
        jrevoke *hit = nrv ? bsearch(&key, rv, nrv, sizeof key, cmp_revoke)
                          : NULL;
        if (hit) {
            while (hit > rv && hit[-1].block == key.block)
                hit--;
            for (; hit < rv + nrv && hit->block == key.block; hit++)
                if (tid_geq(hit->seq, cp[i].seq))
                    revoked = 1;
        }
        if (revoked) {
            r->nrevoked++;
            continue;
        }
        if (cp[i].fs_block >= nblocks) {
            r->nskipped++;
            continue;
        }
        cp[out++] = cp[i];
    }
    if ((uint64_t)out * sb.blocksize > MS_OVERLAY_MAX_BYTES) {
        *why = ms_asprintf("the replay set (%zu blocks) exceeds the %u MiB "
                           "in-memory bound", out, MS_OVERLAY_MAX_BYTES >> 20);
        rc = MS_ERR_LIMIT;
        goto _exit;
    }
    if (out == 0) {
        *why = ms_strdup("every journalled block was revoked");
        rc = MS_ERR_NOT_FOUND;
        goto _exit;
    }
    r->blocks = calloc(out, sizeof *r->blocks);
    r->data = malloc(out * (size_t)sb.blocksize);
    if (!r->blocks || !r->data) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    for (size_t i = 0; i < out; i++) {
        uint8_t *d = r->data + i * (size_t)sb.blocksize;
        if (jread(&jf, cp[i].jblock, d) != 0) {
            *why = ms_asprintf("journal block %u unreadable", cp[i].jblock);
            rc = MS_ERR_IO;
            goto _exit;
        }
        if (cp[i].escaped) {   /* JBD2_FLAG_ESCAPE: the magic was zeroed */
            d[0] = 0xC0; d[1] = 0x3B; d[2] = 0x39; d[3] = 0x98;
        }
        r->blocks[i] = cp[i].fs_block;
    }
    r->n = out;
    rc = MS_OK;
_exit:
    if (rc)
        ms_ext_replay_free(r);
    close_journal(fs, &jf, b);
    free(cp);
    free(rv);
    free(tags);
    free(rblks);
    return rc;
}

void ms_ext_replay_free(ms_ext_replay *r)
{
    free(r->blocks);
    free(r->data);
    r->blocks = NULL;
    r->data = NULL;
    r->n = 0;
}

#include "evidence/image.h"

#include <errno.h>
#include <libqcow.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "common/ms_mem.h"
#include "evidence/ewf_salvage.h"
#include "evidence/qcow.h"
#include "evidence/tolerant.h"
#include "evidence/qcow_snap.h"
#include "evidence/vdisk_check.h"
#include "evidence/vmdk_grains.h"

struct ms_image {
    TSK_IMG_INFO *tsk;           /* the tolerant view (tolerant.h) */
    TSK_IMG_INFO *under;         /* the decoded image under the view */
    ms_badlist    bad;           /* media ranges that could not be read */
    const char *const *given;    /* the paths as given (borrowed) */
    size_t        ngiven;
    const char   *container_hint;
    const char   *type_name;     /* set when not libtsk's own ("qcow2") */
    char         *blocker;       /* why the media cannot be examined */
    char         *damage_note;   /* a damaged container read in part */
    ms_qcow2     *q2;            /* qcow2 header and snapshot table */
};

char *ms_tsk_error(const char *fallback)
{
    const char *e = tsk_error_get();
    char *line = ms_strndup(e && *e ? e : fallback, 400);
    if (!line)
        return NULL;
    /* TSK messages span lines; a one-line error keeps stderr parseable. */
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return line;
}

/* Check each segment before libtsk sees it: its own messages for a missing
 * file or a directory are vague, and an empty file must not pass as a
 * zero-byte "clean" disk. */
static ms_err check_segment(const char *path, char **err_text)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *err_text = ms_asprintf("cannot open image '%s': %s", path,
                                strerror(errno));
        return MS_ERR_NOT_FOUND;
    }
    if (S_ISDIR(st.st_mode)) {
        *err_text = ms_asprintf("'%s' is a directory, not an image", path);
        return MS_ERR_ARG;
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        *err_text = ms_asprintf("image '%s' is empty", path);
        return MS_ERR_FORMAT;
    }
    return MS_OK;
}

/* libtsk 4.11 reads qcow files as raw bytes; say so instead of reporting
 * "no file system" without a reason. */
static const char *detect_container(TSK_IMG_INFO *img)
{
    unsigned char m[4];
    if (tsk_img_read(img, 0, (char *)m, sizeof m) != (ssize_t)sizeof m)
        return NULL;
    if (memcmp(m, "QFI\xfb", 4) == 0)
        return "qcow/qcow2 container, which libtsk 4.11 cannot decode "
               "(convert with 'qemu-img convert -O raw')";
    return NULL;
}

/* Replace libtsk's raw view of a qcow file by libqcow's guest disk.  A
 * qcow that cannot be read (backing file, encryption, a header feature
 * libqcow does not know, a header it rejects) stays open as raw bytes
 * with a blocker: the scan reports it as one volume not examined, with
 * the reason, and still writes the report, instead of failing blind. */
static ms_err reopen_qcow(ms_image *img, const char *path, char **err_text)
{
    TSK_IMG_INFO *q = NULL;
    const char *type = "qcow2";
    char *why = NULL;
    ms_err rc = ms_qcow2_open(path, &img->q2, &why);
    if (rc == MS_ERR_NOMEM)
        return rc;
    img->type_name = type;
    if (rc) {
        img->blocker = ms_asprintf("qcow header not readable: %s",
                                   why ? why : ms_strerror(rc));
        free(why);
        return img->blocker ? MS_OK : MS_ERR_NOMEM;
    }
    /* Named before libqcow sees them: it reports these as "unable to
     * open file", which reads like a missing file. */
    if ((img->blocker = ms_qcow2_unsupported(img->q2)) != NULL)
        return MS_OK;
    rc = ms_qcow_open(path, &q, &type, &why);
    img->type_name = type;
    if (rc == MS_ERR_UNSUPPORTED || rc == MS_ERR_FORMAT) {
        img->blocker = why ? why : ms_strdup("libqcow cannot open the image");
        return img->blocker ? MS_OK : MS_ERR_NOMEM;
    }
    if (rc) {
        *err_text = ms_asprintf("cannot open image '%s': %s", path,
                                why ? why : ms_strerror(rc));
        free(why);
        return rc;
    }
    if (ms_qcow2_version(img->q2) >= 2) {
        /* libqcow validated the image; our reader reads it (see
         * ms_qcow2_current_open: libqcow misreads zero clusters). */
        TSK_IMG_INFO *own = NULL;
        tsk_img_close(q);
        rc = ms_qcow2_current_open(img->q2, &own, &why);
        if (rc == MS_ERR_NOMEM)
            return rc;
        if (rc) {
            img->blocker = ms_asprintf("qcow2 guest disk not readable: %s",
                                       why ? why : ms_strerror(rc));
            free(why);
            return img->blocker ? MS_OK : MS_ERR_NOMEM;
        }
        q = own;
    }
    tsk_img_close(img->tsk);
    img->tsk = q;
    return MS_OK;
}

/* An E01 cut short opens in libewf but yields no chunk at all (its chunk
 * table was written after the chunks); ewf_salvage.h reads the chunks
 * present.  *used is set when the salvage reader replaced img->tsk. */
static ms_err salvage_ewf(ms_image *img, const char *const *paths, size_t n,
                          int *used)
{
    TSK_IMG_INFO *s = NULL;
    char *note = NULL;
    ms_err rc = ms_ewf_salvage_open(paths, n, &img->bad, &s, &note);
    *used = 0;
    if (rc == MS_OK && s) {
        if (img->tsk)
            tsk_img_close(img->tsk);
        img->tsk = s;
        img->type_name = "ewf";
        img->damage_note = note;
        *used = 1;
        return MS_OK;
    }
    free(note);
    return rc == MS_ERR_NOMEM ? rc : MS_OK;
}

ms_err ms_image_open(const char *const *paths, size_t n, const char *type_name,
                     ms_image **out, char **err_text)
{
    ms_err rc = MS_OK;
    ms_image *img = NULL;
    TSK_IMG_TYPE_ENUM type = TSK_IMG_TYPE_DETECT;

    *out = NULL;
    if (n == 0 || n > 10000) {
        *err_text = ms_strdup("no image given");
        return MS_ERR_ARG;
    }
    for (size_t i = 0; i < n; i++)
        if ((rc = check_segment(paths[i], err_text)) != MS_OK)
            return rc;
    if (type_name && strcmp(type_name, "auto") != 0) {
        type = tsk_img_type_toid_utf8(type_name);
        if (type == TSK_IMG_TYPE_UNSUPP) {
            *err_text = ms_asprintf("unknown image type '%s' (see --help)",
                                    type_name);
            return MS_ERR_ARG;
        }
    }
    img = calloc(1, sizeof *img);
    if (!img)
        return MS_ERR_NOMEM;
    img->given = paths;
    img->ngiven = n;
    /* A differencing VHD/VHDX/VMDK or a seSparse VMDK: libvhdi/libvmdk
     * would fail without saying why or read it as raw bytes.  Named
     * here, opened as raw bytes (what --hash then covers), and reported
     * as one volume not examined. */
    if (n == 1 && (type == TSK_IMG_TYPE_DETECT || type == TSK_IMG_TYPE_VHD_VHD ||
                   type == TSK_IMG_TYPE_VMDK_VMDK) &&
        (img->blocker = ms_vdisk_unsupported(paths[0], &img->type_name)))
        type = TSK_IMG_TYPE_RAW;
    tsk_error_reset();
    img->tsk = tsk_img_open_utf8((int)n, (const char *const *)paths, type, 0);
    int salvaged = 0;
    if (type == TSK_IMG_TYPE_DETECT || (type & TSK_IMG_TYPE_EWF_EWF)) {
        /* (libtsk's error stays set: the salvage calls no libtsk
         * function unless it succeeds) */
        if (!img->tsk || (img->tsk->itype & TSK_IMG_TYPE_EWF_EWF)) {
            rc = salvage_ewf(img, paths, n, &salvaged);
            if (rc)
                goto _exit;
        }
    }
    if (!img->tsk) {
        char *why = ms_tsk_error("unrecognised image format");
        *err_text = ms_asprintf("cannot open image '%s': %s", paths[0],
                                why ? why : "unrecognised image format");
        free(why);
        rc = MS_ERR_FORMAT;
        goto _exit;
    }
    if (img->tsk->size <= 0) {
        *err_text = ms_asprintf("image '%s' has no readable media data",
                                paths[0]);
        rc = MS_ERR_FORMAT;
        goto _exit;
    }
    if (salvaged) {
        /* an E01, read by ewf_salvage */
    } else if (n == 1 && type == TSK_IMG_TYPE_DETECT &&
               ms_qcow_detect(img->tsk)) {
        rc = reopen_qcow(img, paths[0], err_text);
        if (rc)
            goto _exit;
    } else if (!img->blocker) {
        img->container_hint = detect_container(img->tsk);
    }
    if (!img->blocker) {
        /* Damaged or truncated media: examine what can be read. */
        img->under = img->tsk;
        img->tsk = NULL;
        rc = ms_tolerant_open(img->under, (uint64_t)img->under->size,
                              &img->bad, &img->tsk);
        if (rc)
            goto _exit;
        /* libvmdk reads grains past the end of a cut-short extent as
         * zeros without an error: list them from the grain tables. */
        if (n == 1 && (img->under->itype & TSK_IMG_TYPE_VMDK_VMDK) &&
            !img->damage_note &&
            (rc = ms_vmdk_missing_grains(paths[0], &img->bad,
                                         &img->damage_note)))
            goto _exit;
    }
    *out = img;
    img = NULL;
_exit:
    ms_image_close(img);
    return rc;
}

TSK_IMG_INFO *ms_image_tsk(const ms_image *img) { return img->tsk; }

const char *ms_image_type_name(const ms_image *img)
{
    if (img->type_name)
        return img->type_name;
    const TSK_IMG_INFO *t = img->under ? img->under : img->tsk;
    const char *n = tsk_img_type_toname(t->itype);
    return n ? n : "unknown";
}

uint64_t ms_image_size(const ms_image *img)
{
    return (uint64_t)(img->under ? img->under : img->tsk)->size;
}

const ms_badlist *ms_image_unreadable(const ms_image *img)
{
    return &img->bad;
}

ms_err ms_image_view(ms_image *img, uint64_t size, int record,
                     TSK_IMG_INFO **out)
{
    *out = NULL;
    if (!img->under)
        return MS_ERR_UNSUPPORTED;
    return ms_tolerant_open(img->under, size, record ? &img->bad : NULL, out);
}

unsigned ms_image_sector_size(const ms_image *img)
{
    return img->tsk->sector_size;
}

const char *ms_image_container_hint(const ms_image *img)
{
    return img->container_hint;
}

const char *ms_image_blocker(const ms_image *img) { return img->blocker; }

const char *ms_image_damage_note(const ms_image *img)
{
    return img->damage_note;
}

const char *ms_image_hashed_what(const ms_image *img)
{
    return img->blocker || img->container_hint ? "container file" : "media";
}

size_t ms_image_snapshot_count(const ms_image *img)
{
    return img->q2 ? ms_qcow2_snapshot_count(img->q2) : 0;
}

const char *ms_image_snapshot_error(const ms_image *img)
{
    return img->q2 ? ms_qcow2_snapshot_error(img->q2) : NULL;
}

char *ms_image_snapshot_label(const ms_image *img, size_t i, uint64_t *size)
{
    const ms_qcow2_snapshot *s = img->q2 ? ms_qcow2_snapshot_get(img->q2, i)
                                         : NULL;
    char date[32] = "?";
    struct tm tm;
    time_t t;
    if (!s)
        return NULL;
    t = (time_t)s->date_sec;
    if (gmtime_r(&t, &tm))
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    *size = s->disk_size;
    return ms_asprintf("snapshot '%s' (id %s, %s)", s->name, s->id, date);
}

ms_err ms_image_snapshot_open(const ms_image *img, size_t i,
                              TSK_IMG_INFO **out, char **why)
{
    *out = NULL;
    if (!img->q2)
        return MS_ERR_ARG;
    /* A snapshot of an overlay or of an encrypted image is as unreadable
     * as its current state. */
    if (img->blocker) {
        *why = ms_strdup(img->blocker);
        return *why ? MS_ERR_UNSUPPORTED : MS_ERR_NOMEM;
    }
    return ms_qcow2_snapshot_open(img->q2, i, out, why);
}

void ms_image_close(ms_image *img)
{
    if (!img)
        return;
    if (img->tsk)
        tsk_img_close(img->tsk);
    if (img->under)
        tsk_img_close(img->under);
    ms_badlist_free(&img->bad);
    free(img->blocker);
    free(img->damage_note);
    ms_qcow2_close(img->q2);
    free(img);
}

void ms_image_types_print(FILE *out)
{
    tsk_img_type_print(out);
}

const char *ms_image_tsk_version(void)
{
    return tsk_version_get_str();
}

const char *ms_image_qcow_version(void)
{
    return libqcow_get_version();
}

/* The image libtsk decoded from the files (under the tolerant view). */
static const TSK_IMG_INFO *decoded(const ms_image *img)
{
    const TSK_IMG_INFO *t = img->under ? img->under : img->tsk;
    return t && t->num_img > 0 && t->images ? t : NULL;
}

size_t ms_image_segment_count(const ms_image *img)
{
    const TSK_IMG_INFO *t = decoded(img);
    return t ? (size_t)t->num_img : img->ngiven;
}

const char *ms_image_segment(const ms_image *img, size_t i)
{
    const TSK_IMG_INFO *t = decoded(img);
    if (t)
        return i < (size_t)t->num_img ? t->images[i] : NULL;
    return i < img->ngiven ? img->given[i] : NULL;
}

uint64_t ms_image_segment_size(const ms_image *img, size_t i)
{
    struct stat st;
    const char *p = ms_image_segment(img, i);
    if (!p || stat(p, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    return (uint64_t)st.st_size;
}

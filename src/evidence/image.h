/* image.h - open a disk image read-only through libtsk.
 *
 * libtsk opens every format it supports (raw, split raw, E01, VMDK, VHD,
 * AFF) with read-only file descriptors or libewf's read mode, and never
 * creates files, so the evidence cannot change through this module.
 * qcow and qcow2 (auto-detected by their magic) are read by libqcow in
 * read-only mode instead, see qcow.h. */
#ifndef MS_IMAGE_H
#define MS_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"

typedef struct ms_image ms_image;

/* Open `n` paths as one image (several paths are segments of a split raw or
 * E01 image; a single first segment is enough, libtsk finds the rest).
 * type_name is a libtsk image type name ("raw", "ewf", ...) or NULL for
 * auto-detection.  The paths must outlive the image.  On failure
 * *err_text gets a malloc'd one-line reason. */
ms_err ms_image_open(const char *const *paths, size_t n, const char *type_name,
                     ms_image **out, char **err_text);

TSK_IMG_INFO *ms_image_tsk(const ms_image *img);
const char   *ms_image_type_name(const ms_image *img); /* "raw", "ewf" ... */
uint64_t      ms_image_size(const ms_image *img);
unsigned      ms_image_sector_size(const ms_image *img);

/* Non-NULL when the bytes look like a container libtsk does not decode
 * (e.g. qcow2), which libtsk would otherwise read as raw bytes. */
const char   *ms_image_container_hint(const ms_image *img);

/* Non-NULL when the media opened but cannot be examined (a qcow2 overlay
 * whose backing file is not resolved, an encrypted qcow): the reason. */
const char   *ms_image_blocker(const ms_image *img);

/* Non-NULL when the container is damaged (an E01 cut short) and only the
 * part present is read: what was damaged, in words (ewf_salvage.h). */
const char   *ms_image_damage_note(const ms_image *img);

/* Media ranges that could not be read so far (tolerant.h): reads of the
 * image never fail, missing bytes read as zeros and are listed here. */
struct ms_badlist;
const struct ms_badlist *ms_image_unreadable(const ms_image *img);

/* Another tolerant view of the image, `size` bytes long (may exceed the
 * image: a partition table of a truncated copy).  With `record`, the bytes
 * past the end are listed as unreadable; without, the view is a probe.
 * The caller closes *out (tsk_img_close) before the image. */
ms_err ms_image_view(ms_image *img, uint64_t size, int record,
                     TSK_IMG_INFO **out);

/* What the TSK view presents, for the media hash: "media" (the guest
 * disk or media stream) or "container file" (the image file's own bytes,
 * when the container could not be decoded).  Static string. */
const char   *ms_image_hashed_what(const ms_image *img);

/* qcow2 internal snapshots (0 for other formats): each is a guest disk of
 * its own, examined like the current state.  The label is malloc'd, e.g.
 * "snapshot 'before-clean' (id 1, 2026-12-05T13:04:52Z)" (stored bytes,
 * unescaped); *size its guest size.  _error: why the snapshot table
 * could not be read to its end, or NULL. */
size_t        ms_image_snapshot_count(const ms_image *img);
const char   *ms_image_snapshot_error(const ms_image *img);
char         *ms_image_snapshot_label(const ms_image *img, size_t i,
                                      uint64_t *size);
ms_err        ms_image_snapshot_open(const ms_image *img, size_t i,
                                     TSK_IMG_INFO **out, char **why);

void ms_image_close(ms_image *img);

/* libtsk's last error as one line (newlines folded), or `fallback`;
 * malloc'd, caller frees. */
char *ms_tsk_error(const char *fallback);

/* The files the image was read from, in order: every segment libtsk
 * found (a split raw or E01 given by its first segment lists them all),
 * or the paths given when the reader does not say (qcow).  Strings are
 * owned by img; NULL past the end. */
size_t      ms_image_segment_count(const ms_image *img);
const char *ms_image_segment(const ms_image *img, size_t i);
/* Size in bytes of segment i's file, 0 when it cannot be read. */
uint64_t    ms_image_segment_size(const ms_image *img, size_t i);

/* The image formats this libtsk opens, one per line with a description
 * (for -t list). */
void ms_image_types_print(FILE *out);

/* Versions of the libraries behind this module, static strings (for the
 * provenance record and --version). */
const char *ms_image_tsk_version(void);
const char *ms_image_qcow_version(void);

#endif

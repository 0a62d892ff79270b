/* imghash.h - MD5, SHA-1 and SHA-256 of an image's media stream, computed
 * in one sequential pass on a thread of its own, while the scan runs.
 *
 * The libtsk image handle is not thread-safe (its read cache is shared
 * state), so the hashing thread never touches the scan's handle: it opens
 * its own read-only image with ms_image_open() on the same paths and
 * image type, so it reads exactly what the scan reads.  Both
 * handles read the same files through read-only descriptors (or libewf's
 * read mode); nothing is written.  The media is read once, in 4 MiB
 * chunks into two alternating buffers; one worker thread per algorithm
 * digests the chunk just read while the next one is being read, so the
 * three hashes run in parallel with each other and with the scan.
 *
 * The "media stream" is what the scan reads as the disk: for raw and
 * split raw images the concatenated bytes, for E01 the decompressed media
 * (which is what an E01's stored acquisition hash covers), for qcow/qcow2
 * the guest disk decoded by libqcow (its current state; internal
 * snapshots are not part of it), for VMDK/VHD the disk libtsk decodes.
 * A container that cannot be decoded (a qcow2 overlay, zstd, ...) is
 * hashed as the container file's own bytes, and ms_integrity.hashed_what
 * says so. */
#ifndef MS_IMGHASH_H
#define MS_IMGHASH_H

#include <stddef.h>
#include "common/ms_error.h"
#include "common/ms_model.h"

typedef struct ms_imghash ms_imghash;

/* Start hashing `paths` (copied) on a new thread.  type_name as for
 * ms_image_open (NULL: detect). */
ms_err ms_imghash_start(const char *const *paths, size_t n,
                        const char *type_name, ms_imghash **out);

/* Wait for the thread and store the result in `ig` (computed, bytes,
 * computed_hex, or note on failure).  Frees h. */
ms_err ms_imghash_finish(ms_imghash *h, ms_integrity *ig);

/* Fill ig->check[] from computed_hex and stored_hex. */
void ms_integrity_compare(ms_integrity *ig);

/* 1 when any stored hash disagrees with the computed one. */
int ms_integrity_mismatch(const ms_integrity *ig);

/* Overall: "mismatch" (any stored hash differs), "verified" (at least one
 * stored hash matches, none differs), "computed" (hashed, nothing stored
 * to compare with), "not_checked" (no --hash, nothing compared). */
const char *ms_integrity_state(const ms_integrity *ig);

/* "MD5", "SHA-1", "SHA-256"; "md5", "sha1", "sha256" (JSON keys). */
const char *ms_hash_algo_title(enum ms_hash_algo a);
const char *ms_hash_algo_key(enum ms_hash_algo a);
/* "verified" | "mismatch" | "not_stored" | "not_computed" */
const char *ms_hash_check_name(enum ms_hash_check c);

#endif

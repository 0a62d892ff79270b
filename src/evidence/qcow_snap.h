/* qcow_snap.h - our own reader of qcow2 metadata: the header's feature
 * bits and extensions, and the internal snapshot table.
 *
 * libqcow 20201213 reads only the current state of a qcow2 (it can count
 * snapshots but not open one) and refuses images with newer incompatible
 * features with a message that reads like a missing file.  A qcow2's
 * internal snapshots ("qemu-img snapshot -c", libvirt, cloud images)
 * keep older guest disks in the same file, so evidence overwritten since
 * can survive there; this module lists them and presents each snapshot's
 * guest disk to libtsk through imgwrap (its own L1/L2 tables, zlib
 * clusters decompressed), and names every header feature the readers
 * cannot handle so the image is reported "not examined" with the reason.
 *
 * Everything read from the file is hostile: sizes, offsets and counts
 * are checked against the file size and fixed bounds before use.  The
 * file is opened O_RDONLY and only pread(). */
#ifndef MS_QCOW_SNAP_H
#define MS_QCOW_SNAP_H

#include <stddef.h>
#include <stdint.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"

/* More snapshots are listed but not walked: each is a full disk. */
#define MS_QCOW2_MAX_SNAPSHOTS_EXAMINED 64

typedef struct ms_qcow2_snapshot {
    char    *id;            /* id string as stored (any bytes), NUL-ended */
    char    *name;          /* name as stored (any bytes), NUL-ended */
    int64_t  date_sec;      /* when it was taken, UTC seconds */
    uint64_t l1_offset;
    uint32_t l1_size;       /* L1 entries */
    uint64_t disk_size;     /* guest size at the time of the snapshot */
} ms_qcow2_snapshot;

typedef struct ms_qcow2 ms_qcow2;

/* Read the header of the qcow/qcow2 file `path`.  qcow v1 is accepted
 * (no features, no snapshots).  MS_ERR_FORMAT with *err_text when the
 * header itself is unreadable or inconsistent. */
ms_err ms_qcow2_open(const char *path, ms_qcow2 **out, char **err_text);

/* NULL when both libqcow and this reader can read the image; otherwise a
 * malloc'd sentence naming each feature that prevents it (external data
 * file with its recorded name, zstd compression, extended L2 entries,
 * unknown incompatible feature bits). */
char *ms_qcow2_unsupported(const ms_qcow2 *q);

/* Snapshots in table order.  When the table itself is damaged,
 * ms_qcow2_snapshot_error() says why (and count is what could be read). */
size_t ms_qcow2_snapshot_count(const ms_qcow2 *q);
const ms_qcow2_snapshot *ms_qcow2_snapshot_get(const ms_qcow2 *q, size_t i);
const char *ms_qcow2_snapshot_error(const ms_qcow2 *q);

/* Open snapshot i's guest disk as a TSK image (read through its own
 * descriptor).  On failure *why says why (malloc'd). */
ms_err ms_qcow2_snapshot_open(const ms_qcow2 *q, size_t i,
                              TSK_IMG_INFO **out, char **why);

/* The current state's guest disk through the same reader.  libqcow
 * 20201213 reads a qcow2 v3 "all zeros" cluster (L2 entry with bit 0
 * set and no offset, written by discards, `qemu-img convert -n` and
 * snapshots) from byte 0 of the file - the header - instead of zeros, so
 * qcow2 guest disks are read here; libqcow still validates the image
 * and reads qcow v1.  Refuses backing files and encryption. */
ms_err ms_qcow2_current_open(const ms_qcow2 *q, TSK_IMG_INFO **out,
                             char **why);

/* 1, 2 or 3. */
int ms_qcow2_version(const ms_qcow2 *q);

void ms_qcow2_close(ms_qcow2 *q);

#endif

/* rpmdb.h - installed packages from an image's rpm database.
 *
 * RHEL, Fedora and SUSE record installed packages as rpm "header blobs"
 * (rpm docs/manual/format.md, lib/header.c headerImport):
 *   int32 il   number of index entries       (big-endian, like all ints)
 *   int32 dl   bytes of the data store
 *   il x { int32 tag, int32 type, int32 offset, int32 count }
 *   dl bytes of data; a STRING (type 6) is NUL-terminated at offset.
 * A blob may start with the 8-byte header magic 8e ad e8 01 00 00 00 00
 * (as in a package file); the database stores it without.  Tags used:
 * 1000 NAME, 1001 VERSION, 1002 RELEASE.
 *
 * Where the blobs are:
 *  - SQLite (rpm >= 4.16: RHEL 9, Fedora >= 33, current SUSE):
 *    /var/lib/rpm/rpmdb.sqlite or /usr/lib/sysimage/rpm/rpmdb.sqlite,
 *    table Packages(hnum, blob).  Opened from a copy in memory with
 *    sqlite3_deserialize, read-only; a copy whose header says WAL is
 *    marked rollback-journal in memory so that SQLite's in-memory VFS
 *    opens it (the -wal file itself is not read);
 *  - Berkeley DB /var/lib/rpm/Packages (RHEL 7/8) and ndb
 *    /var/lib/rpm/Packages.db (SUSE): not parsed as databases.  A
 *    bounded scan looks for blobs stored contiguously (ndb stores them
 *    so; Berkeley DB splits large ones over overflow pages), and, for
 *    the split ones, for the SOURCERPM string "NAME-VERSION-RELEASE.src.rpm"
 *    of the wanted package, which lies inside one page.
 * Every byte is hostile: every length and offset is checked against the
 * blob, loops are bounded. */
#ifndef MS_RPMDB_H
#define MS_RPMDB_H

#include <stddef.h>
#include <stdint.h>
#include "common/ms_error.h"

#define MS_RPM_TAG_NAME    1000
#define MS_RPM_TAG_VERSION 1001
#define MS_RPM_TAG_RELEASE 1002

#define MS_RPM_INDEX_MAX   0xffffu          /* rpm's hdrchkTags bound */
#define MS_RPM_DATA_MAX    (256u << 20)     /* rpm's hdrchkData bound */
#define MS_RPMDB_ROWS_MAX  200000u          /* packages looked at */

typedef struct ms_rpm_nvr {
    char *name, *version, *release;   /* printable copies; release may
                                         be NULL when the tag is absent */
} ms_rpm_nvr;

void ms_rpm_nvr_clear(ms_rpm_nvr *n);

/* Parse one header blob.  MS_OK with out filled, MS_ERR_FORMAT when the
 * blob is malformed or has no NAME and VERSION, MS_ERR_NOMEM. */
ms_err ms_rpm_header_nvr(const uint8_t *blob, size_t len, ms_rpm_nvr *out);

/* Called for each package found; return non-zero to stop. */
typedef int (*ms_rpm_pkg_cb)(const ms_rpm_nvr *pkg, void *arg);

/* Every package of an rpmdb.sqlite image held in memory (data, len; not
 * modified).  MS_OK, MS_ERR_FORMAT when SQLite cannot read it as an rpm
 * database (*why, static, says why), MS_ERR_NOMEM. */
ms_err ms_rpmdb_sqlite_each(const uint8_t *data, size_t len,
                            ms_rpm_pkg_cb cb, void *arg, const char **why);

/* The database as SQLite would see it with its write-ahead log: the
 * committed frames of wal (the bytes of "rpmdb.sqlite-wal": a 32-byte
 * header, then frames of a 24-byte header and one page, valid while
 * their salt is the header's and SQLite's running checksum holds; only
 * frames up to the last commit frame count, wal.c's recovery rule)
 * written over a copy of db, its size the last commit's page count.
 * Done in memory: nothing is written next to the evidence.  MS_OK with
 * *out (malloc'd, at most max bytes), *outlen and *frames (frames
 * applied); MS_ERR_FORMAT with *why (static) when the log cannot be
 * applied; MS_ERR_NOMEM. */
ms_err ms_rpmdb_wal_apply(const uint8_t *db, size_t len, const uint8_t *wal,
                          size_t wlen, size_t max, uint8_t **out,
                          size_t *outlen, unsigned *frames,
                          const char **why);

/* Bounded scan of a Berkeley DB or ndb Packages file for the package
 * named `name` (see above).  MS_OK and *found = 1 with out filled when
 * found, else *found = 0; MS_ERR_NOMEM. */
ms_err ms_rpmdb_scan_for(const uint8_t *data, size_t len, const char *name,
                         ms_rpm_nvr *out, int *found);

#endif

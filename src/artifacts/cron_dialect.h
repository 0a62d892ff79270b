/* cron_dialect.h - which cron implementation does the image run?
 *
 * The rules for a crontab line differ between cron implementations (see
 * cron_sched.h and docs/detection.md "Cron dialects"), so the scanner
 * first identifies the image's cron, from evidence in this order:
 *  1. dpkg's database /var/lib/dpkg/status: an installed package "cron"
 *     (Debian/Ubuntu Vixie cron 3.0pl1), "cronie" (with its version),
 *     "systemd-cron", or "busybox-cron";
 *  2. Alpine's /lib/apk/db/installed: "cronie" (version), else BusyBox
 *     crond, Alpine's default;
 *  3. the rpm database (rpmdb.h): /var/lib/rpm/rpmdb.sqlite,
 *     /usr/lib/sysimage/rpm/rpmdb.sqlite (SQLite), /var/lib/rpm/Packages
 *     (Berkeley DB), /var/lib/rpm/Packages.db and
 *     /usr/lib/sysimage/rpm/Packages.db (ndb): package "cronie" (or
 *     "cronie-anacron", same version) by version, or "systemd-cron";
 *  3b. the cron daemon itself: /usr/sbin/crond or /usr/sbin/cron holding
 *     cronie's version string "cronie X.Y.Z" (cronie prints it for -V);
 *  4. /usr/share/doc/cron (a directory: Debian's cron package docs) and
 *     /usr/sbin/cron: Debian's cron, for a root file system whose /var
 *     (and so dpkg's status) is a separate partition;
 *  5. /bin/freebsd-version: FreeBSD's cron.
 * Nothing found: MS_CRON_DIALECT_UNKNOWN, and lines are read with every
 * modelled dialect (cron_parse.h).
 *
 * Every input is hostile: files are read up to fixed bounds, and the
 * parsers below take byte buffers so that tests need no image. */
#ifndef MS_CRON_DIALECT_H
#define MS_CRON_DIALECT_H

#include <stddef.h>
#include "artifacts/cron_sched.h"
#include "common/ms_error.h"
#include "evidence/fs.h"

#define MS_DIALECT_DPKG_MAX   (32u * 1024u * 1024u) /* bytes of dpkg status */
#define MS_DIALECT_BIN_MAX    (8u * 1024u * 1024u)  /* bytes of the daemon */
#define MS_DIALECT_RPMDB_MAX  (256u * 1024u * 1024u) /* bytes of an rpm db */

typedef struct ms_cron_dialect_info {
    ms_cron_dialect dialect;
    char *version;      /* package or binary version, or NULL */
    char *why;          /* the evidence in words (never NULL after a
                           successful detect) */
} ms_cron_dialect_info;

/* Identify the cron of the file system mounted at "/" (fs).  MS_OK with
 * *out filled (caller clears it), MS_ERR_NOMEM. */
ms_err ms_cron_dialect_detect(ms_fs *fs, ms_cron_dialect_info *out);

void ms_cron_dialect_info_clear(ms_cron_dialect_info *info);

/* Dialect from a cronie version string ("1.5.7", "1.7.2-r0"): before
 * or from 1.6.0. */
ms_cron_dialect ms_cron_dialect_cronie(const char *version);

/* From the text of a dpkg status file: MS_OK and out->dialect set (UNKNOWN
 * when no cron package is installed), version and why filled when found. */
ms_err ms_cron_dialect_from_dpkg(const char *text, size_t len,
                                 ms_cron_dialect_info *out);

/* From Alpine's apk installed database. */
ms_err ms_cron_dialect_from_apk(const char *text, size_t len,
                                ms_cron_dialect_info *out);

/* From the bytes of an rpm database file read from path (named in the
 * explanation): SQLite when it starts with SQLite's magic, else the
 * bounded blob scan of rpmdb.h.  MS_OK with out->dialect UNKNOWN when no
 * cron package is found or the database cannot be read. */
ms_err ms_cron_dialect_from_rpmdb(const unsigned char *data, size_t len,
                                  const char *path,
                                  ms_cron_dialect_info *out);

/* The same with the bytes of the database's "-wal" file (wal may be
 * NULL): its committed frames are applied to a copy in memory
 * (rpmdb.h ms_rpmdb_wal_apply) and the explanation says whether they
 * were.  When no cron package is found, out->dialect is UNKNOWN and
 * out->why says how the database was read. */
ms_err ms_cron_dialect_from_rpmdb_wal(const unsigned char *data, size_t len,
                                      const unsigned char *wal, size_t wlen,
                                      const char *path,
                                      ms_cron_dialect_info *out);

/* From the bytes of a cron daemon binary: cronie's "cronie X.Y.Z". */
ms_err ms_cron_dialect_from_binary(const unsigned char *data, size_t len,
                                   ms_cron_dialect_info *out);

/* 1 if the passwd(5) text names user in the first field of a line
 * (what getpwnam() finds in /etc/passwd; BusyBox crond's load_crontab
 * ignores the crontab of a name it does not find). */
int ms_passwd_has_user(const char *text, size_t len, const char *user);

#define MS_DIALECT_PASSWD_MAX (16u * 1024u * 1024u) /* bytes of names kept */

/* The user names of /etc/passwd, one "name:" per line (the file is read
 * whole; junk lines without a name are left out), malloc'd; NULL when
 * absent, unreadable or holding more than MS_DIALECT_PASSWD_MAX bytes of
 * names, so that no user check is made (*err MS_ERR_NOMEM when that was
 * the cause). */
char *ms_cron_read_passwd(ms_fs *fs, size_t *len, ms_err *err);

/* Would this cron skip a whole crontab file?  Returns 1 and a
 * static explanation in *why when it would.  name is the file's name,
 * in_crond 1 for a file of /etc/cron.d, system 1 for /etc/crontab and
 * /etc/cron.d, mode and uid from the inode.  Rules:
 *  - cronie (database.c not_a_crontab, check_open, PermitAnyCrontab
 *    off, its default): names starting with '.' or '#', ending in '~',
 *    ".rpmsave", ".rpmorig", ".rpmnew" are skipped; a file whose
 *    mode & 07533 is not 0400 ("BAD FILE MODE": group- or world-
 *    writable, executable, set-id) and a system file not owned by root
 *    ("WRONG FILE OWNER") are refused;
 *  - Debian's cron: a file in /etc/cron.d whose name has characters
 *    other than letters, digits, '_' and '-' (cron(8), the run-parts
 *    naming rule) is skipped.
 * Other dialects: 0 (not modelled). */
int ms_cron_file_ignored(ms_cron_dialect d, const char *name, int in_crond,
                         int system, unsigned mode, unsigned uid,
                         const char **why);

#endif

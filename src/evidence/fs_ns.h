/* fs_ns.h - the server's mount namespace: several file systems seen as
 * one tree, as the running system saw its files.
 *
 * A namespace is an ms_fs: the collectors and the path resolver read it
 * like any file system, and every path they see or report is the
 * server's path.  Each lookup goes to the mount with the longest prefix
 * of the path (compared component by component), whose file system gets
 * the rest of the path.  Files opened through a namespace belong to the
 * mounted file system (f->fs is that backend), so reads and stats need no
 * translation; ms_fs_volume_at() says which volume a path lies on.
 *
 * Besides file systems, a namespace knows mount points with nothing in
 * the image behind them (a volume fstab names that the image lacks, a
 * network file system): lookups there find nothing, and
 * ms_fs_absent_at() says why, so "not in the image" is never confused
 * with "deleted".  tmpfs mounts are "shadow" entries: the directory
 * beneath them stays readable (the server could not see it while the
 * tmpfs was mounted, an examiner can), and ms_fs_absent_at() still says
 * that the server's files there lived in memory.
 *
 * The namespace borrows every file system: close it before them. */
#ifndef MS_FS_NS_H
#define MS_FS_NS_H

#include "evidence/fs.h"

/* Bounds for hostile mount tables. */
#define MS_NS_MAX_MOUNTS 256
#define MS_NS_MAX_BIND_HOPS 8

ms_err ms_fs_ns_new(ms_fs **out);

/* Mount fs (borrowed) at `point` (absolute; "/" for the root; trailing
 * slashes ignored).  `volume` indexes ms_scan.volumes.  A later mount at
 * the same point hides an earlier one, as mount(8) stacks them. */
ms_err ms_fs_ns_mount(ms_fs *ns, const char *point, ms_fs *fs, int volume);

/* A bind mount: paths under `point` are looked up under `source` (a
 * namespace path). */
ms_err ms_fs_ns_bind(ms_fs *ns, const char *point, const char *source);

/* Nothing in the image at `point`: why (copied).  shadow: lookups fall
 * through to the file system beneath (tmpfs). */
ms_err ms_fs_ns_absent(ms_fs *ns, const char *point, const char *why,
                       int shadow);

/* 1 if fs is a namespace. */
int ms_fs_is_ns(const ms_fs *fs);

/* The volume `path` (a normalized namespace path) lies on, or dflt for a
 * file system that is not a namespace or a path with no volume. */
int ms_fs_volume_at(const ms_fs *fs, const char *path, int dflt);

/* Why nothing of the image lies at `path` (an absent mount covers it),
 * or NULL.  For a shadow mount, the text says the server's files there
 * lived in memory. */
const char *ms_fs_absent_at(const ms_fs *fs, const char *path);
/* The absent mount covering `path` is a tmpfs (the server kept its files
 * there in memory; lookups fall through to the disk below). */
int ms_fs_absent_in_memory(const ms_fs *fs, const char *path);

/* The file system mounted for `volume`, for the calls that take an inode
 * number; fs itself when it is not a namespace or the volume is not in
 * it. */
ms_fs *ms_fs_at_volume(ms_fs *fs, int volume);

#endif

/* pathres.h - resolve paths inside a disk image's file system.
 *
 * A cron line says "/var/tmp/qCVwOWA"; what it runs is whatever that path
 * names inside the *image*, after the image's own symlinks.  Resolving it
 * with the host's realpath(3) would read the examiner's machine, so this
 * module never touches the host: the image is reached only through an
 * ms_lstat_fn callback (libtsk in production, a table in the tests).
 *
 * Every path the module hands to the callback is normalized: it starts
 * with '/', has no empty, "." or ".." components and no trailing slash
 * (except the root itself).  Since ".." at the root stays at the root and
 * absolute link targets restart from the image root, no input can make a
 * lookup leave the image. */
#ifndef MS_PATHRES_H
#define MS_PATHRES_H

#include "common/ms_error.h"

/* Bounds that keep hostile images from costing unbounded work. */
#define MS_PATH_MAX        4096 /* bytes of any path handled, incl. expansion */
#define MS_PATH_MAX_COMPS  1024 /* components walked in one resolution */
#define MS_PATH_MAX_HOPS     40 /* symlinks followed in one resolution (Linux) */
#define MS_PATH_MAX_DIRS    256 /* PATH elements searched */

typedef enum {
    MS_PT_NONE,   /* does not exist */
    MS_PT_REG,
    MS_PT_DIR,
    MS_PT_LNK,
    MS_PT_OTHER   /* device, fifo, socket ... */
} ms_ptype;

/* Look up one normalized absolute path in the image without following a
 * final symlink.  Set *type; for MS_PT_LNK also set *link_target to a
 * malloc'd copy of the target (the module frees it).  A missing path is
 * MS_OK with MS_PT_NONE; any other error is propagated to the caller. */
typedef ms_err (*ms_lstat_fn)(void *ctx, const char *abs_path,
                              ms_ptype *type, char **link_target);

/* Lexical normalization, no lookups: a relative `path` is joined to `cwd`
 * (NULL cwd means "/"; a relative cwd is taken from "/"), empty and "."
 * components are dropped, ".." removes the previous component and stays
 * at the root.  Note that "a/link/.." is lexically "a", which can differ
 * from what ms_path_resolve() finds.
 * Returns a malloc'd string (caller frees), or NULL on allocation failure,
 * NULL path, or when cwd plus path exceed MS_PATH_MAX bytes. */
char *ms_path_normalize(const char *path, const char *cwd);

/* realpath(3) inside the image.  Walks `path` (relative ones from `cwd`,
 * as in ms_path_normalize) component by component, following symlinks in
 * every component including the last: an absolute target restarts from
 * the image root, a relative one from the link's directory, and ".." is
 * applied to the already resolved directory (POSIX: "/var/tmp/.." with
 * /var/tmp -> /tmp is "/").  Trailing slashes are ignored.
 *
 * On MS_OK *resolved is a malloc'd normalized path (caller frees) and
 * *final_type its type:
 *  - found: the resolved path, type REG/DIR/OTHER (never LNK);
 *  - a component is missing, or a non-directory is used as a directory
 *    ("/bin/ls/x"): MS_PT_NONE, and *resolved is the resolved prefix, the
 *    component that failed and the remaining components up to (not
 *    including) the first "..", e.g. "missing: /var/tmp/x".  The walk
 *    stops at "..", because ".." under something that does not exist has
 *    no answer and lexically collapsing it could name an existing file.
 * *hops (optional, may be NULL) gets the number of symlinks followed.
 * Errors (*resolved is then NULL, *final_type MS_PT_NONE):
 *  MS_ERR_LOOP  more than MS_PATH_MAX_HOPS symlinks (loops, self links);
 *  MS_ERR_LIMIT path or expansion longer than MS_PATH_MAX, or more than
 *               MS_PATH_MAX_COMPS components walked;
 *  MS_ERR_ARG   NULL path/resolved/fn;
 *  MS_ERR_NOMEM, or whatever the callback returned. */
ms_err ms_path_resolve(ms_lstat_fn fn, void *ctx, const char *path,
                       const char *cwd, char **resolved,
                       ms_ptype *final_type, int *hops);

/* 1 if normalized `path` is `dir` or lies under it, compared component by
 * component ("/tmpfoo" is not under "/tmp"; everything absolute is under
 * "/").  Trailing slashes on dir are ignored.  0 otherwise or on NULL. */
int ms_path_in_dir(const char *path, const char *dir);

/* Find a bare command name (no '/') the way cron's shell would, on
 * `path_env` ("dir1:dir2", NULL means cron's default "/usr/bin:/bin").
 * Elements are tried in order; the first whose name/dir resolves (with
 * ms_path_resolve) to a regular file wins, so a directory or device of
 * that name is skipped, as execvp does.  Skipped elements:
 *  - empty ones ("::" or a leading/trailing ':') mean the current
 *    directory, which for cron is the user's home at run time; we do not
 *    know it reliably, so it is treated as not resolvable;
 *  - relative ones ("bin") likewise depend on that unknown directory.
 * A symlink loop or limit under one element skips to the next element.
 * On MS_OK: found -> *resolved malloc'd (caller frees), *type MS_PT_REG;
 * not found -> *resolved NULL, *type MS_PT_NONE.
 * MS_ERR_ARG for NULL arguments, an empty name or one containing '/';
 * MS_ERR_LIMIT when not found within the first MS_PATH_MAX_DIRS elements
 * and more remain; MS_ERR_NOMEM and callback errors are propagated. */
ms_err ms_path_search(ms_lstat_fn fn, void *ctx, const char *name,
                      const char *path_env, char **resolved, ms_ptype *type);

#endif

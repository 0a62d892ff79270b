/* pathres.c - path resolution inside an image; see pathres.h. */
#include "artifacts/pathres.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

/* Skip slashes, then return the next component as (*c, *l); *l == 0 at
 * the end.  Returns where the scan continues. */
static const char *next_comp(const char *s, const char **c, size_t *l)
{
    while (*s == '/')
        s++;
    *c = s;
    *l = strcspn(s, "/");
    return s + *l;
}

static int is_dot(const char *c, size_t l)
{
    return l == 1 && c[0] == '.';
}

static int is_dotdot(const char *c, size_t l)
{
    return l == 2 && c[0] == '.' && c[1] == '.';
}

/* Drop the last component of a normalized prefix ("" is the root, which
 * ".." cannot leave). */
static size_t pop_comp(const char *p, size_t n)
{
    while (n > 0 && p[n - 1] != '/')
        n--;
    return n > 0 ? n - 1 : 0;
}

/* Append the components of s[0..len) to out (n bytes so far). */
static void push_comps(char *out, size_t *n, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        while (i < len && s[i] == '/')
            i++;
        size_t start = i;
        while (i < len && s[i] != '/')
            i++;
        size_t l = i - start;
        if (l == 0 || is_dot(s + start, l))
            continue;
        if (is_dotdot(s + start, l)) {
            *n = pop_comp(out, *n);
            continue;
        }
        out[(*n)++] = '/';
        memcpy(out + *n, s + start, l);
        *n += l;
    }
}

char *ms_path_normalize(const char *path, const char *cwd)
{
    if (!path)
        return NULL;
    if (!cwd)
        cwd = "/";
    size_t plen = strnlen(path, MS_PATH_MAX + 1);
    size_t clen = path[0] == '/' ? 0 : strnlen(cwd, MS_PATH_MAX + 1);
    if (plen + clen + 1 > MS_PATH_MAX)
        return NULL;
    /* Each output component costs at most its bytes plus one '/'. */
    char *out = malloc(plen + clen + 3);
    if (!out)
        return NULL;
    size_t n = 0;
    push_comps(out, &n, cwd, clen);
    push_comps(out, &n, path, plen);
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return out;
}

/* The string still to walk: path, or cwd "/" path for a relative one. */
static ms_err initial_rest(const char *path, const char *cwd, char **rest)
{
    size_t plen = strnlen(path, MS_PATH_MAX + 1);
    size_t clen = 0;

    if (path[0] != '/') {
        cwd = cwd ? cwd : "/";
        clen = strnlen(cwd, MS_PATH_MAX + 1);
    }
    if (plen + clen + 1 > MS_PATH_MAX)
        return MS_ERR_LIMIT;
    *rest = path[0] == '/' ? ms_strndup(path, plen)
                           : ms_asprintf("%s/%s", cwd, path);
    return *rest ? MS_OK : MS_ERR_NOMEM;
}

/* "res/comp/rest..." up to the first "..", for reporting what is missing. */
static ms_err report_missing(const char *res, size_t rlen, const char *comp,
                             size_t clen, const char *rest, char **out)
{
    size_t rl = strlen(rest);
    char *p = malloc(rlen + clen + rl + 3);
    if (!p)
        return MS_ERR_NOMEM;
    memcpy(p, res, rlen);
    size_t n = rlen;
    p[n++] = '/';
    memcpy(p + n, comp, clen);
    n += clen;
    for (;;) {
        const char *c;
        size_t l;
        rest = next_comp(rest, &c, &l);
        if (l == 0 || is_dotdot(c, l))
            break;
        if (is_dot(c, l))
            continue;
        p[n++] = '/';
        memcpy(p + n, c, l);
        n += l;
    }
    p[n] = '\0';
    *out = p;
    return MS_OK;
}

/* Replace the walk's remaining text with "target/rest" (a link expansion). */
static ms_err expand_link(char **rest, const char **cur, const char *target)
{
    size_t tlen = strnlen(target, MS_PATH_MAX + 1);
    size_t rlen = strnlen(*cur, MS_PATH_MAX + 1);
    if (tlen + rlen + 1 > MS_PATH_MAX)
        return MS_ERR_LIMIT;
    char *n = ms_asprintf("%s/%s", target, *cur);
    if (!n)
        return MS_ERR_NOMEM;
    free(*rest);
    *rest = n;
    *cur = n;
    return MS_OK;
}

static int more_comps(const char *cur)
{
    const char *c;
    size_t l;
    next_comp(cur, &c, &l);
    return l > 0;
}

ms_err ms_path_resolve(ms_lstat_fn fn, void *ctx, const char *path,
                       const char *cwd, char **resolved,
                       ms_ptype *final_type, int *hops)
{
    char res[MS_PATH_MAX + 1]; /* resolved directory prefix; "" is root */
    size_t rlen = 0;
    char *rest = NULL, *target = NULL;
    const char *cur;
    ms_ptype type = MS_PT_DIR; /* type of what res names */
    int nhops = 0;
    size_t steps = 0;
    ms_err err;

    if (resolved)
        *resolved = NULL;
    if (final_type)
        *final_type = MS_PT_NONE;
    if (hops)
        *hops = 0;
    if (!fn || !path || !resolved)
        return MS_ERR_ARG;
    if ((err = initial_rest(path, cwd, &rest)) != MS_OK)
        goto _exit;
    cur = rest;
    res[0] = '\0';

    for (;;) {
        const char *c;
        size_t l;
        cur = next_comp(cur, &c, &l);
        if (l == 0)
            break;
        if (++steps > MS_PATH_MAX_COMPS) {
            err = MS_ERR_LIMIT;
            goto _exit;
        }
        if (is_dot(c, l))
            continue;
        if (is_dotdot(c, l)) {
            rlen = pop_comp(res, rlen);
            res[rlen] = '\0';
            continue;
        }
        if (rlen + 1 + l > MS_PATH_MAX) {
            err = MS_ERR_LIMIT;
            goto _exit;
        }
        /* Build the candidate in place after the prefix. */
        res[rlen] = '/';
        memcpy(res + rlen + 1, c, l);
        res[rlen + 1 + l] = '\0';

        ms_ptype t = MS_PT_NONE;
        free(target);
        target = NULL;
        if ((err = fn(ctx, res, &t, &target)) != MS_OK)
            goto _exit;

        if (t == MS_PT_DIR) {
            rlen += 1 + l;
            continue;
        }
        if ((t == MS_PT_REG || t == MS_PT_OTHER) && !more_comps(cur)) {
            rlen += 1 + l;
            type = t;
            break;
        }
        res[rlen] = '\0'; /* back to the link's (or file's) directory */
        if (t == MS_PT_LNK && target && target[0]) {
            if (++nhops > MS_PATH_MAX_HOPS) {
                err = MS_ERR_LOOP;
                goto _exit;
            }
            if (target[0] == '/')
                rlen = 0; /* the image root, never the host's */
            res[rlen] = '\0';
            if ((err = expand_link(&rest, &cur, target)) != MS_OK)
                goto _exit;
            continue;
        }
        /* Missing, an empty link target, a file used as a directory, or a
         * type the callback should not return. */
        err = report_missing(res, rlen, c, l, cur, resolved);
        goto _exit;
    }
    *resolved = rlen ? ms_strndup(res, rlen) : ms_strdup("/");
    if (!*resolved) {
        err = MS_ERR_NOMEM;
        goto _exit;
    }
    if (final_type)
        *final_type = type;

_exit:
    if (hops)
        *hops = nhops;
    if (err != MS_OK && *resolved) {
        free(*resolved);
        *resolved = NULL;
    }
    free(target);
    free(rest);
    return err;
}

int ms_path_in_dir(const char *path, const char *dir)
{
    if (!path || !dir)
        return 0;
    size_t dlen = strlen(dir);
    while (dlen > 0 && dir[dlen - 1] == '/')
        dlen--;
    if (dlen == 0)
        return path[0] == '/';
    return strncmp(path, dir, dlen) == 0 &&
           (path[dlen] == '\0' || path[dlen] == '/');
}

/* Try name under one PATH element; *found set when it is a regular file. */
static ms_err search_one(ms_lstat_fn fn, void *ctx, const char *name,
                         const char *dir, size_t dlen, char **found)
{
    char *d = ms_strndup(dir, dlen);
    char *r = NULL;
    ms_ptype t = MS_PT_NONE;

    if (!d)
        return MS_ERR_NOMEM;
    ms_err err = ms_path_resolve(fn, ctx, name, d, &r, &t, NULL);
    free(d);
    if (err == MS_ERR_LOOP || err == MS_ERR_LIMIT)
        return MS_OK; /* unusable element; execvp moves on too */
    if (err == MS_OK && t == MS_PT_REG)
        *found = r;
    else
        free(r);
    return err;
}

ms_err ms_path_search(ms_lstat_fn fn, void *ctx, const char *name,
                      const char *path_env, char **resolved, ms_ptype *type)
{
    if (resolved)
        *resolved = NULL;
    if (type)
        *type = MS_PT_NONE;
    if (!fn || !name || !resolved || !type || !name[0] || strchr(name, '/'))
        return MS_ERR_ARG;
    if (!path_env)
        path_env = "/usr/bin:/bin";

    const char *p = path_env;
    for (size_t ndirs = 1;; ndirs++) {
        if (ndirs > MS_PATH_MAX_DIRS)
            return MS_ERR_LIMIT;
        size_t l = strcspn(p, ":");
        if (l > 0 && p[0] == '/') { /* empty or relative: see header */
            ms_err err = search_one(fn, ctx, name, p, l, resolved);
            if (err != MS_OK)
                return err;
            if (*resolved) {
                *type = MS_PT_REG;
                return MS_OK;
            }
        }
        if (p[l] == '\0')
            return MS_OK;
        p += l + 1;
    }
}

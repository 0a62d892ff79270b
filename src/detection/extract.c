/* extract.c - content-addressed, atomic, no-clobber script extraction. */
#include "detection/extract.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ms_mem.h"

static int hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 64;
}

static ms_err write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return MS_ERR_IO;
        p += w;
        n -= (size_t)w;
    }
    return MS_OK;
}

ms_err ms_extract_write(const char *dir, const char *sha256,
                        const uint8_t *data, size_t len, char **path,
                        char **err)
{
    char *tmp = NULL, *final = NULL;
    ms_err rc = MS_ERR_IO;
    int fd = -1, saved = 0;
    *path = NULL;
    *err = NULL;
    if (!dir || !sha256 || !hex64(sha256) || (!data && len))
        return MS_ERR_ARG;
    final = ms_asprintf("%s/%s.pl", dir, sha256);
    tmp = ms_asprintf("%s/.%s.pl.tmpXXXXXX", dir, sha256);
    if (!final || !tmp) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    /* mkstemp: O_CREAT|O_EXCL, mode 0600 */
    if ((fd = mkstemp(tmp)) < 0) {
        saved = errno;
        free(tmp);
        tmp = NULL;
        goto _fail;
    }
    if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != MS_OK ||
        fsync(fd) != 0) {
        saved = errno;
        goto _fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        saved = errno;
        goto _fail;
    }
    fd = -1;
    if (link(tmp, final) != 0 && errno != EEXIST) {
        saved = errno;
        goto _fail;
    }
    rc = MS_OK;
    *path = final;
    final = NULL;
    goto _exit;
_fail:
    *err = ms_asprintf("cannot write %s: %s", final, strerror(saved));
_exit:
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    free(tmp);
    free(final);
    return rc;
}

/* realpath of the directory holding `file` */
static char *dir_of(const char *file)
{
    char *copy = ms_strdup(file), *res = NULL;
    if (!copy)
        return NULL;
    char *slash = strrchr(copy, '/');
    if (!slash)
        res = realpath(".", NULL);
    else if (slash == copy)
        res = realpath("/", NULL);
    else {
        *slash = '\0';
        res = realpath(copy, NULL);
    }
    free(copy);
    return res;
}

static int is_under(const char *path, const char *top)
{
    size_t n = strlen(top);
    if (strncmp(path, top, n))
        return 0;
    return path[n] == '\0' || path[n] == '/' || (n == 1 && top[0] == '/');
}

/* Where dir is or would be once created: realpath of dir, or of its
 * parent plus the last component when dir does not exist yet. */
static char *would_be(const char *dir)
{
    char *real = realpath(dir, NULL);
    if (real || errno != ENOENT)
        return real;
    char *parent = dir_of(dir);
    const char *base = strrchr(dir, '/');
    base = base ? base + 1 : dir;
    char *res = parent ? ms_asprintf("%s/%s", parent, base) : NULL;
    free(parent);
    return res;
}

ms_err ms_extract_check_dir(const char *dir, const char *const *images,
                            size_t nimages, char **err)
{
    struct stat st;
    char *real = NULL;
    ms_err rc = MS_ERR_ARG;
    *err = NULL;
    if (!dir || !*dir) {
        *err = ms_strdup("--extract needs a directory");
        return MS_ERR_ARG;
    }
    /* the evidence check comes first: a refused directory is not even
     * created */
    if (!(real = would_be(dir))) {
        *err = ms_asprintf("cannot resolve --extract directory '%s': %s",
                           dir, strerror(errno));
        return MS_ERR_ARG;
    }
    for (size_t i = 0; i < nimages; i++) {
        char *idir = dir_of(images[i]);
        int bad = idir && is_under(real, idir);
        if (bad)
            *err = ms_asprintf("refusing --extract '%s': it is in the "
                               "evidence directory %s (never write next to "
                               "the evidence)", dir, idir);
        free(idir);
        if (bad)
            goto _exit;
    }
    if (stat(dir, &st) != 0 &&
        (errno != ENOENT || mkdir(dir, 0700) != 0 || stat(dir, &st) != 0)) {
        *err = ms_asprintf("cannot use --extract directory '%s': %s", dir,
                           strerror(errno));
        goto _exit;
    }
    if (!S_ISDIR(st.st_mode)) {
        *err = ms_asprintf("--extract '%s' is not a directory", dir);
        goto _exit;
    }
    rc = MS_OK;
_exit:
    free(real);
    return rc;
}

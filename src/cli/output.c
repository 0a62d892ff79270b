#include "cli/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ms_mem.h"

ms_err ms_output_open(ms_output *o, const char *path, char **err_text)
{
    memset(o, 0, sizeof *o);
    if (!path || !strcmp(path, "-")) {
        o->fp = stdout;
        return MS_OK;
    }
    /* A device or FIFO (e.g. /dev/full, a pipe) cannot be replaced by a
     * rename: write to it directly; failures still give an error. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        if (!(o->fp = fopen(path, "w"))) {
            *err_text = ms_asprintf("cannot write report '%s': %s", path,
                                    strerror(errno));
            return MS_ERR_IO;
        }
        o->direct = 1;
        return MS_OK;
    }
    o->final_path = ms_strdup(path);
    o->tmp_path = ms_asprintf("%s.tmpXXXXXX", path);
    if (!o->final_path || !o->tmp_path)
        return MS_ERR_NOMEM;
    int fd = mkstemp(o->tmp_path);
    /* mkstemp makes 0600; a report is an ordinary output file and gets
     * the mode the user's umask gives any new file (a --extract'ed
     * script, which is malware source, stays 0600 elsewhere). */
    if (fd >= 0) {
        mode_t um = umask(0);
        umask(um);
        (void)fchmod(fd, 0666 & ~um);
    }
    if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
        *err_text = ms_asprintf("cannot write report '%s': %s", path,
                                strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp_path);
        }
        free(o->tmp_path);
        free(o->final_path);
        o->tmp_path = o->final_path = NULL;
        return MS_ERR_IO;
    }
    return MS_OK;
}

ms_err ms_output_close(ms_output *o, int ok, char **err_text)
{
    ms_err rc = MS_OK;
    if (!o->fp)
        return MS_OK;
    if (!o->tmp_path) {
        if (fflush(o->fp) != 0 || ferror(o->fp)) {
            *err_text = ms_asprintf("cannot write report: %s", strerror(errno));
            rc = MS_ERR_IO;
        }
        if (o->direct && fclose(o->fp) != 0 && rc == MS_OK) {
            *err_text = ms_asprintf("cannot write report: %s", strerror(errno));
            rc = MS_ERR_IO;
        }
        memset(o, 0, sizeof *o);
        return rc;
    }
    int failed = !ok || fflush(o->fp) != 0 || ferror(o->fp) ||
                 fsync(fileno(o->fp)) != 0;
    int saved = errno;
    if (fclose(o->fp) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (!failed && rename(o->tmp_path, o->final_path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        unlink(o->tmp_path);
        if (ok) {
            *err_text = ms_asprintf("cannot write report '%s': %s",
                                    o->final_path, strerror(saved));
            rc = MS_ERR_IO;
        }
    }
    free(o->tmp_path);
    free(o->final_path);
    memset(o, 0, sizeof *o);
    return rc;
}

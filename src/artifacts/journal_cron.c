/* journal_cron.c - see journal_cron.h. */
#include "artifacts/journal_cron.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/ms_mem.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-journal.h>

static const char *const idents[] = { "CRON", "CROND", "cron", "crond",
                                      "sshd", "sshd-session" };

/* "FIELD=value" -> value */
static int field(sd_journal *j, const char *name, const char **v, size_t *n)
{
    const void *d;
    size_t len, nl = strlen(name);
    if (sd_journal_get_data(j, name, &d, &len) < 0 || len <= nl)
        return 0;
    *v = (const char *)d + nl + 1;
    *n = len - nl - 1;
    return 1;
}

/* A private linked copy of memfd `fd`; -1 on failure.  The file and its
 * directory are removed again when the journal was opened (the open fd
 * keeps the bytes; libsystemd checks the link count only at open). */
typedef struct priv_copy { char dir[4096], file[4200]; } priv_copy;

static int private_copy(int fd, priv_copy *pc)
{
    char *priv_dir = pc->dir, *priv_file = pc->file;
    const char *tmp = getenv("TMPDIR");
    char buf[65536];
    snprintf(priv_dir, sizeof pc->dir, "%s/mumblescan-journal.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(priv_dir)) {
        priv_dir[0] = '\0';
        return -1;
    }
    snprintf(priv_file, sizeof pc->file, "%s/copy.journal", priv_dir);
    int out = open(priv_file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0 || lseek(fd, 0, SEEK_SET) < 0)
        goto _fail;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0)
            goto _fail;
        if (n == 0)
            break;
        for (ssize_t w = 0; w < n;) {
            ssize_t k = write(out, buf + w, (size_t)(n - w));
            if (k <= 0)
                goto _fail;
            w += k;
        }
    }
    if (lseek(out, 0, SEEK_SET) < 0)
        goto _fail;
    return out;
_fail:
    if (out >= 0)
        close(out);
    unlink(priv_file);
    rmdir(priv_dir);
    priv_dir[0] = '\0';
    return -1;
}

static void private_remove(priv_copy *pc)
{
    if (pc->dir[0]) {
        unlink(pc->file);
        rmdir(pc->dir);
        pc->dir[0] = '\0';
    }
}

ms_err ms_journal_read(ms_lines_read_fn rd, void *src, ms_journal_cb cb,
                       void *user, int *capped, char **why)
{
    sd_journal *j = NULL;
    ms_err rc = MS_ERR_FORMAT;
    uint8_t *buf = NULL;
    uint64_t off = 0;
    int fd = -1, r;
    priv_copy pc;

    pc.dir[0] = '\0';
    *capped = 0;
    *why = NULL;
    fd = memfd_create("mumblescan-journal", MFD_CLOEXEC);
    if (fd < 0) {
        *why = ms_asprintf("memfd_create: %s", strerror(errno));
        goto _exit;
    }
    if (!(buf = malloc(64 * 1024))) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    for (;;) {
        ssize_t n = rd(src, off, buf, 64 * 1024);
        if (n <= 0)
            break;
        if (off + (uint64_t)n > MS_JOURNAL_MAX_BYTES) {
            *capped = 1;
            n = (ssize_t)(MS_JOURNAL_MAX_BYTES - off);
        }
        for (ssize_t w = 0; w < n;) {
            ssize_t k = write(fd, buf + w, (size_t)(n - w));
            if (k <= 0) {
                *why = ms_asprintf("memfd write: %s", strerror(errno));
                goto _exit;
            }
            w += k;
        }
        off += (uint64_t)n;
        if (*capped)
            break;
    }
    if (lseek(fd, 0, SEEK_SET) < 0)
        goto _exit;
    r = sd_journal_open_files_fd(&j, &fd, 1, 0);
    if (r == -EIDRM) {
        /* libsystemd refuses a file without links (st_nlink 0), which a
         * memfd is: copy it once more into a private 0600 file in a fresh
         * directory under TMPDIR (never next to the evidence), unlinked
         * as soon as it is open */
        int fd2 = private_copy(fd, &pc);
        if (fd2 >= 0) {
            close(fd);
            fd = fd2;
            r = sd_journal_open_files_fd(&j, &fd, 1, 0);
        }
    }
    if (r < 0) {
        *why = ms_asprintf("libsystemd cannot open it: %s", strerror(-r));
        goto _exit;
    }
    private_remove(&pc);
    for (size_t i = 0; i < sizeof idents / sizeof *idents; i++) {
        char m[64];
        snprintf(m, sizeof m, "SYSLOG_IDENTIFIER=%s", idents[i]);
        if (sd_journal_add_match(j, m, 0) < 0)
            goto _exit;
    }
    rc = MS_OK;
    uint64_t ord = 0;
    /* SD_JOURNAL_FOREACH: bounded by the (bounded) file's entries */
    while ((r = sd_journal_next(j)) > 0) {
        const char *id, *msg, *pids;
        size_t il, ml, pl;
        uint64_t usec;
        ord++;
        if (!field(j, "SYSLOG_IDENTIFIER", &id, &il) ||
            !field(j, "MESSAGE", &msg, &ml) ||
            sd_journal_get_realtime_usec(j, &usec) < 0)
            continue;
        /* copies: the data pointers are invalidated by the next call */
        char *idc = ms_strndup(id, il), *msgc = malloc(ml + 1);
        long pid = -1;
        if (field(j, "_PID", &pids, &pl) && pl < 12) {
            pid = 0;
            for (size_t k = 0; k < pl && pids[k] >= '0' && pids[k] <= '9'; k++)
                pid = pid * 10 + (pids[k] - '0');
        }
        if (!idc || !msgc) {
            free(idc);
            free(msgc);
            rc = MS_ERR_NOMEM;
            break;
        }
        memcpy(msgc, msg, ml);
        msgc[ml] = '\0';
        int stop = cb(user, (int64_t)usec, ord, idc, strlen(idc), pid, msgc,
                      ml);
        free(idc);
        free(msgc);
        if (stop)
            break;
    }
    if (r < 0 && rc == MS_OK)
        *why = ms_asprintf("reading stopped at entry %llu: %s",
                           (unsigned long long)ord, strerror(-r));
_exit:
    private_remove(&pc);
    if (j)
        sd_journal_close(j);
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

#else

ms_err ms_journal_read(ms_lines_read_fn rd, void *src, ms_journal_cb cb,
                       void *user, int *capped, char **why)
{
    (void)rd; (void)src; (void)cb; (void)user;
    *capped = 0;
    *why = ms_strdup("built without libsystemd");
    return MS_ERR_UNSUPPORTED;
}

#endif

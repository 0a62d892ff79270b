/* history.h - execution history from the logs of an image.
 *
 * Per file system, /var/log is read for
 *  - cron's "(user) CMD (command)" records: syslog*, cron.log*, cron*
 *    (Debian/Ubuntu rsyslog, RHEL cronie, FreeBSD cron), rotated (.N,
 *    -YYYYMMDD) and gzip-compressed, and systemd-journald journals
 *    (artifacts/journal_cron.h);
 *  - logins: wtmp*, btmp*, lastlog (artifacts/utmp.h) and sshd's
 *    Accepted/Failed lines in auth.log* and secure*.
 * Deleted log files are read where the ext journal still holds their
 * inode (ms_fs_recover_deleted), as deleted programs are.
 *
 * Every (user, command as logged) becomes one ms_job_history with its
 * runs; ms_history_finish links it to the job in the image that cron
 * would log that way (mkprints() of the command, or a prefix of it when
 * the log cut a long command), and computes first/last run, count and the
 * longest gaps.
 *
 * Bounds: MS_HISTORY_MAX_RUNS runs and MS_HISTORY_MAX_LOGINS logins are
 * kept (the *_total fields count all); the statistics cover the kept
 * runs.  Each log file yields at most MS_LOG_MAX_OUTPUT bytes
 * (artifacts/logread.h); journals are read up to MS_JOURNAL_MAX_BYTES. */
#ifndef MS_HISTORY_H
#define MS_HISTORY_H

#include "common/ms_error.h"
#include "common/ms_model.h"
#include "evidence/fs.h"

#define MS_HISTORY_MAX_RUNS     1000000u
#define MS_HISTORY_MAX_LOGINS   100000u
#define MS_HISTORY_MAX_JOBS     4096u   /* distinct (user, command) */
#define MS_HISTORY_MAX_FILES    512u    /* log files per file system */
#define MS_HISTORY_RECOVER_MAX  (64u << 20) /* deleted log recovered */
/* A logged command this long that is a prefix of a job's command was
 * cut by the logger (Debian cron keeps 1000 bytes of a command, rsyslog
 * 8 KiB of a message by default). */
#define MS_HISTORY_TRUNC_MIN    900u

/* Read the logs of one file system into scan (logsrcs, cron_runs,
 * job_history, logins). */
ms_err ms_history_collect(ms_fs *fs, ms_scan *scan, int vol);

/* After the verdict: link histories to jobs and flagged files, sort runs
 * and logins by time, compute the per-job statistics. */
ms_err ms_history_finish(ms_scan *scan);

/* Find or add the history of (user, command) (raw bytes as logged);
 * -1 on allocation failure or past MS_HISTORY_MAX_JOBS. */
long ms_history_key(ms_scan *scan, const char *user, size_t ulen,
                    const char *cmd, size_t clen);

/* Append a run / a login (copied; strings owned by the scan afterwards);
 * counted only past the bounds. */
ms_err ms_history_add_run(ms_scan *scan, const ms_cron_run *run);
ms_err ms_history_add_login(ms_scan *scan, ms_login *login);

/* Add a log source; *index set.  path is copied. */
ms_err ms_history_add_source(ms_scan *scan, int vol, const char *path,
                             const ms_fileref *ref, const char *kind,
                             size_t *index);

#endif

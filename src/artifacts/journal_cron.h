/* journal_cron.h - syslog-style records from systemd-journald journals.
 *
 * Debian 12 and current Ubuntu and RHEL keep cron's and sshd's records
 * only in /var/log/journal/<machine-id>/system.journal and its archives
 * (system@...journal, system@...journal~).  The journal file's bytes are
 * copied from the image into an anonymous in-memory file (memfd_create,
 * at most MS_JOURNAL_MAX_BYTES) and read with libsystemd's own reader
 * (sd_journal_open_files_fd): nothing is mounted and nothing is written
 * next to the evidence.  Entries whose SYSLOG_IDENTIFIER is a cron or
 * sshd name are handed to the caller with their __REALTIME_TIMESTAMP
 * (UTC, explicit year: no inference). */
#ifndef MS_JOURNAL_CRON_H
#define MS_JOURNAL_CRON_H

#include <stddef.h>
#include <stdint.h>

#include "artifacts/linereader.h"
#include "common/ms_error.h"

#define MS_JOURNAL_MAX_BYTES (256ull << 20)

/* One entry: realtime in microseconds since the epoch, the ordinal of the
 * entry in the file (1-based), SYSLOG_IDENTIFIER, _PID (-1) and MESSAGE
 * (raw bytes).  Non-zero stops the reading. */
typedef int (*ms_journal_cb)(void *user, int64_t usec, uint64_t ordinal,
                             const char *ident, size_t ilen, long pid,
                             const char *msg, size_t mlen);

/* Read the journal whose bytes rd/src deliver (at most
 * MS_JOURNAL_MAX_BYTES, *capped set when it was larger).
 * MS_ERR_FORMAT with *why (malloc'd) when libsystemd cannot open it,
 * MS_ERR_UNSUPPORTED when built without libsystemd. */
ms_err ms_journal_read(ms_lines_read_fn rd, void *src, ms_journal_cb cb,
                       void *user, int *capped, char **why);

#endif

/* ms_reasons.h - the one table of reason codes.
 *
 * A reason is why a file, crontab or job is in the report.  Its code is
 * a stable identifier that reports, merges across hosts and the
 * documentation rely on, so every code lives here once, with its default
 * severity and a one-line meaning; code that raises a reason names it
 * with MS_R(CODE), which does not compile for a code not in the table.
 * docs/detection.md lists the same codes (a unit test compares them).
 *
 * The severity here is the default: YARA-driven reasons take the grade of
 * the rule that matched, and UNPACKED_SCRIPT depends on the script's kind
 * ("varies" in the documentation). */
#ifndef MS_REASONS_H
#define MS_REASONS_H

#include <stddef.h>

#include "common/ms_error.h"
#include "common/ms_model.h"

/* X(CODE, default severity, one-line meaning) */
#define MS_REASON_TABLE(X) \
    X(YARA_MATCH, MALICIOUS, "a rule graded malicious matched the content") \
    X(YARA_LOW_CONFIDENCE, SUSPICIOUS, "a rule without the malicious grade matched") \
    X(YARA_INFO, INFO, "a rule graded info matched: a fact, never a finding") \
    X(YARA_TIMEOUT, INFO, "YARA stopped on this file at its time limit") \
    X(SCAN_TRUNCATED, INFO, "larger than the scan limit: YARA saw only the first part") \
    X(CRON_15MIN_TEMP_PROGRAM, SUSPICIOUS, "run every 15 minutes from a temp directory by a cron job") \
    X(CRON_TEMP_PROGRAM, SUSPICIOUS, "run from a temp directory by a cron job") \
    X(CRON_PROGRAM_MISSING, SUSPICIOUS, "a cron job runs a program that is not in the image") \
    X(CRON_PROGRAM_UNRESOLVED, SUSPICIOUS, "a cron job's program cannot be resolved inside the image") \
    X(CRON_15MIN, INFO, "run every 15 minutes by a cron job") \
    X(TEMP_EXEC, INFO, "an executable in a temp directory that a cron job runs") \
    X(TEMP_EXEC_ORPHAN, INFO, "an executable in a temp directory that no cron job runs") \
    X(TEMP_EXEC_RANDOM_NAME, SUSPICIOUS, "an executable in a temp directory with a random-looking name") \
    X(TEMP_EXEC_HIDDEN_NAME, SUSPICIOUS, "an executable in a temp directory with a name built to hide") \
    X(TEMP_EXEC_DELETED, SUSPICIOUS, "a deleted executable in a temp directory") \
    X(CONTENT_UNRECOVERABLE, INFO, "the content of a deleted file could not be recovered") \
    X(RECOVERED_FROM_JOURNAL, INFO, "deleted content recovered from an older inode copy in the ext journal") \
    X(CARVED_MATCH, INFO, "a YARA hit in unallocated blocks (--carve)") \
    X(SWEEP_MATCH, INFO, "found only by --sweep: a YARA hit outside the places triage looks") \
    X(UNPACKED_SCRIPT, MALICIOUS, "the packed script was recovered; malicious for a backdoor or spam daemon") \
    X(UNPACK_FAILED, INFO, "a packer rule matched but the stub could not be unpacked") \
    X(UNPACKED_SCRIPT_YARA, SUSPICIOUS, "a rule matched the recovered script (the rule's grade)") \
    X(C2_INDICATOR, MALICIOUS, "a published Mumblehard C&C address or User-Agent") \
    X(C2_INDICATOR_WEAK, INFO, "a Mumblehard indicator too common to flag alone") \
    X(EXTRACT_FAILED, INFO, "--extract could not write the recovered script") \
    X(CRONTAB_PADDING, SUSPICIOUS, "a crontab padded with over-long lines, NUL bytes or binary junk") \
    X(JOURNAL_REPLAY_CHANGED, INFO, "differs between the on-disk view and the view after journal replay") \
    X(PARTIAL_CONTENT, INFO, "some of the content lies in media that could not be read") \
    X(TIME_MTIME_BEFORE_BIRTH, SUSPICIOUS, "modification time earlier than the inode's birth (crtime)") \
    X(TIME_CTIME_BEFORE_MTIME, SUSPICIOUS, "inode change time earlier than the modification time") \
    X(TIME_COPIED_FROM_SYSTEM_FILE, SUSPICIOUS, "modification time identical to a system program's to the nanosecond") \
    X(TIME_NSEC_ZERO, INFO, "zero nanoseconds on a file system that stores them") \
    X(TIME_IN_FUTURE, SUSPICIOUS, "a time after the examination, so after the acquisition") \
    X(TIME_AFTER_ACQUISITION, SUSPICIOUS, "a time after the acquisition date the image records (E01)") \
    X(TIME_AFTER_FS_LAST_WRITE, SUSPICIOUS, "a time after the cleanly unmounted file system's last write")

typedef enum ms_reason_id {
#define MS_REASON_ENUM_(code, sev, text) MS_R_##code,
    MS_REASON_TABLE(MS_REASON_ENUM_)
#undef MS_REASON_ENUM_
    MS_R_COUNT
} ms_reason_id;

typedef struct ms_reason_def {
    const char      *code;        /* "YARA_MATCH" */
    enum ms_severity severity;    /* default severity */
    const char      *description; /* one line, English */
} ms_reason_def;

/* Row `id`; NULL when out of range. */
const ms_reason_def *ms_reason_def_get(ms_reason_id id);
/* Row with this code, or NULL (e.g. a code read from an older result). */
const ms_reason_def *ms_reason_def_find(const char *code);

/* The static code string of a table row, for ms_reason.code. */
#define MS_R(name) (ms_reason_def_get(MS_R_##name)->code)

/* Append reason `id` to an array grown one element at a time (the
 * arrays of files, crontabs, jobs and persistence records).  `text` is
 * taken (freed here on failure; NULL, as from a failed ms_asprintf, is
 * MS_ERR_NOMEM); `ev` may be NULL, its strings are copied.  An id
 * outside the table is MS_ERR_ARG. */
ms_err ms_reasons_add(ms_reason **reasons, size_t *n, ms_reason_id id,
                      enum ms_severity sev, char *text,
                      const ms_reason_ev *ev);

/* Deep copy of src[0..n) into a new array (*out NULL when n == 0). */
ms_err ms_reasons_copy(const ms_reason *src, size_t n, ms_reason **out);

/* Free what a reason owns / an array of n reasons and the array. */
void ms_reason_clear(ms_reason *r);
void ms_reasons_free(ms_reason *r, size_t n);

/* "inode", "journal", "carve"; "none" for MS_RECOV_NONE. */
const char *ms_recovery_method_name(enum ms_recovery_method m);

#endif

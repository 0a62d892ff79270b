/* verdict.h - turn what was collected into reasons and verdicts.
 *
 * Every reason has a stable code, a severity and a sentence; a file's
 * verdict is the highest severity among its reasons:
 *
 *   malicious   YARA_MATCH               a rule graded "malicious" matched
 *               UNPACKED_SCRIPT, UNPACKED_SCRIPT_YARA, C2_INDICATOR
 *                                        see detection/unpack_scan.h
 *   suspicious  YARA_LOW_CONFIDENCE      a rule not graded malicious matched
 *               CRON_15MIN_TEMP_PROGRAM  run every 15 minutes by cron from a
 *                                        temp directory (Mumblehard's pattern)
 *               CRON_TEMP_PROGRAM        run by cron from a temp directory
 *               CRON_PROGRAM_MISSING     run by cron, absent from the image
 *               CRON_PROGRAM_UNRESOLVED  run by cron through a symlink loop
 *                                        or a link leaving the image root
 *               TEMP_EXEC_RANDOM_NAME    executable in a temp dir whose name
 *                                        looks random (see namescore.h)
 *               TEMP_EXEC_HIDDEN_NAME    executable in a temp dir whose name
 *                                        hides (control bytes, bad UTF-8,
 *                                        only dots and blanks)
 *               TEMP_EXEC_DELETED        deleted executable in a temp dir
 *               CRONTAB_PADDING          on a crontab: over-long lines, NUL
 *                                        or control bytes, or > 1 MiB
 *                                        (artifacts/cron_rawscan.h)
 *   info        CRON_15MIN               run every 15 minutes by cron
 *               TEMP_EXEC                executable in a temp dir
 *               TEMP_EXEC_ORPHAN         ... that no cron job runs
 *               CONTENT_UNRECOVERABLE    content could not be read
 *               PARTIAL_CONTENT          part of the content lies in media
 *                                        that could not be read (added
 *                                        by evidence/partial.c)
 *               SCAN_TRUNCATED           only the first part was scanned
 *               YARA_TIMEOUT             YARA gave up on this file
 *               YARA_INFO                a rule graded "info" matched
 *               UNPACK_FAILED, C2_INDICATOR_WEAK, EXTRACT_FAILED
 *               JOURNAL_REPLAY_CHANGED   differs from the on-disk view of a
 *                                        replayed journal (added by
 *                                        evidence/ext_view.c, files and
 *                                        crontabs)
 *
 * Cron jobs get C2_INDICATOR / C2_INDICATOR_WEAK reasons of their own
 * when their command names a Mumblehard network indicator.
 */
#ifndef MS_VERDICT_H
#define MS_VERDICT_H

#include "common/ms_model.h"
#include "detection/yarascan.h"

/* Add reasons to every file of the scan from its content, origin and the
 * cron jobs that run it.  rules may be NULL (no YARA grading). */
ms_err ms_verdict_apply(ms_scan *scan, const ms_rules *rules);

#endif

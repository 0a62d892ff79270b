/* unpack_scan.h - run the static unpacker on a file the packer rules
 * matched and record what the recovered script is (ms_unpacked):
 * interpreter, size, SHA-256, kind and features (perlscript.h), network
 * indicators (indicators.h), YARA matches of the script itself, and,
 * with --extract, where it was written.  The script's bytes are freed
 * before returning; only these facts stay in the model.
 *
 * Reasons (added by ms_unpack_reasons during grading):
 *   UNPACKED_SCRIPT        malicious when the script is a backdoor or spam
 *                          daemon, else info
 *   UNPACK_FAILED          info: packer matched, unpack failed (why)
 *   UNPACKED_SCRIPT_YARA   a rule matched the recovered script (the rule's
 *                          severity)
 *   C2_INDICATOR           malicious: ESET's Mumblehard IP or User-Agent
 *                          in the recovered script
 *   C2_INDICATOR_WEAK      info: the common Firefox 7.0.1 User-Agent */
#ifndef MS_UNPACK_SCAN_H
#define MS_UNPACK_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_model.h"
#include "detection/yarascan.h"

/* 1 if one of the file's YARA matches comes from a rule tagged "packer"
 * or whose name contains both "mumblehard" and "packer" (ESET's
 * mumblehard_packer, passed with --rules). */
int ms_unpack_wanted(const ms_file *f, const ms_rules *rules);

/* Unpack buf[0..len) (the file content read) into f->unpacked.  `partial`
 * says buf is only the head of the file.  extract_dir NULL: nothing is
 * written.  Only MS_ERR_NOMEM is returned; other problems are recorded. */
ms_err ms_unpack_file(ms_file *f, const uint8_t *buf, size_t len,
                      int partial, const ms_rules *rules,
                      const char *extract_dir);

/* Reasons from f->unpacked (see above); no-op when it is NULL. */
ms_err ms_unpack_reasons(ms_file *f, const ms_rules *rules);

/* Reasons for the network indicators in a crontab's raw text (`line0`
 * is the line number of buf[0], 0 to leave lines out), appended to
 * *reasons / *n.  `what` names the place ("crontab", "cron job"). */
ms_err ms_ioc_reasons(const uint8_t *buf, size_t len, const char *what,
                      unsigned line0, ms_reason **reasons, size_t *n);

/* ms_unpacked_free() is in common/ms_scan.h: the model frees itself. */

#endif

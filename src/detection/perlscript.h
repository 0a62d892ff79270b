/* perlscript.h - what a recovered Mumblehard script is, from the features
 * the published analyses document (facts §4 and §5):
 *
 *   backdoor     Set-Cookie: PHPSESSID parsing (where commands hide), the
 *                HTTP/1.0 200 OK and Connection: close checks, the $^O
 *                errno table (linux/freebsd/MSWin32, 10035/10036), the
 *                Firefox 7.0.1 User-Agent;
 *   spam daemon  SMTP dialogue (MAIL FROM, RCPT TO, DATA, EHLO/HELO) and
 *                process-name replacement ($0 = "httpd" | "mail" | "init").
 *
 * A kind needs at least two of its features and more than the other kind
 * has; anything else is "unknown".  Matching is plain, bounded substring
 * search over the buffer. */
#ifndef MS_PERLSCRIPT_H
#define MS_PERLSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_model.h"

#define MS_SCRIPT_MAX_FEATURES 16

/* Fills features[] with static feature names (at most
 * MS_SCRIPT_MAX_FEATURES) and returns the kind. */
enum ms_script_kind ms_script_classify(const uint8_t *buf, size_t len,
                                       const char **features,
                                       size_t *nfeatures);

/* "backdoor" | "spam_daemon" | "unknown" */
const char *ms_script_kind_name(enum ms_script_kind k);

#endif

/* indicators.h - network indicators in a buffer: IPv4 addresses, host
 * names, ports, URLs and User-Agent strings, each classified against
 * Mumblehard's published indicators (facts §4, §5, §9).  A text scanner
 * below detection, so the crontab raw scan (artifacts) and the unpacker
 * (detection) share it:
 *
 *   known  ESET's IOCs: 194.54.81.162, .163, .164 and the User-Agent
 *          "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/N.N.N
 *          Firefox/7.0.1" (digits.digits.digits);
 *   decoy  legitimate sites that Mumblehard's C&C list mixes in
 *          (advertise.com, behance.net and their subdomains): reported,
 *          never flagged;
 *   weak   ESET's second UA, "... Gecko/20100101 Firefox/7.0.1": also what
 *          much legitimate scraping code sends, so informational only;
 *   other  everything else: reported as seen, not graded.
 *
 * Scanning is bounded: at most `max` distinct indicators are kept (the
 * rest are counted as truncated), each value at most MS_IOC_VALUE_MAX
 * bytes, and every token is read with explicit bounds. */
#ifndef MS_INDICATORS_H
#define MS_INDICATORS_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"
#include "common/ms_model.h"

#define MS_IOC_VALUE_MAX 256
#define MS_IOC_DEFAULT_MAX 256

/* Scan buf[0..len) and append the distinct indicators found (first
 * offset of each) to *list and *n (growing it).  *truncated is set when the
 * cap was reached.  Values are copied (any byte is possible; writers
 * escape).  MS_ERR_NOMEM on allocation failure. */
ms_err ms_ioc_scan(const uint8_t *buf, size_t len, size_t max,
                   ms_indicator **list, size_t *n, int *truncated);

void ms_ioc_free(ms_indicator *list, size_t n);

/* Classification of one value of a given type (see the list above). */
enum ms_ioc_class ms_ioc_classify(enum ms_ioc_type type, const char *value);

/* Static names: "ipv4" "host" "port" "url" "user_agent" and
 * "known" "decoy" "weak" "other". */
const char *ms_ioc_type_name(enum ms_ioc_type t);
const char *ms_ioc_class_name(enum ms_ioc_class c);

#endif

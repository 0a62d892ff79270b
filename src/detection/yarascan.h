/* yarascan.h - compile YARA rule files and scan buffers with them.
 *
 * A thin wrapper over libyara 4.2 that gives the rest of mumblescan three
 * things libyara does not: provenance (path and SHA-256 of every rule file
 * compiled), a per-rule severity read from the rule's `severity` meta, and
 * matches copied into the scan model (ms_yara_match) with bounded size.
 *
 * Library life cycle: ms_rules_compile() calls yr_initialize() and
 * ms_rules_free() calls yr_finalize().  libyara keeps its own reference
 * count of initialisations, so any number of ms_rules objects may coexist
 * and the library is torn down when the last one is freed; this module
 * keeps no global state.  libyara's count is not locked: create and free
 * ms_rules objects from one thread (scanning from many threads with the
 * same const ms_rules is fine, each scan uses its own yr_scanner).
 *
 * Each rule file is compiled into its own namespace, named after the file
 * (basename without .yar/.yara; "name_2", "name_3" if basenames repeat),
 * so identically named rules in different files do not collide and a
 * match's ns tells which file it came from. */
#ifndef MS_YARASCAN_H
#define MS_YARASCAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"
#include "common/ms_model.h"

#define MS_YARA_TIMEOUT_S    60   /* default per-buffer scan timeout */
#define MS_YARA_MAX_MATCHES  256  /* default cap of matches per buffer */
#define MS_YARA_HEX_MAX      64   /* matched bytes kept per match */
#define MS_YARA_MAX_FILES    4096 /* rule files accepted per compile */

typedef struct ms_rules ms_rules;

/* Compile rules.  Each path is a rule file, or a directory whose regular
 * files ending in .yar or .yara are compiled in strcmp() order of their
 * names (not recursive).  On MS_OK *out is set (free with ms_rules_free).
 * On failure *out is NULL and, if err_text is not NULL, *err_text receives
 * a malloc'd description ("file:line: message" per compile error, one per
 * line; the caller frees it) or NULL.  Returns MS_ERR_YARA for rule syntax
 * errors, MS_ERR_NOT_FOUND / MS_ERR_IO for unreadable paths, MS_ERR_ARG if
 * no rule file was found at all, MS_ERR_LIMIT for too many files. */
ms_err ms_rules_compile(const char *const *paths, size_t npaths,
                        ms_rules **out, char **err_text);

void ms_rules_free(ms_rules *r);

/* Provenance: the files compiled, in compile order.  Strings are owned by
 * r; sha256 is 64 lowercase hex digits. */
size_t      ms_rules_file_count(const ms_rules *r);
const char *ms_rules_file_path(const ms_rules *r, size_t i);
const char *ms_rules_file_sha256(const ms_rules *r, size_t i);
/* Namespace the i-th file was compiled into (see above). */
const char *ms_rules_file_namespace(const ms_rules *r, size_t i);

/* Severity of rule `rule` in namespace `ns` (ns NULL: any namespace, first
 * in compile order), from its meta `severity` (case-insensitive):
 * "malicious" -> MS_SEV_MALICIOUS, "info"/"informational" -> MS_SEV_INFO,
 * anything else or no meta -> MS_SEV_SUSPICIOUS.  Unknown rules also give
 * MS_SEV_SUSPICIOUS: a hit from a rule nobody graded is worth a look but is
 * not proof.  Private rules never produce matches and are not listed. */
enum ms_severity ms_rules_rule_severity(const ms_rules *r, const char *ns,
                                        const char *rule);
/* Shorthand: severity == MS_SEV_MALICIOUS. */
int ms_rules_rule_is_malicious(const ms_rules *r, const char *ns,
                               const char *rule);
/* 1 if the rule carries tag `tag` (e.g. "raw"), else 0. */
int ms_rules_rule_has_tag(const ms_rules *r, const char *ns,
                          const char *rule, const char *tag);

/* Scan status bits reported by ms_rules_scan_ex(). */
#define MS_YSCAN_TRUNCATED 1u  /* match cap (or libyara's) was reached */
#define MS_YSCAN_TIMEOUT   2u  /* scan timed out; matches are partial */

/* Scan buf[0..len) with every rule.  One ms_yara_match per string match of
 * each matching rule, in rule order; a rule that matched without string
 * matches (condition only) gives one entry with string_id "" , offset 0 and
 * data_hex "".  data_hex holds at most MS_YARA_HEX_MAX bytes as lowercase
 * hex.  All strings are malloc'd and owned by the array.
 * On MS_OK, *matches (NULL when *nmatches == 0) is the caller's to free with
 * ms_yara_matches_free().  Returns MS_ERR_LIMIT when the match cap or the
 * timeout was hit: *matches and *nmatches then hold the partial result and must
 * still be freed.  Any other error leaves *matches NULL and *nmatches 0. */
ms_err ms_rules_scan(const ms_rules *r, const uint8_t *buf, size_t len,
                     ms_yara_match **matches, size_t *nmatches);

/* Same with explicit limits (timeout_s > 0, max_matches > 0); returns MS_OK
 * even when a limit was hit and reports it in *status (MS_YSCAN_* bits;
 * status may be NULL). */
ms_err ms_rules_scan_ex(const ms_rules *r, const uint8_t *buf, size_t len,
                        int timeout_s, size_t max_matches,
                        ms_yara_match **matches, size_t *nmatches,
                        unsigned *status);

/* A scanner kept for many buffers: one per thread (a libyara scanner is
 * not shareable), all reading the same const rules.  Same results and
 * limits as ms_rules_scan_ex without creating a scanner per buffer. */
typedef struct ms_yscanner ms_yscanner;
ms_err ms_yscanner_new(const ms_rules *r, int timeout_s, size_t max_matches,
                       ms_yscanner **out);
ms_err ms_yscanner_scan(ms_yscanner *s, const uint8_t *buf, size_t len,
                        ms_yara_match **matches, size_t *nmatches,
                        unsigned *status);
void   ms_yscanner_free(ms_yscanner *s);

void ms_yara_matches_free(ms_yara_match *m, size_t n);

/* libyara version the module was built against, e.g. "4.2.3". */
const char *ms_yara_version(void);

#endif

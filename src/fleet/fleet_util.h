/* fleet_util.h - small helpers shared by the fleet modules: bounded string
 * copies, TIME parsing, hex checks, SHA-256 and UUIDv5, progress. */
#ifndef MS_FLEET_UTIL_H
#define MS_FLEET_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "fleet/fleet.h"

/* Copy of s[0..len) cut at MS_FLEET_MAX_STR on a UTF-8 boundary (the input
 * is valid UTF-8: jansson checked it); NULL on allocation failure. */
char *ms_fleet_strcut(const char *s, size_t len);

/* Parse a TIME ("[+-]YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"); t->set = 0 when
 * malformed.  Returns 1 when parsed. */
int ms_fleet_time_parse(const char *s, ms_ftime *t);

/* Render a time as TIME into buf (>= 48 bytes); "" when unset. */
void ms_fleet_time_str(const ms_ftime *t, char *buf);

/* 1 when s is exactly n lowercase hex digits. */
int ms_fleet_is_hex(const char *s, size_t n);

void ms_fleet_sha256_hex(const void *p, size_t len, char hex[65]);

/* RFC 4122 version 5 UUID (SHA-1) of name in the mumblescan namespace,
 * "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx". */
void ms_fleet_uuid5(const char *name, size_t len, char out[37]);

/* prefix + the escaped, double-quoted text (for one-line messages). */
char *ms_fleet_quote(const char *prefix, const char *s);

void ms_fleet_sort_strv(char **v, size_t n);

/* malicious | suspicious | clean | incomplete */
int ms_fleet_verdict_known(const char *v);
/* 0 malicious, 1 suspicious, 2 incomplete, 3 clean (report order). */
int ms_fleet_verdict_rank(const char *v);

/* A progress line on stderr when f->progress (every 100 inputs). */
void ms_fleet_progress(const ms_fleet *f);
void ms_fleet_progress_done(const ms_fleet *f);

void ms_fhost_free(ms_fhost *h);

/* The name a report shows for a host: host name, else machine-id, else
 * the image path, else the evidence identity (never NULL). */
const char *ms_fhost_name(const ms_fhost *h);

#endif

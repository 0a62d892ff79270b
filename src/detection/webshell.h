/* webshell.h - the web-shell scan of web-root scripts.
 *
 * Each script file found in a web root (artifacts/webroots.h) is read up
 * to the scan limit and given to the compiled rules; a file that a rule
 * tagged "webshell" (rules/webshell.yar) matches is recorded in
 * scan->files with origin MS_ORIGIN_WEBROOT.  The analysis and verdict
 * that follow treat it like every other recorded file (YARA_MATCH or
 * YARA_LOW_CONFIDENCE with the rule's grade), so it reaches every report
 * format through the existing file path.  Files no such rule matches are
 * not recorded: a WordPress site holds thousands of benign scripts. */
#ifndef MS_WEBSHELL_H
#define MS_WEBSHELL_H

#include <stdint.h>
#include "artifacts/webroots.h"
#include "detection/yarascan.h"
#include "evidence/fs.h"

/* Scan the scripts of `volume` among s->refs[from..n). */
ms_err ms_webshell_scan(const ms_rules *rules, ms_fs *fs, ms_scan *scan,
                        int volume, const ms_webscripts *s, size_t from,
                        uint64_t max_bytes);

#endif

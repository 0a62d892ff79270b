/* webshell.c - YARA over web-root scripts; see webshell.h. */
#include "detection/webshell.h"

#include <stdlib.h>

#include "common/ms_entry.h"
#include "common/ms_scan.h"

/* One read buffer per call, at most this big whatever the scan limit:
 * web shells are small, and a 50 MiB "script" is scanned in its head. */
#define MS_WEBSHELL_MAX_READ (8u << 20)

static int is_webshell_hit(const ms_rules *rules, const ms_yara_match *m,
                           size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ms_rules_rule_has_tag(rules, m[i].ns, m[i].rule, "webshell"))
            return 1;
    return 0;
}

ms_err ms_webshell_scan(const ms_rules *rules, ms_fs *fs, ms_scan *scan,
                        int volume, const ms_webscripts *s, size_t from,
                        uint64_t max_bytes)
{
    if (!rules)
        return MS_OK;
    ms_entry *e = ms_entry_get(scan);
    if (!e)
        return MS_ERR_NOMEM;
    size_t cap = max_bytes && max_bytes < MS_WEBSHELL_MAX_READ
                     ? (size_t)max_bytes : MS_WEBSHELL_MAX_READ;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return MS_ERR_NOMEM;
    ms_err rc = MS_OK;
    for (size_t i = from; i < s->n && rc == MS_OK; i++) {
        const ms_fileref *ref = &s->refs[i];
        ms_fs_file *f = NULL;
        if (ref->volume != volume || ms_fs_open(fs, ref->path, &f) != MS_OK)
            continue;
        size_t len = 0;
        while (len < cap) {
            ssize_t got = ms_fs_file_read(f, len, buf + len, cap - len);
            if (got <= 0)
                break;
            len += (size_t)got;
        }
        ms_fs_file_close(f);
        ms_yara_match *m = NULL;
        size_t nm = 0;
        unsigned status = 0;
        if (ms_rules_scan_ex(rules, buf, len, 10, 64, &m, &nm, &status) !=
            MS_OK)
            continue;
        e->scripts_scanned++;
        if (is_webshell_hit(rules, m, nm)) {
            size_t index;
            rc = ms_scan_file_for(scan, ref, 0, MS_ORIGIN_WEBROOT, &index);
        }
        ms_yara_matches_free(m, nm);
    }
    free(buf);
    return rc;
}

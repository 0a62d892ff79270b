/* names.c - wording shared by the writers: names of states and severities,
 * and the integrity alert every format puts first. */
#include "report/report.h"

#include <inttypes.h>
#include <string.h>

#include "common/ms_mem.h"
#include "evidence/imghash.h"

const char *ms_report_verdict_name(int severity)
{
    if (severity >= MS_SEV_MALICIOUS)
        return "malicious";
    return severity == MS_SEV_SUSPICIOUS ? "suspicious" : "clean";
}

const char *ms_report_severity_name(int severity)
{
    if (severity >= MS_SEV_MALICIOUS)
        return "malicious";
    return severity == MS_SEV_SUSPICIOUS ? "suspicious" : "info";
}

const char *ms_report_prog_status_name(enum ms_prog_status st)
{
    switch (st) {
    case MS_PROG_FOUND:       return "found";
    case MS_PROG_MISSING:     return "missing";
    case MS_PROG_NOT_REGULAR: return "not_regular";
    case MS_PROG_UNRESOLVED:  return "unresolved";
    case MS_PROG_BUILTIN:     return "builtin";
    case MS_PROG_GUARDED_ABSENT: return "guarded_absent";
    }
    return "unresolved";
}

const char *ms_report_vol_state_name(enum ms_vol_state st)
{
    switch (st) {
    case MS_VOL_EXAMINED:     return "examined";
    case MS_VOL_NOT_EXAMINED: return "not_examined";
    case MS_VOL_NO_FS:        return "no_fs";
    }
    return "not_examined";
}

const char *ms_report_ftype_name(enum ms_ftype t)
{
    switch (t) {
    case MS_FT_REG:     return "file";
    case MS_FT_DIR:     return "dir";
    case MS_FT_LNK:     return "symlink";
    case MS_FT_OTHER:   return "other";
    case MS_FT_UNKNOWN: return "unknown";
    }
    return "unknown";
}

const char *ms_report_content_state(const ms_file *f)
{
    if (f->missing)
        return "missing";
    if (!f->content_read)
        return "unreadable";
    return f->scan_truncated ? "truncated" : "scanned";
}

char *ms_report_integrity_alert(const ms_scan *scan)
{
    const ms_integrity *ig = &scan->integrity;
    ms_buf b = { 0 };
    if (!ms_integrity_mismatch(ig))
        return NULL;
    ms_buf_printf(&b, "INTEGRITY FAILURE: the %s read from the image "
                  "(%" PRIu64 " bytes hashed) does not match the acquisition "
                  "hash stored in it:",
                  ig->hashed_what ? ig->hashed_what : "media",
                  ig->bytes_hashed);
    for (int a = 0; a < MS_HASH_COUNT; a++)
        if (ig->check[a] == MS_HCHK_MISMATCH)
            ms_buf_printf(&b, " %s stored %.64s, computed %.64s;",
                          ms_hash_algo_title(a), ig->stored_hex[a],
                          ig->computed_hex[a]);
    ms_buf_puts(&b, " the evidence changed after acquisition or is corrupt");
    return ms_buf_steal(&b);
}

char *ms_report_incomplete_alert(const ms_scan *scan)
{
    ms_summary sum;
    if (!scan->evidence_incomplete && scan->nunreadable == 0)
        return NULL;
    if (ms_summary_compute(scan, &sum))
        return NULL;
    return ms_asprintf("EVIDENCE INCOMPLETE: %llu bytes of media in %zu "
                       "range%s could not be read (a truncated or damaged "
                       "copy%s); they were read as zeros; %zu volume%s and "
                       "%zu reported file%s touch them and are marked "
                       "partial; what was present was examined, and nothing "
                       "can be said about what is missing",
                       (unsigned long long)sum.unreadable_bytes,
                       sum.unreadable_ranges,
                       sum.unreadable_ranges == 1 ? "" : "s",
                       scan->unreadable_coarsened
                           ? "; the list was merged at its bound" : "",
                       sum.volumes_partial,
                       sum.volumes_partial == 1 ? "" : "s",
                       sum.files_partial, sum.files_partial == 1 ? "" : "s");
}

const char *ms_report_certainty_name(enum ms_certainty c)
{
    switch (c) {
    case MS_CERT_LOW:    return "low";
    case MS_CERT_MEDIUM: return "medium";
    case MS_CERT_HIGH:   return "high";
    default:             return "none";
    }
}

/* session.c - see session.h. */
#include "scan/session.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/fileinfo.h"
#include "detection/yarascan.h"
#include "evidence/ewfhash.h"
#include "evidence/imghash.h"
#include "scan/provenance.h"
#include "scan/scan.h"

static ms_err compile_rules(const ms_scan_request *rq, ms_scan *scan,
                            ms_rules **out, char **err_text)
{
    char *err = NULL;
    ms_err rc = ms_rules_compile(rq->rule_paths, rq->nrule_paths, out, &err);
    if (rc != MS_OK) {
        *err_text = ms_asprintf("cannot compile YARA rules: %s",
                                err ? err : ms_strerror(rc));
        free(err);
        return rc;
    }
    ms_buf b = { 0 };
    for (size_t i = 0; i < ms_rules_file_count(*out); i++)
        ms_buf_printf(&b, "%s%s (sha256 %s)", i ? "; " : "",
                      ms_rules_file_path(*out, i),
                      ms_rules_file_sha256(*out, i));
    scan->rules_desc = ms_buf_steal(&b);
    return scan->rules_desc ? MS_OK : MS_ERR_NOMEM;
}

static ms_err record_case(const ms_scan_request *rq, ms_scan *scan)
{
    ms_case_info *c = &scan->case_info;
    const char *src[4] = { rq->case_id, rq->examiner, rq->evidence_id,
                           rq->notes };
    char **dst[4] = { &c->case_id, &c->examiner, &c->evidence_id, &c->notes };
    for (int i = 0; i < 4; i++)
        if (src[i] && !(*dst[i] = ms_strdup(src[i])))
            return MS_ERR_NOMEM;
    return MS_OK;
}

/* Stored acquisition hashes (E01) are read whether or not --hash was
 * given, so the report can say they exist but were not verified. */
static void integrity_finish(const ms_scan_request *rq, ms_imghash *h,
                             ms_scan *scan)
{
    if (h)
        ms_imghash_finish(h, &scan->integrity);
    if (scan->image_type && strcmp(scan->image_type, "ewf") == 0)
        ms_ewf_stored_hashes(rq->images, rq->nimages, &scan->integrity);
    ms_integrity_compare(&scan->integrity);
}

ms_err ms_scan_session(const ms_scan_request *rq, ms_scan *scan,
                       ms_summary *sum, char **err_text)
{
    ms_rules *rules = NULL;
    ms_magic *magic = NULL;
    ms_imghash *hasher = NULL;
    ms_err rc;

    *err_text = NULL;
    if ((rc = compile_rules(rq, scan, &rules, err_text)) != MS_OK)
        goto _exit;
    if ((rc = record_case(rq, scan)) != MS_OK ||
        (rc = ms_provenance_fill(&scan->prov, rq->argc, rq->argv, rules))
            != MS_OK)
        goto _exit;
    if ((rc = ms_magic_open(&magic)) != MS_OK) {
        *err_text = ms_strdup("cannot load the libmagic database");
        goto _exit;
    }
    ms_scan_config cfg = {
        .images = rq->images, .nimages = rq->nimages,
        .image_type = rq->image_type, .rules = rules, .magic = magic,
        .walk = rq->walk,
        .max_scan_bytes = rq->max_file_size,
        /* live crontabs are read whole; this bounds only content
         * recovered from the journal into memory */
        .max_crontab_bytes = 64u << 20,
        .extract_dir = rq->extract_dir,
        .carve = rq->carve,
        .carve_progress = rq->carve && rq->progress,
        .web_window = rq->web_window,
        .sweep = rq->sweep,
    };
    if (rq->hash && (rc = ms_imghash_start(rq->images, rq->nimages,
                                           rq->image_type, &hasher))
                        != MS_OK) {
        *err_text = ms_strdup("cannot start the image hash thread");
        goto _exit;
    }
    rc = ms_scan_run(&cfg, scan, err_text);
    integrity_finish(rq, hasher, scan);
    if (rc == MS_OK)
        rc = ms_summary_compute(scan, sum);
_exit:
    if (rc != MS_OK && !*err_text)
        *err_text = ms_asprintf("scan failed: %s", ms_strerror(rc));
    ms_magic_close(magic);
    ms_rules_free(rules);
    return rc;
}

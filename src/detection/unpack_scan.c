/* unpack_scan.c - unpack a packer hit and describe the recovered script.
 * See unpack_scan.h. */
#include "detection/unpack_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/extract.h"
#include "artifacts/indicators.h"
#include "detection/perlscript.h"
#include "detection/unpack.h"
#include "detection/unpack_emu.h"

/* Third-party packer rules carry no tag of ours; ESET's is named
 * "mumblehard_packer".  Their name is the only hint. */
static int packer_name(const char *rule)
{
    return rule && strcasestr(rule, "mumblehard") &&
           strcasestr(rule, "packer");
}

int ms_unpack_wanted(const ms_file *f, const ms_rules *rules)
{
    for (size_t i = 0; rules && i < f->nmatches; i++)
        if (ms_rules_rule_has_tag(rules, f->matches[i].ns,
                                  f->matches[i].rule, "packer") ||
            packer_name(f->matches[i].rule))
            return 1;
    return 0;
}

static int sha256_hex(const uint8_t *p, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    static const char xd[] = "0123456789abcdef";
    if (!EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        return -1;
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = xd[md[i] >> 4];
        out[2 * i + 1] = xd[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

/* Everything about the recovered script except its bytes. */
static ms_err describe(ms_unpacked *u, const ms_unpack_result *r,
                       const ms_rules *rules, const char *extract_dir)
{
    const char *feat[MS_SCRIPT_MAX_FEATURES];
    size_t nfeat = 0;
    ms_err e;

    u->interpreter = ms_strndup((const char *)r->interp, r->interp_len);
    if (!u->interpreter)
        return MS_ERR_NOMEM;
    u->script_offset = r->script_off;
    u->script_size = r->script_len;
    if (sha256_hex(r->script, r->script_len, u->sha256))
        return MS_ERR_INTERNAL;
    u->kind = ms_script_classify(r->script, r->script_len, feat, &nfeat);
    if (nfeat) {
        u->features = calloc(nfeat, sizeof *u->features);
        if (!u->features)
            return MS_ERR_NOMEM;
        memcpy(u->features, feat, nfeat * sizeof *feat);
        u->nfeatures = nfeat;
    }
    e = ms_ioc_scan(r->script, r->script_len, MS_IOC_DEFAULT_MAX,
                    &u->indicators, &u->nindicators,
                    &u->indicators_truncated);
    if (e)
        return e;
    if (rules) {
        unsigned st = 0;
        e = ms_rules_scan_ex(rules, r->script, r->script_len,
                             MS_YARA_TIMEOUT_S, MS_YARA_MAX_MATCHES,
                             &u->matches, &u->nmatches, &st);
        if (e == MS_ERR_NOMEM)
            return e;
    }
    if (extract_dir) {
        char *err = NULL;
        e = ms_extract_write(extract_dir, u->sha256, r->script,
                             r->script_len, &u->extracted, &err);
        if (e == MS_ERR_NOMEM)
            return e;
        if (e)
            u->extract_note = err ? err : ms_strdup("extraction failed");
        else
            free(err);
    }
    return MS_OK;
}

ms_err ms_unpack_file(ms_file *f, const uint8_t *buf, size_t len,
                      int partial, const ms_rules *rules,
                      const char *extract_dir)
{
    ms_unpack_result r;
    char *static_why = NULL;
    ms_unpacked *u = calloc(1, sizeof *u);
    if (!u)
        return MS_ERR_NOMEM;
    /* Static first (fast, nothing runs); a variant it cannot read is
     * emulated.  If both fail, both reasons are kept. */
    ms_err e = ms_unpack(buf, len, &r);
    u->method = "static";
    if (e == MS_ERR_FORMAT) {
        static_why = ms_strdup(r.reason);
        ms_unpack_result_free(&r);
        if (!static_why) {
            free(u);
            return MS_ERR_NOMEM;
        }
        e = ms_unpack_emulate(buf, len, NULL, &r, NULL);
        u->method = "emulation";
        if (e == MS_ERR_FORMAT) {
            /* r.reason starts with "emulation: " */
            size_t n = strlen(r.reason);
            char *both = ms_asprintf("static: %s; %s", static_why,
                                     r.reason);
            if (!both) {
                free(static_why);
                free(u);
                return MS_ERR_NOMEM;
            }
            snprintf(r.reason, sizeof r.reason, "%s", both);
            if (strlen(both) >= sizeof r.reason && n)
                memcpy(r.reason + sizeof r.reason - 4, "...", 4);
            free(both);
        }
    }
    free(static_why);
    u->key = r.params.key;
    u->limit = r.params.limit;
    u->wrap = r.params.wrap;
    u->step = r.params.step;
    u->routine_offset = r.routine_off;
    u->calls = r.ncalls;
    if (e == MS_ERR_FORMAT) {
        u->method = NULL;
        u->failure = partial
            ? ms_asprintf("%s (only the first %zu bytes of the file were "
                          "read)", r.reason, len)
            : ms_strdup(r.reason);
        e = u->failure ? MS_OK : MS_ERR_NOMEM;
    } else if (e == MS_OK) {
        u->ok = 1;
        e = describe(u, &r, rules, extract_dir);
    }
    ms_unpack_result_free(&r);
    if (e && e != MS_ERR_NOMEM) {
        /* unexpected (hash provider, bad argument): say so, keep going */
        u->ok = 0;
        free(u->failure);
        u->failure = ms_asprintf("internal error: %s", ms_strerror(e));
        e = MS_OK;
    }
    if (e) {
        ms_unpacked_free(u);
        return e;
    }
    f->unpacked = u;
    return MS_OK;
}

/* ---- reasons ---------------------------------------------------------- */

/* Short name for the many call sites; text is consumed. */
static ms_err add(ms_file *f, ms_reason_id id, enum ms_severity sev,
                  char *text)
{
    return ms_file_reason_take(f, id, sev, text);
}

static ms_err summary_reason(ms_file *f, const ms_unpacked *u)
{
    ms_buf b = { 0 };
    for (size_t i = 0; i < u->nfeatures; i++)
        ms_buf_printf(&b, "%s%s", i ? "; " : "", u->features[i]);
    char *text = ms_asprintf(
        "packer unpacked %s (key %u, limit 0x%x, wrap 0x%x, step "
        "0x%x): interpreter %s, %llu-byte script, sha256 %s, kind %s%s%s%s",
        u->method && !strcmp(u->method, "emulation")
            ? "by emulating the stub (the static unpacker could not read "
              "this variant's set-up)"
            : "statically",
        u->key, u->limit, u->wrap, u->step, u->interpreter,
        (unsigned long long)u->script_size, u->sha256,
        ms_script_kind_name(u->kind), b.len ? " (features: " : "",
        b.len ? b.data : "", b.len ? ")" : "");
    ms_buf_free(&b);
    ms_reason_ev ev = { .has_offset = 1, .offset = u->script_offset };
    return ms_file_reason_ev(f, MS_R_UNPACKED_SCRIPT,
                             u->kind == MS_SCRIPT_UNKNOWN ? MS_SEV_INFO
                                                          : MS_SEV_MALICIOUS,
                             text, &ev);
}

static ms_err yara_reasons(ms_file *f, const ms_unpacked *u,
                           const ms_rules *rules)
{
    for (size_t i = 0; i < u->nmatches; i++) {
        const ms_yara_match *m = &u->matches[i];
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(u->matches[k].rule, m->rule) &&
                   !strcmp(u->matches[k].ns, m->ns);
        if (seen)
            continue;
        enum ms_severity sev = ms_rules_rule_severity(rules, m->ns, m->rule);
        ms_reason_ev ev = { .rule = m->rule, .ns = m->ns, .has_offset = 1,
                            .offset = m->offset };
        ms_err e = ms_file_reason_ev(
            f, MS_R_UNPACKED_SCRIPT_YARA, sev,
            ms_asprintf("the recovered script matches YARA rule %s:%s at "
                        "script offset %llu", m->ns, m->rule,
                        (unsigned long long)m->offset), &ev);
        if (e)
            return e;
    }
    return MS_OK;
}

static ms_err ioc_file_reasons(ms_file *f, const ms_unpacked *u)
{
    for (size_t i = 0; i < u->nindicators; i++) {
        const ms_indicator *x = &u->indicators[i];
        if (x->cls != MS_IOC_KNOWN && x->cls != MS_IOC_WEAK)
            continue;
        int known = x->cls == MS_IOC_KNOWN;
        ms_reason_ev ev = { .ioc_type = ms_ioc_type_name(x->type),
                            .ioc_value = x->value, .has_offset = 1,
                            .offset = x->offset };
        ms_err e = ms_file_reason_ev(f, known ? MS_R_C2_INDICATOR
                                              : MS_R_C2_INDICATOR_WEAK,
                       known ? MS_SEV_MALICIOUS : MS_SEV_INFO,
                       ms_asprintf("the recovered script contains %s %s %s "
                                   "at script offset %llu",
                                   known ? "ESET's Mumblehard indicator"
                                         : "the common (not by itself "
                                           "malicious) Mumblehard indicator",
                                   ms_ioc_type_name(x->type), x->value,
                                   (unsigned long long)x->offset), &ev);
        if (e)
            return e;
    }
    return MS_OK;
}

ms_err ms_unpack_reasons(ms_file *f, const ms_rules *rules)
{
    const ms_unpacked *u = f->unpacked;
    ms_err e;
    if (!u)
        return MS_OK;
    if (!u->ok)
        return add(f, MS_R_UNPACK_FAILED, MS_SEV_INFO,
                   ms_asprintf("packer matched, unpack failed: %s",
                               u->failure ? u->failure : "unknown reason"));
    if ((e = summary_reason(f, u)) || (e = yara_reasons(f, u, rules)) ||
        (e = ioc_file_reasons(f, u)))
        return e;
    if (u->extract_note)
        return add(f, MS_R_EXTRACT_FAILED, MS_SEV_INFO,
                   ms_strdup(u->extract_note));
    return MS_OK;
}

static unsigned line_of(const uint8_t *buf, size_t off, unsigned line0)
{
    unsigned line = line0;
    for (size_t i = 0; i < off; i++)
        line += buf[i] == '\n';
    return line;
}

ms_err ms_ioc_reasons(const uint8_t *buf, size_t len, const char *what,
                      unsigned line0, ms_reason **reasons, size_t *n)
{
    ms_indicator *list = NULL;
    size_t nl = 0;
    int trunc = 0;
    ms_err e = ms_ioc_scan(buf, len, MS_IOC_DEFAULT_MAX, &list, &nl, &trunc);
    for (size_t i = 0; i < nl && !e; i++) {
        const ms_indicator *x = &list[i];
        if (x->cls != MS_IOC_KNOWN && x->cls != MS_IOC_WEAK)
            continue;
        int known = x->cls == MS_IOC_KNOWN;
        char where[32] = "";
        if (line0)
            snprintf(where, sizeof where, " at line %u",
                     line_of(buf, (size_t)x->offset, line0));
        char *text = ms_asprintf("%s contains %s %s %s%s", what,
                                 known ? "ESET's Mumblehard indicator"
                                       : "the common (not by itself "
                                         "malicious) Mumblehard indicator",
                                 ms_ioc_type_name(x->type), x->value, where);
        ms_reason_ev ev = { .ioc_type = ms_ioc_type_name(x->type),
                            .ioc_value = x->value, .has_offset = 1,
                            .offset = x->offset,
                            .source_line = line0
                                ? line_of(buf, (size_t)x->offset, line0)
                                : 0 };
        e = ms_reasons_add(reasons, n, known ? MS_R_C2_INDICATOR
                                             : MS_R_C2_INDICATOR_WEAK,
                           known ? MS_SEV_MALICIOUS : MS_SEV_INFO, text, &ev);
    }
    ms_ioc_free(list, nl);
    return e;
}

/* yarascan.c - libyara wrapper: compile with provenance, scan into the
 * model.  See yarascan.h for the contract. */
#include "detection/yarascan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <yara.h>

#include "common/ms_mem.h"

#define MAX_PER_RULE   16                 /* entries kept per matching rule */
#define MAX_RULE_BYTES (64L * 1024 * 1024) /* refuse absurd rule files */

typedef struct rule_file {
    char *path;
    char *ns;
    char  sha256[65];
} rule_file;

struct ms_rules {
    YR_RULES  *rules;
    int        yr_inited;  /* this object holds one yr_initialize() */
    rule_file *files;
    size_t     nfiles, files_cap;
};

/* ---- provenance ------------------------------------------------------- */

size_t ms_rules_file_count(const ms_rules *r)
{
    return r ? r->nfiles : 0;
}

const char *ms_rules_file_path(const ms_rules *r, size_t i)
{
    return r && i < r->nfiles ? r->files[i].path : NULL;
}

const char *ms_rules_file_sha256(const ms_rules *r, size_t i)
{
    return r && i < r->nfiles ? r->files[i].sha256 : NULL;
}

const char *ms_rules_file_namespace(const ms_rules *r, size_t i)
{
    return r && i < r->nfiles ? r->files[i].ns : NULL;
}

const char *ms_yara_version(void)
{
    return YR_VERSION;
}

void ms_rules_free(ms_rules *r)
{
    if (!r)
        return;
    if (r->rules)
        yr_rules_destroy(r->rules);
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i].path);
        free(r->files[i].ns);
    }
    free(r->files);
    if (r->yr_inited)
        yr_finalize();
    free(r);
}

/* ---- collecting rule files -------------------------------------------- */

static int has_rule_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && !strcmp(name + n - 4, ".yar")) ||
           (n > 5 && !strcmp(name + n - 5, ".yara"));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static ms_err add_file(ms_rules *r, const char *path)
{
    if (r->nfiles >= MS_YARA_MAX_FILES)
        return MS_ERR_LIMIT;
    ms_err e = ms_grow((void **)&r->files, &r->files_cap, r->nfiles + 1,
                       sizeof *r->files);
    if (e)
        return e;
    r->files[r->nfiles].path = ms_strdup(path);
    if (!r->files[r->nfiles].path)
        return MS_ERR_NOMEM;
    r->nfiles++;
    return MS_OK;
}

static int is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Rule files of one directory, sorted by name.  Hidden files are skipped:
 * "._x.yar" AppleDouble debris is not YARA. */
static ms_err add_dir(ms_rules *r, const char *dir, ms_buf *errs)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    ms_err e = MS_OK;
    size_t dl = strlen(dir);
    const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
    DIR *d = opendir(dir);
    if (!d) {
        ms_buf_printf(errs, "%s: %s\n", dir, strerror(errno));
        return MS_ERR_IO;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !has_rule_ext(de->d_name))
            continue;
        if (n >= MS_YARA_MAX_FILES) {
            e = MS_ERR_LIMIT;
            goto _exit;
        }
        if ((e = ms_grow((void **)&names, &cap, n + 1, sizeof *names)))
            goto _exit;
        if (!(names[n] = ms_asprintf("%s%s%s", dir, sep, de->d_name))) {
            e = MS_ERR_NOMEM;
            goto _exit;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && !e; i++)
        if (is_regular(names[i]))
            e = add_file(r, names[i]);
_exit:
    if (e == MS_ERR_LIMIT)
        ms_buf_printf(errs, "%s: more than %d rule files\n", dir,
                      MS_YARA_MAX_FILES);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return e;
}

static ms_err collect(ms_rules *r, const char *const *paths, size_t npaths,
                      ms_buf *errs)
{
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        ms_err e;
        if (!paths[i])
            return MS_ERR_ARG;
        if (stat(paths[i], &st) != 0) {
            int en = errno;
            ms_buf_printf(errs, "%s: %s\n", paths[i], strerror(en));
            return en == ENOENT ? MS_ERR_NOT_FOUND : MS_ERR_IO;
        }
        if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
            ms_buf_printf(errs, "%s: not a file or directory\n", paths[i]);
            return MS_ERR_ARG;
        }
        e = S_ISDIR(st.st_mode) ? add_dir(r, paths[i], errs)
                                : add_file(r, paths[i]);
        if (e)
            return e;
    }
    if (r->nfiles == 0) {
        ms_buf_puts(errs, "no rule files (*.yar, *.yara) found\n");
        return MS_ERR_ARG;
    }
    return MS_OK;
}

/* Namespace from the basename without extension, unique among files. */
static ms_err name_namespace(ms_rules *r, size_t idx)
{
    const char *base = strrchr(r->files[idx].path, '/');
    base = base ? base + 1 : r->files[idx].path;
    size_t n = strlen(base);
    n -= (n > 5 && !strcmp(base + n - 5, ".yara")) ? 5
       : (n > 4 && !strcmp(base + n - 4, ".yar")) ? 4 : 0;
    char *ns = ms_strndup(base, n);
    for (unsigned k = 2; ns; k++) {
        size_t j = 0;
        while (j < idx && strcmp(r->files[j].ns, ns))
            j++;
        if (j == idx)
            break;
        free(ns);
        ns = ms_asprintf("%.*s_%u", (int)n, base, k);
    }
    r->files[idx].ns = ns;
    return ns ? MS_OK : MS_ERR_NOMEM;
}

/* ---- compiling -------------------------------------------------------- */

typedef struct compile_ctx {
    ms_buf     *errs;
    const char *cur_path;
} compile_ctx;

static void compile_cb(int level, const char *file_name, int line,
                       const YR_RULE *rule, const char *message, void *user)
{
    compile_ctx *c = user;
    if (level != YARA_ERROR_LEVEL_ERROR)
        return;               /* warnings do not stop a compile */
    ms_buf_printf(c->errs, "%s:%d: %s%s%s%s\n",
                  file_name ? file_name : c->cur_path, line,
                  rule ? "rule \"" : "", rule ? rule->identifier : "",
                  rule ? "\": " : "", message);
}

/* SHA-256 of everything readable from fd, then rewind for libyara, so the
 * hash recorded is of the bytes that get compiled. */
static ms_err hash_fd(int fd, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE], chunk[65536];
    unsigned mdlen = 0;
    long total = 0;
    ms_err e = MS_ERR_IO;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        e = MS_ERR_NOMEM;
        goto _exit;
    }
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            goto _exit;
        if (got == 0)
            break;
        total += got;
        if (total > MAX_RULE_BYTES) {
            e = MS_ERR_LIMIT;
            goto _exit;
        }
        if (!EVP_DigestUpdate(ctx, chunk, (size_t)got))
            goto _exit;
    }
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32 ||
        lseek(fd, 0, SEEK_SET) != 0)
        goto _exit;
    for (unsigned i = 0; i < mdlen; i++) {
        static const char xd[] = "0123456789abcdef";
        hex[2 * i] = xd[md[i] >> 4];
        hex[2 * i + 1] = xd[md[i] & 15];
    }
    hex[64] = '\0';
    e = MS_OK;
_exit:
    EVP_MD_CTX_free(ctx);
    return e;
}

/* Hash and compile one file.  Returns MS_ERR_YARA on rule errors (text
 * already in the buffer via the callback). */
static ms_err compile_one(YR_COMPILER *comp, rule_file *f, compile_ctx *c)
{
    ms_err e;
    int fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ms_buf_printf(c->errs, "%s: %s\n", f->path, strerror(errno));
        return MS_ERR_IO;
    }
    if ((e = hash_fd(fd, f->sha256))) {
        ms_buf_printf(c->errs, "%s: %s\n", f->path, ms_strerror(e));
        goto _exit;
    }
    c->cur_path = f->path;
    if (yr_compiler_add_fd(comp, fd, f->ns, f->path) > 0)
        e = MS_ERR_YARA;
_exit:
    close(fd);
    return e;
}

/* After a failure libyara forbids further additions to that compiler, so
 * the remaining files are checked each in a scratch compiler: the user gets
 * every broken file in one run instead of one per run. */
static void check_rest(ms_rules *r, size_t from, compile_ctx *c)
{
    for (size_t i = from; i < r->nfiles; i++) {
        YR_COMPILER *scratch = NULL;
        if (yr_compiler_create(&scratch) != ERROR_SUCCESS)
            return;
        yr_compiler_set_callback(scratch, compile_cb, c);
        compile_one(scratch, &r->files[i], c);
        yr_compiler_destroy(scratch);
    }
}

static ms_err compile_all(ms_rules *r, compile_ctx *c)
{
    YR_COMPILER *comp = NULL;
    ms_err e = MS_OK;
    if (yr_compiler_create(&comp) != ERROR_SUCCESS)
        return MS_ERR_NOMEM;
    yr_compiler_set_callback(comp, compile_cb, c);
    for (size_t i = 0; i < r->nfiles; i++) {
        if ((e = name_namespace(r, i)))
            goto _exit;
    }
    for (size_t i = 0; i < r->nfiles; i++) {
        if ((e = compile_one(comp, &r->files[i], c))) {
            check_rest(r, i + 1, c);
            goto _exit;
        }
    }
    if (yr_compiler_get_rules(comp, &r->rules) != ERROR_SUCCESS)
        e = MS_ERR_NOMEM;
_exit:
    yr_compiler_destroy(comp);
    return e;
}

ms_err ms_rules_compile(const char *const *paths, size_t npaths,
                        ms_rules **out, char **err_text)
{
    ms_buf errs = { 0 };
    ms_err e;
    ms_rules *r = NULL;
    compile_ctx c = { &errs, NULL };
    if (err_text)
        *err_text = NULL;
    if (!out || (!paths && npaths))
        return MS_ERR_ARG;
    *out = NULL;
    if (!(r = calloc(1, sizeof *r))) {
        e = MS_ERR_NOMEM;
        goto _exit;
    }
    if (yr_initialize() != ERROR_SUCCESS) {
        e = MS_ERR_YARA;
        goto _exit;
    }
    r->yr_inited = 1;
    if ((e = collect(r, paths, npaths, &errs)) || (e = compile_all(r, &c)))
        goto _exit;
    *out = r;
    r = NULL;
_exit:
    ms_rules_free(r);
    /* drop the final newline; keep the text only on failure */
    if (errs.len && errs.data[errs.len - 1] == '\n')
        errs.data[--errs.len] = '\0';
    if (e && err_text && errs.len)
        *err_text = ms_buf_steal(&errs);
    ms_buf_free(&errs);
    return e;
}

/* ---- rule properties -------------------------------------------------- */

static const YR_RULE *find_rule(const ms_rules *r, const char *ns,
                                const char *name)
{
    const YR_RULE *rule;
    if (!r || !r->rules || !name)
        return NULL;
    yr_rules_foreach(r->rules, rule) {
        if (RULE_IS_PRIVATE(rule) || strcmp(rule->identifier, name))
            continue;
        if (!ns || !strcmp(rule->ns->name, ns))
            return rule;
    }
    return NULL;
}

enum ms_severity ms_rules_rule_severity(const ms_rules *r, const char *ns,
                                        const char *rule_name)
{
    const YR_RULE *rule = find_rule(r, ns, rule_name);
    const YR_META *meta;
    if (!rule)
        return MS_SEV_SUSPICIOUS;
    yr_rule_metas_foreach(rule, meta) {
        if (meta->type != META_TYPE_STRING ||
            strcmp(meta->identifier, "severity"))
            continue;
        if (!strcasecmp(meta->string, "malicious"))
            return MS_SEV_MALICIOUS;
        if (!strcasecmp(meta->string, "info") ||
            !strcasecmp(meta->string, "informational"))
            return MS_SEV_INFO;
        return MS_SEV_SUSPICIOUS;
    }
    return MS_SEV_SUSPICIOUS;
}

int ms_rules_rule_is_malicious(const ms_rules *r, const char *ns,
                               const char *rule_name)
{
    return ms_rules_rule_severity(r, ns, rule_name) == MS_SEV_MALICIOUS;
}

int ms_rules_rule_has_tag(const ms_rules *r, const char *ns,
                          const char *rule_name, const char *tag)
{
    const YR_RULE *rule = find_rule(r, ns, rule_name);
    const char *t;
    if (!rule || !tag)
        return 0;
    yr_rule_tags_foreach(rule, t) {
        if (!strcmp(t, tag))
            return 1;
    }
    return 0;
}

/* ---- scanning --------------------------------------------------------- */

typedef struct scan_ctx {
    ms_yara_match *m;
    size_t n, cap, max;
    unsigned status;
    ms_err err;
} scan_ctx;

void ms_yara_matches_free(ms_yara_match *m, size_t n)
{
    if (!m)
        return;
    for (size_t i = 0; i < n; i++) {
        free(m[i].rule);
        free(m[i].ns);
        free(m[i].string_id);
        free(m[i].data_hex);
    }
    free(m);
}

static char *to_hex(const uint8_t *p, size_t n)
{
    static const char xd[] = "0123456789abcdef";
    char *s = malloc(2 * n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = xd[p[i] >> 4];
        s[2 * i + 1] = xd[p[i] & 15];
    }
    s[2 * n] = '\0';
    return s;
}

/* Append one entry; data may be NULL (condition-only hit). */
static ms_err push_match(scan_ctx *s, const YR_RULE *rule, const char *sid,
                         uint64_t off, const uint8_t *data, size_t dlen)
{
    ms_err e = ms_grow((void **)&s->m, &s->cap, s->n + 1, sizeof *s->m);
    if (e)
        return e;
    ms_yara_match *m = &s->m[s->n];
    if (dlen > MS_YARA_HEX_MAX)
        dlen = MS_YARA_HEX_MAX;
    m->rule = ms_strdup(rule->identifier);
    m->ns = ms_strdup(rule->ns->name);
    m->string_id = ms_strdup(sid);
    m->offset = off;
    m->data_hex = data ? to_hex(data, dlen) : ms_strdup("");
    s->n++;   /* counted even if partial, so the free path sees it */
    if (!m->rule || !m->ns || !m->string_id || !m->data_hex)
        return MS_ERR_NOMEM;
    return MS_OK;
}

/* libyara 4.2 hands out YR_MATCH records at unaligned addresses inside its
 * notebook, so each one is copied to an aligned local before use; that is
 * also why yr_string_matches_foreach() (which dereferences) is not used. */
static ms_err on_string(scan_ctx *s, YR_SCAN_CONTEXT *ctx, const YR_RULE *rule,
                        const YR_STRING *str, size_t *kept)
{
    const void *p = ctx->matches[str->idx].head;
    while (p) {
        YR_MATCH mm;
        memcpy(&mm, p, sizeof mm);
        p = mm.next;
        if (mm.is_private)
            continue;
        if (*kept >= MAX_PER_RULE || s->n >= s->max) {
            s->status |= MS_YSCAN_TRUNCATED;
            return MS_OK;
        }
        size_t dlen = mm.data_length > 0 ? (size_t)mm.data_length : 0;
        ms_err e = push_match(s, rule, str->identifier,
                              (uint64_t)(mm.base + mm.offset), mm.data, dlen);
        if (e)
            return e;
        (*kept)++;
    }
    return MS_OK;
}

static ms_err on_rule(scan_ctx *s, YR_SCAN_CONTEXT *ctx, const YR_RULE *rule)
{
    const YR_STRING *str;
    size_t kept = 0;
    yr_rule_strings_foreach(rule, str) {
        ms_err e = on_string(s, ctx, rule, str, &kept);
        if (e)
            return e;
    }
    if (kept == 0) {
        if (s->n >= s->max) {
            s->status |= MS_YSCAN_TRUNCATED;
            return MS_OK;
        }
        return push_match(s, rule, "", 0, NULL, 0);
    }
    return MS_OK;
}

static int scan_cb(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
    scan_ctx *s = user;
    switch (message) {
    case CALLBACK_MSG_RULE_MATCHING:
        s->err = on_rule(s, ctx, data);
        return s->err ? CALLBACK_ERROR : CALLBACK_CONTINUE;
    case CALLBACK_MSG_TOO_MANY_MATCHES:
        s->status |= MS_YSCAN_TRUNCATED;
        return CALLBACK_CONTINUE;
    default:
        return CALLBACK_CONTINUE;
    }
}

static ms_err map_scan_result(int rc, scan_ctx *s)
{
    switch (rc) {
    case ERROR_SUCCESS:
        return MS_OK;
    case ERROR_SCAN_TIMEOUT:
        s->status |= MS_YSCAN_TIMEOUT;
        return MS_OK;
    case ERROR_TOO_MANY_MATCHES:
        s->status |= MS_YSCAN_TRUNCATED;
        return MS_OK;
    case ERROR_CALLBACK_ERROR:
        return s->err ? s->err : MS_ERR_YARA;
    case ERROR_INSUFFICIENT_MEMORY:
        return MS_ERR_NOMEM;
    default:
        return MS_ERR_YARA;
    }
}

struct ms_yscanner {
    YR_SCANNER *scanner;
    scan_ctx    ctx;     /* the callback's target, reset per buffer */
};

ms_err ms_yscanner_new(const ms_rules *r, int timeout_s, size_t max_matches,
                       ms_yscanner **out)
{
    *out = NULL;
    if (!r || !r->rules || timeout_s <= 0 || max_matches == 0)
        return MS_ERR_ARG;
    ms_yscanner *s = calloc(1, sizeof *s);
    if (!s)
        return MS_ERR_NOMEM;
    if (yr_scanner_create(r->rules, &s->scanner) != ERROR_SUCCESS) {
        free(s);
        return MS_ERR_NOMEM;
    }
    s->ctx.max = max_matches;
    yr_scanner_set_callback(s->scanner, scan_cb, &s->ctx);
    yr_scanner_set_timeout(s->scanner, timeout_s);
    /* our buffer is ordinary memory: no SIGSEGV/SIGBUS guard needed */
    yr_scanner_set_flags(s->scanner, SCAN_FLAGS_REPORT_RULES_MATCHING |
                                     SCAN_FLAGS_NO_TRYCATCH);
    *out = s;
    return MS_OK;
}

void ms_yscanner_free(ms_yscanner *s)
{
    if (!s)
        return;
    yr_scanner_destroy(s->scanner);
    free(s);
}

ms_err ms_yscanner_scan(ms_yscanner *ys, const uint8_t *buf, size_t len,
                        ms_yara_match **matches, size_t *nmatches,
                        unsigned *status)
{
    static const uint8_t empty[1];
    if (matches)
        *matches = NULL;
    if (nmatches)
        *nmatches = 0;
    if (status)
        *status = 0;
    if (!ys || !matches || !nmatches || (!buf && len))
        return MS_ERR_ARG;
    scan_ctx *s = &ys->ctx;
    size_t max = s->max;
    memset(s, 0, sizeof *s);
    s->max = max;
    ms_err e = map_scan_result(yr_scanner_scan_mem(ys->scanner,
                                                   buf ? buf : empty, len), s);
    if (e) {
        ms_yara_matches_free(s->m, s->n);
        s->m = NULL;
        return e;
    }
    *matches = s->n ? s->m : NULL;
    if (!s->n)
        free(s->m);
    s->m = NULL;
    *nmatches = s->n;
    if (status)
        *status = s->status;
    return MS_OK;
}

ms_err ms_rules_scan_ex(const ms_rules *r, const uint8_t *buf, size_t len,
                        int timeout_s, size_t max_matches,
                        ms_yara_match **matches, size_t *nmatches,
                        unsigned *status)
{
    ms_yscanner *ys = NULL;
    if (matches)
        *matches = NULL;
    if (nmatches)
        *nmatches = 0;
    if (status)
        *status = 0;
    if (!matches || !nmatches || (!buf && len))
        return MS_ERR_ARG;
    ms_err e = ms_yscanner_new(r, timeout_s, max_matches, &ys);
    if (e)
        return e == MS_ERR_ARG ? MS_ERR_ARG : MS_ERR_NOMEM;
    e = ms_yscanner_scan(ys, buf, len, matches, nmatches, status);
    ms_yscanner_free(ys);
    return e;
}

ms_err ms_rules_scan(const ms_rules *r, const uint8_t *buf, size_t len,
                     ms_yara_match **matches, size_t *nmatches)
{
    unsigned status = 0;
    ms_err e = ms_rules_scan_ex(r, buf, len, MS_YARA_TIMEOUT_S,
                                MS_YARA_MAX_MATCHES, matches, nmatches,
                                &status);
    if (e == MS_OK && status)
        return MS_ERR_LIMIT;
    return e;
}

#include "scan/provenance.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ms_mem.h"
#include "detection/fileinfo.h"
#include "detection/unpack_emu.h"
#include "evidence/ewfhash.h"
#include "evidence/fsxfs_load.h"
#include "evidence/image.h"

static const char *crypto_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}
static const char *jansson_version(void) { return jansson_version_str(); }

/* Every library whose behaviour can change a result.  Add new ones here. */
static const struct {
    const char *name;
    const char *(*version)(void);
} libs[] = {
    { "libtsk",    ms_image_tsk_version },
    { "libyara",   ms_yara_version },
    { "libmagic",  ms_magic_version_string },
    { "libewf",    ms_ewf_version },
    { "libcrypto", crypto_version },
    { "jansson",   jansson_version },
    { "libqcow",   ms_image_qcow_version },
    { "libfsxfs",  ms_fsxfs_version },
    { "libunicorn", ms_unpack_emu_version },
};

static int safe_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("@%+=:,./_-", c) != NULL;
}

char *ms_shell_join(int argc, char *const *argv)
{
    ms_buf b = { 0 };
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i] ? argv[i] : "";
        int bare = *a != '\0';
        for (const char *p = a; *p && bare; p++)
            bare = safe_char((unsigned char)*p);
        if (i && ms_buf_append(&b, " ", 1))
            goto _fail;
        if (bare) {
            if (ms_buf_append(&b, a, strlen(a)))
                goto _fail;
            continue;
        }
        if (ms_buf_append(&b, "'", 1))
            goto _fail;
        for (const char *p = a; *p; p++)
            if (*p == '\'' ? ms_buf_append(&b, "'\\''", 4)
                           : ms_buf_append(&b, p, 1))
                goto _fail;
        if (ms_buf_append(&b, "'", 1))
            goto _fail;
    }
    if (!b.data)
        return ms_strdup("");
    return ms_buf_steal(&b);
_fail:
    ms_buf_free(&b);
    return NULL;
}

ms_err ms_provenance_fill(ms_provenance *p, int argc, char *const *argv,
                          const ms_rules *rules)
{
    char host[256];
    size_t n = sizeof libs / sizeof libs[0];

    if (!(p->command_line = ms_shell_join(argc, argv)))
        return MS_ERR_NOMEM;
    if (gethostname(host, sizeof host) != 0)
        strcpy(host, "unknown");
    host[sizeof host - 1] = '\0';
    if (!(p->host = ms_strdup(host)))
        return MS_ERR_NOMEM;
    if (!(p->libs = calloc(n, sizeof *p->libs)))
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++, p->nlibs++) {
        const char *v = libs[i].version();
        p->libs[i].name = ms_strdup(libs[i].name);
        p->libs[i].version = ms_strdup(v ? v : "unknown");
        if (!p->libs[i].name || !p->libs[i].version) {
            p->nlibs++;
            return MS_ERR_NOMEM;
        }
    }
    size_t nr = rules ? ms_rules_file_count(rules) : 0;
    if (nr && !(p->rules = calloc(nr, sizeof *p->rules)))
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < nr; i++, p->nrules++) {
        ms_rulefile *r = &p->rules[i];
        r->path = ms_strdup(ms_rules_file_path(rules, i));
        r->sha256 = ms_strdup(ms_rules_file_sha256(rules, i));
        r->ns = ms_strdup(ms_rules_file_namespace(rules, i));
        if (!r->path || !r->sha256 || !r->ns) {
            p->nrules++;
            return MS_ERR_NOMEM;
        }
    }
    return MS_OK;
}

void ms_provenance_print_libraries(FILE *out)
{
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        const char *v = libs[i].version();
        fprintf(out, "%s %s\n", libs[i].name, v ? v : "unknown");
    }
}

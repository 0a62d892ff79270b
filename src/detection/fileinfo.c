/* fileinfo.c - hashes, ELF header facts and libmagic descriptions. */
#include "detection/fileinfo.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <magic.h>
#include <openssl/evp.h>

#include "common/ms_mem.h"

/* ---- hashes ----------------------------------------------------------- */

enum { H_MD5, H_SHA1, H_SHA256, H_COUNT };

struct ms_hasher {
    EVP_MD_CTX *ctx[H_COUNT];
    int done;
};

void ms_hasher_free(ms_hasher *h)
{
    if (!h)
        return;
    for (int i = 0; i < H_COUNT; i++)
        EVP_MD_CTX_free(h->ctx[i]);
    free(h);
}

ms_err ms_hasher_new(ms_hasher **out)
{
    const EVP_MD *md[H_COUNT] = { EVP_md5(), EVP_sha1(), EVP_sha256() };
    ms_hasher *h;
    if (!out)
        return MS_ERR_ARG;
    *out = NULL;
    if (!(h = calloc(1, sizeof *h)))
        return MS_ERR_NOMEM;
    for (int i = 0; i < H_COUNT; i++) {
        h->ctx[i] = EVP_MD_CTX_new();
        /* MD5 may be refused by a FIPS-only provider: report, don't crash */
        if (!h->ctx[i] || !md[i] || !EVP_DigestInit_ex(h->ctx[i], md[i], NULL)) {
            ms_hasher_free(h);
            return MS_ERR_INTERNAL;
        }
    }
    *out = h;
    return MS_OK;
}

ms_err ms_hasher_update(ms_hasher *h, const void *data, size_t len)
{
    if (!h || h->done || (!data && len))
        return MS_ERR_ARG;
    if (len == 0)
        return MS_OK;
    for (int i = 0; i < H_COUNT; i++)
        if (!EVP_DigestUpdate(h->ctx[i], data, len))
            return MS_ERR_INTERNAL;
    return MS_OK;
}

static void hex_encode(const unsigned char *p, unsigned n, char *out)
{
    static const char xd[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = xd[p[i] >> 4];
        out[2 * i + 1] = xd[p[i] & 15];
    }
    out[2 * n] = '\0';
}

ms_err ms_hasher_final(ms_hasher *h, char md5[33], char sha1[41],
                       char sha256[65])
{
    static const unsigned want[H_COUNT] = { 16, 20, 32 };
    char *dst[H_COUNT] = { md5, sha1, sha256 };
    unsigned char md[EVP_MAX_MD_SIZE];
    if (!h || h->done || !md5 || !sha1 || !sha256)
        return MS_ERR_ARG;
    h->done = 1;
    for (int i = 0; i < H_COUNT; i++) {
        unsigned n = 0;
        if (!EVP_DigestFinal_ex(h->ctx[i], md, &n) || n != want[i])
            return MS_ERR_INTERNAL;
        hex_encode(md, n, dst[i]);
    }
    return MS_OK;
}

/* ---- ELF -------------------------------------------------------------- */

typedef struct code_name {
    unsigned code;
    const char *name;
} code_name;

static const code_name machines[] = {
    { 0, "none" },            { 2, "SPARC" },
    { 3, "Intel 80386" },     { 4, "Motorola m68k" },
    { 6, "Intel MCU" },       { 7, "Intel 80860" },
    { 8, "MIPS" },            { 10, "MIPS RS3000 LE" },
    { 15, "HPPA" },           { 18, "SPARC32PLUS" },
    { 20, "PowerPC" },        { 21, "PowerPC64" },
    { 22, "IBM S/390" },      { 40, "ARM" },
    { 42, "Renesas SH" },     { 43, "SPARC V9" },
    { 50, "Intel IA-64" },    { 62, "AMD x86-64" },
    { 183, "AArch64" },       { 243, "RISC-V" },
    { 247, "Linux BPF" },     { 258, "LoongArch" },
};

static const code_name osabis[] = {
    { 0, "SYSV" },            { 1, "HP-UX" },
    { 2, "NetBSD" },          { 3, "Linux/GNU" },
    { 6, "Solaris" },         { 7, "AIX" },
    { 8, "IRIX" },            { 9, "FreeBSD" },
    { 10, "Tru64" },          { 11, "Novell Modesto" },
    { 12, "OpenBSD" },        { 13, "OpenVMS" },
    { 14, "HP NonStop" },     { 15, "AROS" },
    { 16, "FenixOS" },        { 17, "CloudABI" },
    { 64, "ARM EABI" },       { 97, "ARM" },
    { 255, "Standalone" },
};

static const char *lookup(const code_name *t, size_t n, unsigned code)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].code == code)
            return t[i].name;
    return "unknown";
}

const char *ms_elf_machine_name(unsigned machine)
{
    return lookup(machines, sizeof machines / sizeof *machines, machine);
}

const char *ms_elf_osabi_name(unsigned osabi)
{
    return lookup(osabis, sizeof osabis / sizeof *osabis, osabi);
}

static unsigned rd16(const uint8_t *p, int big)
{
    return big ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

ms_err ms_elf_parse(const uint8_t *buf, size_t len, ms_elfinfo *out)
{
    if (!out || (!buf && len))
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (len < 16 || memcmp(buf, "\177ELF", 4))
        return MS_OK;
    unsigned cls = buf[4], data = buf[5];
    size_t need = cls == 1 ? 52 : cls == 2 ? 64 : 0;
    if (!need || len < need || (data != 1 && data != 2))
        return MS_OK;   /* unknown class/encoding or truncated header */
    int big = data == 2;
    out->valid = 1;
    out->elf_class = cls == 1 ? 32 : 64;
    out->big_endian = big;
    out->osabi = buf[7];
    out->etype = rd16(buf + 16, big);
    out->machine = rd16(buf + 18, big);
    out->machine_name = ms_elf_machine_name(out->machine);
    out->osabi_name = ms_elf_osabi_name(out->osabi);
    return MS_OK;
}

/* ---- libmagic --------------------------------------------------------- */

struct ms_magic {
    magic_t cookie;
};

/* No decompression (it forks helpers on hostile data) and no CDF parser
 * (a history of memory-safety bugs, and no Office files are expected in
 * /tmp cron payloads).  Not MAGIC_RAW: non-printable bytes quoted from the
 * content come back escaped as \ooo. */
#define MS_MAGIC_FLAGS (MAGIC_NONE | MAGIC_NO_CHECK_COMPRESS | \
                        MAGIC_NO_COMPRESS_FORK | MAGIC_NO_CHECK_CDF)

ms_err ms_magic_open(ms_magic **out)
{
    ms_magic *m;
    if (!out)
        return MS_ERR_ARG;
    *out = NULL;
    if (!(m = calloc(1, sizeof *m)))
        return MS_ERR_NOMEM;
    m->cookie = magic_open(MS_MAGIC_FLAGS);
    if (!m->cookie || magic_load(m->cookie, NULL) != 0) {
        ms_magic_close(m);
        return MS_ERR_UNSUPPORTED;
    }
    *out = m;
    return MS_OK;
}

char *ms_magic_describe(ms_magic *m, const void *buf, size_t len)
{
    static const char empty[1];
    if (!m || !m->cookie || (!buf && len))
        return NULL;
    const char *d = magic_buffer(m->cookie, buf ? buf : empty, len);
    return d ? ms_strdup(d) : NULL;
}

void ms_magic_close(ms_magic *m)
{
    if (!m)
        return;
    if (m->cookie)
        magic_close(m->cookie);
    free(m);
}

/* Formatted once: the version cannot change while the process runs. */
static char magic_ver[16];
static pthread_once_t magic_ver_once = PTHREAD_ONCE_INIT;

static void format_magic_version(void)
{
    int v = magic_version();
    snprintf(magic_ver, sizeof magic_ver, "%d.%02d", v / 100, v % 100);
}

const char *ms_magic_version_string(void)
{
    pthread_once(&magic_ver_once, format_magic_version);
    return magic_ver;
}

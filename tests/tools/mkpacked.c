/* mkpacked.c - build INERT Linux/Mumblehard look-alike ELF files for tests.
 *
 * The output has the shape the detection layer looks for (facts file §2):
 * a tiny i386 ET_EXEC image with an OS-probe prologue, the packer's XOR
 * decrypt loop and two blobs encrypted with the packer's key stream.  It is
 * harmless when executed: the entry point is exit(0) BEFORE any stub-shaped
 * bytes, and the stub itself ends in exit(0) instead of pipe/fork/exec.
 *
 * Layout (file offset == VA - 0x08048000, one RWX PT_LOAD covering all):
 *
 *   0x00  Elf32_Ehdr (52 bytes), EI_OSABI from --osabi
 *   0x34  Elf32_Phdr PT_LOAD offset 0, vaddr 0x08048000, filesz == memsz
 *   0x54  entry:  31 c0 40 31 db 53 50 cd 80 f4
 *                 exit(0) for Linux (ebx) and BSD (stack) ABIs; hlt faults
 *                 if the impossible happens and exit returns.
 *         stub:   89 25 <esp_save>           mov [esp_save], esp
 *                 b8 0d 00 00 00 31 db 53 50 cd 80
 *                                            syscall 13: time / fchdir probe
 *                 73 02 f7 d8 81 c4 08 00 00 00 3d 00 00 00 00 7c 07
 *                 b0 03 e9 02 00 00 00 b0 09 a2 <osbyte>
 *                                            OS byte: 3 Linux, 9 BSD
 *                 be <interp VA> b9 <len> e8 <rel decrypt>
 *                 be <script VA> b9 <len> e8 <rel decrypt>
 *                 31 c0 40 31 db 53 50 cd 80 f4          exit(0), inert
 *         decrypt:
 *                 31 db                      xor ebx, ebx
 *                 43 x key  (key 1..10)  or  b3 <key> (key 0 / > 10: none
 *                                            resp. mov bl, key)
 *                 ba <limit32>               mov edx, limit
 *                 90 x gap                   --gap filler
 *                 56 5f | 89 f7              mov edi, esi
 *           loop: 39 d3 75 13                cmp ebx, edx; jne body
 *                 81 fa <wrap32> 75 02 31 d2 cmp edx, wrap; jne +2; xor edx
 *                 81 c2 <step32> 31 db 43    add edx, step; ebx = 1
 *           body: ac 30 d8 aa 43 e2 e2       lodsb; xor al,bl; stosb;
 *                                            inc ebx; loop loop
 *                 c3                         ret
 *         data:   osbyte (1), pad to 4, esp_save (4)
 *         interp blob (encrypted), script blob (encrypted)
 *
 * Key 0 is written as no key instruction at all (a variant that ESET's
 * [1-10] jump cannot see); keys 1..10 as that many `inc ebx` like the
 * real samples (2 and 4 seen); larger keys as `mov bl, key`.
 *
 * --decoy writes the same ELF envelope with the inert entry, a plaintext
 * "/usr/bin/perl" and a near-miss loop (different branch displacement and
 * no lodsb) but no real decrypt loop and no OS probe.
 *
 * Deterministic: the same arguments always produce the same bytes.
 * Prints one JSON line to stdout describing the parameters and offsets. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE_VA     0x08048000u
#define HDR_SIZE    0x54u
#define MAX_OUT     (32u * 1024u * 1024u)
#define MAX_SCRIPT  (16u * 1024u * 1024u)
#define MAX_GAP     64u

#define DEFAULT_SCRIPT "print \"mumblescan inert test fixture\\n\";\n"

typedef struct opts {
    uint32_t key, limit, wrap, step, gap;
    unsigned osabi;
    int form_89f7;
    int decoy;
    long truncate;         /* -1: no truncation */
    const char *script_path;
    const char *interp;
    const char *out;
} opts;

typedef struct obuf {
    uint8_t *p;
    size_t len, cap;
} obuf;

typedef struct layout {
    size_t entry, stub, decrypt, loop, interp_off, script_off;
    size_t interp_len, script_len;
} layout;

static int ob_put(obuf *b, const void *src, size_t n)
{
    if (n > MAX_OUT || b->len > MAX_OUT - n)
        return -1;
    if (b->len + n > b->cap) {
        size_t ncap = b->cap ? b->cap : 4096;
        while (ncap < b->len + n)
            ncap *= 2;
        uint8_t *np = realloc(b->p, ncap);
        if (!np)
            return -1;
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
    return 0;
}

static int ob_u8(obuf *b, unsigned v)
{
    uint8_t c = (uint8_t)v;
    return ob_put(b, &c, 1);
}

static int ob_u16(obuf *b, unsigned v)
{
    uint8_t c[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    return ob_put(b, c, 2);
}

static int ob_u32(obuf *b, uint32_t v)
{
    uint8_t c[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 24) };
    return ob_put(b, c, 4);
}

/* Overwrite a little-endian u32 that was reserved earlier. */
static void ob_patch32(obuf *b, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->p[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

#define PUT(b, ...) do { static const uint8_t s_[] = { __VA_ARGS__ }; \
        if (ob_put((b), s_, sizeof s_)) return -1; } while (0)

static uint32_t va(size_t off) { return BASE_VA + (uint32_t)off; }

/* Packer key stream, forwards (facts §2.3), 32-bit like the registers. */
static void xor_stream(uint8_t *p, size_t n, const opts *o)
{
    uint32_t k = o->key, lim = o->limit;
    for (size_t i = 0; i < n; i++) {
        if (k == lim) {
            if (lim == o->wrap)
                lim = 0;
            lim += o->step;
            k = 1;
        }
        p[i] ^= (uint8_t)k;
        k++;
    }
}

static int put_headers(obuf *b, const opts *o)
{
    static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
    if (ob_put(b, ident, sizeof ident) || ob_u8(b, o->osabi))
        return -1;
    for (int i = 8; i < 16; i++)
        if (ob_u8(b, 0))
            return -1;
    /* e_type EXEC, EM_386, EV_CURRENT, entry, phoff, shoff, flags */
    if (ob_u16(b, 2) || ob_u16(b, 3) || ob_u32(b, 1) ||
        ob_u32(b, va(HDR_SIZE)) || ob_u32(b, 52) || ob_u32(b, 0) ||
        ob_u32(b, 0))
        return -1;
    /* ehsize, phentsize, phnum, shentsize, shnum, shstrndx */
    if (ob_u16(b, 52) || ob_u16(b, 32) || ob_u16(b, 1) || ob_u16(b, 40) ||
        ob_u16(b, 0) || ob_u16(b, 0))
        return -1;
    /* PT_LOAD; filesz/memsz (offsets 68, 72) are patched at the end */
    if (ob_u32(b, 1) || ob_u32(b, 0) || ob_u32(b, BASE_VA) ||
        ob_u32(b, BASE_VA) || ob_u32(b, 0) || ob_u32(b, 0) ||
        ob_u32(b, 7) || ob_u32(b, 0x1000))
        return -1;
    return 0;
}

static int put_exit0(obuf *b)
{
    /* xor eax,eax; inc eax; xor ebx,ebx; push ebx; push eax; int 0x80; hlt */
    PUT(b, 0x31, 0xc0, 0x40, 0x31, 0xdb, 0x53, 0x50, 0xcd, 0x80, 0xf4);
    return 0;
}

/* OS probe; the two data addresses are patched once they are known. */
static int put_probe(obuf *b, size_t *esp_at, size_t *os_at)
{
    PUT(b, 0x89, 0x25);
    *esp_at = b->len;
    if (ob_u32(b, 0))
        return -1;
    PUT(b, 0xb8, 0x0d, 0x00, 0x00, 0x00, 0x31, 0xdb, 0x53, 0x50, 0xcd, 0x80,
        0x73, 0x02, 0xf7, 0xd8, 0x81, 0xc4, 0x08, 0x00, 0x00, 0x00,
        0x3d, 0x00, 0x00, 0x00, 0x00, 0x7c, 0x07,
        0xb0, 0x03, 0xe9, 0x02, 0x00, 0x00, 0x00, 0xb0, 0x09, 0xa2);
    *os_at = b->len;
    return ob_u32(b, 0);
}

/* mov esi, blob; mov ecx, len; call decrypt (rel32 patched later). */
static int put_call(obuf *b, size_t *esi_at, size_t len, size_t *rel_at)
{
    if (ob_u8(b, 0xbe))
        return -1;
    *esi_at = b->len;
    if (ob_u32(b, 0) || ob_u8(b, 0xb9) || ob_u32(b, (uint32_t)len) ||
        ob_u8(b, 0xe8))
        return -1;
    *rel_at = b->len;
    return ob_u32(b, 0);
}

static int put_decrypt(obuf *b, const opts *o, layout *L)
{
    L->decrypt = b->len;
    PUT(b, 0x31, 0xdb);
    if (o->key >= 1 && o->key <= 10) {
        for (uint32_t i = 0; i < o->key; i++)
            if (ob_u8(b, 0x43))
                return -1;
    } else if (o->key != 0) {
        if (ob_u8(b, 0xb3) || ob_u8(b, o->key))
            return -1;
    }
    if (ob_u8(b, 0xba) || ob_u32(b, o->limit))
        return -1;
    for (uint32_t i = 0; i < o->gap; i++)
        if (ob_u8(b, 0x90))
            return -1;
    if (o->form_89f7)
        PUT(b, 0x89, 0xf7);
    else
        PUT(b, 0x56, 0x5f);
    L->loop = b->len;
    PUT(b, 0x39, 0xd3, 0x75, 0x13, 0x81, 0xfa);
    if (ob_u32(b, o->wrap))
        return -1;
    PUT(b, 0x75, 0x02, 0x31, 0xd2, 0x81, 0xc2);
    if (ob_u32(b, o->step))
        return -1;
    PUT(b, 0x31, 0xdb, 0x43, 0xac, 0x30, 0xd8, 0xaa, 0x43, 0xe2, 0xe2, 0xc3);
    return 0;
}

static int put_blob(obuf *b, const uint8_t *src, size_t n, const opts *o,
                    size_t *off)
{
    *off = b->len;
    if (ob_put(b, src, n))
        return -1;
    xor_stream(b->p + *off, n, o);
    return 0;
}

static void patch_rel(obuf *b, size_t rel_at, size_t target)
{
    /* call rel32 is relative to the end of the 4-byte operand */
    ob_patch32(b, rel_at, (uint32_t)(target - (rel_at + 4)));
}

static int build_packed(obuf *b, const opts *o, const uint8_t *script,
                        size_t slen, layout *L)
{
    size_t esp_at, os_at, si1, rel1, si2, rel2;
    L->interp_len = strlen(o->interp);
    L->script_len = slen;
    if (put_headers(b, o))
        return -1;
    L->entry = b->len;
    if (put_exit0(b))
        return -1;
    L->stub = b->len;
    if (put_probe(b, &esp_at, &os_at) ||
        put_call(b, &si1, L->interp_len, &rel1) ||
        put_call(b, &si2, slen, &rel2) || put_exit0(b) ||
        put_decrypt(b, o, L))
        return -1;
    ob_patch32(b, os_at, va(b->len));
    PUT(b, 0, 0, 0, 0);                    /* osbyte + pad */
    ob_patch32(b, esp_at, va(b->len));
    PUT(b, 0, 0, 0, 0);                    /* esp_save */
    if (put_blob(b, (const uint8_t *)o->interp, L->interp_len, o,
                 &L->interp_off) ||
        put_blob(b, script, slen, o, &L->script_off))
        return -1;
    ob_patch32(b, si1, va(L->interp_off));
    ob_patch32(b, si2, va(L->script_off));
    patch_rel(b, rel1, L->decrypt);
    patch_rel(b, rel2, L->decrypt);
    return 0;
}

static int build_decoy(obuf *b, const opts *o, layout *L)
{
    if (put_headers(b, o))
        return -1;
    L->entry = b->len;
    if (put_exit0(b))
        return -1;
    /* near miss: jne +0x12 and no lodsb, so it is not the packer loop */
    PUT(b, 0x31, 0xdb, 0x43, 0xba, 0x10, 0x00, 0x00, 0x00, 0x56, 0x5f,
        0x39, 0xd3, 0x75, 0x12, 0x81, 0xfa, 0x80, 0x00, 0x00, 0x00,
        0x75, 0x02, 0x31, 0xd2, 0x81, 0xc2, 0x10, 0x00, 0x00, 0x00,
        0x31, 0xdb, 0x43, 0x30, 0xd8, 0xaa, 0x43, 0xe2, 0xe3, 0xc3);
    L->interp_off = b->len;
    L->interp_len = strlen(o->interp);
    return ob_put(b, o->interp, L->interp_len + 1);
}

static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || s[0] == '-' || v > max)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
        "usage: mkpacked [--key N] [--limit N] [--wrap N] [--step N]\n"
        "                [--form 565f|89f7] [--osabi 0|9] [--gap N]\n"
        "                [--script FILE] [--interp PATH] [--decoy]\n"
        "                [--truncate N] -o OUT\n");
}

/* Returns 0 on success, 2 on a usage error. */
static int parse_args(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint32_t n;
        int used = 1, bad = 0;
        if (!strcmp(a, "--decoy")) { o->decoy = 1; used = 0; }
        else if (!v) bad = 1;
        else if (!strcmp(a, "--key"))   bad = parse_u32(v, 255, &o->key);
        else if (!strcmp(a, "--limit")) bad = parse_u32(v, UINT32_MAX, &o->limit);
        else if (!strcmp(a, "--wrap"))  bad = parse_u32(v, UINT32_MAX, &o->wrap);
        else if (!strcmp(a, "--step"))  bad = parse_u32(v, UINT32_MAX, &o->step);
        else if (!strcmp(a, "--gap"))   bad = parse_u32(v, MAX_GAP, &o->gap);
        else if (!strcmp(a, "--osabi")) {
            bad = parse_u32(v, 255, &n);
            o->osabi = n;
        } else if (!strcmp(a, "--truncate")) {
            bad = parse_u32(v, MAX_OUT, &n);
            o->truncate = (long)n;
        } else if (!strcmp(a, "--form")) {
            bad = strcmp(v, "565f") && strcmp(v, "89f7");
            o->form_89f7 = !strcmp(v, "89f7");
        } else if (!strcmp(a, "--script")) o->script_path = v;
        else if (!strcmp(a, "--interp")) o->interp = v;
        else if (!strcmp(a, "-o")) o->out = v;
        else bad = 1;
        if (bad) {
            fprintf(stderr, "mkpacked: bad argument: %s\n", a);
            return 2;
        }
        i += used;
    }
    if (!o->out) {
        usage();
        return 2;
    }
    return 0;
}

static uint8_t *read_script(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *p = malloc(MAX_SCRIPT + 1);
    size_t n = p ? fread(p, 1, MAX_SCRIPT + 1, f) : 0;
    int err = ferror(f);
    fclose(f);
    if (!p || err || n > MAX_SCRIPT) {
        free(p);
        return NULL;
    }
    *len = n;
    return p;
}

static int write_out(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fwrite(p, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

static void print_summary(const opts *o, const layout *L, size_t full,
                          size_t written)
{
    printf("{\"mode\":\"%s\",\"osabi\":%u,\"form\":\"%s\",\"key\":%u,"
           "\"limit\":%u,\"wrap\":%u,\"step\":%u,\"gap\":%u,"
           "\"entry_off\":%zu,\"stub_off\":%zu,\"decrypt_off\":%zu,"
           "\"loop_off\":%zu,\"interp_off\":%zu,\"interp_len\":%zu,"
           "\"script_off\":%zu,\"script_len\":%zu,\"base_va\":%u,"
           "\"size\":%zu,\"written\":%zu}\n",
           o->decoy ? "decoy" : "packed", o->osabi,
           o->form_89f7 ? "89f7" : "565f", o->key, o->limit, o->wrap,
           o->step, o->gap, L->entry, L->stub, L->decrypt, L->loop,
           L->interp_off, L->interp_len, L->script_off, L->script_len,
           BASE_VA, full, written);
}

int main(int argc, char **argv)
{
    opts o = { .key = 4, .limit = 0x10, .wrap = 0x80, .step = 0x10,
               .truncate = -1, .interp = "/usr/bin/perl" };
    obuf b = { 0 };
    layout L = { 0 };
    uint8_t *script = NULL;
    size_t slen = 0;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc;
    rc = 1;
    if (o.script_path) {
        script = read_script(o.script_path, &slen);
        if (!script) {
            fprintf(stderr, "mkpacked: cannot read %s\n", o.script_path);
            goto _exit;
        }
    } else {
        slen = strlen(DEFAULT_SCRIPT);
        script = malloc(slen);
        if (!script)
            goto _exit;
        memcpy(script, DEFAULT_SCRIPT, slen);
    }
    if ((o.decoy ? build_decoy(&b, &o, &L)
                 : build_packed(&b, &o, script, slen, &L))) {
        fprintf(stderr, "mkpacked: output too large\n");
        goto _exit;
    }
    ob_patch32(&b, 68, (uint32_t)b.len);   /* p_filesz */
    ob_patch32(&b, 72, (uint32_t)b.len);   /* p_memsz */
    size_t n = b.len;
    if (o.truncate >= 0 && (size_t)o.truncate < n)
        n = (size_t)o.truncate;
    if (write_out(o.out, b.p, n)) {
        fprintf(stderr, "mkpacked: cannot write %s\n", o.out);
        goto _exit;
    }
    print_summary(&o, &L, b.len, n);
    rc = 0;
_exit:
    free(script);
    free(b.p);
    return rc;
}

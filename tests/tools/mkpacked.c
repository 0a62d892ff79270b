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
    /* variants (see the comment at put_variant_doc) */
    int live;              /* entry runs the stub through to the hand-off */
    int keyload, limitload, argload, limit_first, selfmod;
    uint32_t junk;         /* junk instructions between set-up steps */
    int hostile;           /* H_* */
    const char *script_path;
    const char *interp;
    const char *out;
} opts;

typedef struct obuf {
    uint8_t *p;
    size_t len, cap;
} obuf;

/* Variant forms (--keyload, --limitload, --argload, --hostile). */
enum { KL_AUTO, KL_INC, KL_MOVBL, KL_MOVEBX, KL_PUSHPOP, KL_VIAEDX,
       KL_VIAEAX };
enum { LL_MOVEDX, LL_PUSHPOP, LL_VIAEAX, LL_MOVDL };
enum { AL_MOVIMM, AL_REVERSE, AL_PUSHPOP, AL_VIAEAX, AL_LEA };
enum { H_NONE, H_LOOP, H_SMC, H_JUMPOUT, H_EXECFIRST, H_MEMSZ };

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

/* Junk that changes only eax and flags: it sits between set-up steps
 * where eax is dead.  The i-th junk instruction of the file cycles
 * through the forms, so every form appears in a long enough stub. */
static int put_junk(obuf *b, const opts *o)
{
    static unsigned n;
    for (uint32_t i = 0; i < o->junk; i++) {
        switch (n++ % 8) {
        case 0: PUT(b, 0x90); break;                        /* nop */
        case 1: PUT(b, 0x89, 0xc0); break;                  /* mov eax,eax */
        case 2: PUT(b, 0x8d, 0x40, 0x00); break;            /* lea eax,[eax] */
        case 3: PUT(b, 0x50, 0x58); break;                  /* push/pop eax */
        case 4: PUT(b, 0xf8); break;                        /* clc */
        case 5: PUT(b, 0xb8, 0x78, 0x56, 0x34, 0x12); break; /* mov eax,imm */
        case 6: PUT(b, 0x0f, 0x1f, 0x00); break;            /* nopl [eax] */
        default: PUT(b, 0xeb, 0x00); break;                 /* jmp +0 */
        }
    }
    return 0;
}

/* esi = blob VA, ecx = len; call decrypt (rel32 patched later).  The
 * forms of --argload; *esi_at is where the VA is patched. */
static int put_call(obuf *b, const opts *o, size_t *esi_at, size_t len,
                    size_t *rel_at)
{
    uint32_t n = (uint32_t)len;
    switch (o->argload) {
    case AL_REVERSE:
        if (ob_u8(b, 0xb9) || ob_u32(b, n) || put_junk(b, o) ||
            ob_u8(b, 0xbe))
            return -1;
        *esi_at = b->len;
        if (ob_u32(b, 0))
            return -1;
        break;
    case AL_PUSHPOP:
        if (ob_u8(b, 0x68))
            return -1;
        *esi_at = b->len;
        if (ob_u32(b, 0) || ob_u8(b, 0x5e) || put_junk(b, o) ||
            ob_u8(b, 0x68) || ob_u32(b, n) || ob_u8(b, 0x59))
            return -1;
        break;
    case AL_VIAEAX:
        if (ob_u8(b, 0xb8))
            return -1;
        *esi_at = b->len;
        if (ob_u32(b, 0))
            return -1;
        PUT(b, 0x89, 0xc6);                         /* mov esi, eax */
        if (put_junk(b, o) || ob_u8(b, 0xb8) || ob_u32(b, n))
            return -1;
        PUT(b, 0x89, 0xc1);                         /* mov ecx, eax */
        break;
    case AL_LEA:
        PUT(b, 0x8d, 0x35);                         /* lea esi, [disp32] */
        *esi_at = b->len;
        if (ob_u32(b, 0) || put_junk(b, o) || ob_u8(b, 0xb9) ||
            ob_u32(b, n))
            return -1;
        break;
    default:
        if (ob_u8(b, 0xbe))
            return -1;
        *esi_at = b->len;
        if (ob_u32(b, 0) || put_junk(b, o) || ob_u8(b, 0xb9) ||
            ob_u32(b, n))
            return -1;
    }
    if (ob_u8(b, 0xe8))
        return -1;
    *rel_at = b->len;
    return ob_u32(b, 0);
}

/* The key set-up: ebx = key.  *patch_at (if not NULL) gets the offset
 * of the key byte of `mov bl, imm8` for --selfmod. */
static int put_key(obuf *b, const opts *o, size_t *patch_at)
{
    uint32_t k = o->key;
    int form = o->keyload;
    if (o->selfmod)
        form = KL_MOVBL;
    switch (form) {
    case KL_INC:
        PUT(b, 0x31, 0xdb);
        for (uint32_t i = 0; i < k; i++)
            if (ob_u8(b, 0x43))
                return -1;
        return 0;
    case KL_MOVBL:
        PUT(b, 0x31, 0xdb, 0xb3);
        if (patch_at)
            *patch_at = b->len;
        /* --selfmod: the file holds a wrong key; the stub patches it */
        return ob_u8(b, o->selfmod ? (k ^ 0x55u) : k);
    case KL_MOVEBX:
        return ob_u8(b, 0xbb) || ob_u32(b, k);
    case KL_PUSHPOP:
        if (k < 0x80)
            return ob_u8(b, 0x6a) || ob_u8(b, k) || ob_u8(b, 0x5b);
        return ob_u8(b, 0x68) || ob_u32(b, k) || ob_u8(b, 0x5b);
    case KL_VIAEDX:                                 /* mov edx,k; mov ebx,edx */
        if (ob_u8(b, 0xba) || ob_u32(b, k))
            return -1;
        PUT(b, 0x89, 0xd3);
        return 0;
    case KL_VIAEAX:                                 /* mov eax,k; xchg eax,ebx */
        return ob_u8(b, 0xb8) || ob_u32(b, k) || ob_u8(b, 0x93);
    default:                                        /* like the samples */
        PUT(b, 0x31, 0xdb);
        if (k >= 1 && k <= 10) {
            for (uint32_t i = 0; i < k; i++)
                if (ob_u8(b, 0x43))
                    return -1;
        } else if (k != 0) {
            if (ob_u8(b, 0xb3) || ob_u8(b, k))
                return -1;
        }
        return 0;
    }
}

static int put_limit(obuf *b, const opts *o)
{
    uint32_t l = o->limit;
    switch (o->limitload) {
    case LL_PUSHPOP:
        return ob_u8(b, 0x68) || ob_u32(b, l) || ob_u8(b, 0x5a);
    case LL_VIAEAX:
        if (ob_u8(b, 0xb8) || ob_u32(b, l))
            return -1;
        PUT(b, 0x89, 0xc2);                         /* mov edx, eax */
        return 0;
    case LL_MOVDL:
        PUT(b, 0x31, 0xd2, 0xb2);                   /* xor edx,edx; mov dl */
        return ob_u8(b, l);
    default:
        return ob_u8(b, 0xba) || ob_u32(b, l);
    }
}

static int put_decrypt(obuf *b, const opts *o, layout *L, size_t *key_at)
{
    L->decrypt = b->len;
    /* the key through edx must come before the limit is set */
    if (o->limit_first && o->keyload != KL_VIAEDX) {
        if (put_limit(b, o) || put_junk(b, o) || put_key(b, o, key_at))
            return -1;
    } else if (put_key(b, o, key_at) || put_junk(b, o) || put_limit(b, o)) {
        return -1;
    }
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

/* Addresses in the live hand-off, patched once the data is placed. */
enum { F_OS, F_FDS, F_FDS4, F_SCRIPT, F_INTERP, F_ARGV, F_BINSH, F_SELF,
       F_NFIX };
typedef struct fixups {
    size_t at[64];
    int what[64];
    size_t n;
} fixups;

static int fix(obuf *b, fixups *F, int what)
{
    if (F->n == 64)
        return -1;
    F->at[F->n] = b->len;
    F->what[F->n++] = what;
    return ob_u32(b, 0);
}

/* cmp byte [os], 9 */
static int put_cmp_os(obuf *b, fixups *F)
{
    PUT(b, 0x80, 0x3d);
    if (fix(b, F, F_OS))
        return -1;
    return ob_u8(b, 9);
}

/* --live hand-off after the two decrypt calls, as the facts describe it
 * (§2.4): pipe, fork; the parent writes the script into the pipe, closes
 * it and exits; the child dup2()s the pipe to stdin and execs the
 * interpreter.  Linux and FreeBSD numbers and conventions, chosen by the
 * OS byte like the real stub.  With the default inert script, running
 * this on a real host pipes `print "..."` into /usr/bin/perl. */
static int put_handoff(obuf *b, fixups *F, size_t slen)
{
    size_t j1, j2, j3, j4, parent, child;
    PUT(b, 0xb8, 42, 0, 0, 0, 0xbb);                /* pipe(fds) */
    if (fix(b, F, F_FDS))
        return -1;
    PUT(b, 0x53, 0x50, 0xcd, 0x80, 0x83, 0xc4, 0x08);
    if (put_cmp_os(b, F))
        return -1;
    PUT(b, 0x75, 0x0b, 0xa3);                       /* BSD: eax:edx */
    if (fix(b, F, F_FDS))
        return -1;
    PUT(b, 0x89, 0x15);
    if (fix(b, F, F_FDS4))
        return -1;
    PUT(b, 0xb8, 2, 0, 0, 0, 0x50, 0x50, 0xcd, 0x80, 0x83, 0xc4, 0x08);
    if (put_cmp_os(b, F))                           /* fork() */
        return -1;
    PUT(b, 0x75, 0x06, 0x85, 0xd2, 0x75);           /* BSD: edx=1: child */
    j1 = b->len;
    PUT(b, 0x00, 0xeb);
    j2 = b->len;
    PUT(b, 0x00, 0x85, 0xc0, 0x74);                 /* Linux: eax=0: child */
    j3 = b->len;
    PUT(b, 0x00);
    parent = b->len;                                /* write(fds[1], ...) */
    PUT(b, 0xb8, 4, 0, 0, 0, 0x8b, 0x1d);
    if (fix(b, F, F_FDS4) || ob_u8(b, 0xb9) || fix(b, F, F_SCRIPT) ||
        ob_u8(b, 0xba) || ob_u32(b, (uint32_t)slen))
        return -1;
    PUT(b, 0x52, 0x51, 0x53, 0x50, 0xcd, 0x80, 0x83, 0xc4, 0x10,
        0xb8, 6, 0, 0, 0, 0x53, 0x50, 0xcd, 0x80, 0x83, 0xc4, 0x08);
    if (put_exit0(b))
        return -1;
    child = b->len;                                 /* dup2(fds[0], 0) */
    PUT(b, 0xb8, 63, 0, 0, 0);
    if (put_cmp_os(b, F))
        return -1;
    PUT(b, 0x75, 0x05, 0xb8, 90, 0, 0, 0, 0x8b, 0x1d);
    if (fix(b, F, F_FDS))
        return -1;
    PUT(b, 0x31, 0xc9, 0x51, 0x53, 0x50, 0xcd, 0x80, 0x83, 0xc4, 0x0c,
        0xb8, 11, 0, 0, 0);                          /* execve(interp) */
    if (put_cmp_os(b, F))
        return -1;
    PUT(b, 0x75, 0x05, 0xb8, 59, 0, 0, 0, 0xbb);
    if (fix(b, F, F_INTERP) || ob_u8(b, 0xb9) || fix(b, F, F_ARGV))
        return -1;
    PUT(b, 0x31, 0xd2, 0x52, 0x51, 0x53, 0x50, 0xcd, 0x80, 0x83, 0xc4, 0x10);
    if (put_exit0(b))
        return -1;
    j4 = child;
    b->p[j1] = (uint8_t)(j4 - (j1 + 1));
    b->p[j2] = (uint8_t)(parent - (j2 + 1));
    b->p[j3] = (uint8_t)(j4 - (j3 + 1));
    return 0;
}

/* --hostile prologues, run before the (live) stub. */
static int put_hostile(obuf *b, const opts *o, fixups *F)
{
    size_t l;
    switch (o->hostile) {
    case H_LOOP:                                    /* jmp $ */
        PUT(b, 0xeb, 0xfe);
        break;
    case H_SMC:
        /* mov ecx,2; L: nop; nop; mov word [L], 0xfeeb; loop L
         * The second pass runs the rewritten L: jmp $ (an emulator that
         * missed the write would fall through into the stub). */
        PUT(b, 0xb9, 2, 0, 0, 0);
        l = b->len;
        PUT(b, 0x90, 0x90, 0x66, 0xc7, 0x05);
        if (ob_u32(b, va(l)))
            return -1;
        PUT(b, 0xeb, 0xfe);
        if (ob_u8(b, 0xe2) || ob_u8(b, (uint8_t)(l - (b->len + 1))))
            return -1;
        break;
    case H_JUMPOUT:                                 /* jmp 0x70000000 */
        if (ob_u8(b, 0xe9) || ob_u32(b, 0x70000000u - va(b->len + 4)))
            return -1;
        break;
    case H_EXECFIRST:                               /* execve("/bin/sh") */
        PUT(b, 0xb8, 11, 0, 0, 0, 0xbb);
        if (fix(b, F, F_BINSH))
            return -1;
        PUT(b, 0x31, 0xc9, 0x31, 0xd2, 0x52, 0x51, 0x53, 0x50, 0xcd, 0x80,
            0x83, 0xc4, 0x10);
        return put_exit0(b);
    default:
        break;
    }
    return 0;
}

static int build_packed(obuf *b, const opts *o, const uint8_t *script,
                        size_t slen, layout *L)
{
    size_t esp_at, os_at, si1, rel1, si2, rel2, key_at = 0, osbyte;
    size_t fds_at = 0, argv_at = 0, binsh_at = 0;
    fixups F = { .n = 0 };
    L->interp_len = strlen(o->interp);
    L->script_len = slen;
    if (put_headers(b, o))
        return -1;
    L->entry = b->len;
    if (!o->live && put_exit0(b))
        return -1;
    if (o->live && put_hostile(b, o, &F))
        return -1;
    if (o->selfmod) {                               /* mov byte [key], K */
        PUT(b, 0xc6, 0x05);
        if (fix(b, &F, F_SELF) || ob_u8(b, o->key))
            return -1;
    }
    L->stub = b->len;
    if (put_probe(b, &esp_at, &os_at) ||
        put_call(b, o, &si1, L->interp_len, &rel1) ||
        put_call(b, o, &si2, slen, &rel2))
        return -1;
    if (o->live ? put_handoff(b, &F, slen) : put_exit0(b))
        return -1;
    if (put_decrypt(b, o, L, &key_at))
        return -1;
    osbyte = b->len;
    ob_patch32(b, os_at, va(b->len));
    PUT(b, 0, 0, 0, 0);                    /* osbyte + pad */
    ob_patch32(b, esp_at, va(b->len));
    PUT(b, 0, 0, 0, 0);                    /* esp_save */
    if (o->live) {
        fds_at = b->len;
        PUT(b, 0, 0, 0, 0, 0, 0, 0, 0);    /* fds[2] */
        argv_at = b->len;
        PUT(b, 0, 0, 0, 0, 0, 0, 0, 0);    /* argv: interp, NULL */
        binsh_at = b->len;
        PUT(b, '/', 'b', 'i', 'n', '/', 's', 'h', 0);
    }
    if (put_blob(b, (const uint8_t *)o->interp, L->interp_len, o,
                 &L->interp_off))
        return -1;
    if (o->live)
        PUT(b, 0);                         /* execve needs the NUL */
    if (put_blob(b, script, slen, o, &L->script_off))
        return -1;
    ob_patch32(b, si1, va(L->interp_off));
    ob_patch32(b, si2, va(L->script_off));
    patch_rel(b, rel1, L->decrypt);
    patch_rel(b, rel2, L->decrypt);
    if (o->live)
        ob_patch32(b, argv_at, va(L->interp_off));
    for (size_t i = 0; i < F.n; i++) {
        size_t t = 0;
        switch (F.what[i]) {
        case F_OS: t = osbyte; break;
        case F_FDS: t = fds_at; break;
        case F_FDS4: t = fds_at + 4; break;
        case F_SCRIPT: t = L->script_off; break;
        case F_INTERP: t = L->interp_off; break;
        case F_ARGV: t = argv_at; break;
        case F_BINSH: t = binsh_at; break;
        case F_SELF: t = key_at; break;
        }
        ob_patch32(b, F.at[i], va(t));
    }
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

/* Index of word v in the space-separated list, or -1. */
static int pick(const char *v, const char *list, int *out)
{
    size_t n = strlen(v);
    int i = 0;
    for (const char *p = list; *p; i++) {
        size_t w = strcspn(p, " ");
        if (w == n && !strncmp(p, v, n)) {
            *out = i;
            return 0;
        }
        p += w;
        p += *p == ' ';
    }
    return -1;
}

static void usage(void)
{
    fprintf(stderr,
        "usage: mkpacked [--key N] [--limit N] [--wrap N] [--step N]\n"
        "                [--form 565f|89f7] [--osabi 0|9] [--gap N]\n"
        "                [--script FILE] [--interp PATH] [--decoy]\n"
        "                [--truncate N] [--live] [--junk N]\n"
        "                [--keyload auto|inc|movbl|movebx|pushpop|viaedx|viaeax]\n"
        "                [--limitload movedx|pushpop|viaeax|movdl]\n"
        "                [--argload movimm|reverse|pushpop|viaeax|lea]\n"
        "                [--limit-first] [--selfmod]\n"
        "                [--hostile loop|smc|jumpout|execfirst|memsz] -o OUT\n");
}

/* Returns 0 on success, 2 on a usage error. */
static int parse_args(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint32_t n;
        int used = 1, bad = 0;
        if (!strcmp(a, "--decoy")) { o->decoy = 1; used = 0; }
        else if (!strcmp(a, "--live")) { o->live = 1; used = 0; }
        else if (!strcmp(a, "--selfmod")) { o->selfmod = 1; used = 0; }
        else if (!strcmp(a, "--limit-first")) { o->limit_first = 1; used = 0; }
        else if (!v) bad = 1;
        else if (!strcmp(a, "--junk"))  bad = parse_u32(v, 64, &o->junk);
        else if (!strcmp(a, "--keyload"))
            bad = pick(v, "auto inc movbl movebx pushpop viaedx viaeax",
                       &o->keyload);
        else if (!strcmp(a, "--limitload"))
            bad = pick(v, "movedx pushpop viaeax movdl", &o->limitload);
        else if (!strcmp(a, "--argload"))
            bad = pick(v, "movimm reverse pushpop viaeax lea", &o->argload);
        else if (!strcmp(a, "--hostile")) {
            bad = pick(v, "none loop smc jumpout execfirst memsz",
                       &o->hostile);
            o->live = 1;
        }
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
           "\"size\":%zu,\"written\":%zu,\"live\":%d}\n",
           o->decoy ? "decoy" : "packed", o->osabi,
           o->form_89f7 ? "89f7" : "565f", o->key, o->limit, o->wrap,
           o->step, o->gap, L->entry, L->stub, L->decrypt, L->loop,
           L->interp_off, L->interp_len, L->script_off, L->script_len,
           BASE_VA, full, written, o->live);
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
    ob_patch32(&b, 72, o.hostile == H_MEMSZ ? 0xf0000000u
                                            : (uint32_t)b.len); /* p_memsz */
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

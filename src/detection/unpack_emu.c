/* unpack_emu.c - emulate a Mumblehard stub in libunicorn.  See
 * unpack_emu.h for the contract and the policy.
 *
 * Everything read from the image is hostile: the ELF header and program
 * headers are bounds-checked before anything is mapped, memory is bounded
 * in total, every run is bounded in instructions and wall-clock time, and
 * every value the stub passes to a syscall is read back through
 * uc_mem_read (which fails cleanly on unmapped addresses) with a length
 * cap.  The stub never runs on the host CPU. */
#include "detection/unpack_emu.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicorn/unicorn.h>

#include "detection/elf32.h"

#define PAGE          0x1000u
#define MIN_VA        0x10000u     /* Linux mmap_min_addr default */
#define STACK_SIZE    0x40000u
#define STACK_TOP     0xbfff0000u
#define STACK_LO      (STACK_TOP - STACK_SIZE)
#define MAX_SEGS      16           /* PT_LOAD segments mapped */
#define MAX_PHNUM     4096
#define MAX_LOOPS     8            /* decrypt loops watched */
#define LOOP_LEN      30           /* cmp ebx,edx ... loop: see unpack.c */
#define FAKE_PID      4242u
#define FAKE_CHILD    4243u
#define FAKE_TIME     1430000000u  /* 2015-04-25: plausible for the stub */

typedef struct region {
    uint32_t lo, hi;   /* page-aligned [lo, hi) */
    uint32_t perms;
} region;

typedef struct elfimg {
    const uint8_t *p;
    size_t len;
    uint32_t entry;
    unsigned osabi;
    ms_elf32_seg s[MAX_SEGS];
    size_t nseg;
    region r[MAX_SEGS];
    size_t nreg;
    uint32_t brk;                 /* end of the highest segment */
    uint32_t loop_va[MAX_LOOPS];
    size_t nloops;
    uint32_t wrap, step;          /* of the first loop */
} elfimg;

typedef struct blob {
    uint32_t va, len, key, limit;
    int path;                         /* data is an absolute path */
    uint8_t data[MS_UNPACK_MAX_INTERP + 1]; /* copy when len fits */
} blob;

typedef struct run {
    uc_engine *uc;
    const elfimg *im;
    int bsd;            /* FreeBSD personality */
    int fork_child;     /* fork answered as the child */
    int stopped;        /* a hook asked the emulator to stop */
    char why[256];      /* why it stopped (or "" when it just ended) */
    ms_err err;         /* MS_ERR_NOMEM from a hook */
    uint8_t *script;
    size_t script_len;
    uint32_t script_va;
    char *interp;
    size_t interp_len;
    blob blobs[MS_EMU_MAX_BLOBS];
    size_t nblobs;
    int in_loop;
    blob cur;
    unsigned nsys;
    int forked;
    int mem_fault;
    uint64_t fault_addr;
    int fault_type;
} run;

static const uint16_t loop_pat[LOOP_LEN] = {
    0x39, 0xd3, 0x75, 0x13, 0x81, 0xfa, 0x100, 0x100, 0x100, 0x100,
    0x75, 0x02, 0x31, 0xd2, 0x81, 0xc2, 0x100, 0x100, 0x100, 0x100,
    0x31, 0xdb, 0x43, 0xac, 0x30, 0xd8, 0xaa, 0x43, 0xe2, 0xe2 };

static ms_err fail(ms_unpack_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static ms_err fail(ms_unpack_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    return MS_ERR_FORMAT;
}

static void stop(run *R, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void stop(run *R, const char *fmt, ...)
{
    if (!R->stopped) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(R->why, sizeof R->why, fmt, ap);
        va_end(ap);
    }
    R->stopped = 1;
    uc_emu_stop(R->uc);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

const char *ms_unpack_emu_version(void)
{
    static char v[32];
    unsigned major = 0, minor = 0;
    unsigned all = uc_version(&major, &minor);
    /* 2.x combines major.minor.patch.extra in the bytes of the value;
     * 1.x returned major << 8 | minor only */
    if (all >> 24 == major)
        snprintf(v, sizeof v, "%u.%u.%u", major, minor, (all >> 8) & 0xff);
    else
        snprintf(v, sizeof v, "%u.%u", major, minor);
    return v;
}

int ms_unpack_emu_available(void)
{
    return uc_arch_supported(UC_ARCH_X86) ? 1 : 0;
}

/* ---- the ELF image ---------------------------------------------------- */

static int off_to_va(const elfimg *im, size_t off, uint32_t *va)
{
    return ms_elf32_off_to_va(im->s, im->nseg, off, va);
}

static int va_to_off(const elfimg *im, uint32_t va, size_t *off)
{
    return ms_elf32_va_to_off(im->s, im->nseg, va, 1, off);
}

/* Page protections: i386 binaries without PT_GNU_STACK run with
 * READ_IMPLIES_EXEC, so every readable page is executable. */
static uint32_t prot_of(uint32_t pflags)
{
    uint32_t p = UC_PROT_READ | UC_PROT_EXEC;
    if (pflags & 2)
        p |= UC_PROT_WRITE;
    return p;
}

/* Add a segment's page range; overlapping ranges are merged into one
 * region with the union of their protections (a page can only have one). */
static void add_region(elfimg *im, uint32_t lo, uint32_t hi, uint32_t perms)
{
    region g = { lo, hi, perms };
    for (size_t i = 0; i < im->nreg;) {
        const region *o = &im->r[i];
        if (o->lo < g.hi && g.lo < o->hi) {
            if (o->lo < g.lo) g.lo = o->lo;
            if (o->hi > g.hi) g.hi = o->hi;
            g.perms |= o->perms;
            im->r[i] = im->r[--im->nreg];
            i = 0;
            continue;
        }
        i++;
    }
    im->r[im->nreg++] = g;
}

static ms_err load_elf(elfimg *im, uint32_t max_mem, ms_unpack_result *r)
{
    ms_elf32_hdr h;
    switch (ms_elf32_header(im->p, im->len, MAX_PHNUM, &h)) {
    case MS_ELF32_OK:
        break;
    case MS_ELF32_NOT_ELF:
        return fail(r, "not an ELF file");
    case MS_ELF32_NOT_32LE:
        return fail(r, "not a 32-bit little-endian ELF (class %u, data %u)",
                    im->p[4], im->p[5]);
    default:
        return fail(r, "ELF program header table unusable (phnum %u, "
                    "phentsize %u)", h.phnum, h.phentsize);
    }
    if (h.type != 2 /* ET_EXEC */)
        return fail(r, "ELF type %u is not ET_EXEC: the packer's stubs are "
                    "static executables", h.type);
    if (h.machine != 3 && h.machine != 6)
        return fail(r, "ELF machine %u is not i386", h.machine);
    im->osabi = h.osabi;
    im->entry = h.entry;
    uint64_t total = 0;
    for (unsigned i = 0; i < h.phnum; i++) {
        ms_elf32_seg s;
        uint32_t type;
        if (!ms_elf32_phdr(im->p, im->len, &h, i, &type, &s))
            return fail(r, "ELF program header %u at offset %llu lies beyond "
                        "the end of the file (%zu bytes)", i,
                        (unsigned long long)h.phoff +
                            (unsigned long long)i * h.phentsize, im->len);
        if (type != MS_ELF32_PT_LOAD || s.memsz == 0)
            continue;
        if (im->nseg == MAX_SEGS)
            return fail(r, "more than %u PT_LOAD segments", MAX_SEGS);
        if (s.memsz > max_mem)
            return fail(r, "PT_LOAD %u: p_memsz 0x%x (%u bytes) exceeds the "
                        "emulation memory limit of %u bytes", i, s.memsz,
                        s.memsz, max_mem);
        if (s.filesz > s.memsz)
            return fail(r, "PT_LOAD %u: p_filesz 0x%x > p_memsz 0x%x (the "
                        "kernel refuses this)", i, s.filesz, s.memsz);
        if ((s.va & (PAGE - 1)) != (s.off & (PAGE - 1)))
            return fail(r, "PT_LOAD %u: p_vaddr 0x%08x and p_offset 0x%x are "
                        "not congruent modulo the page size (the kernel "
                        "refuses this)", i, s.va, s.off);
        uint64_t lo = s.va & ~(uint64_t)(PAGE - 1);
        uint64_t hi = ((uint64_t)s.va + s.memsz + PAGE - 1) &
                      ~(uint64_t)(PAGE - 1);
        if (lo < MIN_VA || hi > STACK_LO)
            return fail(r, "PT_LOAD %u: [0x%08llx, 0x%08llx) is outside the "
                        "mappable user range [0x%08x, 0x%08x)", i,
                        (unsigned long long)lo, (unsigned long long)hi,
                        MIN_VA, STACK_LO);
        total += hi - lo;
        if (total > max_mem)
            return fail(r, "PT_LOAD segments total more than the emulation "
                        "memory limit of %u bytes", max_mem);
        im->s[im->nseg++] = s;
        add_region(im, (uint32_t)lo, (uint32_t)hi, prot_of(s.flags));
        if ((uint32_t)hi > im->brk)
            im->brk = (uint32_t)hi;
    }
    if (im->nseg == 0)
        return fail(r, "no PT_LOAD segment to map");
    return MS_OK;
}

/* The decrypt loops (the rule's pattern) and their VAs, to be watched. */
static void find_loops(elfimg *im)
{
    for (size_t i = 0; i + LOOP_LEN <= im->len && im->nloops < MAX_LOOPS;
         i++) {
        size_t k = 0;
        while (k < LOOP_LEN && (loop_pat[k] >= 0x100 ||
                                im->p[i + k] == loop_pat[k]))
            k++;
        uint32_t va;
        if (k < LOOP_LEN || !off_to_va(im, i, &va) || va < MIN_VA)
            continue;
        if (im->nloops == 0) {
            im->wrap = rd32(im->p + i + 6);
            im->step = rd32(im->p + i + 16);
        }
        im->loop_va[im->nloops++] = va;
    }
}

/* ---- memory helpers --------------------------------------------------- */

static uint32_t reg(uc_engine *uc, int id)
{
    uint32_t v = 0;
    uc_reg_read(uc, id, &v);
    return v;
}

static void set_reg(uc_engine *uc, int id, uint32_t v)
{
    uc_reg_write(uc, id, &v);
}

static int mem32(uc_engine *uc, uint32_t va, uint32_t *v)
{
    uint8_t b[4];
    if (uc_mem_read(uc, va, b, 4) != UC_ERR_OK)
        return 0;
    *v = rd32(b);
    return 1;
}

/* NUL-terminated string at va, at most max bytes; NULL if unreadable or
 * too long.  *n gets its length. */
static char *mem_str(uc_engine *uc, uint32_t va, size_t max, size_t *n,
                     ms_err *err)
{
    char *s = malloc(max + 1);
    if (!s) {
        *err = MS_ERR_NOMEM;
        return NULL;
    }
    for (size_t i = 0; i <= max; i++) {
        uint8_t c;
        if (uc_mem_read(uc, (uint64_t)va + i, &c, 1) != UC_ERR_OK ||
            (uint64_t)va + i > UINT32_MAX)
            break;
        s[i] = (char)c;
        if (!c) {
            *n = i;
            return s;
        }
    }
    free(s);
    return NULL;
}

/* ---- syscalls ---------------------------------------------------------- */

/* Syscall argument i (0-based): registers on Linux, the stack on FreeBSD
 * (above the dummy return address the packer pushes). */
static uint32_t arg(run *R, unsigned i)
{
    static const int regs[] = { UC_X86_REG_EBX, UC_X86_REG_ECX,
                                UC_X86_REG_EDX, UC_X86_REG_ESI,
                                UC_X86_REG_EDI, UC_X86_REG_EBP };
    if (!R->bsd)
        return i < 6 ? reg(R->uc, regs[i]) : 0;
    uint32_t v = 0;
    mem32(R->uc, reg(R->uc, UC_X86_REG_ESP) + 4 + 4 * i, &v);
    return v;
}

static void set_cf(run *R, int on)
{
    uint32_t fl = reg(R->uc, UC_X86_REG_EFLAGS);
    fl = on ? fl | 1u : fl & ~1u;
    set_reg(R->uc, UC_X86_REG_EFLAGS, fl);
}

static void ret_ok(run *R, uint32_t v)
{
    set_reg(R->uc, UC_X86_REG_EAX, v);
    if (R->bsd)
        set_cf(R, 0);
}

/* errno values are the same on both systems for these (ENOENT 2, EFAULT
 * 14, ENOTDIR 20, ECHILD 10, ENOMEM 12); ENOSYS differs. */
static void ret_err(run *R, uint32_t e)
{
    if (R->bsd) {
        set_reg(R->uc, UC_X86_REG_EAX, e);
        set_cf(R, 1);
    } else {
        set_reg(R->uc, UC_X86_REG_EAX, (uint32_t)-(int32_t)e);
    }
}

enum sys {
    S_OTHER, S_EXIT, S_FORK, S_READ, S_WRITE, S_OPEN, S_CLOSE, S_EXECVE,
    S_PROBE13, S_GETPID, S_GETPPID, S_GETID, S_PIPE, S_DUP, S_DUP2,
    S_NET, S_KILL, S_FSMOD, S_BRK, S_MMAP, S_WAIT, S_UNAME, S_ZERO,
    S_SETSID, S_UMASK, S_WRITEV
};

static enum sys classify(int bsd, uint32_t nr)
{
    if (!bsd)
        switch (nr) {
        case 1: case 252: return S_EXIT;
        case 2: case 120: case 190: return S_FORK;
        case 3: return S_READ;
        case 4: return S_WRITE;
        case 146: return S_WRITEV;
        case 5: case 295: return S_OPEN;
        case 6: return S_CLOSE;
        case 11: case 358: return S_EXECVE;
        case 13: return S_PROBE13;
        case 20: case 224: return S_GETPID;
        case 64: return S_GETPPID;
        case 24: case 47: case 49: case 50: case 199: case 200: case 201:
        case 202: return S_GETID;
        case 42: case 331: return S_PIPE;
        case 41: return S_DUP;
        case 63: case 330: return S_DUP2;
        case 102: case 359: case 362: return S_NET;
        case 37: case 238: case 270: return S_KILL;
        case 8: case 9: case 10: case 15: case 38: case 39: case 40:
        case 92: case 93: return S_FSMOD;
        case 45: return S_BRK;
        case 90: case 192: return S_MMAP;
        case 7: case 114: return S_WAIT;
        case 122: return S_UNAME;
        case 12: case 27: case 48: case 57: case 67: case 162: case 174:
        case 175: return S_ZERO;
        case 66: return S_SETSID;
        case 60: return S_UMASK;
        default: return S_OTHER;
        }
    switch (nr) {
    case 1: case 431: return S_EXIT;
    case 2: case 66: return S_FORK;
    case 3: return S_READ;
    case 4: return S_WRITE;
    case 121: return S_WRITEV;
    case 5: case 499: return S_OPEN;
    case 6: return S_CLOSE;
    case 59: return S_EXECVE;
    case 13: return S_PROBE13;
    case 20: return S_GETPID;
    case 39: return S_GETPPID;
    case 24: case 25: case 43: case 47: return S_GETID;
    case 42: case 542: return S_PIPE;
    case 41: return S_DUP;
    case 90: return S_DUP2;
    case 97: case 98: return S_NET;
    case 37: return S_KILL;
    case 8: case 9: case 10: case 15: case 128: case 136: case 137:
        return S_FSMOD;
    case 477: return S_MMAP;
    case 7: return S_WAIT;
    case 12: case 46: case 240: case 340: case 416: return S_ZERO;
    case 147: return S_SETSID;
    case 60: return S_UMASK;
    default: return S_OTHER;
    }
}

static void sys_write(run *R, uint32_t nr)
{
    uint32_t fd = arg(R, 0), buf = arg(R, 1), n = arg(R, 2);
    if (n == 0) {
        ret_ok(R, 0);
        return;
    }
    if (n > MS_UNPACK_MAX_SCRIPT) {
        stop(R, "write(%u, 0x%08x, %u) (syscall %u): more than the %u-byte "
             "script limit", fd, buf, n, nr, MS_UNPACK_MAX_SCRIPT);
        return;
    }
    uint8_t *p = malloc((size_t)n + 1);
    if (!p) {
        R->err = MS_ERR_NOMEM;
        stop(R, "out of memory");
        return;
    }
    if (uc_mem_read(R->uc, buf, p, n) != UC_ERR_OK) {
        free(p);
        stop(R, "write(%u, 0x%08x, %u): the buffer is not mapped", fd, buf,
             n);
        return;
    }
    p[n] = 0;
    free(R->script);
    R->script = p;
    R->script_len = n;
    R->script_va = buf;
    stop(R, "write(%u, 0x%08x, %u): script captured", fd, buf, n);
}

static void sys_execve(run *R, uint32_t nr)
{
    uint32_t path = arg(R, 0);
    size_t n = 0;
    char *s = mem_str(R->uc, path, MS_UNPACK_MAX_INTERP, &n, &R->err);
    if (!s) {
        stop(R, "execve (syscall %u) of an unreadable or over-long path at "
             "0x%08x", nr, path);
        return;
    }
    free(R->interp);
    R->interp = s;
    R->interp_len = n;
    char shown[64];
    size_t k;
    for (k = 0; k < n && k < sizeof shown - 1; k++)
        shown[k] = s[k] >= 0x20 && s[k] < 0x7f ? s[k] : '?';
    shown[k] = 0;
    stop(R, "execve(\"%s\") (syscall %u) at 0x%08x", shown, nr,
         reg(R->uc, UC_X86_REG_EIP));
}

static void sys_pipe(run *R)
{
    if (R->bsd) {   /* FreeBSD returns both descriptors in eax:edx */
        ret_ok(R, 3);
        set_reg(R->uc, UC_X86_REG_EDX, 4);
        return;
    }
    uint8_t fds[8] = { 3, 0, 0, 0, 4, 0, 0, 0 };
    if (uc_mem_write(R->uc, arg(R, 0), fds, sizeof fds) != UC_ERR_OK)
        ret_err(R, 14);
    else
        ret_ok(R, 0);
}

static void sys_fork(run *R)
{
    R->forked = 1;
    if (R->bsd) {   /* FreeBSD: edx is 1 in the child, 0 in the parent */
        ret_ok(R, R->fork_child ? FAKE_PID : FAKE_CHILD);
        set_reg(R->uc, UC_X86_REG_EDX, R->fork_child ? 1 : 0);
    } else {
        ret_ok(R, R->fork_child ? 0 : FAKE_CHILD);
    }
}

static void sys_uname(run *R)
{
    static const char *f[5] = { "Linux", "localhost", "2.6.32-5-686",
                                "#1 SMP", "i686" };
    uint8_t u[6 * 65] = { 0 };
    for (int i = 0; i < 5; i++)
        memcpy(u + 65 * i, f[i], strlen(f[i]));
    if (uc_mem_write(R->uc, arg(R, 0), u, sizeof u) != UC_ERR_OK)
        ret_err(R, 14);
    else
        ret_ok(R, 0);
}

static void syscall_hook(run *R)
{
    uint32_t nr = reg(R->uc, UC_X86_REG_EAX);
    uint32_t eip = reg(R->uc, UC_X86_REG_EIP);
    if (++R->nsys > MS_EMU_MAX_SYSCALLS) {
        stop(R, "more than %u syscalls", MS_EMU_MAX_SYSCALLS);
        return;
    }
    switch (classify(R->bsd, nr)) {
    case S_WRITE:   sys_write(R, nr); break;
    case S_EXECVE:  sys_execve(R, nr); break;
    case S_EXIT:
        stop(R, "exit(%d) (syscall %u) at 0x%08x", (int32_t)arg(R, 0), nr,
             eip);
        break;
    case S_WRITEV:
        stop(R, "writev (syscall %u) at 0x%08x: not captured", nr, eip);
        break;
    case S_NET:
        stop(R, "network syscall %u at 0x%08x: stopped before connecting",
             nr, eip);
        break;
    case S_KILL:
        stop(R, "kill (syscall %u) at 0x%08x: stopped", nr, eip);
        break;
    case S_FSMOD:
        stop(R, "file-system-changing syscall %u at 0x%08x: stopped", nr,
             eip);
        break;
    case S_OPEN: {
        uint32_t fl = arg(R, nr == 295 || nr == 499 ? 2 : 1);
        if (fl & 0x3 || fl & (R->bsd ? 0x600u : 0x240u)) /* W, CREAT|TRUNC */
            stop(R, "open for writing (syscall %u, flags 0x%x) at 0x%08x: "
                 "stopped", nr, fl, eip);
        else
            ret_err(R, 2);   /* ENOENT: the emulator has no files */
        break;
    }
    case S_PROBE13:
        if (R->bsd) {
            ret_err(R, 20);  /* fchdir(0): ENOTDIR */
        } else {
            uint32_t t = arg(R, 0);
            uint8_t b[4] = { FAKE_TIME & 0xff, (FAKE_TIME >> 8) & 0xff,
                             (FAKE_TIME >> 16) & 0xff, FAKE_TIME >> 24 };
            if (t)
                uc_mem_write(R->uc, t, b, 4);
            ret_ok(R, FAKE_TIME);
        }
        break;
    case S_FORK:    sys_fork(R); break;
    case S_PIPE:    sys_pipe(R); break;
    case S_READ:    ret_ok(R, 0); break;           /* EOF */
    case S_CLOSE:   ret_ok(R, 0); break;
    case S_GETPID:  ret_ok(R, FAKE_PID); break;
    case S_SETSID:  ret_ok(R, FAKE_PID); break;
    case S_GETPPID: ret_ok(R, 1); break;
    case S_GETID:   ret_ok(R, 33); break;          /* www-data */
    case S_DUP:     ret_ok(R, 5); break;
    case S_DUP2:    ret_ok(R, arg(R, 1)); break;
    case S_UMASK:   ret_ok(R, 022); break;
    case S_ZERO:    ret_ok(R, 0); break;
    case S_BRK:     ret_ok(R, R->im->brk); break;  /* cannot grow */
    case S_MMAP:    ret_err(R, 12); break;
    case S_WAIT:    ret_err(R, 10); break;
    case S_UNAME:   sys_uname(R); break;
    case S_OTHER:   ret_err(R, R->bsd ? 78 : 38); break;  /* ENOSYS */
    }
}

static int path_like(const uint8_t *s, size_t n)
{
    if (n == 0 || n > MS_UNPACK_MAX_INTERP || s[0] != '/')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7e)
            return 0;
    return 1;
}

/* ---- hooks ------------------------------------------------------------- */

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
    run *R = user;
    (void)uc;
    if (intno == 0x80) {
        syscall_hook(R);
        return;
    }
    stop(R, "CPU interrupt/exception %u at 0x%08x (e.g. int3, hlt, a "
         "fault)", intno, reg(R->uc, UC_X86_REG_EIP));
}

static void hook_insn_sys(uc_engine *uc, void *user)
{
    (void)uc;
    syscall_hook(user);
}

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr,
                          int size, int64_t value, void *user)
{
    run *R = user;
    (void)uc; (void)size; (void)value;
    if (!R->mem_fault) {
        R->mem_fault = 1;
        R->fault_addr = addr;
        R->fault_type = (int)type;
    }
    return false;
}

/* The `mov edi, esi` in front of the loop (2 bytes, part of the rule's
 * pattern): the key and limit are set and esi is the buffer; the byte
 * after `loop`: the buffer [start, edi) is decrypted.  Both run once per
 * decrypt call; hooking the loop body itself would cost a callback per
 * instruction per byte. */
static void hook_loop(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    run *R = user;
    (void)size;
    for (size_t i = 0; i < R->im->nloops; i++) {
        uint32_t lv = R->im->loop_va[i];
        if (addr == (uint64_t)lv - 2 && !R->in_loop) {
            R->in_loop = 1;
            R->cur.va = reg(uc, UC_X86_REG_ESI);
            R->cur.key = reg(uc, UC_X86_REG_EBX);
            R->cur.limit = reg(uc, UC_X86_REG_EDX);
        } else if (addr == (uint64_t)lv + LOOP_LEN && R->in_loop) {
            R->in_loop = 0;
            blob *b = &R->cur;
            b->len = reg(uc, UC_X86_REG_EDI) - b->va;
            b->path = b->len && b->len <= MS_UNPACK_MAX_INTERP &&
                      uc_mem_read(uc, b->va, b->data, b->len) == UC_ERR_OK &&
                      path_like(b->data, b->len);
            if (b->path)
                b->data[b->len] = 0;
            if (R->nblobs < MS_EMU_MAX_BLOBS)
                R->blobs[R->nblobs++] = *b;
        }
    }
}

/* ---- one run ------------------------------------------------------------ */

static int map_image(run *R, const elfimg *im)
{
    for (size_t i = 0; i < im->nreg; i++)
        if (uc_mem_map(R->uc, im->r[i].lo, im->r[i].hi - im->r[i].lo,
                       im->r[i].perms) != UC_ERR_OK)
            return -1;
    /* file bytes: the kernel maps whole pages, so the bytes in front of
     * p_vaddr in its first page are file bytes too (ELF header at base) */
    for (size_t i = 0; i < im->nseg; i++) {
        const ms_elf32_seg *s = &im->s[i];
        uint32_t lead = s->va & (PAGE - 1);
        uint64_t off = (uint64_t)s->off - lead;
        uint64_t n = (uint64_t)s->filesz + lead;
        if (off >= im->len)
            continue;
        if (n > im->len - off)
            n = im->len - off;    /* cut short: the rest stays zero */
        if (uc_mem_write(R->uc, s->va - lead, im->p + off, n) != UC_ERR_OK)
            return -1;
    }
    return 0;
}

/* argc, argv, envp and a minimal auxv, like the kernel's initial stack. */
static int setup_stack(run *R, const elfimg *im)
{
    static const char name[] = "/var/tmp/stub";
    if (uc_mem_map(R->uc, STACK_LO, STACK_SIZE,
                   UC_PROT_READ | UC_PROT_WRITE) != UC_ERR_OK)
        return -1;
    uint32_t str = STACK_TOP - 64;
    uint32_t v[] = { 1, str, 0, 0, 6, PAGE, 9, im->entry, 0, 0 };
    uint8_t b[sizeof v];
    for (size_t i = 0; i < sizeof v / 4; i++)
        for (int k = 0; k < 4; k++)
            b[4 * i + (size_t)k] = (uint8_t)(v[i] >> (8 * k));
    uint32_t sp = STACK_TOP - 256;
    if (uc_mem_write(R->uc, str, name, sizeof name) != UC_ERR_OK ||
        uc_mem_write(R->uc, sp, b, sizeof b) != UC_ERR_OK)
        return -1;
    set_reg(R->uc, UC_X86_REG_ESP, sp);
    return 0;
}

static const char *fault_word(int t)
{
    switch (t) {
    case UC_MEM_FETCH_UNMAPPED: return "jumped to";
    case UC_MEM_READ_UNMAPPED: return "read from";
    case UC_MEM_WRITE_UNMAPPED: return "wrote to";
    default: return "accessed";
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static ms_err run_once(run *R, const elfimg *im, const ms_emu_limits *lim)
{
    uc_hook h;
    uc_err ue = uc_open(UC_ARCH_X86, UC_MODE_32, &R->uc);
    if (ue != UC_ERR_OK) {
        snprintf(R->why, sizeof R->why, "libunicorn cannot open an i386 "
                 "emulator: %s", uc_strerror(ue));
        return MS_OK;
    }
    if (map_image(R, im) || setup_stack(R, im)) {
        snprintf(R->why, sizeof R->why, "the image could not be mapped into "
                 "the emulator");
        goto _exit;
    }
    if (uc_hook_add(R->uc, &h, UC_HOOK_INTR, (void *)hook_intr, R, 1, 0) ||
        uc_hook_add(R->uc, &h, UC_HOOK_MEM_INVALID, (void *)hook_unmapped,
                    R, 1, 0)) {
        snprintf(R->why, sizeof R->why, "libunicorn refused a hook");
        goto _exit;
    }
    /* syscall/sysenter are not the packer's, but are hooked all the same
     * (libunicorn may not support them in 32-bit mode: then they fault) */
    uc_hook_add(R->uc, &h, UC_HOOK_INSN, (void *)hook_insn_sys, R, 1, 0,
                UC_X86_INS_SYSCALL);
    uc_hook_add(R->uc, &h, UC_HOOK_INSN, (void *)hook_insn_sys, R, 1, 0,
                UC_X86_INS_SYSENTER);
    for (size_t i = 0; i < im->nloops; i++) {
        uint64_t lv = im->loop_va[i];
        uc_hook_add(R->uc, &h, UC_HOOK_CODE, (void *)hook_loop, R,
                    lv - 2, lv - 2);
        uc_hook_add(R->uc, &h, UC_HOOK_CODE, (void *)hook_loop, R,
                    lv + LOOP_LEN, lv + LOOP_LEN);
    }
    double t0 = now_s();
    ue = uc_emu_start(R->uc, im->entry, 0,
                      (uint64_t)lim->timeout_ms * 1000u, lim->max_insns);
    double dt = now_s() - t0;
    uint32_t eip = reg(R->uc, UC_X86_REG_EIP);
    if (R->stopped)
        goto _exit;
    if (R->mem_fault)
        snprintf(R->why, sizeof R->why, "the stub %s unmapped address "
                 "0x%08llx (outside the image) at 0x%08x",
                 fault_word(R->fault_type),
                 (unsigned long long)R->fault_addr, eip);
    else if (ue == UC_ERR_INSN_INVALID)
        snprintf(R->why, sizeof R->why, "invalid instruction at 0x%08x", eip);
    else if (ue != UC_ERR_OK)
        snprintf(R->why, sizeof R->why, "emulation error at 0x%08x: %s", eip,
                 uc_strerror(ue));
    else if (dt * 1000.0 >= lim->timeout_ms * 0.9)
        snprintf(R->why, sizeof R->why, "time limit of %u ms reached at "
                 "0x%08x", lim->timeout_ms, eip);
    else
        snprintf(R->why, sizeof R->why, "instruction limit of %llu reached "
                 "at 0x%08x", (unsigned long long)lim->max_insns, eip);
_exit:
    uc_close(R->uc);
    R->uc = NULL;
    return R->err;
}

/* ---- putting the runs together ------------------------------------------ */


/* What the runs of one personality found. */
typedef struct got {
    uint8_t *script;
    size_t script_len;
    uint32_t script_va;
    char *interp;
    size_t interp_len;
    int interp_from_blob;
    blob first;          /* first decrypt call seen, for the params */
    int have_first;
    size_t nblobs;
} got;

static void got_free(got *G)
{
    free(G->script);
    free(G->interp);
    memset(G, 0, sizeof *G);
}

/* Move what run R captured into G (first capture wins). */
static ms_err take(got *G, run *R)
{
    if (R->nblobs && !G->have_first) {
        G->first = R->blobs[0];
        G->have_first = 1;
    }
    if (R->nblobs > G->nblobs)
        G->nblobs = R->nblobs;
    if (R->script && !G->script) {
        G->script = R->script;
        G->script_len = R->script_len;
        G->script_va = R->script_va;
        R->script = NULL;
    }
    if (R->interp && !G->interp) {
        G->interp = R->interp;
        G->interp_len = R->interp_len;
        R->interp = NULL;
    }
    /* no execve seen: the first decrypted buffer that is a path */
    for (size_t i = 0; i < R->nblobs && !G->interp; i++) {
        if (!R->blobs[i].path)
            continue;
        G->interp = malloc(R->blobs[i].len + 1);
        if (!G->interp)
            return MS_ERR_NOMEM;
        memcpy(G->interp, R->blobs[i].data, R->blobs[i].len + 1);
        G->interp_len = R->blobs[i].len;
        G->interp_from_blob = 1;
    }
    free(R->script);
    free(R->interp);
    R->script = NULL;
    R->interp = NULL;
    return MS_OK;
}

/* Run one personality: the fork's parent side, then, if a fork happened
 * and something is still missing, the child side.  why gets the reason
 * the first run stopped (and what is missing). */
static ms_err personality(const elfimg *im, const ms_emu_limits *lim,
                          int bsd, got *P, char *why, size_t whysz,
                          ms_emu_info *info)
{
    ms_err e = MS_OK;
    for (int side = 0; side < 2; side++) {
        run *R = calloc(1, sizeof *R);
        if (!R)
            return MS_ERR_NOMEM;
        R->im = im;
        R->bsd = bsd;
        R->fork_child = side;
        info->runs++;
        e = run_once(R, im, lim);
        info->syscalls += R->nsys;
        if (!e)
            e = take(P, R);
        int forked = R->forked;
        if (side == 0)
            snprintf(why, whysz, "%s", R->why[0] ? R->why : "ended");
        else
            snprintf(why + strlen(why), whysz - strlen(why),
                     "; as fork's child: %s", R->why[0] ? R->why : "ended");
        free(R->script);
        free(R->interp);
        free(R);
        if (e || (P->script && P->interp) || !forked)
            break;
    }
    if (!e && !(P->script && P->interp))
        snprintf(why + strlen(why), whysz - strlen(why), " (%s)",
                 P->script ? "script written, no interpreter path"
                 : P->interp ? "interpreter path seen, no script written"
                             : "no script written");
    return e;
}

ms_err ms_unpack_emulate(const uint8_t *buf, size_t len,
                         const ms_emu_limits *limp, ms_unpack_result *out,
                         ms_emu_info *info)
{
    elfimg im = { .p = buf, .len = len };
    ms_emu_limits lim = { MS_EMU_MAX_INSNS, MS_EMU_TIMEOUT_MS,
                          MS_EMU_MAX_MEM };
    ms_emu_info dummy;
    got G = { 0 };
    char why[2][600] = { "", "" };
    ms_err e = MS_OK;

    if (!out)
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    if (!buf && len)
        return MS_ERR_ARG;
    if (limp) {
        if (limp->max_insns) lim.max_insns = limp->max_insns;
        if (limp->timeout_ms) lim.timeout_ms = limp->timeout_ms;
        if (limp->max_mem) lim.max_mem = limp->max_mem;
    }
    if (!ms_unpack_emu_available())
        return fail(out, "emulation: libunicorn was built without x86");
    if ((e = load_elf(&im, lim.max_mem, out))) {
        static const char pre[] = "emulation: ";
        size_t n = strlen(out->reason), pl = sizeof pre - 1;
        if (n > sizeof out->reason - 1 - pl)
            n = sizeof out->reason - 1 - pl;
        memmove(out->reason + pl, out->reason, n);
        memcpy(out->reason, pre, pl);
        out->reason[pl + n] = '\0';
        return e;
    }
    find_loops(&im);

    /* FreeBSD-branded stubs first meet FreeBSD answers; others Linux. */
    int first_bsd = im.osabi == 9;
    int pi;
    for (pi = 0; pi < 2; pi++) {
        int bsd = pi ? !first_bsd : first_bsd;
        got P = { 0 };
        if (pi == 1 && info->syscalls == 0) {
            /* nothing the stub saw depended on the OS: a second run
             * would repeat the first (and its limits) exactly */
            snprintf(why[1], sizeof why[1], "not run, the stub made no "
                     "syscall, so it cannot tell the systems apart");
            break;
        }
        e = personality(&im, &lim, bsd, &P, why[pi], sizeof why[pi], info);
        if (e) {
            got_free(&P);
            goto _exit;
        }
        if (P.script && P.interp) {
            snprintf(info->personality, sizeof info->personality, "%s",
                     bsd ? "freebsd" : "linux");
            G = P;
            break;
        }
        got_free(&P);
    }
    if (!G.script || !G.interp) {
        e = fail(out, "emulation: as %s: %s; as %s: %s",
                 first_bsd ? "FreeBSD" : "Linux", why[0],
                 first_bsd ? "Linux" : "FreeBSD", why[1]);
        goto _exit;
    }
    if (!path_like((const uint8_t *)G.interp, G.interp_len)) {
        e = fail(out, "emulation: the stub's execve path is not an absolute "
                 "printable path");
        goto _exit;
    }
    out->interp = (uint8_t *)G.interp;
    out->interp_len = G.interp_len;
    out->script = G.script;
    out->script_len = G.script_len;
    out->script_va = G.script_va;
    G.interp = NULL;
    G.script = NULL;
    size_t off = 0;
    if (va_to_off(&im, out->script_va, &off))
        out->script_off = off;
    out->ncalls = G.nblobs;
    if (G.have_first) {
        out->params = (ms_unpack_params){ G.first.key, G.first.limit,
                                          im.wrap, im.step };
        out->interp_va = G.first.va;
        if (va_to_off(&im, G.first.va, &off))
            out->interp_off = off;
    }
    if (im.nloops) {
        out->routine_va = im.loop_va[0];
        va_to_off(&im, im.loop_va[0], &out->routine_off);
    }
    e = MS_OK;
_exit:
    got_free(&G);
    return e;
}

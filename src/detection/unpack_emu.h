/* unpack_emu.h - unpack a Mumblehard-packed ELF by emulating its stub.
 *
 * The static unpacker (unpack.h) knows one register set-up in front of the
 * decrypt loop.  Variants whose loop matches but whose set-up differs
 * (other registers, other order, `mov ebx, imm32`, junk in between) are
 * unpacked here instead: the stub runs in a CPU emulator (libunicorn,
 * i386), NEVER on the host.
 *
 *  - The ELF32 PT_LOAD segments are mapped as the kernel would (file bytes
 *    at p_vaddr, zero fill up to p_memsz, page protections from p_flags);
 *    segments below 64 KiB, with p_filesz > p_memsz, misaligned offsets,
 *    or a total above MS_EMU_MAX_MEM are refused with a clear reason.
 *  - A stack with argc/argv/envp/auxv like the kernel's; execution starts
 *    at e_entry with an instruction limit and a wall-clock limit.
 *  - Every `int 0x80` (and `syscall`/`sysenter`) is hooked.  The OS probes
 *    the stub makes (time/fchdir, getpid, fork, pipe, dup2, signals) are
 *    answered plausibly for a Linux or a FreeBSD personality (FreeBSD
 *    passes arguments on the stack and reports errors in CF).  Emulation
 *    STOPS where the stub would act on the world: write (the script is
 *    taken from emulated memory there), execve (the interpreter path is
 *    taken there), exit, kill, network, open-for-write.
 *  - The decrypt loop (found by the rule's byte pattern) is watched: every
 *    buffer it decrypts is recorded when the loop ends, so the
 *    interpreter path is known even if execve is never reached.
 *
 * Each personality is tried (FreeBSD first for a FreeBSD-branded ELF)
 * unless the first made no syscall at all (then the second would be the
 * same run).  Worst case per file: 4 runs, each within the limits.
 *
 * fork is answered "parent" first (the side that writes the script); if
 * the interpreter path was not seen, the stub is run again with fork
 * answered "child" (the side that execs).  Each personality and side is a
 * fresh emulator: nothing carries over between runs.
 *
 * The result is an ms_unpack_result (unpack.h), so both unpackers feed the
 * same description code; params are the ebx/edx values at the loop's
 * first byte and the loop's wrap/step constants. */
#ifndef MS_UNPACK_EMU_H
#define MS_UNPACK_EMU_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"
#include "detection/unpack.h"

#define MS_EMU_MAX_MEM      (64u * 1024u * 1024u) /* PT_LOAD bytes mapped */
#define MS_EMU_MAX_INSNS    20000000ull           /* per run; the stub
                                                     needs ~10 per byte */
#define MS_EMU_TIMEOUT_MS   10000u                /* per run, wall clock */
#define MS_EMU_MAX_SYSCALLS 10000u                /* per run */
#define MS_EMU_MAX_BLOBS    16u                   /* decrypt calls recorded */

typedef struct ms_emu_limits {
    uint64_t max_insns;      /* 0: MS_EMU_MAX_INSNS */
    unsigned timeout_ms;     /* 0: MS_EMU_TIMEOUT_MS */
    uint32_t max_mem;        /* 0: MS_EMU_MAX_MEM */
} ms_emu_limits;

/* What the emulation saw, for tests and the report. */
typedef struct ms_emu_info {
    unsigned runs;           /* emulator runs made (personality x side) */
    unsigned syscalls;       /* syscalls answered, all runs */
    char     personality[8]; /* "linux" / "freebsd" of the successful run */
} ms_emu_info;

/* libunicorn's run-time version, "2.0.1" (for provenance). */
const char *ms_unpack_emu_version(void);

/* 1 if libunicorn can emulate i386 here (it may be built without x86). */
int ms_unpack_emu_available(void);

/* Emulate buf[0..len).  Same contract as ms_unpack(): MS_OK with interp
 * and script set; MS_ERR_FORMAT with out->reason (which limit, which
 * syscall, which address); MS_ERR_NOMEM.  `lim` and `info` may be NULL. */
ms_err ms_unpack_emulate(const uint8_t *buf, size_t len,
                         const ms_emu_limits *lim, ms_unpack_result *out,
                         ms_emu_info *info);

#endif

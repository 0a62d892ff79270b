/* unpack.h - static unpacker for the Linux/Mumblehard packer.
 *
 * Nothing of the sample is ever executed.  The stub's decrypt routine is
 * located by its instruction pattern (docs/rules.md), its constants are
 * read from the code (starting key from `xor ebx,ebx` + `inc ebx` x N or
 * `mov bl, imm8`; limit from `mov edx, imm32`; wrap and step from the
 * loop), each `call rel32` to the routine's entry is found together with
 * the `mov esi, imm32` / `mov ecx, imm32` pair before it, the buffer's
 * virtual address is mapped to a file offset through the ELF32 program
 * headers, and a COPY of each blob is decrypted with the packer's key
 * stream (facts §2.3), exactly as the stub would do it in place.
 *
 * The input is hostile: every read is bounds-checked against the buffer,
 * every count and length is capped, and any inconsistency ends in
 * MS_ERR_FORMAT with a one-line reason, never in an out-of-bounds read. */
#ifndef MS_UNPACK_H
#define MS_UNPACK_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"

#define MS_UNPACK_MAX_SCRIPT  (16u * 1024u * 1024u) /* bytes decrypted */
#define MS_UNPACK_MAX_INTERP  256u    /* interpreter path bytes */
#define MS_UNPACK_MAX_CALLS   16u     /* decrypt calls considered */
#define MS_UNPACK_MAX_GAP     64u     /* bytes between mov edx and mov edi */

/* The decrypt routine's constants, as the stub's code sets them. */
typedef struct ms_unpack_params {
    uint32_t key;    /* ebx at the first byte */
    uint32_t limit;  /* edx at the first byte */
    uint32_t wrap;   /* cmp edx, WRAP: limit reset to 0 when equal */
    uint32_t step;   /* add edx, STEP */
} ms_unpack_params;

typedef struct ms_unpack_result {
    ms_unpack_params params;
    size_t   routine_off;      /* file offset of the routine's entry */
    uint32_t routine_va;
    size_t   ncalls;           /* calls to the routine found */
    uint32_t interp_va, script_va;
    size_t   interp_off, script_off; /* file offsets of the blobs */
    uint8_t *interp;           /* decrypted, NUL-terminated, malloc'd */
    size_t   interp_len;
    uint8_t *script;           /* decrypted, malloc'd (+1 NUL byte) */
    size_t   script_len;
    char     reason[1024];     /* why unpacking failed ("" on success) */
} ms_unpack_result;

/* Unpack buf[0..len).  MS_OK: interp/script are set (free with
 * ms_unpack_result_free).  MS_ERR_FORMAT: not unpackable, out->reason says
 * why (precisely: which step and which value).  MS_ERR_NOMEM on allocation
 * failure.  out is always initialised. */
ms_err ms_unpack(const uint8_t *buf, size_t len, ms_unpack_result *out);

void ms_unpack_result_free(ms_unpack_result *r);

/* Apply the packer's key stream to p[0..n) (it is its own inverse). */
void ms_unpack_keystream(uint8_t *p, size_t n, const ms_unpack_params *k);

#endif

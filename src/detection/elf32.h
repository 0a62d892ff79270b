/* elf32.h - the ELF32 little-endian program headers both unpackers read.
 *
 * The static unpacker (unpack.c) and the emulator (unpack_emu.c) apply
 * different policies to a stub's PT_LOAD segments (tolerant vs. the
 * kernel's own checks), but read the headers and translate between file
 * offsets and virtual addresses the same way; that shared part lives here.
 * Every read is bounds-checked against the buffer: it comes from the
 * evidence and is hostile. */
#ifndef MS_DETECTION_ELF32_H
#define MS_DETECTION_ELF32_H

#include <stddef.h>
#include <stdint.h>

#define MS_ELF32_PT_LOAD 1u

typedef struct ms_elf32_hdr {
    uint16_t type;       /* e_type: 2 = ET_EXEC */
    uint16_t machine;    /* e_machine: 3 = i386 */
    uint8_t  osabi;
    uint32_t entry;
    uint32_t phoff;
    unsigned phentsize, phnum;
} ms_elf32_hdr;

typedef struct ms_elf32_seg {
    uint32_t va, off;
    uint32_t filesz;     /* p_filesz as declared */
    uint32_t present;    /* bytes of p_filesz inside the buffer */
    uint32_t memsz, flags;
} ms_elf32_seg;

enum ms_elf32_status {
    MS_ELF32_OK = 0,
    MS_ELF32_NOT_ELF,    /* too short or no \177ELF */
    MS_ELF32_NOT_32LE,   /* class or data byte is not ELF32 little-endian */
    MS_ELF32_BAD_PHT     /* phnum 0 or above the bound, or entries < 32 */
};

/* Read the ELF header; max_phnum bounds the program header count. */
enum ms_elf32_status ms_elf32_header(const uint8_t *p, size_t len,
                                     unsigned max_phnum, ms_elf32_hdr *h);

/* Program header i into *type and *s: 1, or 0 if it lies beyond the end
 * of the buffer (the caller words the error). */
int ms_elf32_phdr(const uint8_t *p, size_t len, const ms_elf32_hdr *h,
                  unsigned i, uint32_t *type, ms_elf32_seg *s);

/* The virtual address of file offset off, if a segment's present bytes
 * hold it: 1, else 0. */
int ms_elf32_off_to_va(const ms_elf32_seg *seg, size_t nseg, size_t off,
                       uint32_t *va);

/* The file offset of [va, va+span), if one segment's present bytes hold
 * all of it: 1, else 0. */
int ms_elf32_va_to_off(const ms_elf32_seg *seg, size_t nseg, uint32_t va,
                       size_t span, size_t *off);

#endif

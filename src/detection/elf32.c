/* elf32.c - ELF32 program headers and address translation; see elf32.h. */
#include "detection/elf32.h"

#include <string.h>

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

enum ms_elf32_status ms_elf32_header(const uint8_t *p, size_t len,
                                     unsigned max_phnum, ms_elf32_hdr *h)
{
    memset(h, 0, sizeof *h);
    if (len < 52 || memcmp(p, "\177ELF", 4) != 0)
        return MS_ELF32_NOT_ELF;
    if (p[4] != 1 || p[5] != 1)
        return MS_ELF32_NOT_32LE;
    h->type = rd16(p + 16);
    h->machine = rd16(p + 18);
    h->osabi = p[7];
    h->entry = rd32(p + 24);
    h->phoff = rd32(p + 28);
    h->phentsize = rd16(p + 42);
    h->phnum = rd16(p + 44);
    if (h->phnum == 0 || h->phnum > max_phnum || h->phentsize < 32)
        return MS_ELF32_BAD_PHT;
    return MS_ELF32_OK;
}

int ms_elf32_phdr(const uint8_t *p, size_t len, const ms_elf32_hdr *h,
                  unsigned i, uint32_t *type, ms_elf32_seg *s)
{
    uint64_t at = (uint64_t)h->phoff + (uint64_t)i * h->phentsize;
    if (at > len || len - at < 32)
        return 0;
    const uint8_t *ph = p + at;
    *type = rd32(ph);
    s->off = rd32(ph + 4);
    s->va = rd32(ph + 8);
    s->filesz = rd32(ph + 16);
    s->memsz = rd32(ph + 20);
    s->flags = rd32(ph + 24);
    /* a segment cut off by the end of the file keeps what is there */
    if (s->off >= len)
        s->present = 0;
    else if (s->filesz > len - s->off)
        s->present = (uint32_t)(len - s->off);
    else
        s->present = s->filesz;
    return 1;
}

int ms_elf32_off_to_va(const ms_elf32_seg *seg, size_t nseg, size_t off,
                       uint32_t *va)
{
    for (size_t i = 0; i < nseg; i++) {
        const ms_elf32_seg *s = &seg[i];
        if (off >= s->off && off - s->off < s->present) {
            uint64_t v = (uint64_t)s->va + (off - s->off);
            if (v > UINT32_MAX)
                return 0;
            *va = (uint32_t)v;
            return 1;
        }
    }
    return 0;
}

int ms_elf32_va_to_off(const ms_elf32_seg *seg, size_t nseg, uint32_t va,
                       size_t span, size_t *off)
{
    for (size_t i = 0; i < nseg; i++) {
        const ms_elf32_seg *s = &seg[i];
        if (va < s->va)
            continue;
        uint64_t d = (uint64_t)va - s->va;
        if (d > s->present || span > s->present - d)
            continue;
        *off = (size_t)s->off + (size_t)d;
        return 1;
    }
    return 0;
}

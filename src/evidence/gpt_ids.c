/* gpt_ids.c - PARTUUID and PARTLABEL from the GPT entry array. */
#include "evidence/gpt_ids.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

/* Entries searched at most: a real table has 128. */
#define MAX_ENTRIES 1024

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* GUIDs store their first three fields little-endian. */
static char *guid(const unsigned char *g)
{
    static const unsigned char zero[16];
    if (!memcmp(g, zero, 16))
        return NULL;
    return ms_asprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                       "%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0],
                       g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11],
                       g[12], g[13], g[14], g[15]);
}

/* UTF-16LE name (36 units, NUL-padded) to UTF-8; surrogates dropped. */
static char *name16(const unsigned char *p)
{
    char out[36 * 3 + 1];
    size_t k = 0;
    for (int i = 0; i < 36; i++) {
        unsigned u = p[2 * i] | p[2 * i + 1] << 8;
        if (!u)
            break;
        if (u < 0x80) {
            out[k++] = (char)u;
        } else if (u < 0x800) {
            out[k++] = (char)(0xc0 | u >> 6);
            out[k++] = (char)(0x80 | (u & 0x3f));
        } else if (u < 0xd800 || u > 0xdfff) {
            out[k++] = (char)(0xe0 | u >> 12);
            out[k++] = (char)(0x80 | ((u >> 6) & 0x3f));
            out[k++] = (char)(0x80 | (u & 0x3f));
        }
    }
    out[k] = '\0';
    return k ? ms_strdup(out) : NULL;
}

void ms_gpt_entry_ids(TSK_IMG_INFO *img, uint64_t part_off, char **uuid,
                      char **label)
{
    static const unsigned ss[] = { 512, 4096 };
    unsigned char h[92], e[128];
    *uuid = *label = NULL;
    for (size_t s = 0; s < sizeof ss / sizeof *ss; s++) {
        if (tsk_img_read(img, (TSK_OFF_T)ss[s], (char *)h, sizeof h) !=
                (ssize_t)sizeof h || memcmp(h, "EFI PART", 8))
            continue;
        uint64_t lba = le64(h + 72);
        uint32_t n = le32(h + 80), esz = le32(h + 84);
        if (esz < 128 || esz > 4096 || lba == 0 || lba > (UINT64_MAX / ss[s]))
            return;
        if (n > MAX_ENTRIES)
            n = MAX_ENTRIES;
        for (uint32_t i = 0; i < n; i++) {
            uint64_t off = lba * ss[s] + (uint64_t)i * esz;
            if (tsk_img_read(img, (TSK_OFF_T)off, (char *)e, sizeof e) !=
                    (ssize_t)sizeof e)
                return;
            uint64_t first = le64(e + 32);
            if (first == 0 || first > UINT64_MAX / ss[s] ||
                first * ss[s] != part_off)
                continue;
            *uuid = guid(e + 16);
            *label = name16(e + 56);
            return;
        }
        return;
    }
}

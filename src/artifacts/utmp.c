/* utmp.c - see utmp.h. */
#include "artifacts/utmp.h"

#include <string.h>

/* 1990-01-01 .. 2200-01-01: anything else is not a login time */
#define T_MIN 631152000LL
#define T_MAX 7258118400LL

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void cstr(char *dst, const uint8_t *src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i]; i++)
        dst[i] = (char)src[i];
    dst[i] = '\0';
}

int ms_utmp_decode(const uint8_t *p, size_t recsize, ms_utmp_rec *r)
{
    memset(r, 0, sizeof *r);
    r->type = (int16_t)(p[0] | p[1] << 8);
    if (r->type < 0 || r->type > 9)
        return 0;
    r->pid = (long)(int32_t)le32(p + 4);
    cstr(r->line, p + 8, 32);
    cstr(r->user, p + 44, 32);
    cstr(r->host, p + 76, 256);
    if (recsize == MS_UTMP_SIZE32) {
        r->sec = (int64_t)(int32_t)le32(p + 340);
        r->usec = le32(p + 344);
    } else if (recsize == MS_UTMP_SIZE64) {
        r->sec = (int64_t)le64(p + 344);
        r->usec = (uint32_t)le64(p + 352);
    } else {
        return 0;
    }
    if (r->sec < T_MIN || r->sec > T_MAX || r->usec > 999999)
        return 0;
    return 1;
}

size_t ms_utmp_layout(const uint8_t *head, size_t hlen, uint64_t size)
{
    static const size_t sizes[2] = { MS_UTMP_SIZE32, MS_UTMP_SIZE64 };
    ms_utmp_rec r;
    /* prefer the size that divides the file and decodes its first
     * records; 384 first: it is what x86 servers write */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 2; i++) {
            size_t rs = sizes[i];
            if (pass == 0 && size % rs)
                continue;
            size_t ok = 0, tried = 0;
            for (size_t off = 0; off + rs <= hlen && tried < 8;
                 off += rs, tried++)
                ok += (size_t)ms_utmp_decode(head + off, rs, &r);
            if (tried && ok == tried)
                return rs;
        }
    return 0;
}

int ms_lastlog_decode(const uint8_t *p, ms_utmp_rec *r)
{
    memset(r, 0, sizeof *r);
    r->sec = (int64_t)(int32_t)le32(p);
    if (r->sec < T_MIN || r->sec > T_MAX)
        return 0;
    cstr(r->line, p + 4, 32);
    cstr(r->host, p + 36, 256);
    r->pid = -1;
    r->type = MS_UT_USER_PROCESS;
    return 1;
}

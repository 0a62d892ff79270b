/* utmp.h - login records from wtmp, btmp and lastlog (glibc layouts).
 *
 * struct utmp (glibc, <bits/utmp.h>) is 384 bytes where times are 32-bit
 * (i386, and x86-64 with __WORDSIZE_TIME64_COMPAT32) and 400 bytes where
 * ut_session is a long and ut_tv two 64-bit fields (other 64-bit ABIs):
 *   off 0 ut_type (short), 4 ut_pid, 8 ut_line[32], 40 ut_id[4],
 *   44 ut_user[32], 76 ut_host[256], 332 ut_exit; then
 *   384-byte: 336 ut_session (int32), 340 tv_sec (int32), 344 tv_usec
 *   400-byte: 336 ut_session (int64), 344 tv_sec (int64), 352 tv_usec
 * Little-endian is assumed (the servers Mumblehard targets; a big-endian
 * image's records fail the plausibility check and are reported so).
 * struct lastlog is 292 bytes: int32 ll_time, ll_line[32], ll_host[256],
 * indexed by uid. */
#ifndef MS_UTMP_H
#define MS_UTMP_H

#include <stddef.h>
#include <stdint.h>

#define MS_UTMP_SIZE32 384
#define MS_UTMP_SIZE64 400
#define MS_LASTLOG_SIZE 292

/* ut_type values */
enum { MS_UT_RUN_LVL = 1, MS_UT_BOOT_TIME = 2, MS_UT_USER_PROCESS = 7,
       MS_UT_DEAD_PROCESS = 8 };

typedef struct ms_utmp_rec {
    int      type;
    long     pid;
    char     line[33], user[33], host[257]; /* NUL-terminated copies */
    int64_t  sec;
    uint32_t usec;
} ms_utmp_rec;

/* Which layout a file of `size` bytes whose first records are in `head`
 * (hlen bytes) uses: MS_UTMP_SIZE32, MS_UTMP_SIZE64, or 0 when neither
 * gives plausible records. */
size_t ms_utmp_layout(const uint8_t *head, size_t hlen, uint64_t size);

/* Decode one record of `recsize` bytes; 0 when it is not plausible
 * (type out of range, time before 1990 or after 2200). */
int ms_utmp_decode(const uint8_t *p, size_t recsize, ms_utmp_rec *r);

/* Decode one lastlog entry; 0 when the entry is empty. */
int ms_lastlog_decode(const uint8_t *p, ms_utmp_rec *r);

#endif

/* rpmdb.c - rpm header blobs and the databases that hold them; see
 * rpmdb.h for the formats and the bounds. */
#include "artifacts/rpmdb.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

#define RPM_STRING_TYPE       6
#define RPM_STRING_ARRAY_TYPE 8
#define RPM_I18NSTRING_TYPE   9
#define FIELD_MAX 256            /* longest name/version/release kept */

static const uint8_t header_magic[8] = { 0x8e, 0xad, 0xe8, 0x01,
                                         0, 0, 0, 0 };

void ms_rpm_nvr_clear(ms_rpm_nvr *n)
{
    if (!n)
        return;
    free(n->name);
    free(n->version);
    free(n->release);
    memset(n, 0, sizeof *n);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* Copy of a string from the image, printable bytes only. */
static char *printable(const uint8_t *s, size_t n)
{
    if (n > FIELD_MAX)
        n = FIELD_MAX;
    char *p = ms_strndup((const char *)s, n);
    for (size_t i = 0; p && i < n; i++)
        if (!isprint((unsigned char)p[i]))
            p[i] = '?';
    return p;
}

/* The string of one index entry: its bytes and length in *n, or NULL
 * when the entry is not a string inside the data store. */
static const uint8_t *entry_string(const uint8_t *e, const uint8_t *data,
                                   uint32_t dl, size_t *n)
{
    uint32_t type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
    if (type != RPM_STRING_TYPE && type != RPM_STRING_ARRAY_TYPE &&
        type != RPM_I18NSTRING_TYPE)
        return NULL;
    if (count == 0 || off >= dl)
        return NULL;
    const uint8_t *nul = memchr(data + off, '\0', dl - off);
    if (!nul)
        return NULL;
    *n = (size_t)(nul - (data + off));
    return data + off;
}

ms_err ms_rpm_header_nvr(const uint8_t *blob, size_t len, ms_rpm_nvr *out)
{
    if (!out || (!blob && len))
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (len >= 8 && memcmp(blob, header_magic, 8) == 0) {
        blob += 8;
        len -= 8;
    }
    if (len < 8)
        return MS_ERR_FORMAT;
    uint32_t il = be32(blob), dl = be32(blob + 4);
    if (il == 0 || il > MS_RPM_INDEX_MAX || dl > MS_RPM_DATA_MAX)
        return MS_ERR_FORMAT;
    /* il <= 0xffff: no overflow in 8 + 16 * il + dl on size_t */
    if ((size_t)8 + (size_t)il * 16 + dl > len)
        return MS_ERR_FORMAT;
    const uint8_t *index = blob + 8, *data = index + (size_t)il * 16;
    const uint8_t *s[3] = { 0 };
    size_t n[3] = { 0 };
    for (uint32_t i = 0; i < il; i++) {
        const uint8_t *e = index + (size_t)i * 16;
        uint32_t tag = be32(e);
        if (tag < MS_RPM_TAG_NAME || tag > MS_RPM_TAG_RELEASE)
            continue;
        unsigned k = tag - MS_RPM_TAG_NAME;
        if (!s[k])
            s[k] = entry_string(e, data, dl, &n[k]);
    }
    if (!s[0] || !s[1] || n[0] == 0)
        return MS_ERR_FORMAT;
    out->name = printable(s[0], n[0]);
    out->version = printable(s[1], n[1]);
    out->release = s[2] ? printable(s[2], n[2]) : NULL;
    if (!out->name || !out->version || (s[2] && !out->release)) {
        ms_rpm_nvr_clear(out);
        return MS_ERR_NOMEM;
    }
    return MS_OK;
}

/* ---- SQLite write-ahead log ---------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
           (uint32_t)p[1] << 8 | p[0];
}

/* SQLite's WAL checksum (wal.c walChecksumBytes): 32-bit words in the
 * byte order the magic names, two running sums. */
static void wal_cksum(int be, const uint8_t *p, size_t n, uint32_t *s0,
                      uint32_t *s1)
{
    for (size_t i = 0; i + 8 <= n; i += 8) {
        *s0 += (be ? be32(p + i) : le32(p + i)) + *s1;
        *s1 += (be ? be32(p + i + 4) : le32(p + i + 4)) + *s0;
    }
}

ms_err ms_rpmdb_wal_apply(const uint8_t *db, size_t len, const uint8_t *wal,
                          size_t wlen, size_t max, uint8_t **out,
                          size_t *outlen, unsigned *frames,
                          const char **why)
{
    *out = NULL;
    *outlen = 0;
    *frames = 0;
    *why = NULL;
    if (len < 100 || wlen < 32) {
        *why = "the -wal file holds no header";
        return MS_ERR_FORMAT;
    }
    uint32_t magic = be32(wal), psz = be32(wal + 8);
    uint32_t dbpsz = (uint32_t)db[16] << 8 | db[17];
    if (dbpsz == 1)
        dbpsz = 65536;
    if ((magic & ~1u) != 0x377f0682u || be32(wal + 4) != 3007000u) {
        *why = "the -wal file is not an SQLite write-ahead log";
        return MS_ERR_FORMAT;
    }
    if (psz < 512 || psz > 65536 || (psz & (psz - 1)) || psz != dbpsz) {
        *why = "the -wal file's page size does not match the database";
        return MS_ERR_FORMAT;
    }
    int be = magic & 1;
    uint32_t s0 = 0, s1 = 0;
    wal_cksum(be, wal, 24, &s0, &s1);
    if (s0 != be32(wal + 24) || s1 != be32(wal + 28)) {
        *why = "the -wal file's header checksum is wrong";
        return MS_ERR_FORMAT;
    }
    /* frames count while their salt is the header's and the running
     * checksum holds; only those up to the last commit frame count */
    size_t fsz = 24 + (size_t)psz, end = 32, off = 32;
    uint32_t pages = 0;
    unsigned nframes = 0, ncommit = 0;
    for (; off + fsz <= wlen; off += fsz) {
        const uint8_t *fh = wal + off;
        if (memcmp(fh + 8, wal + 16, 8))
            break;
        wal_cksum(be, fh, 8, &s0, &s1);
        wal_cksum(be, fh + 24, psz, &s0, &s1);
        if (s0 != be32(fh + 16) || s1 != be32(fh + 20))
            break;
        nframes++;
        if (be32(fh + 4)) {
            pages = be32(fh + 4);
            end = off + fsz;
            ncommit = nframes;
        }
    }
    if (!ncommit) {
        *why = "the -wal file holds no committed frame";
        return MS_ERR_FORMAT;
    }
    if ((uint64_t)pages * psz > max) {
        *why = "the database with the -wal file applied would pass the "
               "size bound";
        return MS_ERR_FORMAT;
    }
    size_t nlen = (size_t)pages * psz;
    uint8_t *buf = calloc(1, nlen ? nlen : 1);
    if (!buf)
        return MS_ERR_NOMEM;
    memcpy(buf, db, len < nlen ? len : nlen);
    for (off = 32; off < end; off += fsz) {
        uint32_t pg = be32(wal + off);
        if (pg >= 1 && pg <= pages)
            memcpy(buf + (size_t)(pg - 1) * psz, wal + off + 24, psz);
    }
    *out = buf;
    *outlen = nlen;
    *frames = ncommit;
    return MS_OK;
}

/* ---- SQLite ------------------------------------------------------------- */

ms_err ms_rpmdb_sqlite_each(const uint8_t *data, size_t len,
                            ms_rpm_pkg_cb cb, void *arg, const char **why)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    unsigned char *copy = NULL;
    ms_err rc = MS_ERR_FORMAT;
    const char *dummy;

    if (!why)
        why = &dummy;
    *why = NULL;
    if (!data || !cb)
        return MS_ERR_ARG;
    if (len < 100 || memcmp(data, "SQLite format 3", 16) != 0) {
        *why = "not an SQLite 3 database";
        return MS_ERR_FORMAT;
    }
    /* SQLite takes a writable buffer even for a read-only database:
     * give it a copy, freed when the connection closes */
    if (!(copy = sqlite3_malloc64(len)))
        return MS_ERR_NOMEM;
    memcpy(copy, data, len);
    /* rpm runs the database in WAL mode (header bytes 18, 19 = 2); the
     * in-memory VFS cannot, so the copy says "rollback journal" */
    if (copy[18] == 2)
        copy[18] = 1;
    if (copy[19] == 2)
        copy[19] = 1;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) !=
        SQLITE_OK) {
        sqlite3_free(copy);
        *why = "SQLite could not open an in-memory database";
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)MS_RPM_DATA_MAX);
    if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len,
                            (sqlite3_int64)len,
                            SQLITE_DESERIALIZE_READONLY |
                            SQLITE_DESERIALIZE_FREEONCLOSE) != SQLITE_OK) {
        *why = "SQLite refused the database";
        goto _exit;
    }
    if (sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &st,
                           NULL) != SQLITE_OK) {
        *why = "no table Packages(blob): not an rpm database";
        goto _exit;
    }
    rc = MS_OK;
    for (unsigned rows = 0; rows < MS_RPMDB_ROWS_MAX; rows++) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            *why = "SQLite stopped reading the Packages table (damaged "
                   "database)";
            break;      /* what was read stands */
        }
        const void *b = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        ms_rpm_nvr pkg;
        if (!b || n <= 0)
            continue;
        ms_err e = ms_rpm_header_nvr(b, (size_t)n, &pkg);
        if (e == MS_ERR_NOMEM) {
            rc = e;
            break;
        }
        if (e)
            continue;
        int stop = cb(&pkg, arg);
        ms_rpm_nvr_clear(&pkg);
        if (stop)
            break;
    }
_exit:
    sqlite3_finalize(st);
    sqlite3_close(db);   /* frees the copy (FREEONCLOSE) once attached */
    return rc;
}

/* ---- Berkeley DB / ndb: bounded scan ------------------------------------ */

/* A contiguous blob at p whose first entry is a region tag (61-63, as
 * rpm writes every header it stores). */
static int blob_at(const uint8_t *p, size_t left)
{
    if (left < 24)
        return 0;
    uint32_t il = be32(p), dl = be32(p + 4), tag = be32(p + 8);
    return il > 0 && il <= MS_RPM_INDEX_MAX && dl <= MS_RPM_DATA_MAX &&
           tag >= 61 && tag <= 63 &&
           (size_t)8 + (size_t)il * 16 + dl <= left;
}

/* "NAME-VERSION-RELEASE.src.rpm" NUL-terminated at p (after a NUL). */
static ms_err from_srpm(const uint8_t *p, size_t left, const char *name,
                        ms_rpm_nvr *out, int *found)
{
    size_t nl = strlen(name);
    const uint8_t *nul = memchr(p, '\0', left < 512 ? left : 512);
    static const char tail[] = ".src.rpm";
    if (!nul)
        return MS_OK;
    size_t n = (size_t)(nul - p);
    if (n < nl + 1 + sizeof tail || memcmp(p + n - (sizeof tail - 1), tail,
                                           sizeof tail - 1))
        return MS_OK;
    size_t vr = n - (sizeof tail - 1);          /* end of release */
    const uint8_t *dash = NULL;
    for (size_t i = vr; i > nl + 1; i--)
        if (p[i - 1] == '-') {
            dash = p + i - 1;
            break;
        }
    if (!dash || dash != memchr(p + nl + 1, '-', vr - nl - 1) ||
        !isdigit(p[nl + 1]))
        return MS_OK;          /* exactly NAME-VERSION-RELEASE */
    out->name = printable((const uint8_t *)name, nl);
    out->version = printable(p + nl + 1, (size_t)(dash - (p + nl + 1)));
    out->release = printable(dash + 1, (size_t)(p + vr - (dash + 1)));
    if (!out->name || !out->version || !out->release) {
        ms_rpm_nvr_clear(out);
        return MS_ERR_NOMEM;
    }
    *found = 1;
    return MS_OK;
}

ms_err ms_rpmdb_scan_for(const uint8_t *data, size_t len, const char *name,
                         ms_rpm_nvr *out, int *found)
{
    size_t nl;
    if (!out || !found || !name || (!data && len))
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    *found = 0;
    nl = strlen(name);
    /* 1: whole blobs, 4-byte aligned (ndb aligns them, Berkeley DB's
     * items start on even offsets of 4-byte aligned pages) */
    for (size_t i = 0; i + 24 <= len; i += 4) {
        if (!blob_at(data + i, len - i))
            continue;
        ms_rpm_nvr pkg;
        ms_err e = ms_rpm_header_nvr(data + i, len - i, &pkg);
        if (e == MS_ERR_NOMEM)
            return e;
        if (e)
            continue;
        if (strcmp(pkg.name, name) == 0) {
            *out = pkg;
            *found = 1;
            return MS_OK;
        }
        ms_rpm_nvr_clear(&pkg);
    }
    /* 2: a split header still holds its SOURCERPM in one page */
    for (size_t i = 1; i + nl + 1 < len; i++) {
        const uint8_t *p = memchr(data + i, name[0], len - i);
        if (!p)
            break;
        i = (size_t)(p - data);
        if (p[-1] != '\0' || (size_t)(len - i) <= nl + 1 ||
            memcmp(p, name, nl) || p[nl] != '-')
            continue;
        ms_err e = from_srpm(p, len - i, name, out, found);
        if (e || *found)
            return e;
    }
    return MS_OK;
}

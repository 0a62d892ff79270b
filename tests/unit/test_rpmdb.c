/* test_rpmdb.c - rpm header blobs, an rpmdb.sqlite built here with
 * SQLite itself, and the bounded scan of Berkeley DB / ndb files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_dialect.h"
#include "artifacts/rpmdb.h"

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* A header blob as rpm stores it in its database: region tag 63 first,
 * then NAME, VERSION, RELEASE strings.  Returns its length. */
static size_t make_blob(uint8_t *buf, const char *n, const char *v,
                        const char *r)
{
    const char *s[3] = { n, v, r };
    uint32_t il = 4, dl = 16, off[3];
    uint8_t *data = buf + 8 + il * 16;
    memset(data, 0, 16);              /* region trailer, 16 bytes */
    for (int i = 0; i < 3; i++) {
        off[i] = dl;
        memcpy(data + dl, s[i], strlen(s[i]) + 1);
        dl += (uint32_t)strlen(s[i]) + 1;
    }
    put32(buf, il);
    put32(buf + 4, dl);
    uint8_t *e = buf + 8;
    put32(e, 63), put32(e + 4, 7), put32(e + 8, 0), put32(e + 12, 16);
    for (int i = 0; i < 3; i++) {
        e += 16;
        put32(e, 1000 + (uint32_t)i);
        put32(e + 4, 6);
        put32(e + 8, off[i]);
        put32(e + 12, 1);
    }
    return 8 + il * 16 + dl;
}

static void test_header(void **state)
{
    (void)state;
    uint8_t b[512], m[520];
    ms_rpm_nvr nvr;
    size_t n = make_blob(b, "cronie", "1.5.7", "8.el9");
    assert_int_equal(ms_rpm_header_nvr(b, n, &nvr), MS_OK);
    assert_string_equal(nvr.name, "cronie");
    assert_string_equal(nvr.version, "1.5.7");
    assert_string_equal(nvr.release, "8.el9");
    ms_rpm_nvr_clear(&nvr);
    /* with the package-file magic in front */
    memcpy(m, "\x8e\xad\xe8\x01\0\0\0\0", 8);
    memcpy(m + 8, b, n);
    assert_int_equal(ms_rpm_header_nvr(m, n + 8, &nvr), MS_OK);
    ms_rpm_nvr_clear(&nvr);
    /* truncated anywhere: refused, never read past the end */
    for (size_t k = 0; k < n; k++)
        assert_int_equal(ms_rpm_header_nvr(b, k, &nvr), MS_ERR_FORMAT);
    /* a string offset past the data store */
    uint8_t c[512];
    memcpy(c, b, n);
    put32(c + 8 + 16 + 8, 0x7fffffff);
    assert_int_equal(ms_rpm_header_nvr(c, n, &nvr), MS_ERR_FORMAT);
    /* no NUL before the end of the data store */
    memcpy(c, b, n);
    c[n - 1] = 'x';
    put32(c + 8 + 48 + 8, (uint32_t)(n - 8 - 64 - 1));   /* RELEASE */
    assert_int_equal(ms_rpm_header_nvr(c, n, &nvr), MS_OK);
    assert_null(nvr.release);          /* the bad string is dropped */
    ms_rpm_nvr_clear(&nvr);
    /* absurd counts */
    memcpy(c, b, n);
    put32(c, 0x10000);
    assert_int_equal(ms_rpm_header_nvr(c, n, &nvr), MS_ERR_FORMAT);
    put32(c, 0);
    assert_int_equal(ms_rpm_header_nvr(c, n, &nvr), MS_ERR_FORMAT);
}

/* An rpmdb.sqlite with rpm's table, made in memory and serialized. */
static unsigned char *make_sqlite(int wal, sqlite3_int64 *len,
                                  const char *const *names,
                                  const char *const *versions)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    uint8_t blob[512];
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER "
                                  "PRIMARY KEY AUTOINCREMENT, blob BLOB NOT "
                                  "NULL)", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO Packages(blob) "
                                        "VALUES (?)", -1, &st, NULL),
                     SQLITE_OK);
    for (int i = 0; names[i]; i++) {
        size_t n = make_blob(blob, names[i], versions[i], "1.fc40");
        sqlite3_bind_blob(st, 1, blob, (int)n, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    /* a row that is no header */
    sqlite3_bind_blob(st, 1, "junk", 4, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    unsigned char *p = sqlite3_serialize(db, "main", len, 0);
    assert_non_null(p);
    sqlite3_close(db);
    if (wal)
        p[18] = p[19] = 2;     /* as rpm leaves it: WAL mode */
    return p;
}

static void test_sqlite(void **state)
{
    (void)state;
    static const char *const names[] = { "bash", "cronie-anacron", "cronie",
                                         "busybox", NULL };
    static const char *const vers[] = { "5.2", "1.7.0", "1.7.0", "1.36",
                                        NULL };
    sqlite3_int64 len;
    unsigned char *p = make_sqlite(1, &len, names, vers);
    unsigned char *orig = malloc((size_t)len);
    memcpy(orig, p, (size_t)len);
    ms_cron_dialect_info i;
    assert_int_equal(ms_cron_dialect_from_rpmdb(p, (size_t)len,
                                                "/var/lib/rpm/rpmdb.sqlite",
                                                &i), MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_CRONIE_16);
    assert_string_equal(i.version, "1.7.0");
    assert_non_null(strstr(i.why, "/var/lib/rpm/rpmdb.sqlite (SQLite; no "
                                  "-wal file beside it) lists package "
                                  "\"cronie\" version \"1.7.0\""));
    ms_cron_dialect_info_clear(&i);
    /* the caller's bytes are not changed (WAL flag patched in a copy) */
    assert_memory_equal(p, orig, (size_t)len);
    sqlite3_free(p);
    free(orig);

    static const char *const old[] = { "cronie-anacron", NULL };
    static const char *const oldv[] = { "1.5.2", NULL };
    p = make_sqlite(0, &len, old, oldv);
    assert_int_equal(ms_cron_dialect_from_rpmdb(p, (size_t)len, "/x", &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_CRONIE_15);
    assert_non_null(strstr(i.why, "cronie's anacron"));
    ms_cron_dialect_info_clear(&i);
    /* damaged: every page after the first is noise */
    for (sqlite3_int64 k = 4096; k < len; k++)
        p[k] = (unsigned char)(k * 131);
    assert_int_equal(ms_cron_dialect_from_rpmdb(p, (size_t)len, "/x", &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_UNKNOWN);
    ms_cron_dialect_info_clear(&i);
    sqlite3_free(p);

    static const char *const none[] = { "bash", NULL };
    p = make_sqlite(0, &len, none, vers);
    assert_int_equal(ms_cron_dialect_from_rpmdb(p, (size_t)len, "/x", &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_UNKNOWN);
    /* how it was read, for the evidence of whatever dialect is chosen */
    assert_non_null(strstr(i.why, "rpm database /x (SQLite"));
    assert_non_null(strstr(i.why, "shows no cron package"));
    ms_cron_dialect_info_clear(&i);
    /* a -wal file that is no log: not applied, and said so */
    assert_int_equal(ms_cron_dialect_from_rpmdb_wal(p, (size_t)len,
                                                    (const unsigned char *)
                                                    "not a write-ahead log "
                                                    "at all, 32+ bytes", 38,
                                                    "/x", &i), MS_OK);
    assert_non_null(strstr(i.why, "-wal file was NOT applied (the -wal file "
                                  "is not an SQLite write-ahead log)"));
    ms_cron_dialect_info_clear(&i);
    sqlite3_free(p);
    /* not a database at all */
    assert_int_equal(ms_rpmdb_sqlite_each((const uint8_t *)"SQLite format 3",
                                          16, NULL, NULL, NULL),
                     MS_ERR_ARG);
}

static void test_scan(void **state)
{
    (void)state;
    uint8_t *buf = calloc(1, 65536);
    ms_cron_dialect_info i;
    /* ndb-like: whole blobs at aligned offsets among noise */
    for (size_t k = 0; k < 65536; k++)
        buf[k] = (uint8_t)(k * 7 + 3);
    make_blob(buf + 4096, "bash", "5.1", "1");
    make_blob(buf + 8192, "cronie", "1.5.2", "4.el8");
    assert_int_equal(ms_cron_dialect_from_rpmdb(buf, 65536,
                                                "/var/lib/rpm/Packages.db",
                                                &i), MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_CRONIE_15);
    assert_non_null(strstr(i.why, "scanned"));
    ms_cron_dialect_info_clear(&i);
    /* Berkeley DB with the header split: only SOURCERPM is whole */
    memset(buf, 0, 65536);
    static const char srpm[] = "cronie-1.6.1-2.el8.src.rpm";
    memcpy(buf + 20001, srpm, sizeof srpm);
    assert_int_equal(ms_cron_dialect_from_rpmdb(buf, 65536,
                                                "/var/lib/rpm/Packages", &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_CRONIE_16);
    assert_string_equal(i.version, "1.6.1");
    ms_cron_dialect_info_clear(&i);
    /* a name that merely starts the same is not it */
    memset(buf, 0, 65536);
    static const char other[] = "cronie-extras-1.0-1.src.rpm";
    memcpy(buf + 100, other, sizeof other);
    assert_int_equal(ms_cron_dialect_from_rpmdb(buf, 65536, "/p", &i), MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_UNKNOWN);
    ms_cron_dialect_info_clear(&i);
    /* every truncation of a file ending in a blob: no read past it */
    memset(buf, 0, 65536);
    size_t n = make_blob(buf + 64, "cronie", "1.7.2", "1");
    for (size_t k = 0; k <= n + 64; k += 3) {
        uint8_t *t = malloc(k ? k : 1);
        memcpy(t, buf, k);
        assert_int_equal(ms_cron_dialect_from_rpmdb(t, k, "/p", &i), MS_OK);
        ms_cron_dialect_info_clear(&i);
        free(t);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_sqlite),
        cmocka_unit_test(test_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_reasons.c - the reason table (common/ms_reasons.h) and the
 * reason-code table in docs/detection.md say the same thing: the same
 * codes, and the same default severity wherever the documentation gives
 * one plain severity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/ms_reasons.h"

#define MAX_ROWS 256

typedef struct doc_row {
    char code[64];
    char severity[64];
} doc_row;

/* Rows "| `CODE` | severity | ..." of the documentation's tables. */
static size_t read_doc(doc_row *rows, size_t cap)
{
    const char *src = getenv("SRCDIR");
    char path[4096], line[8192];
    size_t n = 0;
    snprintf(path, sizeof path, "%s/docs/detection.md", src ? src : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f) && n < cap) {
        char code[64], sev[64];
        if (sscanf(line, "| `%63[A-Z0-9_]` | %63[^|]|", code, sev) != 2)
            continue;
        size_t l = strlen(sev);
        while (l && sev[l - 1] == ' ')
            sev[--l] = '\0';
        snprintf(rows[n].code, sizeof rows[n].code, "%s", code);
        snprintf(rows[n].severity, sizeof rows[n].severity, "%s", sev);
        n++;
    }
    fclose(f);
    return n;
}

static const char *sev_word(enum ms_severity s)
{
    return s == MS_SEV_MALICIOUS ? "malicious"
         : s == MS_SEV_SUSPICIOUS ? "suspicious" : "info";
}

static void test_doc_matches_table(void **state)
{
    (void)state;
    static doc_row rows[MAX_ROWS];
    size_t n = read_doc(rows, MAX_ROWS);
    int missing = 0;
    assert_true(n >= 10);

    /* every documented code is in the table ... */
    for (size_t i = 0; i < n; i++) {
        const ms_reason_def *d = ms_reason_def_find(rows[i].code);
        if (!d) {
            /* only codes shaped like reasons are held to the table */
            print_error("documented but not in the table: %s\n", rows[i].code);
            missing++;
            continue;
        }
        if (!strcmp(rows[i].severity, "malicious") ||
            !strcmp(rows[i].severity, "suspicious") ||
            !strcmp(rows[i].severity, "info")) {
            if (strcmp(rows[i].severity, sev_word(d->severity))) {
                print_error("%s: documented %s, table %s\n", rows[i].code,
                            rows[i].severity, sev_word(d->severity));
                missing++;
            }
        }
    }
    /* ... and every code of the table is documented */
    for (int id = 0; id < MS_R_COUNT; id++) {
        const ms_reason_def *d = ms_reason_def_get((ms_reason_id)id);
        int found = 0;
        for (size_t i = 0; i < n && !found; i++)
            found = !strcmp(rows[i].code, d->code);
        if (!found) {
            print_error("in the table but not documented: %s\n", d->code);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

static void test_table(void **state)
{
    (void)state;
    assert_string_equal(MS_R(YARA_MATCH), "YARA_MATCH");
    assert_ptr_equal(ms_reason_def_find("CRON_15MIN"),
                     ms_reason_def_get(MS_R_CRON_15MIN));
    assert_null(ms_reason_def_find("NO_SUCH_CODE"));
    assert_null(ms_reason_def_find(NULL));
    assert_null(ms_reason_def_get(MS_R_COUNT));
    for (int id = 0; id < MS_R_COUNT; id++) {
        const ms_reason_def *d = ms_reason_def_get((ms_reason_id)id);
        assert_non_null(d->description);
        assert_true(strlen(d->description) > 10);
        for (int j = 0; j < id; j++)
            assert_string_not_equal(d->code,
                                    ms_reason_def_get((ms_reason_id)j)->code);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_doc_matches_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

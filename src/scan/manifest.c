/* manifest.c - see manifest.h. */
#include "scan/manifest.h"

#include <errno.h>
#include <limits.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_utf8.h"

void ms_manifest_entry_clear(ms_manifest_entry *e)
{
    for (size_t i = 0; i < e->nsegments; i++)
        free(e->segments[i]);
    free(e->segments);
    free(e->image_type);
    free(e->case_id);
    free(e->examiner);
    free(e->evidence_id);
    free(e->notes);
    free(e->error);
    size_t line = e->line;
    memset(e, 0, sizeof *e);
    e->line = line;
    e->hash = e->carve = -1;
}

void ms_manifest_free(ms_manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        ms_manifest_entry_clear(&m->entries[i]);
    free(m->entries);
    memset(m, 0, sizeof *m);
}

static int fail(ms_manifest_entry *e, const char *why)
{
    if (!e->error)
        e->error = ms_strdup(why);
    return 0;
}

/* No control bytes (TAB is a separator, not part of a path). */
static int printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

static int add_segment(ms_manifest_entry *e, const char *s, size_t n,
                       const char *base)
{
    if (n == 0)
        return fail(e, "empty file name");
    if (!printable(s, n))
        return fail(e, "control character in a file name");
    if (e->nsegments == MS_MANIFEST_MAX_SEGMENTS)
        return fail(e, "more than 1024 files on one line");
    char **grown = realloc(e->segments, (e->nsegments + 1) * sizeof *grown);
    if (!grown)
        return fail(e, "out of memory");
    e->segments = grown;
    char *p = s[0] == '/' || !base
        ? ms_strndup(s, n)
        : ms_asprintf("%s/%.*s", base, (int)n, s);
    if (!p)
        return fail(e, "out of memory");
    e->segments[e->nsegments++] = p;
    return 0;
}

static int json_text(ms_manifest_entry *e, json_t *v, const char *key,
                     char **dst)
{
    const char *s = json_string_value(v);
    if (!s)
        return fail(e, key);
    size_t n = json_string_length(v);
    if (!printable(s, n) || !(*dst = ms_strndup(s, n)))
        return fail(e, key);
    return 0;
}

static int parse_json(const char *line, size_t len, const char *base,
                      ms_manifest_entry *e)
{
    json_error_t jerr;
    /* duplicates are refused: a second "segments" must not win quietly */
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return fail(e, "not a JSON object");
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        if (!strcmp(key, "segments")) {
            if (!json_is_array(v) || json_array_size(v) == 0) {
                fail(e, "\"segments\" must be a non-empty array of strings");
                break;
            }
            size_t i;
            json_t *s;
            json_array_foreach(v, i, s) {
                if (!json_is_string(s)) {
                    fail(e, "\"segments\" must be a non-empty array of strings");
                    break;
                }
                add_segment(e, json_string_value(s), json_string_length(s),
                            base);
            }
        } else if (!strcmp(key, "image")) {
            if (!json_is_string(v))
                fail(e, "\"image\" must be a string");
            else
                add_segment(e, json_string_value(v), json_string_length(v),
                            base);
        } else if (!strcmp(key, "image_type")) {
            json_text(e, v, "bad \"image_type\"", &e->image_type);
        } else if (!strcmp(key, "case")) {
            json_text(e, v, "bad \"case\"", &e->case_id);
        } else if (!strcmp(key, "examiner")) {
            json_text(e, v, "bad \"examiner\"", &e->examiner);
        } else if (!strcmp(key, "evidence_id")) {
            json_text(e, v, "bad \"evidence_id\"", &e->evidence_id);
        } else if (!strcmp(key, "notes")) {
            json_text(e, v, "bad \"notes\"", &e->notes);
        } else if (!strcmp(key, "hash") || !strcmp(key, "carve")) {
            if (!json_is_boolean(v))
                fail(e, "\"hash\" and \"carve\" must be true or false");
            else
                *(key[0] == 'h' ? &e->hash : &e->carve) = json_is_true(v);
        } else if (!strcmp(key, "time_limit")) {
            json_int_t t = json_integer_value(v);
            if (!json_is_integer(v) || t < 1 || t > 7 * 24 * 3600)
                fail(e, "\"time_limit\" must be seconds, 1 to 604800");
            else
                e->time_limit = (unsigned)t;
        } else {
            fail(e, "unknown key (known: segments, image, image_type, case, "
                    "examiner, evidence_id, notes, hash, carve, time_limit)");
        }
    }
    json_decref(o);
    if (!e->error && e->nsegments == 0)
        fail(e, "no \"segments\" or \"image\"");
    return 0;
}

int ms_manifest_parse_line(const char *line, size_t len, const char *base,
                           ms_manifest_entry *e)
{
    size_t line_no = e->line;
    memset(e, 0, sizeof *e);
    e->line = line_no;
    e->hash = e->carve = -1;
    if (len && line[len - 1] == '\r')       /* CRLF manifests */
        len--;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len || line[i] == '#')
        return 1;
    if (memchr(line, '\0', len))
        return fail(e, "NUL byte in the line");
    if (!ms_utf8_valid(line, len))
        return fail(e, "the line is not valid UTF-8");
    if (line[i] == '{')
        return parse_json(line + i, len - i, base, e);
    size_t start = 0;
    for (size_t k = 0; k <= len; k++) {
        if (k == len || line[k] == '\t') {
            add_segment(e, line + start, k - start, base);
            start = k + 1;
            if (e->error)
                break;
        }
    }
    return 0;
}

ms_err ms_manifest_load(const char *path, size_t first, size_t last,
                        ms_manifest *m, char **err_text)
{
    FILE *fp = NULL;
    char *base = NULL, *buf = NULL;
    ms_err rc = MS_ERR_NOMEM;
    size_t cap = 0;

    memset(m, 0, sizeof *m);
    *err_text = NULL;
    if (!(fp = fopen(path, "r"))) {
        *err_text = ms_asprintf("cannot read manifest '%s': %s", path,
                                strerror(errno));
        return MS_ERR_IO;
    }
    const char *slash = strrchr(path, '/');
    if (!(base = slash ? ms_strndup(path, (size_t)(slash - path) + 1)
                       : ms_strdup(".")))
        goto _exit;
    if (slash && base[1] != '\0')
        base[slash - path] = '\0';         /* "dir/" -> "dir", "/" stays */
    /* absolute, so a child or a later reader finds the same files */
    char *real = realpath(base, NULL);
    if (real) {
        free(base);
        base = real;
    }
    if (!(buf = malloc(MS_MANIFEST_MAX_LINE + 2)))
        goto _exit;
    for (size_t lineno = 1;; lineno++) {
        if (lineno > MS_MANIFEST_MAX_LINES) {
            *err_text = ms_asprintf("manifest '%s' has more than %u lines",
                                    path, MS_MANIFEST_MAX_LINES);
            rc = MS_ERR_LIMIT;
            goto _exit;
        }
        size_t n = 0;
        int c, eof = 0, toolong = 0;
        while ((c = getc(fp)) != '\n') {
            if (c == EOF) {
                eof = 1;
                break;
            }
            if (n < MS_MANIFEST_MAX_LINE)
                buf[n++] = (char)c;
            else
                toolong = 1;
        }
        if (ferror(fp)) {
            *err_text = ms_asprintf("cannot read manifest '%s': %s", path,
                                    strerror(errno));
            rc = MS_ERR_IO;
            goto _exit;
        }
        if (eof && n == 0)
            break;
        if (lineno < first || (last && lineno > last)) {
            if (eof)
                break;
            continue;
        }
        ms_manifest_entry e = { .line = lineno };
        int skip = ms_manifest_parse_line(buf, n, base, &e);
        if (toolong && !skip) {
            ms_manifest_entry_clear(&e);
            e.error = ms_strdup("line longer than 64 KiB");
        }
        if (skip) {
            ms_manifest_entry_clear(&e);
        } else {
            if (ms_grow((void **)&m->entries, &cap, m->n + 1,
                        sizeof *m->entries) != MS_OK) {
                ms_manifest_entry_clear(&e);
                goto _exit;
            }
            m->entries[m->n++] = e;
        }
        if (eof || (last && lineno >= last))
            break;
    }
    rc = MS_OK;
_exit:
    if (rc != MS_OK) {
        ms_manifest_free(m);
        if (!*err_text)
            *err_text = ms_strdup("out of memory reading the manifest");
    }
    free(buf);
    free(base);
    fclose(fp);
    return rc;
}

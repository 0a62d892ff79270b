/* fleet_hunt.c - retro-hunt over stored results (fleet_hunt.h).
 *
 * Hunt file: one indicator per line; blank lines and lines starting with
 * '#' are skipped.  A prefix names the kind; without one it is guessed:
 *   sha256:HEX md5:HEX sha1:HEX (or bare 32/40/64 hex digits)  file hash
 *   ip:ADDRESS  (or a bare dotted IPv4 address)                 address
 *   host:NAME   (or a bare name with a dot and a letter)        host name
 *   cron:TEXT   text in a cron line ("schedule command"); with * ? [ a
 *               glob over the whole line (fnmatch)
 *   ua:TEXT     text in a User-Agent indicator */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/ms_mem.h"
#include "fleet/fleet_hunt.h"
#include "fleet/fleet_util.h"

#define MS_HUNT_MAX_ITEMS 100000
#define MS_HUNT_MAX_HITS  1000000

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static int is_ipv4(const char *s)
{
    int dots = 0, digits = 0;
    for (; *s; s++) {
        if (*s == '.') {
            if (!digits)
                return 0;
            dots++;
            digits = 0;
        } else if (isdigit((unsigned char)*s) && digits < 3) {
            digits++;
        } else {
            return 0;
        }
    }
    return dots == 3 && digits;
}

static int all_hex(const char *s)
{
    size_t n = strlen(s);
    if (n != 32 && n != 40 && n != 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

ms_err ms_fleet_hunt_load(ms_fleet *f, const char *path, char **err)
{
    FILE *fp = fopen(path, "r");
    *err = NULL;
    if (!fp) {
        *err = ms_asprintf("--hunt %s: cannot read", path);
        return MS_ERR_IO;
    }
    char line[MS_FLEET_MAX_STR + 2];
    size_t cap = 0, lno = 0;
    ms_err rc = MS_OK;
    while (fgets(line, sizeof line, fp)) {
        lno++;
        size_t l = strlen(line);
        if (l && line[l - 1] != '\n' && !feof(fp)) {
            *err = ms_asprintf("--hunt %s:%zu: line longer than %d bytes",
                               path, lno, MS_FLEET_MAX_STR);
            rc = MS_ERR_LIMIT;
            break;
        }
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r' ||
                     line[l - 1] == ' ' || line[l - 1] == '\t'))
            line[--l] = '\0';
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            continue;
        int kind = -1;
        char *v = s;
        static const struct { const char *p; int k; } pre[] = {
            { "sha256:", MS_HUNT_HASH }, { "sha1:", MS_HUNT_HASH },
            { "md5:", MS_HUNT_HASH }, { "hash:", MS_HUNT_HASH },
            { "ip:", MS_HUNT_ADDRESS }, { "address:", MS_HUNT_ADDRESS },
            { "host:", MS_HUNT_HOST }, { "cron:", MS_HUNT_CRON },
            { "ua:", MS_HUNT_UA } };
        for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
            if (strncasecmp(s, pre[i].p, strlen(pre[i].p)) == 0) {
                kind = pre[i].k;
                v = s + strlen(pre[i].p);
                break;
            }
        if (kind < 0) {
            if (all_hex(s))
                kind = MS_HUNT_HASH;
            else if (is_ipv4(s))
                kind = MS_HUNT_ADDRESS;
            else if (strchr(s, '.') && strpbrk(s, "abcdefghijklmnopqrstuvwxyz"
                                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
                     !strpbrk(s, " /*"))
                kind = MS_HUNT_HOST;
        }
        if (kind < 0 || !*v) {
            char *q = ms_fleet_quote("", s);
            *err = ms_asprintf("--hunt %s:%zu: not an indicator: %s (use a "
                               "prefix sha256: md5: sha1: ip: host: cron: ua:)",
                               path, lno, q ? q : "?");
            free(q);
            rc = MS_ERR_FORMAT;
            break;
        }
        if (kind == MS_HUNT_HASH && !all_hex(v)) {
            *err = ms_asprintf("--hunt %s:%zu: a hash is 32, 40 or 64 hex digits",
                               path, lno);
            rc = MS_ERR_FORMAT;
            break;
        }
        if (f->nhunt >= MS_HUNT_MAX_ITEMS) {
            *err = ms_asprintf("--hunt %s: more than %d indicators", path,
                               MS_HUNT_MAX_ITEMS);
            rc = MS_ERR_LIMIT;
            break;
        }
        if (ms_grow((void **)&f->hunt, &cap, f->nhunt + 1, sizeof *f->hunt) != MS_OK) {
            rc = MS_ERR_NOMEM;
            break;
        }
        ms_hunt_item *it = &f->hunt[f->nhunt];
        it->kind = kind;
        it->value = ms_strdup(v);
        it->label = ms_strdup(s);
        if (!it->value || !it->label) {
            free(it->value);
            free(it->label);
            rc = MS_ERR_NOMEM;
            break;
        }
        if (kind == MS_HUNT_HASH || kind == MS_HUNT_HOST)
            lower(it->value);
        f->nhunt++;
    }
    fclose(fp);
    if (rc == MS_OK && f->nhunt == 0) {
        *err = ms_asprintf("--hunt %s: no indicators", path);
        rc = MS_ERR_FORMAT;
    }
    return rc;
}

static void hit(ms_fleet *f, const ms_fhost *h, size_t item, char *where)
{
    if (!where)
        return;
    if (f->nhits >= MS_HUNT_MAX_HITS ||
        ms_grow((void **)&f->hits, &f->hits_cap, f->nhits + 1,
                sizeof *f->hits) != MS_OK) {
        free(where);
        return;
    }
    ms_hunt_hit *x = &f->hits[f->nhits];
    x->item = item;
    x->host = 0;
    x->where = where;
    x->host_sha = ms_strdup(h->input_sha256);
    if (!x->host_sha) {
        free(where);
        return;
    }
    f->nhits++;
}

static const char *sget(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* value contains needle, ASCII case-insensitively for host names */
static int contains(const char *hay, const char *needle, int icase)
{
    if (!hay)
        return 0;
    return icase ? strcasestr(hay, needle) != NULL : strstr(hay, needle) != NULL;
}

static char *where_path(const char *what, json_t *file)
{
    const char *p = sget(file, "path");
    return ms_fleet_quote(what, p ? p : "");
}

void ms_fleet_hunt_file(ms_fleet *f, const ms_fhost *h, json_t *file,
                        const char *list)
{
    if (!json_is_object(file))
        return;
    json_t *hashes = json_object_get(file, "hashes");
    json_t *up = json_object_get(file, "unpacked");
    json_t *inds = json_is_object(up) ? json_object_get(up, "indicators") : NULL;
    const char *script = json_is_object(up) ? sget(up, "sha256") : NULL;
    for (size_t i = 0; i < f->nhunt; i++) {
        const ms_hunt_item *it = &f->hunt[i];
        if (it->kind == MS_HUNT_HASH) {
            static const char *const alg[] = { "md5", "sha1", "sha256" };
            for (int a = 0; a < 3 && json_is_object(hashes); a++) {
                const char *v = sget(hashes, alg[a]);
                if (v && strcasecmp(v, it->value) == 0)
                    hit(f, h, i, where_path(list, file));
            }
            if (script && strcasecmp(script, it->value) == 0) {
                char *w = where_path(list, file);
                hit(f, h, i, w ? ms_asprintf("%s (recovered script)", w) : NULL);
                free(w);
            }
            continue;
        }
        size_t n = json_is_array(inds) ? json_array_size(inds) : 0;
        for (size_t k = 0; k < n && k < MS_FLEET_MAX_ITEMS; k++) {
            json_t *ind = json_array_get(inds, k);
            const char *type = sget(ind, "type"), *v = sget(ind, "value");
            if (!type || !v)
                continue;
            int m = 0;
            if (it->kind == MS_HUNT_ADDRESS)
                m = (strcmp(type, "ipv4") == 0 && strcmp(v, it->value) == 0) ||
                    ((strcmp(type, "port") == 0 || strcmp(type, "url") == 0) &&
                     contains(v, it->value, 0));
            else if (it->kind == MS_HUNT_HOST)
                m = (strcmp(type, "host") == 0 && strcasecmp(v, it->value) == 0) ||
                    (strcmp(type, "url") == 0 && contains(v, it->value, 1));
            else if (it->kind == MS_HUNT_UA)
                m = strcmp(type, "user_agent") == 0 && contains(v, it->value, 0);
            if (m) {
                char *w = where_path(list, file);
                char *q = ms_fleet_quote("", v);
                hit(f, h, i, w && q ? ms_asprintf("%s: script indicator %s %s",
                                                  w, type, q) : NULL);
                free(w);
                free(q);
            }
        }
    }
}

void ms_fleet_hunt_cron(ms_fleet *f, const ms_fhost *h, json_t *job)
{
    const char *sched = sget(job, "schedule"), *cmd = sget(job, "command");
    const char *file = sget(job, "file");
    json_t *jl = json_object_get(job, "line");
    long line = json_is_integer(jl) ? (long)json_integer_value(jl) : 0;
    char *text = ms_asprintf("%s %s", sched ? sched : "", cmd ? cmd : "");
    if (!text)
        return;
    for (size_t i = 0; i < f->nhunt; i++) {
        const ms_hunt_item *it = &f->hunt[i];
        int m = 0;
        if (it->kind == MS_HUNT_CRON)
            m = strpbrk(it->value, "*?[") ?
                fnmatch(it->value, text, 0) == 0 : strstr(text, it->value) != NULL;
        else if (it->kind == MS_HUNT_ADDRESS)
            m = contains(cmd, it->value, 0);
        else if (it->kind == MS_HUNT_HOST)
            m = contains(cmd, it->value, 1);
        if (m) {
            char *q = ms_fleet_quote("crontab", file ? file : "");
            hit(f, h, i, q ? ms_asprintf("%s line %ld", q, line) : NULL);
            free(q);
        }
    }
    free(text);
}

void ms_fleet_hunt_host(ms_fleet *f, const ms_fhost *h)
{
    for (size_t i = 0; i < f->nhunt; i++) {
        const ms_hunt_item *it = &f->hunt[i];
        if (it->kind == MS_HUNT_HOST && h->hostname &&
            strcasecmp(h->hostname, it->value) == 0)
            hit(f, h, i, ms_strdup("the host's own name"));
        if (it->kind == MS_HUNT_ADDRESS)
            for (size_t k = 0; k < h->naddresses; k++) {
                size_t l = strlen(it->value);
                if (strncmp(h->addresses[k], it->value, l) == 0 &&
                    (h->addresses[k][l] == '\0' || h->addresses[k][l] == '/'))
                    hit(f, h, i, ms_fleet_quote("configured address",
                                                h->addresses[k]));
            }
    }
}

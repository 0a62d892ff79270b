/* webroots.c - web roots from default places and the image's Apache and
 * nginx configuration; script files in them.  See webroots.h. */
#include "artifacts/webroots.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/linereader.h"
#include "artifacts/textfile.h"
#include "common/ms_entry.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

void ms_webscripts_free(ms_webscripts *s)
{
    for (size_t i = 0; i < s->n; i++)
        ms_fileref_clear(&s->refs[i]);
    free(s->refs);
    free(s->root);
    memset(s, 0, sizeof *s);
}

int ms_web_is_script_name(const char *name, size_t len)
{
    static const char *const ext[] = {
        "php", "phtml", "pht", "php3", "php4", "php5", "php7", "php8",
        "phps", "inc", "pl", "cgi", "py", "sh", "asp", "aspx", "jsp" };
    const char *dot = NULL;
    for (size_t i = 0; i < len; i++)
        if (name[i] == '.')
            dot = name + i;
    if (!dot || dot == name + len - 1)
        return 0;
    size_t el = (size_t)(name + len - dot - 1);
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
        if (strlen(ext[i]) == el && !strncasecmp(dot + 1, ext[i], el))
            return 1;
    return 0;
}

/* ---- configuration lines ---------------------------------------------- */

/* Next word of *p: a quoted string (quotes removed) or a run of non-blank
 * bytes; nginx words also end at ';' and '{' '}'.  NULL at the end. */
static char *word(const char **p, int nginx)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    if (!*s || *s == '#')
        return NULL;
    const char *b = s, *e;
    if (*s == '"' || *s == '\'') {
        char q = *s++;
        b = s;
        while (*s && *s != q)
            s++;
        e = s;
        if (*s)
            s++;
    } else if (nginx && (*s == ';' || *s == '{' || *s == '}')) {
        e = ++s;
    } else {
        while (*s && *s != ' ' && *s != '\t' && *s != '\r' &&
               !(nginx && (*s == ';' || *s == '{' || *s == '}')))
            s++;
        e = s;
    }
    *p = s;
    return ms_strndup(b, (size_t)(e - b));
}

/* A value we can place in the image: no variables, not empty. */
static int usable(const char *v)
{
    return v && *v && !strchr(v, '$') && !strchr(v, '%');
}

static int apache_line(const char *line, char **url, char **dir)
{
    const char *p = line;
    char *d = word(&p, 0), *a = NULL, *b = NULL;
    int r = 0;
    if (!d)
        return 0;
    a = word(&p, 0);
    if (!strcasecmp(d, "DocumentRoot") && usable(a)) {
        *url = ms_strdup("/");
        *dir = a;
        a = NULL;
        r = 1;
    } else if ((!strcasecmp(d, "Alias") || !strcasecmp(d, "ScriptAlias")) &&
               a && a[0] == '/' && (b = word(&p, 0)) && usable(b)) {
        *url = a;
        *dir = b;
        a = b = NULL;
        r = 1;
    } else if ((!strcasecmp(d, "Include") ||
                !strcasecmp(d, "IncludeOptional")) && usable(a)) {
        *dir = a;
        a = NULL;
        r = 2;
    }
    if (r == 1 && (!*url || !*dir)) {
        free(*url);
        free(*dir);
        *url = *dir = NULL;
        r = 0;
    }
    free(d);
    free(a);
    free(b);
    return r;
}

static int nginx_line(const char *line, char **url, char **dir,
                      ms_web_conf_state *st)
{
    const char *p = line;
    char *w;
    int r = 0, n = 0;
    char *prev = NULL;      /* the directive of the statement being read */
    char *arg1 = NULL, *arg2 = NULL;
    /* Statements may share a line ("location /a/ { alias /x/; }"): read
     * word by word, acting on ';', '{' and '}'.  At most 64 words. */
    while (r == 0 && n++ < 64 && (w = word(&p, 1))) {
        if (!strcmp(w, "{")) {
            st->depth++;
            if (prev && !strcmp(prev, "location")) {
                /* "location [= | ^~] /prefix {": plain prefixes map;
                 * regular expressions (~, ~*) and named ones do not */
                const char *pre = arg2 ? arg2 : arg1;
                int plain = !arg2 || !strcmp(arg1, "=") || !strcmp(arg1, "^~");
                free(st->loc);
                st->loc = plain && pre && pre[0] == '/' ? ms_strdup(pre) : NULL;
                st->loc_depth = st->depth;
            }
            free(prev); free(arg1); free(arg2);
            prev = arg1 = arg2 = NULL;
        } else if (!strcmp(w, "}")) {
            if (st->loc && st->depth == st->loc_depth) {
                free(st->loc);
                st->loc = NULL;
            }
            if (st->depth > 0)
                st->depth--;
            free(prev); free(arg1); free(arg2);
            prev = arg1 = arg2 = NULL;
        } else if (!strcmp(w, ";")) {
            if (prev && !strcmp(prev, "root") && usable(arg1)) {
                *url = ms_strdup("/");
                *dir = arg1;
                arg1 = NULL;
                r = 1;
            } else if (prev && !strcmp(prev, "alias") && usable(arg1) &&
                       st->loc) {
                *url = ms_strdup(st->loc);
                *dir = arg1;
                arg1 = NULL;
                r = 1;
            } else if (prev && !strcmp(prev, "include") && usable(arg1)) {
                *dir = arg1;
                arg1 = NULL;
                r = 2;
            }
            free(prev); free(arg1); free(arg2);
            prev = arg1 = arg2 = NULL;
        } else if (!prev) {
            prev = w;
            w = NULL;
        } else if (!arg1) {
            arg1 = w;
            w = NULL;
        } else if (!arg2) {
            arg2 = w;
            w = NULL;
        }
        free(w);
    }
    free(prev); free(arg1); free(arg2);
    if (r == 1 && (!*url || !*dir)) {
        free(*url);
        free(*dir);
        *url = *dir = NULL;
        r = 0;
    }
    return r;
}

int ms_web_conf_line(char kind, const char *line, char **url, char **dir,
                     ms_web_conf_state *st)
{
    *url = *dir = NULL;
    if (!line)
        return 0;
    return kind == 'n' ? nginx_line(line, url, dir, st)
                       : apache_line(line, url, dir);
}

/* ---- reading configuration files -------------------------------------- */

typedef struct conf_file {
    char *path;        /* resolved */
    char  kind;        /* 'a' or 'n' */
    int   depth;       /* include depth */
} conf_file;

typedef struct collect {
    ms_fs *fs;
    ms_scan *scan;
    ms_entry *entry;
    int volume;
    const ms_walk_limits *lim;
    ms_webscripts *out;
    conf_file *conf;  size_t nconf, confcap;   /* queue, also the seen set */
    int conf_capped;
    /* while reading one file */
    const conf_file *cur;
    ms_web_conf_state st;
    ms_textscan ts;   /* padding, NULs, junk in the file being read */
    /* walking */
    size_t entries;
    int limit_noted;
    char **walked; size_t nwalked, walkedcap;  /* directories listed */
    int root_index;
    const char *dir;
    char **subdirs; size_t nsub, subcap;
    ms_err err;
} collect;

static ms_err add_root(collect *c, const char *url, const char *dir,
                       const char *source)
{
    char *res = ms_fs_resolve_dir(c->fs, dir);
    if (!res)
        return MS_OK;                  /* not in this image */
    ms_entry *e = c->entry;
    for (size_t i = 0; i < e->nroots; i++)
        if (e->roots[i].volume == c->volume &&
            !strcmp(e->roots[i].path, res) &&
            !strcmp(e->roots[i].url_prefix, url)) {
            free(res);
            return MS_OK;
        }
    size_t mine = 0;
    for (size_t i = 0; i < e->nroots; i++)
        mine += e->roots[i].volume == c->volume;
    if (mine >= MS_WEB_MAX_ROOTS) {
        free(res);
        return MS_OK;
    }
    if (ms_grow((void **)&e->roots, &e->roots_cap, e->nroots + 1,
                sizeof *e->roots)) {
        free(res);
        return MS_ERR_NOMEM;
    }
    ms_webroot *r = &e->roots[e->nroots];
    r->volume = c->volume;
    r->path = res;
    r->url_prefix = ms_strdup(url);
    r->source = ms_strdup(source);
    e->nroots++;
    return r->url_prefix && r->source ? MS_OK : MS_ERR_NOMEM;
}

static ms_err queue_conf(collect *c, const char *path, char kind, int depth)
{
    char *res = NULL;
    ms_ptype t = MS_PT_NONE;
    if (ms_path_resolve(ms_fs_lstat, c->fs, path, "/", &res, &t, NULL) ||
        t != MS_PT_REG) {
        free(res);
        return MS_OK;
    }
    for (size_t i = 0; i < c->nconf; i++)
        if (!strcmp(c->conf[i].path, res)) {
            free(res);
            return MS_OK;
        }
    if (c->nconf >= MS_WEB_MAX_CONF_FILES) {
        if (!c->conf_capped)
            ms_scan_add_error(c->scan, "volume %d: more than %d web-server "
                              "configuration files; the rest not read",
                              c->volume, MS_WEB_MAX_CONF_FILES);
        c->conf_capped = 1;
        free(res);
        return MS_OK;
    }
    if (ms_grow((void **)&c->conf, &c->confcap, c->nconf + 1,
                sizeof *c->conf)) {
        free(res);
        return MS_ERR_NOMEM;
    }
    c->conf[c->nconf++] = (conf_file){ res, kind, depth };
    return MS_OK;
}

typedef struct glob_ctx {
    collect *c;
    const char *dir, *pat;
    char kind;
    int depth;
    char **names; size_t n, cap;
} glob_ctx;

static int on_glob_entry(void *user, ms_fs_file *f, const char *name,
                         size_t len)
{
    glob_ctx *g = user;
    ms_fileref ref = {0};
    ms_fs_file_stat(f, &ref);
    if (ref.deleted)
        return 0;
    char *nm = ms_strndup(name, len);
    if (nm && strlen(nm) == len && (!g->pat || !fnmatch(g->pat, nm, 0)) &&
        ms_grow((void **)&g->names, &g->cap, g->n + 1, sizeof *g->names) ==
            MS_OK) {
        g->names[g->n++] = nm;
        return 0;
    }
    free(nm);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Include a pattern: a file, a directory (all its files, as Apache does)
 * or a glob in the last component; relative to the server root. */
static ms_err include_pattern(collect *c, const char *pattern, char kind,
                              int depth, const char *server_root)
{
    if (depth > MS_WEB_MAX_INCLUDE_DEPTH)
        return MS_OK;
    char *abs = ms_path_normalize(pattern, server_root);
    if (!abs)
        return MS_OK;
    ms_err rc = MS_OK;
    char *slash = strrchr(abs, '/');
    int wild = strpbrk(abs, "*?[") != NULL;
    glob_ctx g = { .c = c, .kind = kind, .depth = depth };
    char *dir = NULL;
    if (wild) {
        if (strpbrk(abs, "*?[") < slash) {
            ms_scan_add_error(c->scan, "volume %d: include pattern with a "
                              "wildcard before its last component not "
                              "followed", c->volume);
            goto _exit;
        }
        *slash = '\0';
        dir = ms_fs_resolve_dir(c->fs, *abs ? abs : "/");
        g.pat = slash + 1;
    } else {
        dir = ms_fs_resolve_dir(c->fs, abs);
        if (!dir) {
            rc = queue_conf(c, abs, kind, depth);
            goto _exit;
        }
    }
    if (!dir)
        goto _exit;
    g.dir = dir;
    (void)ms_fs_list_dir(c->fs, dir, on_glob_entry, &g, 4096);
    if (g.n > 1)
        qsort(g.names, g.n, sizeof *g.names, cmp_str);  /* Apache's order */
    for (size_t i = 0; i < g.n; i++) {
        char *p = ms_path_join(dir, g.names[i], strlen(g.names[i]));
        if (p && rc == MS_OK)
            rc = queue_conf(c, p, kind, depth);
        free(p);
    }
_exit:
    for (size_t i = 0; i < g.n; i++)
        free(g.names[i]);
    free(g.names);
    free(dir);
    free(abs);
    return rc;
}

static const char *server_root_of(const conf_file *cf)
{
    if (cf->kind == 'n')
        return "/etc/nginx";
    if (ms_path_in_dir(cf->path, "/etc/httpd"))
        return "/etc/httpd";
    if (ms_path_in_dir(cf->path, "/usr/local/etc/apache24"))
        return "/usr/local/etc/apache24";
    return "/etc/apache2";
}

static int conf_line(void *user, const ms_line *line)
{
    collect *c = user;
    char *url = NULL, *dir = NULL;
    /* every line, whatever comes before it; a line is taken up to its
     * first NUL (line->data is a C string there), as the servers' C
     * parsers see it; an over-long line is padding, noted, not parsed */
    ms_textscan_line(&c->ts, line);
    if (line->len > MS_WEB_CONF_LINE_KEEP)
        return 0;
    int r = ms_web_conf_line(c->cur->kind, line->data, &url, &dir, &c->st);
    const char *sr = server_root_of(c->cur);
    if (r == 1) {
        char *abs = ms_path_normalize(dir, sr);
        char *src = ms_asprintf("%s:%llu", c->cur->path,
                                (unsigned long long)line->number);
        if (abs && src)
            c->err = add_root(c, url, abs, src);
        free(abs);
        free(src);
    } else if (r == 2) {
        c->err = include_pattern(c, dir, c->cur->kind, c->cur->depth + 1, sr);
    }
    free(url);
    free(dir);
    return c->err != MS_OK;
}

static ssize_t fs_read(void *src, uint64_t off, void *buf, size_t len)
{
    return ms_fs_file_read(src, off, buf, len);
}

static ms_err read_conf(collect *c, size_t i)
{
    ms_fs_file *f = NULL;
    conf_file cf = c->conf[i];     /* the queue may move while reading */
    if (ms_fs_open(c->fs, cf.path, &f) != MS_OK)
        return MS_OK;
    ms_lines_stats stats;
    char *note = NULL;
    c->cur = &cf;
    memset(&c->st, 0, sizeof c->st);
    memset(&c->ts, 0, sizeof c->ts);
    ms_err rc = ms_lines_read(fs_read, f, MS_WEB_CONF_LINE_KEEP + 1,
                              conf_line, NULL, c, &stats);
    c->ts.bytes = stats.bytes;
    c->ts.read_error = stats.read_error;
    c->ts.capped = stats.capped;
    if (rc == MS_OK && ms_textscan_note(&c->ts, cf.path, &note))
        rc = MS_ERR_NOMEM;
    if (note)
        ms_scan_add_error(c->scan, "volume %d: %s", c->volume, note);
    free(note);
    free(c->st.loc);
    c->st.loc = NULL;
    c->cur = NULL;
    ms_fs_file_close(f);
    return rc ? rc : c->err;
}

/* ---- walking roots ---------------------------------------------------- */

static ms_err record_script(collect *c, ms_fileref *ref)
{
    ms_webscripts *o = c->out;
    for (size_t i = 0; i < o->n; i++)   /* a file under two roots */
        if (o->refs[i].volume == ref->volume &&
            o->refs[i].inode == ref->inode &&
            !strcmp(o->refs[i].path, ref->path))
            return MS_OK;
    if (ms_grow((void **)&o->refs, &o->cap, o->n + 1, sizeof *o->refs))
        return MS_ERR_NOMEM;
    size_t cap = o->cap;
    if (!(o->root = realloc(o->root, cap * sizeof *o->root)))
        return MS_ERR_NOMEM;
    o->refs[o->n] = *ref;
    o->refs[o->n].path = ms_strdup(ref->path);
    if (!o->refs[o->n].path)
        return MS_ERR_NOMEM;
    o->root[o->n] = c->root_index;
    o->n++;
    c->entry->roots[c->root_index].scripts++;
    return MS_OK;
}

static int on_entry(void *user, ms_fs_file *f, const char *name, size_t len)
{
    collect *c = user;
    ms_fileref ref = {0};
    c->entries++;
    c->entry->roots[c->root_index].entries++;
    ms_fs_file_stat(f, &ref);
    ref.volume = c->volume;
    ref.path = ms_path_join(c->dir, name, len);
    if (!ref.path)
        return 0;
    if (ref.type == MS_FT_DIR && !ref.deleted) {
        if (ms_grow((void **)&c->subdirs, &c->subcap, c->nsub + 1,
                    sizeof *c->subdirs) == MS_OK) {
            c->subdirs[c->nsub++] = ref.path;
            return 0;
        }
        c->err = MS_ERR_NOMEM;
    } else if (ref.type == MS_FT_REG && !ref.deleted && !ref.meta_reused &&
               ms_web_is_script_name(name, len)) {
        c->err = record_script(c, &ref);
    }
    free(ref.path);
    return c->err != MS_OK;
}

static ms_err walk_dir(collect *c, const char *dir, unsigned depth)
{
    ms_webroot *root = &c->entry->roots[c->root_index];
    if (depth > c->lim->max_depth) {
        root->truncated = 1;
        return MS_OK;
    }
    for (size_t i = 0; i < c->nwalked; i++)
        if (!strcmp(c->walked[i], dir))
            return MS_OK;
    char *copy = ms_strdup(dir);
    if (!copy || ms_grow((void **)&c->walked, &c->walkedcap, c->nwalked + 1,
                         sizeof *c->walked)) {
        free(copy);
        return MS_ERR_NOMEM;
    }
    c->walked[c->nwalked++] = copy;
    size_t budget = c->lim->max_entries > c->entries
                        ? c->lim->max_entries - c->entries : 0;
    c->dir = dir;
    c->subdirs = NULL;
    c->nsub = c->subcap = 0;
    ms_err rc = ms_fs_list_dir(c->fs, dir, on_entry, c, budget);
    char **mine = c->subdirs;
    size_t nmine = c->nsub;
    if (rc == MS_ERR_LIMIT) {
        root->truncated = 1;
        if (!c->limit_noted)
            ms_scan_add_error(c->scan, "volume %d: more than %zu names in "
                              "web roots; the walk stopped at %s", c->volume,
                              c->lim->max_entries, dir);
        c->limit_noted = 1;
        c->out->capped = 1;
    }
    rc = c->err;
    for (size_t i = 0; i < nmine; i++) {
        if (rc == MS_OK)
            rc = walk_dir(c, mine[i], depth + 1);
        free(mine[i]);
    }
    free(mine);
    return rc;
}

/* /home/NAME/public_html, served as /~NAME/ (Apache's mod_userdir). */
typedef struct home_ctx { char **names; size_t n, cap; } home_ctx;

static int on_home(void *user, ms_fs_file *f, const char *name, size_t len)
{
    home_ctx *h = user;
    ms_fileref ref = {0};
    ms_fs_file_stat(f, &ref);
    if (ref.deleted || len == 0 || memchr(name, '\0', len) ||
        memchr(name, '/', len))
        return 0;
    char *nm = ms_strndup(name, len);
    if (nm && ms_grow((void **)&h->names, &h->cap, h->n + 1,
                      sizeof *h->names) == MS_OK)
        h->names[h->n++] = nm;
    else
        free(nm);
    return 0;
}

static ms_err default_roots(collect *c)
{
    static const char *const dirs[] = {
        "/var/www/html", "/var/www", "/srv/www/htdocs", "/srv/www",
        "/srv/http", "/usr/share/nginx/html", "/usr/local/www/apache24/data" };
    ms_err rc = MS_OK;
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs && !rc; i++)
        rc = add_root(c, "/", dirs[i], "default location");
    char *home = ms_fs_resolve_dir(c->fs, "/home");
    if (!home)
        return rc;
    home_ctx h = {0};
    (void)ms_fs_list_dir(c->fs, home, on_home, &h, 4096);
    for (size_t i = 0; i < h.n; i++) {
        char *d = ms_asprintf("%s/%s/public_html", home, h.names[i]);
        char *u = ms_asprintf("/~%s/", h.names[i]);
        if (!d || !u)
            rc = MS_ERR_NOMEM;
        else if (!rc)
            rc = add_root(c, u, d, "default location (UserDir)");
        free(d);
        free(u);
        free(h.names[i]);
    }
    free(h.names);
    free(home);
    return rc;
}

ms_err ms_webroots_collect(ms_fs *fs, ms_scan *scan, int volume,
                           const ms_walk_limits *lim, ms_webscripts *out)
{
    static const struct { const char *path; char kind; } mains[] = {
        { "/etc/apache2/apache2.conf", 'a' },
        { "/etc/httpd/conf/httpd.conf", 'a' },
        { "/etc/apache2/httpd.conf", 'a' },
        { "/usr/local/etc/apache24/httpd.conf", 'a' },
        { "/etc/nginx/nginx.conf", 'n' },
        { "/usr/local/etc/nginx/nginx.conf", 'n' } };
    /* read whole even when the main file does not include them */
    static const struct { const char *glob; char kind; } dirs[] = {
        { "/etc/apache2/sites-enabled/*", 'a' },
        { "/etc/apache2/conf-enabled/*", 'a' },
        { "/etc/httpd/conf.d/*.conf", 'a' },
        { "/etc/nginx/sites-enabled/*", 'n' },
        { "/etc/nginx/conf.d/*.conf", 'n' } };
    ms_entry *e = ms_entry_get(scan);
    if (!e)
        return MS_ERR_NOMEM;
    collect c = { .fs = fs, .scan = scan, .entry = e, .volume = volume,
                  .lim = lim, .out = out };
    size_t first_root = e->nroots;
    ms_err rc = MS_OK;

    for (size_t i = 0; i < sizeof mains / sizeof *mains && !rc; i++)
        rc = queue_conf(&c, mains[i].path, mains[i].kind, 0);
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs && !rc; i++)
        rc = include_pattern(&c, dirs[i].glob, dirs[i].kind, 0, "/");
    for (size_t i = 0; i < c.nconf && !rc; i++)   /* the queue grows */
        rc = read_conf(&c, i);
    if (!rc)
        rc = default_roots(&c);
    for (size_t i = first_root; i < e->nroots && !rc; i++) {
        c.root_index = (int)i;
        rc = walk_dir(&c, e->roots[i].path, 0);
    }
    for (size_t i = 0; i < c.nconf; i++)
        free(c.conf[i].path);
    free(c.conf);
    for (size_t i = 0; i < c.nwalked; i++)
        free(c.walked[i]);
    free(c.walked);
    return rc;
}

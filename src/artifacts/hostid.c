/* hostid.c - see hostid.h. */
#include "artifacts/hostid.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/netconf.h"
#include "artifacts/sshkey.h"
#include "artifacts/textfile.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

/* The text of a regular file at `path` (symlinks resolved inside the
 * image) as its parsers need it, read whole through the shared line
 * reader: every line is seen, whatever padding comes before it.  Kept,
 * up to MS_HOSTID_MAX_FILE bytes: each line up to its first NUL (what
 * the C programs reading these files see), except blank and comment
 * lines, lines longer than MS_TEXT_LONG_LINE and lines with control
 * bytes (binary junk: no host name, address or key is made of them).
 * Padding, NULs or junk become a note of the scan. */
typedef struct keep_ctx {
    ms_buf b;
    int first_only;   /* a one-line file: its first meaningful line, as
                         written (control bytes included: a hostile host
                         name is reported, escaped) */
    int full, nomem;
} keep_ctx;

static int keep_line(void *user, const ms_line *l)
{
    keep_ctx *k = user;
    size_t n = strlen(l->data), i = strspn(l->data, " \t\r");
    if (l->len > MS_TEXT_LONG_LINE || (l->ctrl && !k->first_only) ||
        i == n || l->data[i] == '#' || k->full ||
        (k->first_only && k->b.len))
        return 0;
    if (k->b.len + n + 1 > MS_HOSTID_MAX_FILE) {
        k->full = 1;
        return 0;
    }
    k->nomem = ms_buf_append(&k->b, l->data, n) != MS_OK ||
               ms_buf_append(&k->b, "\n", 1) != MS_OK;
    return k->nomem;
}

static char *read_text(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                       int first_only, size_t *len)
{
    keep_ctx k = { { NULL, 0, 0 }, first_only, 0, 0 };
    ms_textscan ts;
    char *note = NULL;
    *len = 0;
    ms_err rc = ms_textfile_read(fs, path, MS_TEXT_LONG_LINE + 1, keep_line,
                                 &k, &ts);
    if (rc != MS_OK) {
        ms_buf_free(&k.b);
        return NULL;
    }
    if (ms_textscan_note(&ts, path, &note) == MS_OK && note && scan)
        ms_scan_add_error(scan, "volume %d: %s", vol, note);
    free(note);
    if (k.full && scan)
        ms_scan_add_error(scan, "volume %d: %s: only the first %u bytes of "
                          "its lines were kept", vol, path,
                          MS_HOSTID_MAX_FILE);
    *len = k.b.len;
    if (!k.b.data)      /* a file of nothing but blanks and comments */
        return ms_strdup("");
    return ms_buf_steal(&k.b);
}

static char *read_small(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                        size_t *len)
{
    return read_text(fs, scan, vol, path, 0, len);
}

/* First line, blanks trimmed, or NULL when empty. */
static char *first_line(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++, len--;
    size_t n = 0;
    while (n < len && s[n] != '\n' && s[n] != '\r' && s[n] != '\0')
        n++;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n ? ms_strndup(s, n) : NULL;
}

/* Value of KEY=VALUE (shell quoting removed) in an os-release or sysconfig
 * file, or NULL. */
static char *shell_value(const char *text, size_t len, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n > klen && !memcmp(p, key, klen) && p[klen] == '=') {
            const char *v = p + klen + 1;
            size_t vl = n - klen - 1;
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
                vl--;
            if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
                v++, vl -= 2;
            return vl ? ms_strndup(v, vl) : NULL;
        }
        p += n + 1;
    }
    return NULL;
}

/* Debian's installer writes "127.0.1.1 host.example.org host". */
static char *hosts_name(const char *text, size_t len)
{
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n > 10 && !memcmp(p, "127.0.1.1", 9) && (p[9] == ' ' || p[9] == '\t')) {
            const char *s = p + 9, *e = p + n;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            const char *w = s;
            while (w < e && *w != ' ' && *w != '\t' && *w != '#' && *w != '\r')
                w++;
            if (w > s)
                return ms_strndup(s, (size_t)(w - s));
        }
        p += n + 1;
    }
    return NULL;
}

typedef struct addr_ctx {
    ms_host *h;
    const char *source;
    int nomem;
} addr_ctx;

static int on_addr(void *user, const char *addr, const char *iface)
{
    addr_ctx *c = user;
    ms_host *h = c->h;
    for (size_t i = 0; i < h->naddrs; i++)   /* once per address */
        if (!strcmp(h->addrs[i].addr, addr))
            return 0;
    if (h->naddrs >= MS_HOSTID_MAX_ADDRS)
        return 1;
    if (ms_grow((void **)&h->addrs, &h->addrs_cap, h->naddrs + 1,
                sizeof *h->addrs)) {
        c->nomem = 1;
        return 1;
    }
    ms_host_addr *a = &h->addrs[h->naddrs++];
    a->addr = ms_strdup(addr);
    a->iface = *iface ? ms_strdup(iface) : NULL;
    a->source = ms_strdup(c->source);
    c->nomem |= !a->addr || (*iface && !a->iface) || !a->source;
    return c->nomem;
}

static ms_err addrs_from(ms_fs *fs, ms_scan *scan, int vol, ms_host *h,
                         const char *path, enum ms_netconf_kind kind)
{
    size_t len;
    char *text = read_small(fs, scan, vol, path, &len);
    addr_ctx c = { h, path, 0 };
    if (!text)
        return MS_OK;
    ms_netconf_parse(kind, text, len, on_addr, &c);
    free(text);
    return c.nomem ? MS_ERR_NOMEM : MS_OK;
}

/* Files of a folder whose names pass `want`, in a bounded list. */
typedef struct dir_ctx {
    const char *dir;
    int (*want)(const char *name, size_t len);
    char **paths;
    size_t n, cap;
    int nomem;
} dir_ctx;

static int on_entry(void *user, ms_fs_file *f, const char *name, size_t len)
{
    dir_ctx *c = user;
    ms_fileref ref = { 0 };
    ms_fs_file_stat(f, &ref);
    if (ref.deleted || (ref.type != MS_FT_REG && ref.type != MS_FT_LNK) ||
        !c->want(name, len))
        return 0;
    char *p = ms_path_join(c->dir, name, len);
    if (!p)
        return 0;
    if (ms_grow((void **)&c->paths, &c->cap, c->n + 1, sizeof *c->paths)) {
        free(p);
        c->nomem = 1;
        return 1;
    }
    c->paths[c->n++] = p;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *name, size_t len, const char *suf)
{
    size_t n = strlen(suf);
    return len > n && !memcmp(name + len - n, suf, n);
}
static int want_any(const char *n, size_t l) { (void)n; return l > 0 && n[0] != '.'; }
static int want_yaml(const char *n, size_t l) { return ends_with(n, l, ".yaml"); }
static int want_ifcfg(const char *n, size_t l)
{
    return l > 6 && !memcmp(n, "ifcfg-", 6) && !(l == 8 && !memcmp(n + 6, "lo", 2));
}
static int want_hostkey(const char *n, size_t l)
{
    return l > 9 && !memcmp(n, "ssh_host_", 9) && ends_with(n, l, "_key.pub");
}

/* Sorted paths of a folder's wanted files (name order: the order the
 * tools themselves read them in). */
static ms_err list_files(ms_fs *fs, const char *dir,
                         int (*want)(const char *, size_t), dir_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->dir = dir;
    c->want = want;
    char *resolved = ms_fs_resolve_dir(fs, dir);
    if (!resolved)
        return MS_OK;
    ms_fs_list_dir(fs, resolved, on_entry, c, MS_HOSTID_MAX_DIR);
    free(resolved);
    if (c->n > 1)
        qsort(c->paths, c->n, sizeof *c->paths, cmp_str);
    return c->nomem ? MS_ERR_NOMEM : MS_OK;
}

static void free_list(dir_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->paths[i]);
    free(c->paths);
}

static ms_err addrs_from_dir(ms_fs *fs, ms_scan *scan, int vol, ms_host *h,
                             const char *dir,
                             int (*want)(const char *, size_t),
                             enum ms_netconf_kind kind)
{
    dir_ctx c;
    ms_err rc = list_files(fs, dir, want, &c);
    for (size_t i = 0; rc == MS_OK && i < c.n; i++)
        rc = addrs_from(fs, scan, vol, h, c.paths[i], kind);
    free_list(&c);
    return rc;
}

static ms_err host_keys(ms_fs *fs, ms_scan *scan, int vol, ms_host *h)
{
    dir_ctx c;
    ms_err rc = list_files(fs, "/etc/ssh", want_hostkey, &c);
    for (size_t i = 0; rc == MS_OK && i < c.n && h->nkeys < MS_HOSTID_MAX_KEYS;
         i++) {
        size_t len;
        ms_sshkey k;
        char *text = read_small(fs, scan, vol, c.paths[i], &len);
        if (!text)
            continue;
        ms_err pr = ms_sshkey_parse(text, strcspn(text, "\n"), &k);
        free(text);
        if (pr == MS_ERR_NOMEM)
            rc = pr;
        if (pr != MS_OK)
            continue;
        if ((rc = ms_grow((void **)&h->keys, &h->keys_cap, h->nkeys + 1,
                          sizeof *h->keys)) != MS_OK)
            break;
        ms_host_key *hk = &h->keys[h->nkeys++];
        hk->path = ms_strdup(c.paths[i]);
        hk->type = ms_strdup(k.type);
        hk->label = ms_strdup(k.label);
        hk->bits = k.bits;
        hk->fingerprint = ms_strdup(k.fingerprint);
        if (!hk->path || !hk->type || !hk->label || !hk->fingerprint)
            rc = MS_ERR_NOMEM;
    }
    free_list(&c);
    return rc;
}

static int is_machine_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]))
            return 0;
    return n == 32;
}

static void names(ms_fs *fs, ms_scan *scan, int vol, ms_host *h)
{
    size_t len;
    char *t;
    if ((t = read_text(fs, scan, vol, "/etc/hostname", 1, &len))) {
        if ((h->hostname = first_line(t, len)))
            h->hostname_source = ms_strdup("/etc/hostname");
        free(t);
    }
    if (!h->hostname && (t = read_small(fs, scan, vol, "/etc/sysconfig/network", &len))) {
        if ((h->hostname = shell_value(t, len, "HOSTNAME")))
            h->hostname_source = ms_strdup("/etc/sysconfig/network");
        free(t);
    }
    if (!h->hostname && (t = read_small(fs, scan, vol, "/etc/hosts", &len))) {
        if ((h->hostname = hosts_name(t, len)))
            h->hostname_source = ms_strdup("/etc/hosts (127.0.1.1)");
        free(t);
    }
    if ((t = read_small(fs, scan, vol, "/etc/os-release", &len)) ||
        (t = read_small(fs, scan, vol, "/usr/lib/os-release", &len))) {
        h->os_pretty_name = shell_value(t, len, "PRETTY_NAME");
        h->os_id = shell_value(t, len, "ID");
        h->os_version_id = shell_value(t, len, "VERSION_ID");
        free(t);
    }
    if ((t = read_text(fs, scan, vol, "/etc/machine-id", 1, &len))) {
        h->machine_id = first_line(t, len);
        if (h->machine_id && !is_machine_id(h->machine_id)) {
            free(h->machine_id);   /* "uninitialized" or junk: not an id */
            h->machine_id = NULL;
        }
        free(t);
    }
}

ms_err ms_hostid_collect(ms_fs *fs, ms_scan *scan, int volume)
{
    ms_host h = { .volume = volume };
    ms_err rc = MS_OK;
    char *etc = ms_fs_resolve_dir(fs, "/etc");
    if (!etc)
        return MS_OK;
    free(etc);
    names(fs, scan, volume, &h);
    if ((rc = addrs_from(fs, scan, volume, &h, "/etc/network/interfaces",
                         MS_NETCONF_IFUPDOWN)) ||
        (rc = addrs_from_dir(fs, scan, volume, &h, "/etc/network/interfaces.d", want_any,
                             MS_NETCONF_IFUPDOWN)) ||
        (rc = addrs_from_dir(fs, scan, volume, &h, "/etc/netplan", want_yaml,
                             MS_NETCONF_NETPLAN)) ||
        (rc = addrs_from_dir(fs, scan, volume, &h, "/etc/NetworkManager/system-connections",
                             want_any, MS_NETCONF_NM)) ||
        (rc = addrs_from_dir(fs, scan, volume, &h, "/etc/sysconfig/network-scripts",
                             want_ifcfg, MS_NETCONF_IFCFG)) ||
        (rc = host_keys(fs, scan, volume, &h)))
        goto _exit;
    if (!h.hostname && !h.os_id && !h.machine_id && !h.naddrs && !h.nkeys)
        goto _exit;                 /* an /etc, but nothing of a host */
    if ((rc = ms_grow((void **)&scan->hosts, &scan->hosts_cap,
                      scan->nhosts + 1, sizeof *scan->hosts)) != MS_OK)
        goto _exit;
    scan->hosts[scan->nhosts++] = h;
    return MS_OK;
_exit:
    ms_host_clear(&h);
    return rc;
}

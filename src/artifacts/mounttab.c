/* mounttab.c - fstab, mount units, mtab remnants and crypttab of a
 * system, mapped to the image's volumes. */
#include "artifacts/mounttab.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/linereader.h"
#include "artifacts/textfile.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

const char *ms_mount_status_name(enum ms_mount_status s)
{
    switch (s) {
    case MS_MNT_MAPPED:   return "mounted";
    case MS_MNT_INFERRED: return "inferred";
    case MS_MNT_ABSENT:   return "absent";
    case MS_MNT_MEMORY:   return "memory";
    case MS_MNT_BIND:     return "bind";
    case MS_MNT_SWAP:     return "swap";
    case MS_MNT_PSEUDO:   return "pseudo";
    case MS_MNT_NETWORK:  return "network";
    case MS_MNT_UNMAPPED: break;
    }
    return "unmapped";
}

/* ---- reading ------------------------------------------------------------ */

/* Bytes kept per line: a real fstab, crypttab or unit line is far
 * shorter; a longer one is padding (reported by ms_textscan_note) and is
 * not parsed. */
#define LINE_KEEP (MS_TEXT_LONG_LINE + 1)

/* Every file here is read whole through the shared line reader: a mount
 * after a megabyte of padding is still a mount.  A line is taken up to
 * its first NUL, as libmount's and systemd's C-string parsers see it. */
typedef ms_err (*tab_line_fn)(void *user, unsigned lineno, const char *l,
                              size_t ll);

typedef struct tab_pass {
    tab_line_fn fn;
    void *user;
    ms_err err;
} tab_pass;

static int tab_pass_line(void *user, const ms_line *line)
{
    tab_pass *p = user;
    /* binary junk (control bytes) is no entry: taken as one, a few
     * kilobytes of it would fill MS_MOUNTTAB_MAX_ENTRIES before the real
     * lines */
    if (line->len > MS_TEXT_LONG_LINE || line->ctrl ||
        line->number > UINT32_MAX)
        return 0;
    p->err = p->fn(p->user, (unsigned)line->number, line->data,
                   strlen(line->data));
    return p->err != MS_OK;
}

/* Read `path` of the image whole into fn; the padding note, if any, goes
 * to the scan's notes.  *found: a regular file was there. */
static ms_err read_lines(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                         tab_line_fn fn, void *user, int *found)
{
    tab_pass p = { fn, user, MS_OK };
    ms_textscan ts;
    char *note = NULL;
    ms_err rc = ms_textfile_read(fs, path, LINE_KEEP, tab_pass_line, &p, &ts);
    *found = rc != MS_ERR_NOT_FOUND;
    if (rc == MS_ERR_NOT_FOUND)
        return MS_OK;
    if (rc == MS_ERR_INTERNAL)
        rc = p.err;
    if (rc == MS_OK)
        rc = ms_textscan_note(&ts, path, &note);
    if (note && scan)
        ms_scan_add_error(scan, "volume %d: %s", vol, note);
    free(note);
    return rc;
}

/* The same over text in memory (the unit tests). */
static ms_err mem_lines(const char *text, size_t len, tab_line_fn fn,
                        void *user)
{
    tab_pass p = { fn, user, MS_OK };
    ms_lines_mem m = { (const uint8_t *)text, text ? len : 0 };
    ms_err rc = ms_lines_read(ms_lines_mem_read, &m, LINE_KEEP,
                              tab_pass_line, NULL, &p, NULL);
    return rc ? rc : p.err;
}

/* fstab's octal escapes (\040 for a blank) decoded, in place. */
static void unoctal(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
            s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
            int v = (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');
            if (v) {
                *o++ = (char)v;
                s += 3;
                continue;
            }
        }
        *o++ = *s;
    }
    *o = '\0';
}

static ms_err add_entry(ms_system *sys, const char *source, unsigned line,
                        const char *text, size_t tlen, char **f, size_t nf)
{
    if (sys->nmounts >= MS_MOUNTTAB_MAX_ENTRIES)
        return MS_ERR_LIMIT;
    ms_mount *m = realloc(sys->mounts, (sys->nmounts + 1) * sizeof *m);
    if (!m)
        return MS_ERR_NOMEM;
    sys->mounts = m;
    m = &sys->mounts[sys->nmounts];
    memset(m, 0, sizeof *m);
    m->volume = -1;
    m->status = MS_MNT_UNMAPPED;
    m->source = ms_strdup(source);
    m->line = line;
    m->text = ms_strndup(text, tlen);
    m->spec = ms_strdup(f[0]);
    m->mount_point = ms_strdup(f[1]);
    m->fs_type = ms_strdup(nf > 2 ? f[2] : "auto");
    m->options = ms_strdup(nf > 3 ? f[3] : "defaults");
    sys->nmounts++;
    if (!m->source || !m->text || !m->spec || !m->mount_point ||
        !m->fs_type || !m->options)
        return MS_ERR_NOMEM;
    unoctal(m->spec);
    unoctal(m->mount_point);
    return MS_OK;
}

typedef struct tab_ctx {
    ms_system *sys;
    const char *source;
    int full;            /* MS_MOUNTTAB_MAX_ENTRIES reached: lines read on */
} tab_ctx;

static ms_err tab_line(void *user, unsigned lineno, const char *l, size_t ll)
{
    tab_ctx *t = user;
    if (t->full)
        return MS_OK;
    char *copy = ms_strndup(l, ll), *save = NULL, *f[6];
    size_t nf = 0;
    if (!copy)
        return MS_ERR_NOMEM;
    for (char *w = strtok_r(copy, " \t\r", &save); w && nf < 6;
         w = strtok_r(NULL, " \t\r", &save))
        f[nf++] = w;
    ms_err rc = MS_OK;
    if (nf >= 2 && f[0][0] != '#')
        rc = add_entry(t->sys, t->source, lineno, l, ll, f, nf);
    free(copy);
    if (rc == MS_ERR_LIMIT) {
        t->full = 1;
        rc = MS_OK;
    }
    return rc;
}

ms_err ms_mounttab_parse(const char *text, size_t len, const char *source,
                         ms_system *sys)
{
    tab_ctx t = { sys, source, 0 };
    return mem_lines(text, len, tab_line, &t);
}

static ms_err read_tab(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                       const char *source, ms_system *sys, int *found)
{
    tab_ctx t = { sys, source, 0 };
    return read_lines(fs, scan, vol, path, tab_line, &t, found);
}

/* ---- systemd .mount units ------------------------------------------------- */

typedef struct unit_list {
    char **names;
    size_t n;
} unit_list;

static int on_unit(void *user, ms_fs_file *f, const char *name, size_t len)
{
    unit_list *u = user;
    ms_fileref ref = {0};
    ms_fs_file_stat(f, &ref);
    if (ref.deleted || len < 7 || len > 255 ||
        memcmp(name + len - 6, ".mount", 6) || memchr(name, '/', len) ||
        memchr(name, '\0', len) || u->n >= 64)
        return 0;
    char **v = realloc(u->names, (u->n + 1) * sizeof *v);
    if (!v)
        return 1;
    u->names = v;
    if ((u->names[u->n] = ms_strndup(name, len)))
        u->n++;
    return 0;
}

/* What=, Where=, Type=, Options= of a [Mount] section. */
typedef struct unit_ctx {
    char *key[4];
    unsigned where_line;
} unit_ctx;

static ms_err unit_line(void *user, unsigned lineno, const char *l,
                        size_t ll)
{
    static const char *const names[4] = { "What=", "Where=", "Type=",
                                          "Options=" };
    unit_ctx *u = user;
    while (ll && (l[ll - 1] == '\r' || l[ll - 1] == ' '))
        ll--;
    for (int k = 0; k < 4; k++) {
        size_t kl = strlen(names[k]);
        if (ll > kl && !memcmp(l, names[k], kl)) {
            free(u->key[k]);
            if (!(u->key[k] = ms_strndup(l + kl, ll - kl)))
                return MS_ERR_NOMEM;
            if (k == 1)
                u->where_line = lineno;
        }
    }
    return MS_OK;
}

static ms_err unit_finish(unit_ctx *u, const char *source, ms_system *sys)
{
    ms_err rc = MS_OK;
    char **key = u->key;
    if (key[0] && key[1]) {
        char *f[4] = { key[0], key[1], key[2] ? key[2] : "auto",
                       key[3] ? key[3] : "defaults" };
        char *t = ms_asprintf("What=%s Where=%s Type=%s Options=%s", f[0],
                              f[1], f[2], f[3]);
        rc = t ? add_entry(sys, source, u->where_line, t, strlen(t), f, 4)
               : MS_ERR_NOMEM;
        free(t);
    }
    for (int k = 0; k < 4; k++)
        free(key[k]);
    return rc == MS_ERR_LIMIT ? MS_OK : rc;
}

static ms_err read_units(ms_fs *fs, ms_scan *scan, int vol, ms_system *sys,
                         int *found)
{
    const char *dir = "/etc/systemd/system";
    char *res = ms_fs_resolve_dir(fs, dir);
    unit_list u = { 0 };
    ms_err rc = MS_OK;
    if (!res)
        return MS_OK;
    ms_fs_list_dir(fs, res, on_unit, &u, 4096);
    for (size_t i = 0; i < u.n && rc == MS_OK; i++) {
        char *p = ms_asprintf("%s/%s", dir, u.names[i]);
        unit_ctx uc = { { NULL, NULL, NULL, NULL }, 0 };
        int here = 0;
        if (!p) {
            rc = MS_ERR_NOMEM;
            break;
        }
        rc = read_lines(fs, scan, vol, p, unit_line, &uc, &here);
        ms_err r2 = unit_finish(&uc, p, sys);
        if (rc == MS_OK)
            rc = r2;
        *found |= here;
        free(p);
    }
    for (size_t i = 0; i < u.n; i++)
        free(u.names[i]);
    free(u.names);
    free(res);
    return rc;
}

/* ---- mapping ------------------------------------------------------------- */

static int has_opt(const char *opts, const char *o)
{
    size_t ol = strlen(o);
    for (const char *p = opts; p && *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == ol && !memcmp(p, o, l))
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return 1;
    return 0;
}

/* udev's \xHH escapes in /dev/disk/by-* names. */
static char *unhex(const char *s)
{
    char *o = malloc(strlen(s) + 1), *q = o;
    if (!o)
        return NULL;
    while (*s) {
        if (s[0] == '\\' && s[1] == 'x' && isxdigit((unsigned char)s[2]) &&
            isxdigit((unsigned char)s[3])) {
            char h[3] = { s[2], s[3], 0 };
            *q++ = (char)strtol(h, NULL, 16);
            s += 4;
        } else {
            *q++ = *s++;
        }
    }
    *q = '\0';
    return o;
}

int ms_mounttab_split_mapper(const char *name, char **vg, char **lv)
{
    size_t n = strlen(name);
    *vg = *lv = NULL;
    for (size_t i = 0; i < n; i++) {
        if (name[i] != '-')
            continue;
        if (name[i + 1] == '-') {
            i++;            /* an escaped '-' inside a name */
            continue;
        }
        if (i == 0 || i + 1 >= n)
            return 0;
        char *a = malloc(i + 1), *b = malloc(n - i), *p;
        if (!a || !b) {
            free(a);
            free(b);
            return 0;
        }
        p = a;
        for (size_t k = 0; k < i; k++) {
            *p++ = name[k];
            if (name[k] == '-')
                k++;
        }
        *p = '\0';
        p = b;
        for (size_t k = i + 1; k < n; k++) {
            *p++ = name[k];
            if (name[k] == '-' && name[k + 1] == '-')
                k++;
        }
        *p = '\0';
        *vg = a;
        *lv = b;
        return 1;
    }
    return 0;
}

enum key { K_UUID, K_LABEL, K_PARTUUID, K_PARTLABEL };

static int find_key(const ms_scan *scan, enum key k, const char *val)
{
    for (size_t i = 0; i < scan->nvolumes; i++) {
        const ms_volume *v = &scan->volumes[i];
        const char *have = NULL;
        switch (k) {
        case K_UUID:
            /* an examined LV without a file-system UUID carries the LV's */
            have = v->state == MS_VOL_EXAMINED || !v->lvm_lv ? v->uuid : NULL;
            break;
        case K_LABEL:
            have = v->fs_type ? v->label : NULL;
            break;
        case K_PARTUUID:
            have = v->part_uuid;
            break;
        case K_PARTLABEL:
            have = v->part_label ? v->part_label
                   : (v->vs_type && !strcmp(v->vs_type, "gpt") ? v->desc
                                                                : NULL);
            break;
        }
        if (have && (k == K_LABEL || k == K_PARTLABEL ? !strcmp(have, val)
                                                      : !strcasecmp(have, val)))
            return (int)i;
    }
    return -1;
}

static int find_lv(const ms_scan *scan, const char *vg, const char *lv)
{
    for (size_t i = 0; i < scan->nvolumes; i++) {
        const ms_volume *v = &scan->volumes[i];
        if (v->lvm_vg && v->lvm_lv && !strcmp(v->lvm_vg, vg) &&
            !strcmp(v->lvm_lv, lv))
            return (int)i;
    }
    return -1;
}

/* "partition N" of a volume straight under the image's partition table,
 * or 0; the whole image (no table) is -1. */
static long top_partition(const ms_volume *v)
{
    const char *s = v->stack, *a = s ? strstr(s, " > ") : NULL;
    if (!a)
        return 0;
    if (v->slot < 0 && !v->lvm_lv && (!v->vs_type || !strcmp(v->vs_type, "none")))
        return strstr(a + 3, " > ") ? 0 : -1;
    const char *p = strstr(a + 3, " partition ");
    const char *b = strstr(a + 3, " > ");
    if (!p || (b && p > b) || v->lvm_lv)
        return 0;
    long n = strtol(p + 11, NULL, 10);
    /* only the partition itself, not what lies inside an LV on it */
    return b && strstr(b + 3, " > ") ? 0 : n;
}

/* Plain kernel device names: disk index (0 = first) and partition (0 for
 * the whole disk); 0 when the name is not one. */
static int parse_devname(const char *d, int *disk, long *part)
{
    static const char *const pre[] = { "sd", "vd", "xvd", "hd", NULL };
    char *end;
    for (int i = 0; pre[i]; i++) {
        size_t l = strlen(pre[i]);
        if (strncmp(d, pre[i], l) || !islower((unsigned char)d[l]))
            continue;
        const char *q = d + l;
        *disk = *q++ - 'a';     /* sda 0, sdz 25, sdaa 26 */
        for (int k = 0; islower((unsigned char)*q) && k < 3; k++)
            *disk = (*disk + 1) * 26 + (*q++ - 'a');
        if (!*q) {
            *part = 0;
            return 1;
        }
        *part = strtol(q, &end, 10);
        return isdigit((unsigned char)*q) && !*end && *part > 0;
    }
    if (!strncmp(d, "nvme", 4) || !strncmp(d, "mmcblk", 6)) {
        const char *q = d + (d[0] == 'n' ? 4 : 6);
        long c = strtol(q, &end, 10), ns = 1;
        if (end == q)
            return 0;
        if (d[0] == 'n') {
            if (*end != 'n')
                return 0;
            ns = strtol(end + 1, &end, 10);
        }
        *disk = (int)(c + (ns > 1 ? ns - 1 : 0));
        *part = 0;
        if (*end == 'p')
            *part = strtol(end + 1, &end, 10);
        return !*end;
    }
    return 0;
}

static ms_err set(ms_mount *m, enum ms_mount_status st, int vol, char *note)
{
    m->status = st;
    m->volume = vol;
    free(m->note);
    m->note = note;
    return note ? MS_OK : MS_ERR_NOMEM;
}

/* The crypttab line naming mapping `name`, copied, or NULL. */
static char *crypt_line(const char *crypt, const char *name)
{
    size_t nl = strlen(name);
    for (const char *l = crypt; l && *l;) {
        const char *e = strchr(l, '\n');
        size_t ll = e ? (size_t)(e - l) : strlen(l);
        while (ll && (*l == ' ' || *l == '\t')) {
            l++;
            ll--;
        }
        if (ll > nl && !memcmp(l, name, nl) && (l[nl] == ' ' || l[nl] == '\t'))
            return ms_strndup(l, ll);
        l = e ? e + 1 : NULL;
    }
    return NULL;
}

ms_err ms_mounttab_map(ms_mount *m, int root_vol, const ms_scan *scan,
                       const char *crypt)
{
    static const char *const memfs[] = { "tmpfs", "ramfs", NULL };
    static const char *const pseudo[] = { "proc", "sysfs", "devpts",
        "devtmpfs", "cgroup", "cgroup2", "securityfs", "debugfs", "mqueue",
        "hugetlbfs", "pstore", "binfmt_misc", "configfs", "fusectl",
        "tracefs", "bpf", "efivarfs", "autofs", "rpc_pipefs", "nfsd", NULL };
    static const char *const netfs[] = { "nfs", "nfs4", "cifs", "smbfs",
        "smb3", "sshfs", "fuse.sshfs", "glusterfs", "ceph", "9p", "davfs",
        NULL };
    const char *s = m->spec, *t = m->fs_type;
    int vol = -1;

    if (!strcmp(t, "swap") || !strcmp(m->mount_point, "swap"))
        return set(m, MS_MNT_SWAP, -1, ms_strdup("swap space: holds no files"));
    if (m->mount_point[0] != '/')
        return set(m, MS_MNT_UNMAPPED, -1,
                   ms_strdup("mount point is not an absolute path"));
    if (has_opt(m->options, "bind") || has_opt(m->options, "rbind"))
        return set(m, s[0] == '/' ? MS_MNT_BIND : MS_MNT_UNMAPPED, -1,
                   s[0] == '/' ? ms_asprintf("bind mount of %s", s)
                               : ms_strdup("bind source is not a path"));
    if (in_list(t, memfs))
        return set(m, MS_MNT_MEMORY, -1,
                   ms_asprintf("%s: held in memory while the server ran; "
                               "nothing of it is on disk", t));
    if (in_list(t, pseudo))
        return set(m, MS_MNT_PSEUDO, -1,
                   ms_asprintf("%s: a kernel file system, no files on disk",
                               t));
    if (in_list(t, netfs) || (s[0] != '/' && strchr(s, ':')) ||
        !strncmp(s, "//", 2))
        return set(m, MS_MNT_NETWORK, -1,
                   ms_strdup("network file system: another machine's files, "
                             "not in this image"));

    static const struct { const char *pre; enum key k; const char *name; }
    keys[] = {
        { "UUID=", K_UUID, "UUID" }, { "LABEL=", K_LABEL, "LABEL" },
        { "PARTUUID=", K_PARTUUID, "PARTUUID" },
        { "PARTLABEL=", K_PARTLABEL, "PARTLABEL" },
        { "/dev/disk/by-uuid/", K_UUID, "UUID" },
        { "/dev/disk/by-label/", K_LABEL, "LABEL" },
        { "/dev/disk/by-partuuid/", K_PARTUUID, "PARTUUID" },
        { "/dev/disk/by-partlabel/", K_PARTLABEL, "PARTLABEL" },
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        size_t pl = strlen(keys[i].pre);
        if (strncmp(s, keys[i].pre, pl))
            continue;
        char *val = s[0] == '/' ? unhex(s + pl) : ms_strdup(s + pl);
        if (!val)
            return MS_ERR_NOMEM;
        /* fstab may quote the value: LABEL="data" */
        size_t vl = strlen(val);
        if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
            memmove(val, val + 1, vl - 2);
            val[vl - 2] = '\0';
        }
        vol = find_key(scan, keys[i].k, val);
        ms_err rc = vol >= 0
            ? set(m, MS_MNT_MAPPED, vol, ms_asprintf("%s matches volume %d",
                                                     keys[i].name, vol))
            : set(m, MS_MNT_ABSENT, -1, ms_asprintf("volume %s=%s not in this "
                                                    "image", keys[i].name, val));
        free(val);
        return rc;
    }

    const char *mapper = NULL;
    if (!strncmp(s, "/dev/mapper/", 12))
        mapper = s + 12;
    else if (!strncmp(s, "/dev/disk/by-id/dm-name-", 24))
        mapper = s + 24;
    if (mapper) {
        char *vg = NULL, *lv = NULL, *cl = crypt_line(crypt, mapper);
        ms_err rc;
        if (cl) {
            rc = set(m, MS_MNT_UNMAPPED, -1,
                     ms_asprintf("encrypted mapping (crypttab: %s): its "
                                 "content cannot be read without the key",
                                 cl));
        } else if (ms_mounttab_split_mapper(mapper, &vg, &lv)) {
            vol = find_lv(scan, vg, lv);
            rc = vol >= 0
                ? set(m, MS_MNT_MAPPED, vol, ms_asprintf("LVM VG %s LV %s is "
                                                         "volume %d", vg, lv,
                                                         vol))
                : set(m, MS_MNT_ABSENT, -1, ms_asprintf("volume LVM %s/%s "
                                                        "not in this image",
                                                        vg, lv));
        } else {
            rc = set(m, MS_MNT_UNMAPPED, -1,
                     ms_asprintf("device-mapper name %s is neither an LVM "
                                 "VG-LV name nor in crypttab", mapper));
        }
        free(cl);
        free(vg);
        free(lv);
        return rc;
    }

    if (!strncmp(s, "/dev/", 5)) {
        const char *d = s + 5;
        int disk;
        long part;
        if (parse_devname(d, &disk, &part)) {
            if (disk != 0)
                return set(m, MS_MNT_ABSENT, -1,
                           ms_asprintf("volume %s not in this image (the "
                                       "image is one disk, taken as the "
                                       "first)", s));
            for (size_t i = 0; i < scan->nvolumes; i++) {
                long tp = top_partition(&scan->volumes[i]);
                if ((part == 0 && tp == -1) || (part > 0 && tp == part))
                    return set(m, MS_MNT_INFERRED, (int)i,
                               ms_asprintf("device name mapped by partition "
                                           "order to volume %zu (inferred: "
                                           "the kernel's naming is not "
                                           "recorded)", i));
            }
            return set(m, MS_MNT_ABSENT, -1,
                       ms_asprintf("volume %s not in this image (no "
                                   "partition %ld on the image's disk)", s,
                                   part));
        }
        /* /dev/VG/LV */
        const char *sl = strchr(d, '/');
        if (sl && !strchr(sl + 1, '/') && sl > d && sl[1] &&
            strncmp(d, "disk/", 5)) {
            char *vg = ms_strndup(d, (size_t)(sl - d));
            if (!vg)
                return MS_ERR_NOMEM;
            vol = find_lv(scan, vg, sl + 1);
            ms_err rc = vol >= 0
                ? set(m, MS_MNT_MAPPED, vol, ms_asprintf("LVM VG %s LV %s is "
                                                         "volume %d", vg,
                                                         sl + 1, vol))
                : set(m, MS_MNT_ABSENT, -1, ms_asprintf("volume LVM %s/%s "
                                                        "not in this image",
                                                        vg, sl + 1));
            free(vg);
            return rc;
        }
    }
    if (!strcmp(m->mount_point, "/") && root_vol >= 0)
        return set(m, MS_MNT_MAPPED, root_vol,
                   ms_asprintf("the root the table was read from (volume "
                               "%d)", root_vol));
    return set(m, MS_MNT_UNMAPPED, -1,
               ms_asprintf("device name %s is not understood", s));
}

/* crypttab's lines, kept (comments and padding dropped, at most
 * MS_MOUNTTAB_MAX_BYTES of them) for crypt_line(). */
static ms_err crypt_keep(void *user, unsigned lineno, const char *l,
                         size_t ll)
{
    ms_buf *b = user;
    (void)lineno;
    size_t i = strspn(l, " \t");
    if (i == ll || l[i] == '#' || b->len + ll + 1 > MS_MOUNTTAB_MAX_BYTES)
        return MS_OK;
    ms_err rc = ms_buf_append(b, l, ll);
    return rc ? rc : ms_buf_append(b, "\n", 1);
}

static ms_err merge_mtab(ms_fs *root, ms_scan *scan, int vol,
                         ms_system *sys)
{
    ms_system tmp = { 0 };
    ms_ptype t0 = MS_PT_NONE;
    char *lt = NULL;
    int here = 0;
    /* an /etc/mtab pointing into /proc holds nothing */
    if (ms_fs_lstat(root, "/etc/mtab", &t0, &lt) == MS_OK && t0 == MS_PT_LNK) {
        free(lt);
        return MS_OK;
    }
    free(lt);
    ms_err rc = read_tab(root, scan, vol, "/etc/mtab", "/etc/mtab (last boot)",
                         &tmp, &here);
    for (size_t i = 0; rc == MS_OK && i < tmp.nmounts; i++) {
        int dup = 0;
        for (size_t k = 0; k < sys->nmounts; k++)
            dup |= !strcmp(sys->mounts[k].mount_point,
                           tmp.mounts[i].mount_point);
        if (dup || sys->nmounts >= MS_MOUNTTAB_MAX_ENTRIES ||
            !strcmp(tmp.mounts[i].fs_type, "rootfs"))
            continue;
        ms_mount *v = realloc(sys->mounts, (sys->nmounts + 1) * sizeof *v);
        if (!v) {
            rc = MS_ERR_NOMEM;
            break;
        }
        sys->mounts = v;
        sys->mounts[sys->nmounts++] = tmp.mounts[i];
        memset(&tmp.mounts[i], 0, sizeof tmp.mounts[i]);
    }
    for (size_t i = 0; i < tmp.nmounts; i++)
        ms_mount_clear(&tmp.mounts[i]);
    free(tmp.mounts);
    return rc;
}

ms_err ms_mounttab_read(ms_fs *root, int root_vol, ms_scan *scan,
                        ms_system *sys, int *found)
{
    ms_buf crypt = { 0 };
    int here = 0;
    ms_err rc = read_tab(root, scan, root_vol, "/etc/fstab", "/etc/fstab",
                         sys, found);
    if (rc == MS_OK)
        rc = read_units(root, scan, root_vol, sys, found);
    /* a plain-file /etc/mtab (before systemd) is the last boot's table:
     * what it adds to fstab was mounted by hand or by a script */
    if (rc == MS_OK)
        rc = merge_mtab(root, scan, root_vol, sys);
    if (rc == MS_OK)
        rc = read_lines(root, scan, root_vol, "/etc/crypttab", crypt_keep,
                        &crypt, &here);
    for (size_t i = 0; rc == MS_OK && i < sys->nmounts; i++)
        rc = ms_mounttab_map(&sys->mounts[i], root_vol, scan,
                             crypt.len ? crypt.data : NULL);
    free(sys->layout);
    sys->layout = ms_strdup(*found ? "fstab" : "content (no fstab)");
    if (rc == MS_OK && !sys->layout)
        rc = MS_ERR_NOMEM;
    ms_buf_free(&crypt);
    return rc;
}

/* vdisk_check.c - differencing VHD/VHDX and seSparse/delta VMDK.
 *
 * Layouts: VHD (Microsoft "Virtual Hard Disk Image Format Specification"
 * 1.0): big-endian 512-byte footer "conectix" at the end (a copy at byte
 * 0 for dynamic disks), disk type at 60 (4 = differencing), the dynamic
 * header "cxsparse" at the footer's data offset with the parent's
 * Unicode name (UTF-16BE, 512 bytes) at 64.  VHDX ([MS-VHDX]):
 * "vhdxfile" at 0, region table "regi" at 192 KiB (copy at 256 KiB),
 * the metadata region's table "metadata" listing items by GUID: file
 * parameters (bit 1 of its second word: HasParent) and the parent
 * locator (UTF-16LE key/value pairs).  VMDK (VMware "Virtual Disk
 * Format 5.0"): a text descriptor, stand-alone or embedded in a "KDMV"
 * sparse extent, whose createType, parentCID, parentFileNameHint and
 * extent lines tell seSparse and delta disks apart; a seSparse extent
 * starts with the 64-bit magic 0xcafebabe. */
#include "evidence/vdisk_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ms_mem.h"

#define MAX_DESCRIPTOR  (64u << 10)
#define MAX_MD_ENTRIES  2047u
#define MAX_LOCATOR     (64u << 10)

typedef struct src {
    int      fd;
    uint64_t size;
} src;

static int rd(const src *s, void *buf, size_t len, uint64_t off)
{
    unsigned char *p = buf;
    if (off > s->size || s->size - off < len)
        return -1;
    while (len > 0) {
        ssize_t n = pread(s->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
           (uint32_t)p[1] << 8 | p[0];
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p + 4) << 32 | le32(p);
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* UTF-16 (be: big-endian) of n bytes to UTF-8, up to the first NUL;
 * unpaired surrogates become U+FFFD.  malloc'd. */
static char *utf16_to_utf8(const unsigned char *p, size_t n, int be)
{
    ms_buf b = {0};
    for (size_t i = 0; i + 1 < n; i += 2) {
        uint32_t c = be ? (uint32_t)(p[i] << 8 | p[i + 1])
                        : (uint32_t)(p[i] | p[i + 1] << 8);
        if (c == 0)
            break;
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < n) {
            uint32_t d = be ? (uint32_t)(p[i + 2] << 8 | p[i + 3])
                            : (uint32_t)(p[i + 2] | p[i + 3] << 8);
            if (d >= 0xDC00 && d < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i += 2;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c < 0xE000) {
            c = 0xFFFD;
        }
        char u[4];
        size_t k;
        if (c < 0x80) {
            u[0] = (char)c; k = 1;
        } else if (c < 0x800) {
            u[0] = (char)(0xC0 | c >> 6); u[1] = (char)(0x80 | (c & 0x3F));
            k = 2;
        } else if (c < 0x10000) {
            u[0] = (char)(0xE0 | c >> 12);
            u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
            u[2] = (char)(0x80 | (c & 0x3F));
            k = 3;
        } else {
            u[0] = (char)(0xF0 | c >> 18);
            u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
            u[3] = (char)(0x80 | (c & 0x3F));
            k = 4;
        }
        if (ms_buf_append(&b, u, k)) {
            ms_buf_free(&b);
            return NULL;
        }
    }
    char *s = ms_buf_steal(&b);
    return s ? s : ms_strdup("");
}

/* ---- VHD -------------------------------------------------------------- */

static char *check_vhd(const src *s)
{
    unsigned char f[512], h[1024];
    if (s->size < 512)
        return NULL;
    if (rd(s, f, sizeof f, s->size - 512) || memcmp(f, "conectix", 8)) {
        /* a damaged tail: the dynamic disk's copy at byte 0 */
        if (rd(s, f, sizeof f, 0) || memcmp(f, "conectix", 8))
            return NULL;
    }
    if (be32(f + 60) != 4)
        return NULL;
    char *parent = NULL;
    uint64_t dyn = be64(f + 16);
    if (!rd(s, h, sizeof h, dyn) && !memcmp(h, "cxsparse", 8))
        parent = utf16_to_utf8(h + 64, 512, 1);
    char *why = ms_asprintf("differencing VHD (disk type 4): its data "
                            "depends on the parent disk %s%s%s, which is "
                            "not opened",
                            parent ? "recorded as '" : "(name unreadable)",
                            parent ? parent : "", parent ? "'" : "");
    free(parent);
    return why;
}

/* ---- VHDX ------------------------------------------------------------- */

static const unsigned char GUID_METADATA[16] = {
    0x06, 0xA2, 0x7C, 0x8B, 0x90, 0x47, 0x9A, 0x4B,
    0xB8, 0xFE, 0x57, 0x5F, 0x05, 0x0F, 0x88, 0x6E };
static const unsigned char GUID_FILE_PARAMS[16] = {
    0x37, 0x67, 0xA1, 0xCA, 0x36, 0xFA, 0x43, 0x4D,
    0xB3, 0xB6, 0x33, 0xF0, 0xAA, 0x44, 0xE7, 0x6B };
static const unsigned char GUID_PARENT_LOCATOR[16] = {
    0x2D, 0x5F, 0xD3, 0xA8, 0x0B, 0xB3, 0x4D, 0x45,
    0xAB, 0xF7, 0xD3, 0xD8, 0x48, 0x34, 0xAB, 0x0C };

/* The parent's recorded names from a parent locator item, as
 * "key 'value', key 'value'" (known keys only, in a fixed order). */
static char *vhdx_parent(const src *s, uint64_t off, uint32_t len)
{
    static const char *const keys[] = { "relative_path",
                                         "absolute_win32_path",
                                         "volume_path", "parent_linkage" };
    unsigned char *p;
    ms_buf b = {0};
    if (len < 20 || len > MAX_LOCATOR || !(p = malloc(len)))
        return NULL;
    if (rd(s, p, len, off)) {
        free(p);
        return NULL;
    }
    uint16_t n = le16(p + 18);
    for (size_t want = 0; want < sizeof keys / sizeof *keys; want++) {
        for (uint32_t i = 0; i < n && 20 + 12 * (i + 1) <= len; i++) {
            const unsigned char *kv = p + 20 + 12 * i;
            uint32_t ko = le32(kv), vo = le32(kv + 4);
            uint16_t kl = le16(kv + 8), vl = le16(kv + 10);
            if (ko > len || len - ko < kl || vo > len || len - vo < vl)
                continue;
            char *k = utf16_to_utf8(p + ko, kl, 0);
            int match = k && !strcmp(k, keys[want]);
            free(k);
            if (!match)
                continue;
            char *v = utf16_to_utf8(p + vo, vl, 0);
            if (v)
                ms_buf_printf(&b, "%s%s '%s'", b.len ? ", " : "", keys[want],
                              v);
            free(v);
            break;
        }
    }
    free(p);
    if (!b.len) {
        ms_buf_free(&b);
        return NULL;
    }
    return ms_buf_steal(&b);
}

static char *check_vhdx(const src *s)
{
    unsigned char sig[8], rt[16 + 32 * 64];
    uint64_t md = 0;
    uint32_t mdlen = 0;
    if (rd(s, sig, 8, 0) || memcmp(sig, "vhdxfile", 8))
        return NULL;
    /* region table 1, or its copy */
    for (int copy = 0; copy < 2 && !md; copy++) {
        if (rd(s, rt, sizeof rt, (192u + 64u * copy) << 10) ||
            memcmp(rt, "regi", 4))
            continue;
        uint32_t n = le32(rt + 8);
        for (uint32_t i = 0; i < n && i < 64; i++)
            if (!memcmp(rt + 16 + 32 * i, GUID_METADATA, 16)) {
                md = le64(rt + 16 + 32 * i + 16);
                mdlen = le32(rt + 16 + 32 * i + 24);
            }
    }
    if (!md)
        return NULL;
    unsigned char *t = malloc(32 + 32 * MAX_MD_ENTRIES);
    if (!t)
        return NULL;
    char *why = NULL, *parent = NULL;
    int has_parent = 0;
    if (rd(s, t, 32 + 32 * MAX_MD_ENTRIES, md) || memcmp(t, "metadata", 8))
        goto _exit;
    uint16_t n = le16(t + 10);
    for (uint32_t i = 0; i < n && i < MAX_MD_ENTRIES; i++) {
        const unsigned char *e = t + 32 + 32 * i;
        uint32_t off = le32(e + 16), len = le32(e + 20);
        if (off > mdlen || mdlen - off < len)
            continue;
        if (!memcmp(e, GUID_FILE_PARAMS, 16)) {
            unsigned char fp[8];
            if (len >= 8 && !rd(s, fp, 8, md + off) && (fp[4] & 2))
                has_parent = 1;
        } else if (!memcmp(e, GUID_PARENT_LOCATOR, 16) && !parent) {
            parent = vhdx_parent(s, md + off, len);
        }
    }
    if (has_parent)
        why = ms_asprintf("differencing VHDX (AVHDX, HasParent set in the "
                          "file parameters): its data depends on the parent "
                          "disk %s%s, which is not opened",
                          parent ? "recorded as " : "(no parent locator)",
                          parent ? parent : "");
_exit:
    free(parent);
    free(t);
    return why;
}

/* ---- VMDK ------------------------------------------------------------- */

/* The quoted value of `key=` on a descriptor line, or NULL. */
static char *desc_value(const char *text, const char *key)
{
    size_t kl = strlen(key);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        while (*l == ' ' || *l == '\t')
            l++;
        if (strncmp(l, key, kl))
            continue;
        const char *v = l + kl;
        while (*v == ' ' || *v == '\t')
            v++;
        if (*v != '=')
            continue;
        v++;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t n = strcspn(v, "\r\n");
        if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
            v++;
            n -= 2;
        }
        return ms_strndup(v, n);
    }
    return NULL;
}

/* Does an extent line ("RW 2097152 SESPARSE "file"") name `type`? */
static int has_extent_type(const char *text, const char *type)
{
    size_t tl = strlen(type);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        if (strncmp(l, "RW ", 3) && strncmp(l, "RDONLY ", 7) &&
            strncmp(l, "NOACCESS ", 9))
            continue;
        const char *p = strchr(l, ' ');
        while (p && *p == ' ')
            p++;
        p = p ? strchr(p, ' ') : NULL;   /* past the sector count */
        while (p && *p == ' ')
            p++;
        if (p && !strncmp(p, type, tl) && (p[tl] == ' ' || p[tl] == '\r' ||
                                           p[tl] == '\n' || !p[tl]))
            return 1;
    }
    return 0;
}

static char *vmdk_descriptor(const src *s)
{
    unsigned char h[64];
    uint64_t off = 0, len = 0;
    if (rd(s, h, sizeof h, 0))
        return NULL;
    if (!memcmp(h, "KDMV", 4)) {
        off = le64(h + 28) * 512;
        len = le64(h + 36) * 512;
    } else if (!memcmp(h, "# Disk DescriptorFile", 21)) {
        len = s->size;
    } else {
        return NULL;
    }
    if (len == 0)
        return NULL;
    if (len > MAX_DESCRIPTOR)
        len = MAX_DESCRIPTOR;
    if (off > s->size)
        return NULL;
    if (s->size - off < len)
        len = s->size - off;
    char *t = malloc((size_t)len + 1);
    if (!t || rd(s, t, (size_t)len, off)) {
        free(t);
        return NULL;
    }
    t[len] = '\0';
    return t;
}

/* The extent files a stand-alone text descriptor names ("RW 32768 FLAT
 * \"disk-flat.vmdk\" 0"), looked for where libvmdk looks: libvmdk
 * (libvmdk_handle_open, open_extent_data_files) takes the directory of
 * the descriptor and the extent's file name without its directories.
 * Only that name, in that directory, is looked at (stat, never opened
 * here), so a name from the evidence cannot lead elsewhere; a name with
 * a directory part is refused outright (libvmdk is then never asked to
 * open it, whatever its own rule).  The first
 * extent that is missing, or not a regular file, is named; NULL when
 * all are there.  ZERO extents have no file. */
static char *vmdk_missing_extent(const char *text, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? ms_strndup(path, (size_t)(slash - path + 1))
                      : ms_strdup("");
    char *why = NULL;
    unsigned n = 0;
    if (!dir)
        return NULL;
    for (const char *l = text; l && *l && !why && n < 4096;
         l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        if (strncmp(l, "RW ", 3) && strncmp(l, "RDONLY ", 7) &&
            strncmp(l, "NOACCESS ", 9))
            continue;
        const char *q = strchr(l, '"'), *eol = strchr(l, '\n');
        const char *q2 = q ? strchr(q + 1, '"') : NULL;
        /* the third word is the extent type */
        const char *w = l + strcspn(l, " ");
        w += strspn(w, " ");
        w += strcspn(w, " ");
        w += strspn(w, " ");
        if (!q || !q2 || (eol && q2 > eol) || q2 - q - 1 > 4096 ||
            !strncmp(w, "ZERO", 4))
            continue;
        n++;
        char *name = ms_strndup(q + 1, (size_t)(q2 - q - 1));
        if (!name)
            break;
        const char *base = name;
        for (const char *c = name; *c; c++)
            if (*c == '/' || *c == '\\')
                base = c + 1;
        struct stat st;
        char *full = base != name ? NULL : ms_asprintf("%s%s", dir, base);
        if (base != name)
            /* qemu-img and VMware write bare names; a directory part is
             * a path from the evidence, never followed */
            why = ms_asprintf("VMDK descriptor names extent file '%s' "
                              "(extent %u) with a directory part, which is "
                              "not followed: the disk is not read", name, n);
        else if (full && (!*base || !strcmp(base, ".") || !strcmp(base, "..") ||
                     stat(full, &st) != 0 || !S_ISREG(st.st_mode)))
            why = ms_asprintf("VMDK descriptor names extent file '%s' "
                              "(extent %u), which is %s in the descriptor's "
                              "directory: the disk cannot be read whole",
                              name, n,
                              (*base && stat(full, &st) == 0) ? "not a "
                              "regular file" : "missing");
        free(full);
        free(name);
    }
    free(dir);
    return why;
}

static char *check_vmdk(const src *s, const char *path)
{
    unsigned char m[8];
    if (!rd(s, m, 8, 0) && le64(m) == 0xcafebabeULL)
        return ms_strdup("VMDK seSparse extent (VMware space-efficient "
                         "sparse, magic 0xcafebabe), which libvmdk cannot "
                         "read; scan the disk through its descriptor after "
                         "consolidating the snapshot chain");
    char *t = vmdk_descriptor(s);
    if (!t)
        return NULL;
    char *why = NULL;
    char *create = desc_value(t, "createType");
    char *hint = desc_value(t, "parentFileNameHint");
    char *pcid = desc_value(t, "parentCID");
    int delta = hint || (pcid && strcasecmp(pcid, "ffffffff") != 0);
    char *pname = hint ? ms_asprintf("recorded as '%s'", hint)
                       : ms_strdup("(no parentFileNameHint)");
    if ((create && !strcasecmp(create, "seSparse")) ||
        has_extent_type(t, "SESPARSE"))
        why = ms_asprintf("VMDK seSparse extent (createType \"%s\"; VMware "
                          "space-efficient sparse), which libvmdk cannot "
                          "read%s%s%s",
                          create ? create : "?",
                          delta ? "; it is a snapshot delta whose data "
                                  "depends on the parent disk " : "",
                          delta && pname ? pname : "",
                          delta ? ", which is not opened" : "");
    else if (!delta && !memcmp(t, "# Disk DescriptorFile", 21))
        why = vmdk_missing_extent(t, path);
    if (!why && delta)
        why = ms_asprintf("differencing VMDK (snapshot delta, parentCID %s): "
                          "its data depends on the parent disk %s, which is "
                          "not opened", pcid ? pcid : "?",
                          pname ? pname : "");
    free(pname);
    free(pcid);
    free(hint);
    free(create);
    free(t);
    return why;
}

char *ms_vdisk_unsupported(const char *path, const char **type_name)
{
    struct stat st;
    src s = { open(path, O_RDONLY | O_CLOEXEC), 0 };
    char *why = NULL;
    if (s.fd < 0)
        return NULL;     /* the image opener reports the open error */
    if (fstat(s.fd, &st) == 0 && S_ISREG(st.st_mode)) {
        s.size = (uint64_t)st.st_size;
        if ((why = check_vhdx(&s)) != NULL)
            *type_name = "vhdx";
        else if ((why = check_vmdk(&s, path)) != NULL)
            *type_name = "vmdk";
        else if ((why = check_vhd(&s)) != NULL)
            *type_name = "vhd";
    }
    close(s.fd);
    return why;
}

/* netconf.c - see netconf.h.  Lines are handled one at a time in a small
 * fixed buffer: a longer line is cut (no address is that long). */
#include "artifacts/netconf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_ 1024
#define NAME_MAX_ 64
#define DEPTH_MAX 16

typedef struct emit_ctx {
    ms_netconf_cb cb;
    void *user;
    int stop;
} emit_ctx;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static char *unquote(char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

/* Emit tok if it is an address with an optional /prefix, not loopback
 * and not unspecified.  `prefix` (may be NULL) is appended when the token
 * has none. */
static void emit(emit_ctx *c, const char *tok, const char *prefix,
                 const char *iface)
{
    char addr[80], out[100];
    unsigned char bin[16];
    size_t n = strcspn(tok, "/");
    if (c->stop || n == 0 || n >= sizeof addr)
        return;
    memcpy(addr, tok, n);
    addr[n] = '\0';
    int v4 = inet_pton(AF_INET, addr, bin) == 1;
    if (!v4 && inet_pton(AF_INET6, addr, bin) != 1)
        return;
    if ((v4 && bin[0] == 127) || (v4 && !memcmp(bin, "\0\0\0\0", 4)) ||
        (!v4 && !strcmp(addr, "::1")) || (!v4 && !strcmp(addr, "::")))
        return;
    const char *pfx = tok[n] == '/' ? tok + n + 1 : prefix;
    if (pfx && *pfx) {
        char *end;
        unsigned long p = strtoul(pfx, &end, 10);
        if (*end || end == pfx || p > (v4 ? 32u : 128u))
            pfx = NULL;
    }
    if (pfx && *pfx)
        snprintf(out, sizeof out, "%s/%s", addr, pfx);
    else
        snprintf(out, sizeof out, "%s", addr);
    c->stop = c->cb(c->user, out, iface ? iface : "");
}

/* Next line of text into buf (cut at LINE_MAX_-1 bytes, NULs end it). */
static int next_line(const char **p, const char *end, char *buf)
{
    if (*p >= end)
        return 0;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    size_t n = (size_t)((nl ? nl : end) - *p);
    size_t k = n < LINE_MAX_ - 1 ? n : LINE_MAX_ - 1;
    memcpy(buf, *p, k);
    buf[k] = '\0';
    *p += n + (nl != NULL);
    return 1;
}

/* Names longer than NAME_MAX_-1 bytes are cut: they are labels only. */
static void set_name(char *dst, const char *src)
{
    size_t n = strnlen(src, NAME_MAX_ - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- ifupdown: "iface eth0 inet static" / "address 192.0.2.10/24" ---- */
static void ifupdown(emit_ctx *c, const char *p, const char *end)
{
    char line[LINE_MAX_], iface[NAME_MAX_] = "", w[4][LINE_MAX_];
    while (!c->stop && next_line(&p, end, line)) {
        char *s = trim(line);
        if (*s == '#' || !*s)
            continue;
        int n = sscanf(s, "%1023s %1023s %1023s %1023s", w[0], w[1], w[2], w[3]);
        if (n >= 2 && !strcmp(w[0], "iface"))
            set_name(iface, w[1]);
        else if (n >= 2 && !strcmp(w[0], "address"))
            emit(c, w[1], NULL, iface);
        /* "up ip addr add 192.0.2.11/24 dev eth0" */
        else if (!strcmp(w[0], "up") || !strcmp(w[0], "post-up")) {
            char *a = strstr(s, " addr add ");
            if (a && sscanf(a + 10, "%1023s", w[1]) == 1)
                emit(c, w[1], NULL, iface);
        }
    }
}

/* ---- netplan YAML: keys by indentation; "addresses" not under
 * "nameservers"; the interface is the key under ethernets/bonds/... ---- */
typedef struct ykey {
    int indent;
    char name[NAME_MAX_];
} ykey;

static int is_iface_group(const char *k)
{
    static const char *const g[] = { "ethernets", "bonds", "bridges",
                                     "vlans", "wifis", "tunnels", "vrfs",
                                     "modems", "dummy-devices" };
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
        if (!strcmp(k, g[i]))
            return 1;
    return 0;
}

static void yaml_items(emit_ctx *c, char *list, const char *iface)
{
    /* "[a, 'b', c]" */
    char *s = list + 1, *e = strchr(s, ']');
    if (e)
        *e = '\0';
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok && !c->stop;
         tok = strtok_r(NULL, ",", &save))
        emit(c, unquote(trim(tok)), NULL, iface);
}

static void netplan(emit_ctx *c, const char *p, const char *end)
{
    char line[LINE_MAX_];
    ykey st[DEPTH_MAX];
    int depth = 0, in_addr = -1; /* indent of the active addresses key */
    char iface[NAME_MAX_] = "";

    while (!c->stop && next_line(&p, end, line)) {
        char *hash = strstr(line, " #");
        if (hash)
            *hash = '\0';
        int indent = 0;
        while (line[indent] == ' ')
            indent++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        if (in_addr >= 0 && indent > in_addr && s[0] == '-') {
            char *item = trim(s + 1);
            size_t n = strlen(item);
            if (n && item[n - 1] == ':')      /* "- 10.0.0.5/24:" + options */
                item[n - 1] = '\0';
            emit(c, unquote(trim(item)), NULL, iface);
            continue;
        }
        in_addr = -1;
        if (s[0] == '-')
            continue;
        char *colon = strchr(s, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *key = unquote(trim(s)), *val = trim(colon + 1);
        while (depth && st[depth - 1].indent >= indent)
            depth--;
        if (depth == DEPTH_MAX)
            continue;
        st[depth].indent = indent;
        set_name(st[depth].name, key);
        depth++;
        if (depth >= 2 && is_iface_group(st[depth - 2].name))
            set_name(iface, key);
        if (strcmp(key, "addresses") ||
            (depth >= 2 && !strcmp(st[depth - 2].name, "nameservers")))
            continue;
        if (*val == '[')
            yaml_items(c, val, iface);
        else if (!*val)
            in_addr = indent;
    }
}

/* ---- NetworkManager keyfile: [ipv4]/[ipv6] addressN=ADDR/PFX[,GW] ---- */
static void nmkeyfile(emit_ctx *c, const char *p, const char *end)
{
    char line[LINE_MAX_], section[NAME_MAX_] = "", iface[NAME_MAX_] = "";
    while (!c->stop && next_line(&p, end, line)) {
        char *s = trim(line), *eq;
        if (*s == '[') {
            char *e = strchr(s, ']');
            if (e)
                *e = '\0';
            set_name(section, s + 1);
            continue;
        }
        if (*s == '#' || *s == ';' || !(eq = strchr(s, '=')))
            continue;
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        if (!strcmp(section, "connection") && !strcmp(key, "interface-name"))
            set_name(iface, val);
        if ((strcmp(section, "ipv4") && strcmp(section, "ipv6")) ||
            strncmp(key, "address", 7))
            continue;
        /* "10.0.0.5/24,10.0.0.1" (current) or "10.0.0.5;24;10.0.0.1;"
         * (old); several addresses separated by ';' in "addresses=" */
        val[strcspn(val, ",")] = '\0';
        char *semi = strchr(val, ';');
        if (semi && !strchr(val, '/')) {
            *semi = '\0';
            char *pfx = semi + 1;
            pfx[strcspn(pfx, ";")] = '\0';
            emit(c, val, pfx, iface);
        } else {
            char *save = NULL;
            for (char *t = strtok_r(val, ";", &save); t && !c->stop;
                 t = strtok_r(NULL, ";", &save))
                emit(c, trim(t), NULL, iface);
        }
    }
}

/* ---- RHEL ifcfg: IPADDR[n]= PREFIX[n]= DEVICE= IPV6ADDR= ---- */
static void ifcfg(emit_ctx *c, const char *p, const char *end)
{
    enum { NSLOT = 11 }; /* IPADDR, IPADDR0..IPADDR9 */
    char line[LINE_MAX_], iface[NAME_MAX_] = "";
    char addr[NSLOT][80], pfx[NSLOT][8], v6[LINE_MAX_] = "";
    memset(addr, 0, sizeof addr);
    memset(pfx, 0, sizeof pfx);
    while (next_line(&p, end, line)) {
        char *s = trim(line), *eq;
        if (*s == '#' || !(eq = strchr(s, '=')))
            continue;
        *eq = '\0';
        char *key = trim(s), *val = unquote(trim(eq + 1));
        int slot = -1;
        if (!strcmp(key, "DEVICE"))
            set_name(iface, val);
        else if (!strncmp(key, "IPADDR", 6) || !strncmp(key, "PREFIX", 6)) {
            const char *d = key + 6;
            if (!*d)
                slot = 0;
            else if (isdigit((unsigned char)d[0]) && !d[1])
                slot = 1 + (d[0] - '0');
            if (slot >= 0 && key[0] == 'I')
                snprintf(addr[slot], sizeof addr[slot], "%s", val);
            else if (slot >= 0)
                snprintf(pfx[slot], sizeof pfx[slot], "%s", val);
        } else if (!strcmp(key, "IPV6ADDR") ||
                   !strcmp(key, "IPV6ADDR_SECONDARIES")) {
            size_t n = strlen(v6);
            snprintf(v6 + n, sizeof v6 - n, " %s", val);
        }
    }
    for (int i = 0; i < NSLOT && !c->stop; i++)
        if (addr[i][0])
            emit(c, addr[i], pfx[i], iface);
    char *save = NULL;
    for (char *t = strtok_r(v6, " \t", &save); t && !c->stop;
         t = strtok_r(NULL, " \t", &save))
        emit(c, t, NULL, iface);
}

ms_err ms_netconf_parse(enum ms_netconf_kind kind, const char *text,
                        size_t len, ms_netconf_cb cb, void *user)
{
    if ((!text && len) || !cb)
        return MS_ERR_ARG;
    emit_ctx c = { cb, user, 0 };
    const char *end = text + len;
    switch (kind) {
    case MS_NETCONF_IFUPDOWN: ifupdown(&c, text, end); break;
    case MS_NETCONF_NETPLAN:  netplan(&c, text, end); break;
    case MS_NETCONF_NM:       nmkeyfile(&c, text, end); break;
    case MS_NETCONF_IFCFG:    ifcfg(&c, text, end); break;
    default:                  return MS_ERR_ARG;
    }
    return MS_OK;
}

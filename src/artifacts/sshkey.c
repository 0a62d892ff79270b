/* sshkey.c - see sshkey.h.  Wire format: RFC 4253 section 6.6 (string =
 * uint32 length + bytes, mpint the same), RFC 5656 for ECDSA, RFC 8709
 * for Ed25519. */
#include "artifacts/sshkey.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_B64 16384 /* an RSA-16384 key line is about 2.8 KiB */

typedef struct wire {
    const unsigned char *p;
    size_t left;
} wire;

/* Next SSH string; 0 when the blob ends early. */
static int wire_string(wire *w, const unsigned char **s, size_t *len)
{
    if (w->left < 4)
        return 0;
    uint32_t n = (uint32_t)w->p[0] << 24 | (uint32_t)w->p[1] << 16 |
                 (uint32_t)w->p[2] << 8 | w->p[3];
    if (n > w->left - 4)
        return 0;
    *s = w->p + 4;
    *len = n;
    w->p += 4 + n;
    w->left -= 4 + n;
    return 1;
}

/* Significant bits of an mpint (big-endian, leading zero bytes allowed). */
static unsigned mpint_bits(const unsigned char *s, size_t len)
{
    while (len && *s == 0)
        s++, len--;
    if (!len || len > 8192)
        return 0;
    unsigned bits = (unsigned)(len - 1) * 8;
    for (unsigned char c = *s; c; c >>= 1)
        bits++;
    return bits;
}

static void key_bits(const char *type, wire *w, ms_sshkey *out)
{
    const unsigned char *a;
    size_t alen;
    if (!strcmp(type, "ssh-ed25519")) {
        snprintf(out->label, sizeof out->label, "ED25519");
        out->bits = 256;
    } else if (!strcmp(type, "ssh-rsa")) {
        snprintf(out->label, sizeof out->label, "RSA");
        if (wire_string(w, &a, &alen) && wire_string(w, &a, &alen))
            out->bits = mpint_bits(a, alen); /* e, then n */
    } else if (!strcmp(type, "ssh-dss")) {
        snprintf(out->label, sizeof out->label, "DSA");
        if (wire_string(w, &a, &alen))
            out->bits = mpint_bits(a, alen); /* p */
    } else if (!strncmp(type, "ecdsa-sha2-nistp", 16)) {
        snprintf(out->label, sizeof out->label, "ECDSA");
        out->bits = (unsigned)strtoul(type + 16, NULL, 10);
    } else {
        snprintf(out->label, sizeof out->label, "UNKNOWN");
    }
}

ms_err ms_sshkey_parse(const char *line, size_t len, ms_sshkey *out)
{
    unsigned char *blob = NULL;
    ms_err rc = MS_ERR_FORMAT;
    size_t i = 0, t0, tl, b0, bl;

    memset(out, 0, sizeof *out);
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    for (t0 = i; i < len && line[i] != ' ' && line[i] != '\t'; i++)
        ;
    tl = i - t0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    for (b0 = i; i < len && line[i] != ' ' && line[i] != '\t' &&
                 line[i] != '\n' && line[i] != '\r'; i++)
        ;
    bl = i - b0;
    if (tl == 0 || tl >= sizeof out->type || bl < 8 || bl > MAX_B64 ||
        bl % 4)
        return MS_ERR_FORMAT;
    memcpy(out->type, line + t0, tl);
    for (size_t k = 0; k < tl; k++)
        if (out->type[k] < 0x21 || out->type[k] > 0x7e)
            return MS_ERR_FORMAT;
    for (size_t k = 0; k < bl; k++) {
        char c = line[b0 + k];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '='))
            return MS_ERR_FORMAT;
    }
    if (!(blob = malloc(bl / 4 * 3 + 1)))
        return MS_ERR_NOMEM;
    int n = EVP_DecodeBlock(blob, (const unsigned char *)line + b0, (int)bl);
    if (n < 0)
        goto _exit;
    /* EVP_DecodeBlock counts the padding as zero bytes */
    for (size_t pad = 0; pad < 2 && line[b0 + bl - 1 - pad] == '='; pad++)
        n--;
    wire w = { blob, (size_t)n };
    const unsigned char *name;
    size_t nlen;
    if (!wire_string(&w, &name, &nlen) || nlen != tl ||
        memcmp(name, out->type, tl) != 0)
        goto _exit;
    key_bits(out->type, &w, out);

    unsigned char md[SHA256_DIGEST_LENGTH];
    unsigned char b64[48];
    SHA256(blob, (size_t)n, md);
    int e = EVP_EncodeBlock(b64, md, sizeof md);     /* 44 with one '=' */
    while (e > 0 && b64[e - 1] == '=')
        e--;
    b64[e] = '\0';
    snprintf(out->fingerprint, sizeof out->fingerprint, "SHA256:%s", b64);
    rc = MS_OK;
_exit:
    free(blob);
    return rc;
}

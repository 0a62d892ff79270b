/* perlscript.c - classify a recovered script by documented features. */
#include "detection/perlscript.h"

#include <string.h>

typedef struct feature {
    const char *name;     /* reported */
    const char *needle;   /* substring that shows it */
    const char *also;     /* second substring required, or NULL */
    int spam;             /* 1 spam daemon, 0 backdoor */
    const char *alt[2];   /* other spellings of needle (regex-escaped) */
} feature;

#define NONE { NULL, NULL }
static const feature features[] = {
    { "Set-Cookie: PHPSESSID command channel", "PHPSESSID", "Set-Cookie", 0,
      NONE },
    { "HTTP/1.0 200 OK response check", "HTTP/1.0 200 OK", NULL, 0,
      { "HTTP\\/1.0 200 OK", "HTTP\\/1\\.0 200 OK" } },
    { "Connection: close response check", "Connection: close", NULL, 0,
      NONE },
    { "$^O errno table (MSWin32 10035/10036)", "$^O", "10035", 0, NONE },
    { "Firefox 7.0.1 User-Agent", "rv:7.0.1) Gecko/", NULL, 0, NONE },
    { "SMTP MAIL FROM", "MAIL FROM", NULL, 1, NONE },
    { "SMTP RCPT TO", "RCPT TO", NULL, 1, NONE },
    { "SMTP DATA", "DATA\\r\\n", NULL, 1, { "\"DATA", "'DATA" } },
    { "SMTP EHLO/HELO", "HELO", NULL, 1, { "EHLO", NULL } },
};
#undef NONE

static int has(const uint8_t *b, size_t n, const char *s)
{
    return b && n && memmem(b, n, s, strlen(s)) != NULL;
}

/* $0 = "httpd" | 'mail' | "init" with any spaces around '='. */
static int renames_process(const uint8_t *b, size_t n)
{
    static const char *const names[] = { "httpd", "mail", "init" };
    const uint8_t *p = b, *end = b + n;
    while (p < end) {
        const uint8_t *q = memmem(p, (size_t)(end - p), "$0", 2);
        if (!q)
            return 0;
        p = q + 2;
        const uint8_t *r = p;
        while (r < end && *r == ' ')
            r++;
        if (r >= end || *r != '=')
            continue;
        r++;
        while (r < end && *r == ' ')
            r++;
        if (r >= end || (*r != '"' && *r != '\''))
            continue;
        uint8_t quote = *r++;
        for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
            size_t l = strlen(names[k]);
            if ((size_t)(end - r) > l && !memcmp(r, names[k], l) &&
                r[l] == quote)
                return 1;
        }
    }
    return 0;
}

enum ms_script_kind ms_script_classify(const uint8_t *buf, size_t len,
                                       const char **out, size_t *nout)
{
    int score[2] = { 0, 0 };
    size_t n = 0;
    if (!buf)
        len = 0;
    for (size_t i = 0; i < sizeof features / sizeof *features; i++) {
        const feature *f = &features[i];
        int hit = has(buf, len, f->needle);
        for (size_t k = 0; k < 2 && !hit && f->alt[k]; k++)
            hit = has(buf, len, f->alt[k]);
        hit = hit && (!f->also || has(buf, len, f->also));
        if (!hit)
            continue;
        score[f->spam]++;
        if (n < MS_SCRIPT_MAX_FEATURES && out)
            out[n++] = f->name;
    }
    if (renames_process(buf, len)) {
        score[1]++;
        if (n < MS_SCRIPT_MAX_FEATURES && out)
            out[n++] = "process name replaced ($0 = httpd/mail/init)";
    }
    if (nout)
        *nout = n;
    if (score[0] >= 2 && score[0] >= score[1])
        return MS_SCRIPT_BACKDOOR;
    if (score[1] >= 2 && score[1] > score[0])
        return MS_SCRIPT_SPAM_DAEMON;
    return MS_SCRIPT_UNKNOWN;
}

const char *ms_script_kind_name(enum ms_script_kind k)
{
    switch (k) {
    case MS_SCRIPT_BACKDOOR:    return "backdoor";
    case MS_SCRIPT_SPAM_DAEMON: return "spam_daemon";
    case MS_SCRIPT_UNKNOWN:     return "unknown";
    }
    return "unknown";
}

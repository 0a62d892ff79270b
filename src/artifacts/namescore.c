/* namescore.c - file name randomness score; the rules are in namescore.h. */
#include "artifacts/namescore.h"

#include <string.h>

/* Common English letter bigrams (lower case), roughly the most frequent
 * ~220 in running English text.  A pair not listed counts as rare. */
static const char common_bigrams[] =
    "th he in er an re on at en nd ti es or te of ed is it al ar st to nt "
    "ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be "
    "ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly "
    "nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni "
    "ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld "
    "ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp "
    "rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga "
    "qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au "
    "ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye "
    "ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp gn "
    "sm fl iz ok nl my gl aw ju oa eq sy sl ps jo lf nv je nk kn gs dy hy "
    "ze ks xt bs ik dd cy rp sk ";

static const char *benign_prefix[] = {
    "systemd-private-", "hsperfdata_", "sess_", "krb5cc_", "ssh-",
    "pulse-", "tmux-", "vmware-", "config-err-", "php", "tmp", ".X",
    "dbus-", ".com.google.Chrome.", "mozilla_", "clr-debug-pipe-",
    ".ICE-", ".font-", "orbit-", "gpg-", "mc-", "snap.", ".Test-unix",
    ".XIM-unix", "lost+found",
};

static const char *benign_suffix[] = {
    ".pid", ".lock", ".log", ".sock", ".socket", ".tmp", ".swp", "-unix",
};

/* Parts of a token's score, kept apart to name the main reason. */
enum { P_CASE, P_BIGRAM, P_VOWEL, P_DIGIT, P_COUNT };

static const char *part_why[P_COUNT] = {
    "improbable mixed case", "rare letter pairs",
    "no vowels or long consonant run",
    "letters and digits interleaved",
};

static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_letter(int c) { return is_upper(c) || is_lower(c); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alnum(int c) { return is_letter(c) || is_digit(c); }
static int lower(int c) { return is_upper(c) ? c + ('a' - 'A') : c; }

static int is_vowel(int c)
{
    return c != '\0' && strchr("aeiouy", lower(c)) != NULL;
}

static int is_hex(int c)
{
    return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

static int bigram_common(int a, int b)
{
    a = lower(a);
    b = lower(b);
    for (const char *p = common_bigrams; p[0] && p[1]; p += 3)
        if (p[0] == a && p[1] == b)
            return 1;
    return 0;
}

static int has_prefix(const char *s, size_t n, const char *pre)
{
    size_t l = strlen(pre);
    return n >= l && memcmp(s, pre, l) == 0;
}

static int has_suffix(const char *s, size_t n, const char *suf)
{
    size_t l = strlen(suf);
    return n >= l && memcmp(s + n - l, suf, l) == 0;
}

static int is_benign(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof benign_prefix / sizeof *benign_prefix; i++)
        if (has_prefix(s, n, benign_prefix[i]))
            return 1;
    for (size_t i = 0; i < sizeof benign_suffix / sizeof *benign_suffix; i++)
        if (has_suffix(s, n, benign_suffix[i]))
            return 1;
    return 0;
}

/* Mixed case: 25, plus up to 20 when the camelCase "words" are short.
 * Real identifiers split into words of 3+ letters (My|File|Name,
 * HTML|Parser); random case splits into fragments (q|C|Vw|OWA). */
static int case_points(const char *t, size_t n)
{
    int has_lower = 0, late_upper = 0, letters = 0, words = 0;

    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)t[i];
        int prev = i > 0 ? (unsigned char)t[i - 1] : 0;
        int next = i + 1 < n ? (unsigned char)t[i + 1] : 0;
        if (!is_letter(c))
            continue;
        letters++;
        has_lower |= is_lower(c);
        late_upper |= (i > 0 && is_upper(c));
        if (!is_letter(prev) ||
            (is_upper(c) && (is_lower(prev) || is_lower(next))))
            words++;
    }
    if (!has_lower || !late_upper)
        return 0;
    if (2 * letters < 5 * words)     /* average word under 2.5 letters */
        return 45;
    return letters < 3 * words ? 35 : 25;
}

static int token_parts(const char *t, size_t n, int part[P_COUNT])
{
    int pairs = 0, rare = 0, letters = 0, vowels = 0, run = 0, maxrun = 0;
    int digit_runs = 0;

    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)t[i];
        if (is_digit(c)) {
            if (i == 0 || !is_digit((unsigned char)t[i - 1]))
                digit_runs++;
            run = 0;
            continue;
        }
        letters++;
        if (is_vowel(c)) {
            vowels++;
            run = 0;
        } else if (++run > maxrun) {
            maxrun = run;
        }
        if (i > 0 && is_letter((unsigned char)t[i - 1])) {
            pairs++;
            rare += !bigram_common((unsigned char)t[i - 1], c);
        }
    }
    part[P_CASE] = case_points(t, n);
    part[P_BIGRAM] = pairs ? 40 * rare / pairs : 0;
    if (letters >= 6 && vowels == 0)
        part[P_VOWEL] = 20;
    else
        part[P_VOWEL] = maxrun >= 4 ? 10 : 0;
    part[P_DIGIT] = digit_runs >= 2 && letters > 0 ? 15 : 0;
    /* camelCase made of real words: case alone is weak evidence */
    if (vowels > 0 && rare * 5 <= pairs)
        part[P_CASE] /= 2;
    return letters;
}

/* Score one token of ASCII letters and digits. */
static int score_token(const char *t, size_t n, const char **why)
{
    int part[P_COUNT];
    int hex = 1, digits = 0;

    for (size_t i = 0; i < n; i++) {
        hex &= is_hex((unsigned char)t[i]);
        digits += is_digit((unsigned char)t[i]);
    }
    int letters = token_parts(t, n, part);
    if (letters == 0) {
        *why = "only digits";
        return 0;
    }

    int score = 0, best = 0;
    for (int i = 0; i < P_COUNT; i++) {
        score += part[i];
        if (part[i] > part[best])
            best = i;
    }
    *why = part[best] > 0 ? part_why[best] : "looks like words";
    if (score > 100)
        score = 100;

    if (n < 5) {
        score /= 3;
        *why = "too short to judge";
    } else if (n > 16) {
        if (score > 30) {
            score = 30;
            *why = "long token, likely a hash or id";
        }
    } else if (n > 12) {
        score = score > 15 ? score - 15 : 0;
    }
    if (score < 20 && part[best] > 0 && n >= 5)
        *why = "looks like words";
    if (hex && digits > 0) {
        score = score > 20 ? 20 : score;
        *why = "hex id";
    }
    return score;
}

int ms_name_score(const char *name, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!name || !name[0]) {
        *why = "empty name";
        return 0;
    }
    size_t n = strnlen(name, MS_NAME_MAX_LEN + 1);
    if (n > MS_NAME_MAX_LEN) {
        *why = "longer than NAME_MAX, not judged";
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c >= 0x7f) {
            *why = "non-ASCII or control bytes, not judged";
            return 0;
        }
    }
    if (is_benign(name, n)) {
        *why = "known benign pattern";
        return 0;
    }

    int best = -1;
    *why = "no letters";
    for (size_t i = 0; i < n;) {
        while (i < n && !is_alnum((unsigned char)name[i]))
            i++;
        size_t start = i;
        while (i < n && is_alnum((unsigned char)name[i]))
            i++;
        if (i == start)
            break;
        const char *w;
        int s = score_token(name + start, i - start, &w);
        if (s > best) {
            best = s;
            *why = w;
        }
    }
    return best < 0 ? 0 : best;
}

int ms_name_is_random(const char *name)
{
    return ms_name_score(name, NULL) >= MS_NAME_RANDOM_THRESHOLD;
}

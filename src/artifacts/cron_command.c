/* cron_command.c - static reading of a shell command line for the
 * programs it runs.  See cron_command.h for what is and is not handled. */
#include "artifacts/cron_command.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

#define MAX_WORDS   1024  /* words kept per simple command */
#define MAX_SUBSTS  64    /* command substitutions kept per string */
#define MAX_NEST    16    /* ( ) subshells whose cwd we remember */
#define MAX_WRAPS   32    /* nice nohup timeout ... chained */
#define MAX_GUARDS  8     /* tested programs remembered per string */

enum { G_CHAIN, G_IF, G_EXIT };

/* ---- result list -------------------------------------------------------- */

typedef struct prog_list {
    ms_cmd_prog *v;
    size_t n, cap;
    int limited;        /* some bound was hit */
    int stdin_shell;    /* a top-level shell reads stdin (not a pipe) */
} prog_list;

void ms_cmd_progs_free(ms_cmd_prog *progs, size_t n)
{
    for (size_t i = 0; progs && i < n; i++) {
        free(progs[i].word);
        free(progs[i].cwd);
        free(progs[i].interpreter);
    }
    free(progs);
}

static ms_err add_prog(prog_list *pl, const char *word, const char *cwd,
                       const char *interp)
{
    if (!word || !*word)
        return MS_OK;
    if (pl->n >= MS_CMD_MAX_PROGS) {
        pl->limited = 1;
        return MS_OK;
    }
    ms_err e = ms_grow((void **)&pl->v, &pl->cap, pl->n + 1, sizeof *pl->v);
    if (e)
        return e;
    ms_cmd_prog *p = &pl->v[pl->n];
    p->word = ms_strdup(word);
    p->cwd = cwd ? ms_strdup(cwd) : NULL;
    p->interpreter = interp ? ms_strdup(interp) : NULL;
    p->is_script = interp != NULL;
    p->guarded = 0;
    pl->n++;  /* counted even if a copy failed, so it gets freed */
    if (!p->word || (cwd && !p->cwd) || (interp && !p->interpreter))
        return MS_ERR_NOMEM;
    return MS_OK;
}

/* ---- lexer -------------------------------------------------------------- */

enum tok { T_END, T_WORD, T_SEMI, T_AND, T_OR, T_PIPE, T_BG,
           T_LPAREN, T_RPAREN };

typedef struct word {
    char  *text;       /* quotes removed, expansions kept as written */
    const char *raw;   /* the word in the source */
    size_t raw_len;
    int    subst_only; /* nothing but command substitution(s) */
} word;

typedef struct lexer {
    const char *s;
    size_t len, pos;
    char  *subs[MAX_SUBSTS]; /* pending substitution bodies, malloc'd */
    size_t nsubs;
    int    limited;
} lexer;

static int is_op_char(char c)
{
    return c && strchr(" \t\r\v\f\n;&|()<>", c) != NULL;
}

/* Index of the ')' closing a "(" whose body starts at i, or len.
 * Iterative so hostile nesting costs no stack. */
static size_t match_paren(const char *s, size_t len, size_t i)
{
    int depth = 1;
    while (i < len) {
        char c = s[i];
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            for (i++; i < len && s[i] != c; i++)
                if (c != '\'' && s[i] == '\\')
                    i++;
        } else if (c == '(') {
            depth++;
        } else if (c == ')' && --depth == 0) {
            return i;
        }
        i++;
    }
    return len;
}

/* Takes ownership of body (NULL: its allocation failed). */
static ms_err record_subst(lexer *lx, char *body)
{
    if (!body)
        return MS_ERR_NOMEM;
    if (lx->nsubs >= MAX_SUBSTS) {
        lx->limited = 1;
        free(body);
        return MS_OK;
    }
    lx->subs[lx->nsubs++] = body;
    return MS_OK;
}

typedef struct wstate {
    ms_buf b;
    int literal; /* something other than a substitution was added */
    int nsub;
} wstate;

static ms_err put(wstate *ws, const char *p, size_t n, int literal)
{
    ws->literal |= literal;
    return n ? ms_buf_append(&ws->b, p, n) : MS_OK;
}

/* "$(" or "<(" / ">(" at pos: body is parsed later, text kept as written. */
static ms_err lex_paren_subst(lexer *lx, wstate *ws, size_t body)
{
    size_t end = match_paren(lx->s, lx->len, body);
    ms_err e = record_subst(lx, ms_strndup(lx->s + body, end - body));
    size_t stop = end < lx->len ? end + 1 : end;
    if (!e)
        e = put(ws, lx->s + lx->pos, stop - lx->pos, 0);
    ws->nsub++;
    lx->pos = stop;
    return e;
}

/* `...`: inside, backslash escapes only \ ` and $. */
static ms_err lex_backtick(lexer *lx, wstate *ws)
{
    size_t start = lx->pos, i = start + 1;
    ms_buf body = { 0 };
    ms_err e = MS_OK;

    while (i < lx->len && lx->s[i] != '`' && !e) {
        if (lx->s[i] == '\\' && i + 1 < lx->len &&
            strchr("\\`$", lx->s[i + 1]))
            i++;
        e = ms_buf_append(&body, lx->s + i, 1);
        i++;
    }
    if (e) {
        ms_buf_free(&body);
        return e;
    }
    e = record_subst(lx, ms_buf_steal(&body));
    lx->pos = i < lx->len ? i + 1 : i;
    ws->nsub++;
    return e ? e : put(ws, lx->s + start, lx->pos - start, 0);
}

/* $'...' ANSI-C quoting, roughly: common escapes only. */
static ms_err lex_ansi_c(lexer *lx, wstate *ws)
{
    static const char from[] = "ntrae\\'\"", to[] = "\n\t\r\a\033\\'\"";
    size_t i = lx->pos + 2;
    ms_err e = MS_OK;

    while (i < lx->len && lx->s[i] != '\'' && !e) {
        char c = lx->s[i];
        const char *k;
        if (c == '\\' && i + 1 < lx->len &&
            (k = strchr(from, lx->s[i + 1])) != NULL && *k) {
            c = to[k - from];
            i++;
        }
        e = put(ws, &c, 1, 1);
        i++;
    }
    lx->pos = i < lx->len ? i + 1 : i;
    ws->literal = 1;
    return e;
}

static ms_err lex_dollar(lexer *lx, wstate *ws)
{
    const char *s = lx->s;
    size_t p = lx->pos, len = lx->len;
    char next = p + 1 < len ? s[p + 1] : '\0';

    if (next == '(' && p + 2 < len && s[p + 2] == '(') {
        /* $((arithmetic)): no programs, keep as written */
        size_t end = match_paren(s, len, p + 2);
        size_t stop = end < len ? end + 1 : end;
        ms_err e = put(ws, s + p, stop - p, 1);
        lx->pos = stop;
        return e;
    }
    if (next == '(')
        return lex_paren_subst(lx, ws, p + 2);
    if (next == '\'')
        return lex_ansi_c(lx, ws);
    if (next == '{') {
        size_t i = p + 2;
        while (i < len && s[i] != '}')
            i++;
        size_t stop = i < len ? i + 1 : i;
        lx->pos = stop;
        return put(ws, s + p, stop - p, 1);
    }
    lx->pos++;
    return put(ws, "$", 1, 1);
}

static ms_err lex_dquote(lexer *lx, wstate *ws)
{
    ms_err e = MS_OK;
    lx->pos++;
    while (lx->pos < lx->len && lx->s[lx->pos] != '"' && !e) {
        char c = lx->s[lx->pos];
        if (c == '\\' && lx->pos + 1 < lx->len &&
            strchr("$`\"\\\n", lx->s[lx->pos + 1])) {
            if (lx->s[lx->pos + 1] != '\n')
                e = put(ws, lx->s + lx->pos + 1, 1, 1);
            lx->pos += 2;
        } else if (c == '$') {
            e = lex_dollar(lx, ws);
        } else if (c == '`') {
            e = lex_backtick(lx, ws);
        } else {
            e = put(ws, &c, 1, 1);
            lx->pos++;
        }
    }
    if (lx->pos < lx->len)
        lx->pos++;  /* closing quote */
    return e;
}

static ms_err lex_squote(lexer *lx, wstate *ws)
{
    size_t i = lx->pos + 1;
    while (i < lx->len && lx->s[i] != '\'')
        i++;
    ms_err e = put(ws, lx->s + lx->pos + 1, i - lx->pos - 1, 1);
    ws->literal = 1;
    lx->pos = i < lx->len ? i + 1 : i;
    return e;
}

static ms_err lex_word(lexer *lx, word *w)
{
    wstate ws = { { 0 }, 0, 0 };
    size_t start = lx->pos;
    ms_err e = MS_OK;

    while (lx->pos < lx->len && !e) {
        const char *s = lx->s;
        size_t p = lx->pos;
        char c = s[p], next = p + 1 < lx->len ? s[p + 1] : '\0';
        if ((c == '<' || c == '>') && next == '(')
            e = lex_paren_subst(lx, &ws, p + 2);
        else if (is_op_char(c))
            break;
        else if (c == '\\') {
            if (next != '\n' && p + 1 < lx->len)
                e = put(&ws, s + p + 1, 1, 1);
            else if (p + 1 >= lx->len)
                e = put(&ws, "\\", 1, 1);
            lx->pos = p + 1 < lx->len ? p + 2 : p + 1;
        } else if (c == '\'')
            e = lex_squote(lx, &ws);
        else if (c == '"')
            e = lex_dquote(lx, &ws);
        else if (c == '$')
            e = lex_dollar(lx, &ws);
        else if (c == '`')
            e = lex_backtick(lx, &ws);
        else {
            e = put(&ws, &c, 1, 1);
            lx->pos++;
        }
    }
    if (e) {
        ms_buf_free(&ws.b);
        return e;
    }
    w->text = ms_buf_steal(&ws.b);
    w->raw = lx->s + start;
    w->raw_len = lx->pos - start;
    w->subst_only = ws.nsub > 0 && !ws.literal;
    return w->text ? MS_OK : MS_ERR_NOMEM;
}

/* Redirection operator at pos (after any fd digits); its target word is
 * read and dropped, but substitutions inside it are still recorded. */
static ms_err lex_redirect(lexer *lx)
{
    const char *s = lx->s;
    size_t len = lx->len;

    if (s[lx->pos] == '&')
        lx->pos++;                       /* &> &>> */
    char op = s[lx->pos++];
    while (lx->pos < len &&
           (s[lx->pos] == op || s[lx->pos] == '&' || s[lx->pos] == '|' ||
            (op == '<' && (s[lx->pos] == '>' || s[lx->pos] == '-'))))
        lx->pos++;                       /* >> >& >| <<< <<- <> */
    if (lx->pos < len && s[lx->pos] == '-' && s[lx->pos - 1] == '&') {
        lx->pos++;                       /* >&- closes, no target */
        return MS_OK;
    }
    while (lx->pos < len && (s[lx->pos] == ' ' || s[lx->pos] == '\t'))
        lx->pos++;
    if (lx->pos >= len || (is_op_char(s[lx->pos]) &&
                           !(s[lx->pos] == '<' || s[lx->pos] == '>')))
        return MS_OK;
    if (s[lx->pos] == '<' || s[lx->pos] == '>') {
        if (lx->pos + 1 >= len || s[lx->pos + 1] != '(')
            return MS_OK;
    }
    word w = { 0 };
    ms_err e = lex_word(lx, &w);
    free(w.text);
    return e;
}

static ms_err next_token(lexer *lx, enum tok *t, word *w)
{
    const char *s = lx->s;
    size_t len = lx->len;

    for (;;) {
        while (lx->pos < len && strchr(" \t\r\v\f", s[lx->pos]) &&
               s[lx->pos] != '\0')
            lx->pos++;
        if (lx->pos >= len) {
            *t = T_END;
            return MS_OK;
        }
        size_t p = lx->pos;
        char c = s[p], next = p + 1 < len ? s[p + 1] : '\0';
        if (c == '\\' && next == '\n') {
            lx->pos += 2;
            continue;
        }
        if (c == '#') {
            while (lx->pos < len && s[lx->pos] != '\n')
                lx->pos++;
            continue;
        }
        if (c == '\n' || c == ';') {
            lx->pos += (c == ';' && next == ';') ? 2 : 1;
            *t = T_SEMI;
            return MS_OK;
        }
        if (c == '&' && next == '>') {
            ms_err e = lex_redirect(lx);
            if (e)
                return e;
            continue;
        }
        if (c == '&' || c == '|') {
            int dbl = next == c;
            lx->pos += dbl || (c == '|' && next == '&') ? 2 : 1;
            *t = c == '&' ? (dbl ? T_AND : T_BG) : (dbl ? T_OR : T_PIPE);
            return MS_OK;
        }
        if (c == '(' || c == ')') {
            lx->pos++;
            *t = c == '(' ? T_LPAREN : T_RPAREN;
            return MS_OK;
        }
        size_t d = p;
        while (d < len && isdigit((unsigned char)s[d]))
            d++;
        if (d < len && (s[d] == '<' || s[d] == '>') &&
            !(d + 1 < len && s[d + 1] == '(' && d == p)) {
            lx->pos = d;                 /* [n]> [n]< ... */
            ms_err e = lex_redirect(lx);
            if (e)
                return e;
            continue;
        }
        *t = T_WORD;
        return lex_word(lx, w);
    }
}

/* ---- analysis ----------------------------------------------------------- */

typedef struct parser {
    prog_list *out;
    int depth;
    char *cwd;                 /* malloc'd or NULL */
    char *saved[MAX_NEST];     /* cwd before each open ( */
    int nsaved, nparen;        /* nparen counts ( even past MAX_NEST */
    int in_case;
    int in_dbracket;           /* inside [[ ... ]] split by && || */
    enum tok prev_sep;         /* separator before the current command */
    /* guards: programs a preceding test looked for */
    char *guard[MAX_GUARDS];
    int guard_kind[MAX_GUARDS];
    int nguard;
    char *or_guard;            /* "[ -x P ] ||": a guard if exit follows */
} parser;

static ms_err parse_string(prog_list *out, const char *s, size_t len,
                           const char *cwd, int depth);

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

/* Unquoted exactly as the reserved word needs to be. */
static int is_reserved(const word *w, const char *const *list)
{
    return w->raw_len == strlen(w->text) &&
           memcmp(w->raw, w->text, w->raw_len) == 0 && in_list(w->text, list);
}

static int is_assignment(const word *w)
{
    const char *r = w->raw;
    size_t i = 0;
    if (!w->raw_len || !(isalpha((unsigned char)r[0]) || r[0] == '_'))
        return 0;
    while (i < w->raw_len && (isalnum((unsigned char)r[i]) || r[i] == '_'))
        i++;
    if (i < w->raw_len && r[i] == '+')
        i++;
    return i < w->raw_len && r[i] == '=';
}

/* Join words' texts with spaces: eval's and env -S's view of them. */
static char *join_words(const word *w, size_t n, const char *first)
{
    ms_buf b = { 0 };
    ms_err e = first ? ms_buf_puts(&b, first) : MS_OK;
    for (size_t i = 0; i < n && !e; i++) {
        if (b.len)
            e = ms_buf_puts(&b, " ");
        if (!e)
            e = ms_buf_puts(&b, w[i].text);
    }
    if (e) {
        ms_buf_free(&b);
        return NULL;
    }
    return ms_buf_steal(&b);
}

static ms_err recurse(parser *p, const char *s, const char *cwd)
{
    if (!s)
        return MS_ERR_NOMEM;
    return parse_string(p->out, s, strlen(s), cwd, p->depth + 1);
}

/* Options of wrappers and interpreters, getopt-style. */
typedef struct longopt {
    const char *name;
    char letter;
    int has_arg;
} longopt;

typedef struct optres {
    const char *arg[128];      /* argument of each short letter seen */
    unsigned char seen[128];
} optres;

/* Skip options in w[0..n); returns the index of the first operand. */
static size_t scan_opts(const word *w, size_t n, const char *argopts,
                        const longopt *longs, optres *r)
{
    size_t i = 0;
    memset(r, 0, sizeof *r);
    for (; i < n; i++) {
        const char *t = w[i].text;
        if (t[0] != '-' || t[1] == '\0')
            break;
        if (strcmp(t, "--") == 0)
            return i + 1;
        if (t[1] == '-') {
            const char *eq = strchr(t, '=');
            size_t nl = eq ? (size_t)(eq - t) : strlen(t);
            for (const longopt *l = longs; l && l->name; l++) {
                if (strlen(l->name) != nl || strncmp(l->name, t, nl))
                    continue;
                r->seen[(unsigned char)l->letter] = 1;
                if (l->has_arg)
                    r->arg[(unsigned char)l->letter] =
                        eq ? eq + 1 : (i + 1 < n ? w[++i].text : NULL);
                break;
            }
            continue;
        }
        if (isdigit((unsigned char)t[1]))
            continue;                   /* nice -19 */
        for (size_t j = 1; t[j]; j++) {
            unsigned char ch = (unsigned char)t[j];
            if (ch >= 128)
                break;
            r->seen[ch] = 1;
            if (argopts && strchr(argopts, ch)) {
                r->arg[ch] = t[j + 1] ? t + j + 1
                                      : (i + 1 < n ? w[++i].text : NULL);
                break;
            }
        }
    }
    return i;
}

/* Make dir absolute against cwd when possible; malloc'd. */
static char *join_dir(const char *cwd, const char *dir)
{
    if (!cwd || dir[0] == '/' || dir[0] == '$' || dir[0] == '~')
        return ms_strdup(dir);
    return ms_asprintf("%s%s%s", cwd,
                       cwd[0] && cwd[strlen(cwd) - 1] == '/' ? "" : "/", dir);
}

static ms_err do_cd(parser *p, const word *w, size_t n, enum tok sep)
{
    optres r;
    if (sep == T_PIPE || sep == T_BG)
        return MS_OK;       /* runs in a subshell: no lasting effect */
    size_t i = scan_opts(w, n, "", NULL, &r);
    char *d = join_dir(p->cwd, i < n ? w[i].text : "$HOME");
    if (!d)
        return MS_ERR_NOMEM;
    free(p->cwd);
    p->cwd = d;
    return MS_OK;
}

/* Interpreters and how their options work. */
typedef struct interp {
    const char *name;   /* basename, or prefix for versioned names */
    int versioned;      /* python3.11, perl5.36 ... */
    int shell;          /* -c makes the first operand a command string */
    const char *code;   /* options whose argument is inline code */
    const char *args;   /* options taking some other argument */
    const char *script; /* options whose argument is the script */
    const char *attached; /* options whose argument is glued on (perl -Mx) */
    const longopt *longs;
} interp;

static const longopt shell_longs[] = {
    { "--rcfile", 'o', 1 }, { "--init-file", 'o', 1 }, { NULL, 0, 0 }
};
static const longopt node_longs[] = {
    { "--eval", 'e', 1 }, { "--print", 'p', 1 }, { "--require", 'r', 1 },
    { NULL, 0, 0 }
};
static const interp interps[] = {
    { "sh", 0, 1, "", "oO", "", "", shell_longs },
    { "bash", 0, 1, "", "oO", "", "", shell_longs },
    { "dash", 0, 1, "", "o", "", "", shell_longs },
    { "ksh", 0, 1, "", "o", "", "", shell_longs },
    { "zsh", 0, 1, "", "o", "", "", shell_longs },
    { "ash", 0, 1, "", "o", "", "", shell_longs },
    { "mksh", 0, 1, "", "o", "", "", shell_longs },
    { "perl", 1, 0, "eE", "IMm", "", "xil0CdDV", NULL },
    { "python", 1, 0, "cm", "WXQ", "", "", NULL },
    { "php", 1, 0, "rRBE", "cdz", "fF", "", NULL },
    { "ruby", 1, 0, "e", "IrCE", "", "FTKW", NULL },
    { "node", 0, 0, "ep", "r", "", "", node_longs },
    { "nodejs", 0, 0, "ep", "r", "", "", node_longs },
    { NULL, 0, 0, NULL, NULL, NULL, NULL, NULL }
};

static const interp *find_interp(const char *base)
{
    for (const interp *it = interps; it->name; it++) {
        size_t n = strlen(it->name);
        if (strncmp(base, it->name, n))
            continue;
        if (base[n] == '\0')
            return it;
        if (it->versioned && strspn(base + n, "0123456789.") ==
            strlen(base + n))
            return it;
    }
    return NULL;
}

/* Walk an interpreter's options; classify what it will run. */
typedef struct interp_run {
    size_t operand;      /* index of first operand */
    int cflag, code, stdin_flag;
    const char *script;  /* from -f style options */
} interp_run;

static void scan_interp_cluster(const interp *it, const word *w, size_t n,
                                size_t *i, interp_run *ir)
{
    const char *t = w[*i].text;
    for (size_t j = 1; t[j]; j++) {
        char ch = t[j];
        const char *rest = t[j + 1] ? t + j + 1 : NULL;
        if (it->shell && ch == 'c') {
            ir->cflag = 1;
        } else if (it->shell && ch == 's') {
            ir->stdin_flag = 1;
        } else if (strchr(it->code, ch)) {
            ir->code = 1;
            return;
        } else if (strchr(it->script, ch)) {
            ir->script = rest ? rest : (*i + 1 < n ? w[++*i].text : NULL);
            return;
        } else if (strchr(it->args, ch)) {
            if (!rest && *i + 1 < n)
                ++*i;
            return;
        } else if (strchr(it->attached, ch)) {
            return;
        }
    }
}

static void scan_interp(const interp *it, const word *w, size_t n,
                        interp_run *ir)
{
    size_t i = 1;
    memset(ir, 0, sizeof *ir);
    for (; i < n && !ir->code && !ir->script; i++) {
        const char *t = w[i].text;
        if (it->shell && t[0] == '+' && t[1]) {
            if (strchr(t, 'o') && !t[2] && i + 1 < n)
                i++;                     /* +o option */
            continue;
        }
        if (t[0] != '-' || t[1] == '\0')
            break;
        if (strcmp(t, "--") == 0) {
            i++;
            break;
        }
        if (t[1] == '-') {
            const char *eq = strchr(t, '=');
            size_t nl = eq ? (size_t)(eq - t) : strlen(t);
            for (const longopt *l = it->longs; l && l->name; l++)
                if (strlen(l->name) == nl && !strncmp(l->name, t, nl)) {
                    if (strchr(it->code, l->letter))
                        ir->code = 1;
                    if (l->has_arg && !eq && i + 1 < n)
                        i++;
                    break;
                }
            continue;
        }
        scan_interp_cluster(it, w, n, &i, ir);
    }
    ir->operand = i;
}

static ms_err do_interp(parser *p, const interp *it, const word *w, size_t n,
                        const char *cwd)
{
    interp_run ir;
    scan_interp(it, w, n, &ir);
    if (it->shell && ir.cflag && !ir.code)
        /* sh -c STR: the shell only wraps STR; report what STR runs */
        return ir.operand < n ? recurse(p, w[ir.operand].text, cwd) : MS_OK;
    ms_err e = add_prog(p->out, w[0].text, cwd, NULL);
    if (e || ir.code)
        return e;
    const char *script = ir.script;
    if (!script && !ir.stdin_flag && ir.operand < n)
        script = w[ir.operand].text;
    if (!script || strcmp(script, "-") == 0) {
        /* reads the program from stdin: cron's '%' text unless piped */
        if (it->shell && p->depth == 0 && p->prev_sep != T_PIPE)
            p->out->stdin_shell = 1;
        return MS_OK;
    }
    return add_prog(p->out, script, cwd, w[0].text);
}

/* Wrappers: programs that run another command given after their options. */
enum wkind { W_PLAIN, W_COMMAND, W_NOCMD_P, W_ENV, W_FLOCK, W_SU };

typedef struct wrapper {
    const char *name;
    const char *argopts;
    const longopt *longs;
    int positional;      /* operands before the command (timeout DURATION) */
    enum wkind kind;
} wrapper;

static const longopt nice_longs[] = { { "--adjustment", 'n', 1 },
                                      { NULL, 0, 0 } };
static const longopt timeout_longs[] = { { "--signal", 's', 1 },
                                         { "--kill-after", 'k', 1 },
                                         { NULL, 0, 0 } };
static const longopt ionice_longs[] = { { "--class", 'c', 1 },
                                        { "--classdata", 'n', 1 },
                                        { "--pid", 'p', 1 },
                                        { "--pgid", 'P', 1 },
                                        { "--uid", 'u', 1 }, { NULL, 0, 0 } };
static const longopt time_longs[] = { { "--format", 'f', 1 },
                                      { "--output", 'o', 1 },
                                      { NULL, 0, 0 } };
static const longopt stdbuf_longs[] = { { "--input", 'i', 1 },
                                        { "--output", 'o', 1 },
                                        { "--error", 'e', 1 },
                                        { NULL, 0, 0 } };
static const longopt sudo_longs[] = {
    { "--user", 'u', 1 }, { "--group", 'g', 1 }, { "--prompt", 'p', 1 },
    { "--close-from", 'C', 1 }, { "--chdir", 'D', 1 }, { "--host", 'h', 1 },
    { "--role", 'r', 1 }, { "--type", 't', 1 }, { "--other-user", 'U', 1 },
    { "--command-timeout", 'T', 1 }, { "--chroot", 'R', 1 }, { NULL, 0, 0 }
};
static const longopt env_longs[] = { { "--unset", 'u', 1 },
                                     { "--chdir", 'C', 1 },
                                     { "--split-string", 'S', 1 },
                                     { NULL, 0, 0 } };
static const longopt flock_longs[] = { { "--timeout", 'w', 1 },
                                       { "--wait", 'w', 1 },
                                       { "--conflict-exit-code", 'E', 1 },
                                       { "--command", 'c', 1 },
                                       { NULL, 0, 0 } };
static const longopt su_longs[] = { { "--command", 'c', 1 },
                                    { "--shell", 's', 1 },
                                    { "--group", 'g', 1 },
                                    { "--supp-group", 'G', 1 },
                                    { "--user", 'u', 1 }, { NULL, 0, 0 } };

static const wrapper wrappers[] = {
    { "nice", "n", nice_longs, 0, W_PLAIN },
    { "nohup", "", NULL, 0, W_PLAIN },
    { "timeout", "sk", timeout_longs, 1, W_PLAIN },
    { "ionice", "cnpPu", ionice_longs, 0, W_NOCMD_P },
    { "exec", "a", NULL, 0, W_PLAIN },
    { "command", "", NULL, 0, W_COMMAND },
    { "time", "fo", time_longs, 0, W_PLAIN },
    { "setsid", "", NULL, 0, W_PLAIN },
    { "stdbuf", "ioe", stdbuf_longs, 0, W_PLAIN },
    { "chronic", "", NULL, 0, W_PLAIN },
    { "nocache", "", NULL, 0, W_PLAIN },
    { "taskset", "", NULL, 1, W_NOCMD_P },
    { "sudo", "ugpCDhrtTUR", sudo_longs, 0, W_PLAIN },
    { "doas", "uC", NULL, 0, W_PLAIN },
    { "env", "uCS", env_longs, 0, W_ENV },
    { "flock", "wEc", flock_longs, 1, W_FLOCK },
    { "su", "csgGu", su_longs, 0, W_SU },
    { "runuser", "csgGu", su_longs, 0, W_SU },
    { NULL, NULL, NULL, 0, W_PLAIN }
};

static const char *const builtins[] = {
    "test", "[", "[[", "]]", "true", "false", ":", "echo", "printf", "exit",
    "return", "export", "unset", "set", "shift", "read", "local", "declare",
    "typeset", "readonly", "wait", "kill", "trap", "umask", "ulimit",
    "alias", "unalias", "type", "hash", "pwd", "let", "getopts", "break",
    "continue", "shopt", "builtin", "jobs", "fg", "bg", "disown", "times",
    "enable", "help", "mapfile", "readarray", "dirs", "pushd", "popd",
    "history", "logout", "suspend", "caller", "compgen", "complete", NULL
};

/* su/runuser: only "-c STR" runs something we can name.  GNU getopt
 * permutes, so the user name may come before the options. */
static ms_err do_su(parser *p, const word *w, size_t n, const char *cwd)
{
    for (size_t i = 1; i < n; i++) {
        optres r;
        size_t k = scan_opts(w + i, n - i, "csgGu", su_longs, &r);
        if (r.arg['c'])
            return recurse(p, r.arg['c'], cwd);
        i += k;  /* skip the user name (or other operand) too */
    }
    return MS_OK;
}

/* Apply a wrapper at w[0]; *skip = words to drop before the wrapped
 * command, 0 when the wrapper was fully handled (nothing further runs).
 * *local_cwd may be set for env -C. */
static ms_err do_wrapper(parser *p, const wrapper *wr, const word *w,
                         size_t n, size_t *skip, char **local_cwd)
{
    optres r;
    const char *cwd = *local_cwd ? *local_cwd : p->cwd;
    size_t i = 1 + scan_opts(w + 1, n - 1, wr->argopts, wr->longs, &r);

    *skip = 0;
    if (wr->kind == W_SU)
        return do_su(p, w, n, cwd);
    if (wr->kind == W_COMMAND && (r.seen['v'] || r.seen['V']))
        return MS_OK;                   /* a lookup, runs nothing */
    if (wr->kind == W_NOCMD_P && (r.seen['p'] || r.seen['P'] ||
                                  (r.seen['u'] && wr->argopts[0])))
        return MS_OK;                   /* ionice/taskset on a pid/uid */
    if (wr->kind == W_FLOCK && r.arg['c'])
        return recurse(p, r.arg['c'], cwd);
    if (wr->kind == W_ENV && r.arg['C']) {
        char *d = join_dir(cwd, r.arg['C']);
        if (!d)
            return MS_ERR_NOMEM;
        free(*local_cwd);
        *local_cwd = d;
        cwd = d;
    }
    while (wr->kind == W_ENV && i < n && strcmp(w[i].text, "-") == 0)
        i++;                            /* "env -" is env -i */
    if (wr->kind == W_ENV && r.arg['S']) {
        while (i < n && is_assignment(&w[i]))
            i++;
        char *s = join_words(w + i, n - i, r.arg['S']);
        ms_err e = recurse(p, s, cwd);
        free(s);
        return e;
    }
    i += (size_t)wr->positional;
    if (wr->kind == W_FLOCK && i < n &&
        (strcmp(w[i].text, "-c") == 0 || strcmp(w[i].text, "--command") == 0))
        return i + 1 < n ? recurse(p, w[i + 1].text, cwd) : MS_OK;
    *skip = i < n ? i : 0;
    return MS_OK;
}

static const wrapper *find_wrapper(const char *base)
{
    for (const wrapper *wr = wrappers; wr->name; wr++)
        if (strcmp(base, wr->name) == 0)
            return wr;
    return NULL;
}

/* The command word and arguments after keywords and assignments. */
static ms_err run_command(parser *p, const word *w, size_t n, enum tok sep)
{
    char *local_cwd = NULL;
    ms_err e = MS_OK;

    for (int guard = 0; n > 0 && guard < MAX_WRAPS; guard++) {
        while (n > 0 && is_assignment(w)) {
            w++;
            n--;
        }
        if (n == 0 || w->subst_only || !w->text[0])
            break;
        const char *cwd = local_cwd ? local_cwd : p->cwd;
        const char *t = w->text, *base = base_name(t);
        int bare = strchr(t, '/') == NULL;
        const wrapper *wr = find_wrapper(base);
        const interp *it = find_interp(base);
        size_t skip = 0;
        if (bare && strcmp(t, "cd") == 0)
            e = do_cd(p, w + 1, n - 1, sep);
        else if (wr && (bare || (strcmp(base, "exec") &&
                                 strcmp(base, "command")))) {
            if (!(e = do_wrapper(p, wr, w, n, &skip, &local_cwd)) && skip) {
                w += skip;
                n -= skip;
                continue;
            }
        } else if (it)
            e = do_interp(p, it, w, n, cwd);
        else if (bare && strcmp(t, "eval") == 0) {
            char *s = join_words(w + 1, n - 1, NULL);
            e = recurse(p, s, cwd);
            free(s);
        } else if (bare && (strcmp(t, ".") == 0 || strcmp(t, "source") == 0))
            e = n > 1 ? add_prog(p->out, w[1].text, cwd, t) : MS_OK;
        else if (!(bare && in_list(t, builtins)))
            e = add_prog(p->out, t, cwd, NULL);
        break;
    }
    free(local_cwd);
    return e;
}

static const char *const kw_prefix[] = {
    "if", "then", "elif", "else", "do", "while", "until", "!", "{", "}",
    "fi", "done", "esac", "time", NULL
};
static const char *const kw_header[] = {
    "for", "select", "case", "function", NULL
};

/* [[ a && b ]] is one test, but the lexer splits it at && and ||:
 * skip everything up to the closing ]]. */
static int in_test(parser *p, const word *w, size_t n)
{
    static const char *const open_test[] = { "[[", NULL };
    if (!p->in_dbracket && !(n && is_reserved(&w[0], open_test)))
        return 0;
    p->in_dbracket = 1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].text, "]]") == 0)
            p->in_dbracket = 0;
    return 1;
}

/* The program a test looks for: "[ -x P ]", "[[ -x P ]]" (bash, ksh),
 * "test -f P", "command -v P", "which P", "type P", "hash P"; NULL if w
 * is no such test.  Operators: -x -f -e -s -r, the ones that fail for an
 * absent file. */
static const char *guard_word(const word *w, size_t n)
{
    static const char *const ops[] = { "-x", "-f", "-e", "-s", "-r", NULL };
    static const char *const lookups[] = { "which", "type", "hash", NULL };
    if (n == 4 && strcmp(w[0].text, "[") == 0 && in_list(w[1].text, ops) &&
        strcmp(w[3].text, "]") == 0)
        return w[2].text;
    if (n == 4 && strcmp(w[0].text, "[[") == 0 && in_list(w[1].text, ops) &&
        strcmp(w[3].text, "]]") == 0)
        return w[2].text;
    if (n == 3 && strcmp(w[0].text, "test") == 0 && in_list(w[1].text, ops))
        return w[2].text;
    if (n == 3 && strcmp(w[0].text, "command") == 0 &&
        (strcmp(w[1].text, "-v") == 0 || strcmp(w[1].text, "-V") == 0))
        return w[2].text;
    if (n == 2 && in_list(w[0].text, lookups))
        return w[1].text;
    return NULL;
}

static void drop_guards(parser *p, int kind)
{
    int k = 0;
    for (int i = 0; i < p->nguard; i++) {
        if (p->guard_kind[i] == kind) {
            free(p->guard[i]);
            continue;
        }
        p->guard[k] = p->guard[i];
        p->guard_kind[k++] = p->guard_kind[i];
    }
    p->nguard = k;
}

static ms_err push_guard(parser *p, const char *name, int kind)
{
    if (p->nguard >= MAX_GUARDS)
        return MS_OK;
    if (!(p->guard[p->nguard] = ms_strdup(name)))
        return MS_ERR_NOMEM;
    p->guard_kind[p->nguard++] = kind;
    return MS_OK;
}

static ms_err analyze_cmd(parser *p, const word *w, size_t n, enum tok sep);

/* Guards around one simple command: a test starts one, the programs of
 * the next commands are marked when a guard names them. */
static ms_err analyze(parser *p, const word *w, size_t n, enum tok sep)
{
    size_t skip = 0;
    int from_if = 0;
    ms_err e = MS_OK;

    while (skip < n && (strcmp(w[skip].text, "if") == 0 ||
                        strcmp(w[skip].text, "elif") == 0 ||
                        strcmp(w[skip].text, "then") == 0 ||
                        strcmp(w[skip].text, "fi") == 0)) {
        from_if |= w[skip].text[0] != 't' && w[skip].text[0] != 'f';
        if (strcmp(w[skip].text, "fi") == 0)
            drop_guards(p, G_IF);
        skip++;
    }
    if (from_if)   /* "[ -x P ] && if ...; then P; fi": lasts to fi */
        for (int k = 0; k < p->nguard; k++)
            if (p->guard_kind[k] == G_CHAIN)
                p->guard_kind[k] = G_IF;
    const char *g = guard_word(w + skip, n - skip);
    if (p->or_guard) {
        if (n - skip >= 1 && (strcmp(w[skip].text, "exit") == 0 ||
                              strcmp(w[skip].text, "return") == 0))
            e = push_guard(p, p->or_guard, G_EXIT);
        free(p->or_guard);
        p->or_guard = NULL;
    }
    if (!e && g) {
        if (sep == T_AND)
            e = push_guard(p, g, G_CHAIN);
        else if (from_if && sep == T_SEMI)
            e = push_guard(p, g, G_IF);
        else if (sep == T_OR && !(p->or_guard = ms_strdup(g)))
            e = MS_ERR_NOMEM;
    }
    size_t before = p->out->n;
    if (!e)
        e = analyze_cmd(p, w, n, sep);
    for (size_t i = before; !e && i < p->out->n; i++)
        for (int k = 0; k < p->nguard; k++)
            if (p->out->v[i].word && strcmp(p->out->v[i].word,
                                            p->guard[k]) == 0)
                p->out->v[i].guarded = 1;
    if (!g && sep != T_AND)
        drop_guards(p, G_CHAIN);
    p->prev_sep = sep;
    return e;
}

static ms_err analyze_cmd(parser *p, const word *w, size_t n, enum tok sep)
{
    size_t i = 0;
    while (i < n && is_reserved(&w[i], kw_prefix)) {
        if (strcmp(w[i].text, "esac") == 0)
            p->in_case = 0;
        if (strcmp(w[i].text, "time") == 0)
            break;             /* let the wrapper code skip "time -p" */
        i++;
    }
    if (in_test(p, w + i, n - i))
        return MS_OK;
    if (i < n && is_reserved(&w[i], kw_header)) {
        if (strcmp(w[i].text, "case") == 0)
            p->in_case = 1;
        return MS_OK;          /* loop/case header or function name */
    }
    if (p->in_case && sep == T_RPAREN)
        return MS_OK;          /* a case pattern such as "start)" */
    return run_command(p, w + i, n - i, sep);
}

static void free_words(word *w, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free(w[i].text);
    *n = 0;
}

/* End of a simple command: analyse it, then the substitutions it held. */
static ms_err finish(parser *p, lexer *lx, word *w, size_t *n, enum tok sep)
{
    ms_err e = *n ? analyze(p, w, *n, sep) : MS_OK;
    free_words(w, n);
    for (size_t i = 0; i < lx->nsubs; i++) {
        if (!e)
            e = recurse(p, lx->subs[i], p->cwd);
        free(lx->subs[i]);
    }
    lx->nsubs = 0;
    return e;
}

/* ( opens a subshell: cd inside it does not last. */
static ms_err open_paren(parser *p)
{
    if (p->nparen++ >= MAX_NEST)
        return MS_OK;
    char *c = p->cwd ? ms_strdup(p->cwd) : NULL;
    if (p->cwd && !c)
        return MS_ERR_NOMEM;
    p->saved[p->nsaved++] = c;
    return MS_OK;
}

static void close_paren(parser *p)
{
    if (p->in_case || p->nparen == 0)
        return;                 /* case pattern or stray ) */
    if (p->nparen-- > MAX_NEST)
        return;
    free(p->cwd);
    p->cwd = p->saved[--p->nsaved];
}

static ms_err parse_loop(parser *p, lexer *lx, word *words, size_t *nw)
{
    ms_err e = MS_OK;
    enum tok t = T_WORD;

    while (!e && t != T_END) {
        word w = { 0 };
        if ((e = next_token(lx, &t, &w)))
            break;
        if (t == T_WORD) {
            if (*nw < MAX_WORDS)
                words[(*nw)++] = w;
            else
                free(w.text);
        } else if (t == T_LPAREN && *nw > 0) {
            free_words(words, nw);      /* "name ()": a function definition;
                                           its body is parsed as usual */
        } else if (t == T_LPAREN) {
            e = open_paren(p);
        } else {
            e = finish(p, lx, words, nw, t);
            if (!e && t == T_RPAREN)
                close_paren(p);
        }
    }
    return e;
}

static ms_err parse_string(prog_list *out, const char *s, size_t len,
                           const char *cwd, int depth)
{
    parser p = { .out = out, .depth = depth };
    lexer lx = { .s = s, .len = len };
    word *words = NULL;
    size_t nw = 0;
    ms_err e = MS_ERR_NOMEM;

    if (depth > MS_CMD_MAX_DEPTH) {
        out->limited = 1;
        return MS_OK;
    }
    if (cwd && !(p.cwd = ms_strdup(cwd)))
        goto _exit;
    if (!(words = calloc(MAX_WORDS, sizeof *words)))
        goto _exit;
    e = parse_loop(&p, &lx, words, &nw);
_exit:
    if (words)
        free_words(words, &nw);
    free(words);
    for (size_t i = 0; i < lx.nsubs; i++)
        free(lx.subs[i]);
    while (p.nsaved > 0)
        free(p.saved[--p.nsaved]);
    while (p.nguard > 0)
        free(p.guard[--p.nguard]);
    free(p.or_guard);
    free(p.cwd);
    if (lx.limited)
        out->limited = 1;
    return e;
}

ms_err ms_cron_command_programs_ex(const char *command, ms_cmd_prog **progs,
                                   size_t *n, int *truncated)
{
    prog_list pl = { 0 };

    if (truncated)
        *truncated = 0;
    if (!progs || !n)
        return MS_ERR_ARG;
    *progs = NULL;
    *n = 0;
    if (!command)
        return MS_ERR_ARG;
    size_t len = strnlen(command, MS_CMD_MAX_LEN + 1);
    if (len > MS_CMD_MAX_LEN) {
        if (truncated)
            *truncated = 1;
        return MS_ERR_LIMIT;
    }
    ms_err e = parse_string(&pl, command, len, NULL, 0);
    if (e) {
        ms_cmd_progs_free(pl.v, pl.n);
        return e;
    }
    *progs = pl.v;
    *n = pl.n;
    if (truncated)
        *truncated = pl.limited;
    return MS_OK;
}

ms_err ms_cron_command_programs(const char *command, ms_cmd_prog **progs,
                                size_t *n)
{
    return ms_cron_command_programs_ex(command, progs, n, NULL);
}

int ms_cron_command_reads_stdin(const char *command)
{
    prog_list pl = { 0 };
    if (!command)
        return 0;
    size_t len = strnlen(command, MS_CMD_MAX_LEN + 1);
    if (len > MS_CMD_MAX_LEN)
        return 0;
    ms_err e = parse_string(&pl, command, len, NULL, 0);
    ms_cmd_progs_free(pl.v, pl.n);
    return e == MS_OK && pl.stdin_shell;
}

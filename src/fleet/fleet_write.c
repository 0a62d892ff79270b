/* fleet_write.c - the fleet report as text, JSON and CSV, the retro-hunt
 * report, and the format table. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/ms_mem.h"
#include "fleet/fleet_report.h"
#include "fleet/fleet_util.h"
#include "report/escape.h"
#include "report/timefmt.h"

static const struct { const char *name, *file; } fmts[MS_FF_MAX] = {
    { "text", "fleet.txt" },   { "json", "fleet.json" },
    { "csv", "fleet.csv" },    { "html", "fleet.html" },
    { "sqlite", "fleet.sqlite" }, { "stix", "fleet.stix.json" },
    { "misp", "fleet.misp.json" },
};

int ms_fleet_format_parse(const char *name)
{
    for (int i = 0; i < MS_FF_MAX; i++)
        if (strcmp(name, fmts[i].name) == 0)
            return i;
    return -1;
}

const char *ms_fleet_format_name(int fmt)
{
    return fmt >= 0 && fmt < MS_FF_MAX ? fmts[fmt].name : "?";
}

const char *ms_fleet_format_filename(int fmt)
{
    return fmt >= 0 && fmt < MS_FF_MAX ? fmts[fmt].file : "fleet.out";
}

ms_err ms_fleet_by_month(const ms_fleet *f, char ***keys, size_t **counts,
                         size_t *n)
{
    char **k = NULL;
    size_t *c = NULL, cap = 0, ccap = 0;
    *n = 0;
    for (size_t i = 0; i < f->nhosts; i++) {
        const ms_ftime *t = &f->hosts[i].first_infection;
        if (!t->set)
            continue;
        char buf[MS_TIME_BUFSZ], *key;
        ms_fleet_time_str(t, buf);
        char *tpos = strchr(buf + 1, 'T');
        if (!tpos || tpos - buf < 3)
            continue;
        key = ms_strndup(buf, (size_t)(tpos - buf) - 3);   /* YYYY-MM */
        if (!key)
            goto _nomem;
        size_t j = 0;
        while (j < *n && strcmp(k[j], key) != 0)
            j++;
        if (j < *n) {
            c[j]++;
            free(key);
            continue;
        }
        if (ms_grow((void **)&k, &cap, *n + 1, sizeof *k) != MS_OK ||
            ms_grow((void **)&c, &ccap, *n + 1, sizeof *c) != MS_OK) {
            free(key);
            goto _nomem;
        }
        k[*n] = key;
        c[*n] = 1;
        (*n)++;
    }
    /* sort by key (insertion: few months) */
    for (size_t i = 1; i < *n; i++)
        for (size_t j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
            char *tk = k[j]; k[j] = k[j - 1]; k[j - 1] = tk;
            size_t tc = c[j]; c[j] = c[j - 1]; c[j - 1] = tc;
        }
    *keys = k;
    *counts = c;
    return MS_OK;
_nomem:
    for (size_t i = 0; i < *n; i++)
        free(k[i]);
    free(k);
    free(c);
    *n = 0;
    return MS_ERR_NOMEM;
}

/* ---- text ------------------------------------------------------------- */

typedef struct tw {
    FILE *out;
    int   bad;
} tw;

static void tput(tw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tput(tw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(w->out, fmt, ap) < 0)
        w->bad = 1;
    va_end(ap);
}

/* escaped string for the terminal; "-" when absent */
static void tstr(tw *w, const char *s)
{
    if (!s) {
        tput(w, "-");
        return;
    }
    char *e = ms_escape_text(s, strlen(s));
    if (!e) {
        w->bad = 1;
        return;
    }
    tput(w, "%s", e);
    free(e);
}

static void ttime(tw *w, const ms_ftime *t)
{
    char buf[MS_TIME_BUFSZ];
    ms_fleet_time_str(t, buf);
    tput(w, "%s", t->set ? buf : "unknown");
}

static void counts(const ms_fleet *f, size_t by_verdict[5])
{
    memset(by_verdict, 0, 5 * sizeof *by_verdict);
    for (size_t i = 0; i < f->nhosts; i++)
        by_verdict[ms_fleet_verdict_rank(f->hosts[i].verdict)]++;
}

typedef ms_fleet_oscount oscount;
static int cmp_os(const void *a, const void *b)
{
    const oscount *x = a, *y = b;
    return strcmp(x->os, y->os);
}
ms_fleet_oscount *ms_fleet_by_os(const ms_fleet *f, size_t *n)
{
    oscount *v = calloc(f->nhosts + 1, sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < f->nhosts; i++) {
        const char *os = f->hosts[i].os ? f->hosts[i].os : "unknown";
        size_t j = 0;
        while (j < *n && strcmp(v[j].os, os) != 0)
            j++;
        if (j == *n)
            v[(*n)++] = (oscount){ os, 0 };
        v[j].n++;
    }
    qsort(v, *n, sizeof *v, cmp_os);
    return v;
}

static const char *const vnames[5] = { "malicious", "suspicious", "incomplete",
                                       "clean", "unknown" };

ms_err ms_fleet_write_text(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run)
{
    tw w = { out, 0 };
    size_t bv[5], nos = 0;
    char gen[MS_TIME_BUFSZ];
    ms_time_format(run->generated, 0, gen);
    counts(f, bv);
    tput(&w, "mumblescan %s fleet report\n", run->version);
    tput(&w, "Generated:  %s\n", gen);
    tput(&w, "Results:    %zu read, %zu hosts (distinct evidence), %zu refused\n",
         f->ninputs, f->nhosts, f->nrefused);
    tput(&w, "Machines:   %zu (results sharing an SSH host key or "
             "machine-id are one machine)\n", f->nmachines);
    tput(&w, "Digest:     %s (SHA-256 over the sorted input SHA-256s)\n", f->digest);
    tput(&w, "Verdicts:   %zu malicious, %zu suspicious, %zu incomplete, %zu clean\n",
         bv[0], bv[1], bv[2], bv[3]);
    oscount *os = ms_fleet_by_os(f, &nos);
    tput(&w, "OS releases:\n");
    for (size_t i = 0; os && i < nos; i++) {
        tput(&w, "  %6zu  ", os[i].n);
        tstr(&w, os[i].os);
        tput(&w, "\n");
    }
    free(os);

    tput(&w, "\n== Machines (snapshots of one host folded) ==\n");
    for (size_t i = 0; i < f->nmachines; i++) {
        const ms_fmachine *m = &f->machines[i];
        tput(&w, "\n(M%zu) ", i + 1);
        tstr(&w, m->hostname ? m->hostname : "(no host name)");
        tput(&w, "  %s  %zu result%s", m->verdict ? m->verdict : "-",
             m->nhosts, m->nhosts == 1 ? "" : "s");
        if (m->nhosts > 1)
            tput(&w, " (recognised by %s)", m->by);
        tput(&w, "\n  first infection: ");
        ttime(&w, &m->first_infection);
        tput(&w, "  last activity: ");
        ttime(&w, &m->last_activity);
        tput(&w, "\n  results:");
        for (size_t k = 0; k < m->nhosts; k++)
            tput(&w, " [%zu]", f->hosts[m->hosts[k]].id);
        tput(&w, "\n");
    }

    tput(&w, "\n== Hosts ==\n");
    for (size_t i = 0; i < f->nhosts; i++) {
        const ms_fhost *h = &f->hosts[i];
        tput(&w, "\n[%zu] ", h->id);
        tstr(&w, ms_fhost_name(h));
        tput(&w, "  %s\n", h->verdict);
        tput(&w, "  OS: ");
        tstr(&w, h->os);
        tput(&w, "  machine-id: ");
        tstr(&w, h->machine_id);
        tput(&w, "\n  machine: M%zu  evidence: %s  image: ", h->machine,
             h->evidence);
        tstr(&w, h->image);
        tput(&w, "\n  first infection: ");
        ttime(&w, &h->first_infection);
        tput(&w, "  last activity: ");
        ttime(&w, &h->last_activity);
        tput(&w, "\n");
        for (size_t k = 0; k < h->naddresses; k++) {
            tput(&w, "  address: ");
            tstr(&w, h->addresses[k]);
            tput(&w, "\n");
        }
        for (size_t k = 0; k < h->nssh_keys; k++) {
            tput(&w, "  ssh host key: ");
            tstr(&w, h->ssh_keys[k]);
            tput(&w, "\n");
        }
        for (size_t k = 0; k < h->nsamples; k++) {
            const ms_fsample *s = &h->samples[k];
            tput(&w, "  sample %s %s ", s->sha256, s->verdict ? s->verdict : "-");
            tstr(&w, s->path);
            if (s->script_sha256)
                tput(&w, " (script %s)", s->script_sha256);
            tput(&w, "\n");
        }
        for (size_t k = 0; k < h->ncrons; k++) {
            const ms_fcron *c = &h->crons[k];
            tput(&w, "  cron ");
            tstr(&w, c->file);
            tput(&w, ":%ld ", c->line);
            tstr(&w, c->schedule);
            tput(&w, " ");
            tstr(&w, c->command);
            tput(&w, "\n");
        }
        for (size_t k = 0; k < h->nindicators; k++) {
            tput(&w, "  C&C %s ", h->indicators[k].type);
            tstr(&w, h->indicators[k].value);
            tput(&w, " (%s)\n", h->indicators[k].klass);
        }
        for (size_t k = 0; k < h->ngaps; k++) {
            tput(&w, "  not examined: ");
            tstr(&w, h->gaps[k].what);
            tput(&w, ": ");
            tstr(&w, h->gaps[k].why);
            tput(&w, "\n");
        }
        for (size_t k = 0; k < h->ndup; k++) {
            tput(&w, "  duplicate result (same evidence): ");
            tstr(&w, h->dup_inputs[k]);
            tput(&w, "\n");
        }
    }

    const struct { const char *title; const ms_fgroup *g; size_t n; } views[] = {
        { "Samples", x->samples, x->nsamples },
        { "Indicators", x->indicators, x->nindicators },
        { "Cron lines", x->crons, x->ncrons },
    };
    for (size_t v = 0; v < 3; v++) {
        tput(&w, "\n== %s ==\n", views[v].title);
        for (size_t i = 0; i < views[v].n; i++) {
            const ms_fgroup *g = &views[v].g[i];
            tput(&w, "\n");
            if (v == 1)
                tput(&w, "%s ", g->sub);
            tstr(&w, g->key);
            if (v == 0 && g->sub)
                tput(&w, " (script %s)", g->sub);
            tput(&w, "\n  hosts: %zu  first seen: ", g->nrefs);
            ttime(&w, &g->first);
            tput(&w, "  last seen: ");
            ttime(&w, &g->last);
            tput(&w, "\n");
            for (size_t r = 0; r < g->nrefs; r++) {
                tput(&w, "    [%zu] ", f->hosts[g->refs[r].host].id);
                tstr(&w, ms_fhost_name(&f->hosts[g->refs[r].host]));
                tput(&w, "  ");
                ttime(&w, &g->refs[r].first);
                tput(&w, "\n");
            }
        }
    }

    tput(&w, "\n== Campaigns (hosts sharing a sample, cron line or C&C) ==\n");
    for (size_t i = 0; i < x->ncampaign; i++) {
        const ms_fgroup *g = x->campaign[i];
        tput(&w, "%6zu hosts  %-9s ", g->nrefs, g->kind);
        tstr(&w, g->key);
        tput(&w, "\n         first seen ");
        ttime(&w, &g->first);
        tput(&w, " on [%zu] ", f->hosts[g->earliest].id);
        tstr(&w, ms_fhost_name(&f->hosts[g->earliest]));
        tput(&w, " (earliest known victim)\n");
    }

    tput(&w, "\n== Inputs ==\n");
    for (size_t i = 0; i < f->nhosts; i++) {
        tput(&w, "%s  ", f->hosts[i].input_sha256);
        tstr(&w, f->hosts[i].input_path);
        tput(&w, "  host [%zu]\n", f->hosts[i].id);
    }
    for (size_t i = 0; i < f->nrefused; i++) {
        tput(&w, "refused  ");
        tstr(&w, f->refused[i].path);
        tput(&w, ": ");
        tstr(&w, f->refused[i].why);
        tput(&w, "\n");
    }
    return w.bad ? MS_ERR_IO : MS_OK;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jtime(const ms_ftime *t)
{
    char buf[MS_TIME_BUFSZ];
    if (!t->set)
        return json_null();
    ms_fleet_time_str(t, buf);
    return json_string(buf);
}

static json_t *jstrv(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *jgroup(const ms_fleet *f, const ms_fgroup *g, int kind)
{
    {
        json_t *o = json_object();
        if (kind == 0) {
            json_object_set_new(o, "sha256", json_string(g->key));
            json_object_set_new(o, "script_sha256", jstr(g->sub));
            json_object_set_new(o, "kind", jstr(g->klass));
        } else if (kind == 1) {
            json_object_set_new(o, "type", jstr(g->sub));
            json_object_set_new(o, "value", json_string(g->key));
            json_object_set_new(o, "class", jstr(g->klass));
        } else {
            json_object_set_new(o, "line", json_string(g->key));
        }
        json_object_set_new(o, "hosts", json_integer((json_int_t)g->nrefs));
        json_object_set_new(o, "first_seen", jtime(&g->first));
        json_object_set_new(o, "last_seen", jtime(&g->last));
        json_object_set_new(o, "earliest_host",
                            json_integer((json_int_t)f->hosts[g->earliest].id));
        json_t *seen = json_array();
        for (size_t r = 0; r < g->nrefs; r++) {
            json_t *s = json_object();
            const ms_fhost *h = &f->hosts[g->refs[r].host];
            json_object_set_new(s, "host", json_integer((json_int_t)h->id));
            json_object_set_new(s, "hostname", jstr(h->hostname));
            json_object_set_new(s, "detail", jstr(g->refs[r].detail));
            json_object_set_new(s, "first_seen", jtime(&g->refs[r].first));
            json_object_set_new(s, "last_seen", jtime(&g->refs[r].last));
            json_array_append_new(seen, s);
        }
        json_object_set_new(o, "seen_on", seen);
        return o;
    }
}

static json_t *jhost(const ms_fhost *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer((json_int_t)h->id));
    json_object_set_new(o, "machine", json_integer((json_int_t)h->machine));
    json_object_set_new(o, "hostname", jstr(h->hostname));
    json_object_set_new(o, "os", jstr(h->os));
    json_object_set_new(o, "machine_id", jstr(h->machine_id));
    json_object_set_new(o, "addresses", jstrv(h->addresses, h->naddresses));
    json_object_set_new(o, "ssh_host_keys", jstrv(h->ssh_keys, h->nssh_keys));
    json_object_set_new(o, "evidence", json_string(h->evidence));
    json_object_set_new(o, "image", jstr(h->image));
    json_object_set_new(o, "image_format", jstr(h->image_format));
    json_object_set_new(o, "media_size", json_integer((json_int_t)h->media_size));
    json_object_set_new(o, "evidence_id", jstr(h->case_id));
    json_object_set_new(o, "verdict", json_string(h->verdict));
    json_object_set_new(o, "exit_status", json_integer(h->exit_status));
    json_object_set_new(o, "first_infection", jtime(&h->first_infection));
    json_object_set_new(o, "last_activity", jtime(&h->last_activity));
    json_t *a = json_array();
    for (size_t k = 0; k < h->nsamples; k++) {
        const ms_fsample *s = &h->samples[k];
        json_t *so = json_object();
        json_object_set_new(so, "sha256", json_string(s->sha256));
        json_object_set_new(so, "script_sha256", jstr(s->script_sha256));
        json_object_set_new(so, "kind", jstr(s->kind));
        json_object_set_new(so, "path", jstr(s->path));
        json_object_set_new(so, "verdict", jstr(s->verdict));
        json_object_set_new(so, "size", json_integer((json_int_t)s->size));
        json_object_set_new(so, "first_seen", jtime(&s->first));
        json_object_set_new(so, "last_seen", jtime(&s->last));
        json_array_append_new(a, so);
    }
    json_object_set_new(o, "samples", a);
    a = json_array();
    for (size_t k = 0; k < h->ncrons; k++) {
        const ms_fcron *c = &h->crons[k];
        json_t *co = json_object();
        json_object_set_new(co, "file", jstr(c->file));
        json_object_set_new(co, "line", json_integer(c->line));
        json_object_set_new(co, "user", jstr(c->user));
        json_object_set_new(co, "schedule", jstr(c->schedule));
        json_object_set_new(co, "command", jstr(c->command));
        json_object_set_new(co, "crontab_mtime", jtime(&c->first));
        json_array_append_new(a, co);
    }
    json_object_set_new(o, "cron_lines", a);
    a = json_array();
    for (size_t k = 0; k < h->nindicators; k++) {
        json_t *io = json_object();
        json_object_set_new(io, "type", json_string(h->indicators[k].type));
        json_object_set_new(io, "value", json_string(h->indicators[k].value));
        json_object_set_new(io, "class", json_string(h->indicators[k].klass));
        json_array_append_new(a, io);
    }
    json_object_set_new(o, "indicators", a);
    a = json_array();
    for (size_t k = 0; k < h->ngaps; k++) {
        json_t *go = json_object();
        json_object_set_new(go, "what", json_string(h->gaps[k].what));
        json_object_set_new(go, "why", json_string(h->gaps[k].why));
        json_array_append_new(a, go);
    }
    json_object_set_new(o, "not_examined", a);
    json_t *in = json_object();
    json_object_set_new(in, "sha256", json_string(h->input_sha256));
    json_object_set_new(in, "path", jstr(h->input_path));
    json_object_set_new(in, "schema_version", jstr(h->schema_version));
    json_object_set_new(o, "result", in);
    a = json_array();
    for (size_t k = 0; k < h->ndup; k++) {
        json_t *d = json_object();
        json_object_set_new(d, "sha256", json_stringn(h->dup_inputs[k], 64));
        json_object_set_new(d, "path", json_string(h->dup_inputs[k] + 65));
        json_array_append_new(a, d);
    }
    json_object_set_new(o, "duplicates", a);
    return o;
}

static ms_err dump(FILE *out, json_t *root)
{
    int rc = root ? json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF)
        return MS_ERR_IO;
    return MS_OK;
}

/* v (consumed) as JSON_INDENT(2) writes it at `indent` columns deep. */
static int emit(FILE *out, json_t *v, int indent)
{
    char *s = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                JSON_ENCODE_ANY) : NULL;
    json_decref(v);
    if (!s)
        return 1;
    int bad = 0;
    /* JSON strings hold no raw newline: every one is layout */
    for (const char *p = s; *p && !bad; p++) {
        bad = fputc(*p, out) == EOF;
        if (*p == '\n')
            bad |= fprintf(out, "%*s", indent, "") < 0;
    }
    free(s);
    return bad;
}

static json_t *jcampaign(const ms_fleet *f, const ms_fgroup *g)
{
    const ms_fhost *e = &f->hosts[g->earliest];
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(g->kind));
    json_object_set_new(o, "key", json_string(g->key));
    json_object_set_new(o, "sub", jstr(g->sub));
    json_object_set_new(o, "hosts", json_integer((json_int_t)g->nrefs));
    json_object_set_new(o, "first_seen", jtime(&g->first));
    json_object_set_new(o, "earliest_host", json_integer((json_int_t)e->id));
    json_object_set_new(o, "earliest_hostname", jstr(e->hostname));
    json_t *hs = json_array();
    for (size_t r = 0; r < g->nrefs; r++)
        json_array_append_new(hs, json_integer((json_int_t)f->hosts[g->refs[r].host].id));
    json_object_set_new(o, "host_ids", hs);
    return o;
}

/* One host seen in one or more results: its snapshots, folded. */
static json_t *jmachine(const ms_fleet *f, size_t i)
{
    const ms_fmachine *m = &f->machines[i];
    json_t *o = json_object(), *ids = json_array();
    for (size_t k = 0; k < m->nhosts; k++)
        json_array_append_new(ids, json_integer(
            (json_int_t)f->hosts[m->hosts[k]].id));
    json_object_set_new(o, "id", json_integer((json_int_t)i + 1));
    json_object_set_new(o, "hostname", jstr(m->hostname));
    json_object_set_new(o, "recognised_by", json_string(m->by));
    json_object_set_new(o, "verdict", jstr(m->verdict));
    json_object_set_new(o, "first_infection", jtime(&m->first_infection));
    json_object_set_new(o, "last_activity", jtime(&m->last_activity));
    json_object_set_new(o, "results", json_integer((json_int_t)m->nhosts));
    json_object_set_new(o, "host_ids", ids);
    return o;
}

ms_err ms_fleet_write_json(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run)
{
    json_t *root = json_object();
    char gen[MS_TIME_BUFSZ];
    size_t bv[5], nos = 0;
    ms_time_format(run->generated, 0, gen);
    counts(f, bv);
    json_object_set_new(root, "fleet_schema_version", json_string(MS_FLEET_SCHEMA));
    json_t *tool = json_object();
    json_object_set_new(tool, "name", json_string("mumblescan"));
    json_object_set_new(tool, "version", json_string(run->version));
    json_object_set_new(root, "tool", tool);
    json_object_set_new(root, "generated", json_string(gen));

    json_t *inputs = json_object();
    json_object_set_new(inputs, "results_read", json_integer((json_int_t)f->ninputs));
    json_object_set_new(inputs, "digest", json_string(f->digest));
    json_object_set_new(inputs, "digest_method",
        json_string("SHA-256 of the concatenated lines \"<input SHA-256>\\n\", "
                    "inputs in ascending order of their SHA-256 (duplicates included)"));
    json_t *res = json_array();
    for (size_t i = 0; i < f->nhosts; i++) {
        const ms_fhost *h = &f->hosts[i];
        json_t *o = json_object();
        json_object_set_new(o, "sha256", json_string(h->input_sha256));
        json_object_set_new(o, "path", jstr(h->input_path));
        json_object_set_new(o, "size", json_integer((json_int_t)h->input_size));
        json_object_set_new(o, "host", json_integer((json_int_t)h->id));
        json_object_set_new(o, "duplicate_of", json_null());
        json_array_append_new(res, o);
        for (size_t k = 0; k < h->ndup; k++) {
            json_t *d = json_object();
            json_object_set_new(d, "sha256", json_stringn(h->dup_inputs[k], 64));
            json_object_set_new(d, "path", json_string(h->dup_inputs[k] + 65));
            json_object_set_new(d, "size", json_null());
            json_object_set_new(d, "host", json_integer((json_int_t)h->id));
            json_object_set_new(d, "duplicate_of", json_string(h->input_sha256));
            json_array_append_new(res, d);
        }
    }
    json_object_set_new(inputs, "results", res);
    json_t *ref = json_array();
    for (size_t i = 0; i < f->nrefused; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "path", json_string(f->refused[i].path));
        json_object_set_new(o, "why", json_string(f->refused[i].why));
        json_array_append_new(ref, o);
    }
    json_object_set_new(inputs, "refused", ref);
    json_object_set_new(root, "inputs", inputs);

    json_t *sum = json_object();
    json_object_set_new(sum, "hosts", json_integer((json_int_t)f->nhosts));
    json_object_set_new(sum, "machines", json_integer((json_int_t)f->nmachines));
    json_t *byv = json_object();
    for (int v = 0; v < 4; v++)
        json_object_set_new(byv, vnames[v], json_integer((json_int_t)bv[v]));
    json_object_set_new(sum, "by_verdict", byv);
    oscount *os = ms_fleet_by_os(f, &nos);
    json_t *byos = json_array();
    for (size_t i = 0; os && i < nos; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "os", json_string(os[i].os));
        json_object_set_new(o, "hosts", json_integer((json_int_t)os[i].n));
        json_array_append_new(byos, o);
    }
    free(os);
    json_object_set_new(sum, "by_os", byos);
    char **mk = NULL;
    size_t *mc = NULL, nm = 0;
    json_t *bym = json_array();
    if (ms_fleet_by_month(f, &mk, &mc, &nm) == MS_OK) {
        for (size_t i = 0; i < nm; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "month", json_string(mk[i]));
            json_object_set_new(o, "hosts", json_integer((json_int_t)mc[i]));
            json_array_append_new(bym, o);
            free(mk[i]);
        }
        free(mk);
        free(mc);
    }
    json_object_set_new(sum, "infections_by_month", bym);
    json_object_set_new(sum, "samples", json_integer((json_int_t)x->nsamples));
    json_object_set_new(sum, "indicators", json_integer((json_int_t)x->nindicators));
    json_object_set_new(sum, "cron_lines", json_integer((json_int_t)x->ncrons));
    json_object_set_new(root, "summary", sum);

    /* The head is small; the long arrays are written one element at a
     * time, so the writer holds one host or group, never the document. */
    char *head = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    size_t hl = head ? strlen(head) : 0;
    if (!head || hl < 2 || strcmp(head + hl - 2, "\n}") != 0) {
        free(head);
        return MS_ERR_IO;
    }
    head[hl - 2] = '\0';
    int bad = fputs(head, out) < 0;
    free(head);
    static const char *const names[] = { "hosts", "samples", "indicators",
                                         "cron_lines", "campaigns",
                                         "machines" };
    const size_t counts[] = { f->nhosts, x->nsamples, x->nindicators,
                              x->ncrons, x->ncampaign, f->nmachines };
    for (int a = 0; a < 6 && !bad; a++) {
        bad |= fprintf(out, ",\n  \"%s\": %s", names[a], counts[a] ? "[" : "[]") < 0;
        for (size_t i = 0; i < counts[a] && !bad; i++) {
            json_t *v = a == 0 ? jhost(&f->hosts[i]) :
                        a == 1 ? jgroup(f, &x->samples[i], 0) :
                        a == 2 ? jgroup(f, &x->indicators[i], 1) :
                        a == 3 ? jgroup(f, &x->crons[i], 2) :
                        a == 4 ? jcampaign(f, x->campaign[i]) :
                        jmachine(f, i);
            bad |= fputs(i ? ",\n    " : "\n    ", out) < 0;
            bad |= emit(out, v, 4);
        }
        if (counts[a])
            bad |= fputs("\n  ]", out) < 0;
    }
    bad |= fputs("\n}\n", out) < 0;
    return bad ? MS_ERR_IO : MS_OK;
}

/* ---- CSV (one row per host) ------------------------------------------- */

static int csv_field(FILE *out, const char *s)
{
    if (!s)
        return fputs("", out) < 0;
    char *e = ms_escape_text(s, strlen(s));
    if (!e)
        return 1;
    /* a leading = + - @ would be a formula in a spreadsheet */
    int bad = fputc('"', out) == EOF;
    if (strchr("=+-@", e[0]) && e[0])
        bad |= fputc('\'', out) == EOF;
    for (const char *p = e; *p && !bad; p++)
        bad = (*p == '"' ? fputs("\"\"", out) : fputc(*p, out)) < 0;
    bad |= fputc('"', out) == EOF;
    free(e);
    return bad;
}

ms_err ms_fleet_write_csv(FILE *out, const ms_fleet *f, const ms_findex *x,
                          const ms_fleet_run *run)
{
    (void)x;
    (void)run;
    int bad = fputs("host_id,hostname,os,machine_id,addresses,verdict,"
                    "first_infection,last_activity,samples,script_sha256,"
                    "cron_lines,indicators,not_examined,evidence,image,"
                    "result_sha256,duplicates\r\n", out) < 0;
    for (size_t i = 0; i < f->nhosts && !bad; i++) {
        const ms_fhost *h = &f->hosts[i];
        ms_buf b[6];
        memset(b, 0, sizeof b);
        for (size_t k = 0; k < h->naddresses; k++)
            ms_buf_printf(&b[0], "%s%s", k ? ";" : "", h->addresses[k]);
        for (size_t k = 0; k < h->nsamples; k++) {
            ms_buf_printf(&b[1], "%s%s", k ? ";" : "", h->samples[k].sha256);
            if (h->samples[k].script_sha256)
                ms_buf_printf(&b[2], "%s%s", b[2].len ? ";" : "",
                              h->samples[k].script_sha256);
        }
        for (size_t k = 0; k < h->ncrons; k++)
            ms_buf_printf(&b[3], "%s%s %s", k ? ";" : "",
                          h->crons[k].schedule ? h->crons[k].schedule : "",
                          h->crons[k].command ? h->crons[k].command : "");
        for (size_t k = 0; k < h->nindicators; k++)
            ms_buf_printf(&b[4], "%s%s", k ? ";" : "", h->indicators[k].value);
        for (size_t k = 0; k < h->ngaps; k++)
            ms_buf_printf(&b[5], "%s%s: %s", k ? ";" : "", h->gaps[k].what,
                          h->gaps[k].why);
        char t1[MS_TIME_BUFSZ], t2[MS_TIME_BUFSZ];
        ms_fleet_time_str(&h->first_infection, t1);
        ms_fleet_time_str(&h->last_activity, t2);
        bad |= fprintf(out, "%zu,", h->id) < 0;
        const char *cols[] = { h->hostname, h->os, h->machine_id, b[0].data,
                               h->verdict, t1, t2, b[1].data, b[2].data,
                               b[3].data, b[4].data, b[5].data, h->evidence,
                               h->image, h->input_sha256 };
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            bad |= csv_field(out, cols[c] ? cols[c] : "");
            bad |= fputc(',', out) == EOF;
        }
        bad |= fprintf(out, "%zu\r\n", h->ndup) < 0;
        for (int k = 0; k < 6; k++)
            ms_buf_free(&b[k]);
    }
    return bad ? MS_ERR_IO : MS_OK;
}

/* ---- hunt ------------------------------------------------------------- */

static const char *const hunt_kinds[] = { "hash", "address", "host", "cron",
                                          "user_agent" };

ms_err ms_fleet_write_hunt(FILE *out, int fmt, const ms_fleet *f,
                           const ms_fleet_run *run)
{
    char gen[MS_TIME_BUFSZ];
    ms_time_format(run->generated, 0, gen);
    if (fmt == MS_FF_JSON) {
        json_t *root = json_object();
        json_object_set_new(root, "fleet_schema_version", json_string(MS_FLEET_SCHEMA));
        json_object_set_new(root, "generated", json_string(gen));
        json_object_set_new(root, "results_read", json_integer((json_int_t)f->ninputs));
        json_object_set_new(root, "hosts", json_integer((json_int_t)f->nhosts));
        json_object_set_new(root, "digest", json_string(f->digest));
        json_t *items = json_array();
        for (size_t i = 0; i < f->nhunt; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "indicator", json_string(f->hunt[i].label));
            json_object_set_new(o, "kind", json_string(hunt_kinds[f->hunt[i].kind]));
            json_t *hits = json_array();
            for (size_t k = 0; k < f->nhits; k++) {
                if (f->hits[k].item != i)
                    continue;
                const ms_fhost *h = &f->hosts[f->hits[k].host];
                json_t *ho = json_object();
                json_object_set_new(ho, "host", json_integer((json_int_t)h->id));
                json_object_set_new(ho, "hostname", jstr(h->hostname));
                json_object_set_new(ho, "evidence", json_string(h->evidence));
                json_object_set_new(ho, "result", json_string(h->input_sha256));
                json_object_set_new(ho, "where", json_string(f->hits[k].where));
                json_array_append_new(hits, ho);
            }
            json_object_set_new(o, "hits", hits);
            json_array_append_new(items, o);
        }
        json_object_set_new(root, "indicators", items);
        return dump(out, root);
    }
    tw w = { out, 0 };
    tput(&w, "mumblescan %s retro-hunt\nGenerated: %s\n", run->version, gen);
    tput(&w, "Results: %zu read, %zu hosts; digest %s\n", f->ninputs, f->nhosts,
         f->digest);
    size_t nhit_items = 0;
    for (size_t i = 0; i < f->nhunt; i++) {
        size_t n = 0;
        for (size_t k = 0; k < f->nhits; k++)
            n += f->hits[k].item == i;
        nhit_items += n > 0;
        tput(&w, "\n%s ", hunt_kinds[f->hunt[i].kind]);
        tstr(&w, f->hunt[i].label);
        tput(&w, ": %zu hit%s\n", n, n == 1 ? "" : "s");
        for (size_t k = 0; k < f->nhits; k++) {
            if (f->hits[k].item != i)
                continue;
            const ms_fhost *h = &f->hosts[f->hits[k].host];
            tput(&w, "  [%zu] ", h->id);
            tstr(&w, ms_fhost_name(h));
            tput(&w, "  %s\n", f->hits[k].where);
        }
    }
    tput(&w, "\n%zu of %zu indicators found on at least one host\n", nhit_items,
         f->nhunt);
    return w.bad ? MS_ERR_IO : MS_OK;
}

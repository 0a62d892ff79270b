/* fleet_merge.c - put the hosts read into one deterministic order, fold
 * duplicate evidence, digest the inputs, and index the fleet per sample,
 * indicator and cron line (fleet_index.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "fleet/fleet.h"
#include "fleet/fleet_index.h"
#include "fleet/fleet_util.h"

static int scmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? -1 : b ? 1 : 0;   /* missing sorts last */
    return strcmp(a, b);
}

static int cmp_evidence(const void *pa, const void *pb)
{
    const ms_fhost *a = pa, *b = pb;
    int c = strcmp(a->evidence, b->evidence);
    if (!c)
        c = strcmp(a->input_sha256, b->input_sha256);
    return c ? c : scmp(a->input_path, b->input_path);
}

static int cmp_display(const void *pa, const void *pb)
{
    const ms_fhost *a = pa, *b = pb;
    int c = scmp(a->hostname, b->hostname);
    if (!c)
        c = strcmp(a->evidence, b->evidence);
    if (!c)
        c = strcmp(a->input_sha256, b->input_sha256);
    return c ? c : scmp(a->input_path, b->input_path);
}

static int cmp_sample(const void *pa, const void *pb)
{
    const ms_fsample *a = pa, *b = pb;
    int c = strcmp(a->sha256, b->sha256);
    return c ? c : scmp(a->path, b->path);
}

static int cmp_ind(const void *pa, const void *pb)
{
    const ms_findicator *a = pa, *b = pb;
    int c = strcmp(a->type, b->type);
    return c ? c : strcmp(a->value, b->value);
}

static int cmp_cron(const void *pa, const void *pb)
{
    const ms_fcron *a = pa, *b = pb;
    int c = scmp(a->file, b->file);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static int cmp_gap(const void *pa, const void *pb)
{
    const ms_fgap *a = pa, *b = pb;
    int c = strcmp(a->what, b->what);
    return c ? c : strcmp(a->why, b->why);
}

static int cmp_hit(const void *pa, const void *pb)
{
    const ms_hunt_hit *a = pa, *b = pb;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    if (a->host != b->host)
        return a->host < b->host ? -1 : 1;
    return strcmp(a->where, b->where);
}

static long find_sha(const ms_fleet *f, const char *sha)
{
    for (size_t i = 0; i < f->nhosts; i++) {
        if (strcmp(f->hosts[i].input_sha256, sha) == 0)
            return (long)i;
        for (size_t k = 0; k < f->hosts[i].ndup; k++)
            if (strncmp(f->hosts[i].dup_inputs[k], sha, 64) == 0)
                return (long)i;
    }
    return -1;
}

/* ---- machines: results of one host folded ------------------------ */

typedef struct idkey {
    const char *key;
    char        kind;     /* 'k' SSH host key, 'm' machine-id */
    size_t      host;
} idkey;

static int cmp_idkey(const void *pa, const void *pb)
{
    const idkey *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->host < b->host ? -1 : a->host > b->host);
}

static size_t uf_find(size_t *p, size_t i)
{
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

/* Union on shared keys; the smaller index is the root, so a machine is
 * numbered by its first result in display order. */
static void uf_union(size_t *p, size_t a, size_t b)
{
    a = uf_find(p, a);
    b = uf_find(p, b);
    if (a < b)
        p[b] = a;
    else if (b < a)
        p[a] = b;
}

static ms_err fold_machines(ms_fleet *f)
{
    size_t n = f->nhosts, nk = 0, cap = 0, *par = NULL, *mid = NULL;
    unsigned *how = NULL;     /* bit 1: by key, bit 2: by machine-id */
    idkey *k = NULL;
    ms_err rc = MS_ERR_NOMEM;

    if (n == 0)
        return MS_OK;
    if (!(par = malloc(n * sizeof *par)) || !(mid = malloc(n * sizeof *mid)) ||
        !(how = calloc(n, sizeof *how)))
        goto _exit;
    for (size_t i = 0; i < n; i++) {
        const ms_fhost *h = &f->hosts[i];
        par[i] = i;
        if (ms_grow((void **)&k, &cap, nk + h->nssh_keys + 1, sizeof *k))
            goto _exit;
        for (size_t j = 0; j < h->nssh_keys; j++)
            k[nk++] = (idkey){ h->ssh_keys[j], 'k', i };
        if (h->machine_id && *h->machine_id)
            k[nk++] = (idkey){ h->machine_id, 'm', i };
    }
    if (nk > 1)
        qsort(k, nk, sizeof *k, cmp_idkey);
    for (size_t i = 1; i < nk; i++)
        if (k[i].kind == k[i - 1].kind && !strcmp(k[i].key, k[i - 1].key) &&
            k[i].host != k[i - 1].host) {
            unsigned bit = k[i].kind == 'k' ? 1u : 2u;
            how[k[i].host] |= bit;
            how[k[i - 1].host] |= bit;
            uf_union(par, k[i].host, k[i - 1].host);
        }
    /* number the machines by their first result */
    for (size_t i = 0; i < n; i++) {
        size_t r = uf_find(par, i);
        if (r == i)
            mid[i] = f->nmachines++;
        else
            mid[i] = mid[r];
    }
    if (!(f->machines = calloc(f->nmachines, sizeof *f->machines)))
        goto _exit;
    for (size_t i = 0; i < n; i++) {
        ms_fhost *h = &f->hosts[i];
        ms_fmachine *m = &f->machines[mid[i]];
        size_t c2 = m->nhosts;
        if (ms_grow((void **)&m->hosts, &c2, m->nhosts + 1, sizeof *m->hosts))
            goto _exit;
        m->hosts[m->nhosts++] = i;
        h->machine = mid[i] + 1;
        if (!m->hostname && h->hostname)
            m->hostname = h->hostname;
        if (!m->verdict || ms_fleet_verdict_rank(h->verdict) <
                           ms_fleet_verdict_rank(m->verdict))
            m->verdict = h->verdict;
        if (ms_ftime_cmp(&h->first_infection, &m->first_infection) < 0)
            m->first_infection = h->first_infection;
        if (h->last_activity.set && (!m->last_activity.set ||
            ms_ftime_cmp(&h->last_activity, &m->last_activity) > 0))
            m->last_activity = h->last_activity;
        unsigned b = how[i];
        const char *by = b == 3 ? "ssh host key and machine-id"
                       : b == 1 ? "ssh host key" : b == 2 ? "machine-id"
                                                          : "none";
        if (!m->by || (strcmp(by, "none") && strlen(by) > strlen(m->by)))
            m->by = by;
    }
    rc = MS_OK;
_exit:
    free(k);
    free(par);
    free(mid);
    free(how);
    return rc;
}

ms_err ms_fleet_finish(ms_fleet *f)
{
    /* 1. evidence order; fold later results of the same evidence into the
     *    first (by input SHA-256, so the kept one does not depend on the
     *    order the inputs were given). */
    if (f->nhosts > 1)
        qsort(f->hosts, f->nhosts, sizeof *f->hosts, cmp_evidence);
    size_t w = 0;
    for (size_t i = 0; i < f->nhosts; i++) {
        if (w > 0 && strcmp(f->hosts[w - 1].evidence, f->hosts[i].evidence) == 0) {
            ms_fhost *keep = &f->hosts[w - 1];
            char *d = ms_asprintf("%s %s", f->hosts[i].input_sha256,
                                  f->hosts[i].input_path);
            size_t cap = keep->ndup;
            if (!d || ms_grow((void **)&keep->dup_inputs, &cap, keep->ndup + 1,
                              sizeof *keep->dup_inputs) != MS_OK) {
                free(d);
                return MS_ERR_NOMEM;
            }
            keep->dup_inputs[keep->ndup++] = d;
            ms_fhost_free(&f->hosts[i]);
            continue;
        }
        if (w != i)
            f->hosts[w] = f->hosts[i];
        w++;
    }
    f->nhosts = w;
    /* 2. display order, per-host lists in content order */
    if (f->nhosts > 1)
        qsort(f->hosts, f->nhosts, sizeof *f->hosts, cmp_display);
    for (size_t i = 0; i < f->nhosts; i++) {
        ms_fhost *h = &f->hosts[i];
        h->id = i + 1;
        if (h->nsamples > 1)
            qsort(h->samples, h->nsamples, sizeof *h->samples, cmp_sample);
        if (h->nindicators > 1)
            qsort(h->indicators, h->nindicators, sizeof *h->indicators, cmp_ind);
        if (h->ncrons > 1)
            qsort(h->crons, h->ncrons, sizeof *h->crons, cmp_cron);
        if (h->ngaps > 1)
            qsort(h->gaps, h->ngaps, sizeof *h->gaps, cmp_gap);
        ms_fleet_sort_strv(h->dup_inputs, h->ndup);
    }
    /* 2b. results of one machine (shared SSH host keys or machine-id) */
    ms_err frc = fold_machines(f);
    if (frc)
        return frc;
    /* 3. the digest over every input read: SHA-256 of the sorted lines
     *    "<sha256 of the input>\n" (kept and duplicate results) */
    char **all = NULL;
    size_t nall = 0, cap = 0;
    for (size_t i = 0; i < f->nhosts; i++) {
        if (ms_grow((void **)&all, &cap, nall + 1 + f->hosts[i].ndup,
                    sizeof *all) != MS_OK) {
            free(all);
            return MS_ERR_NOMEM;
        }
        all[nall++] = f->hosts[i].input_sha256;
        for (size_t k = 0; k < f->hosts[i].ndup; k++)
            all[nall++] = f->hosts[i].dup_inputs[k];
    }
    ms_fleet_sort_strv(all, nall);
    char *cat = malloc(nall * 65 + 1);
    if (!cat) {
        free(all);
        return MS_ERR_NOMEM;
    }
    for (size_t i = 0; i < nall; i++) {
        memcpy(cat + i * 65, all[i], 64);
        cat[i * 65 + 64] = '\n';
    }
    ms_fleet_sha256_hex(cat, nall * 65, f->digest);
    free(cat);
    free(all);
    /* 4. hunt hits: host by input, duplicates folded */
    for (size_t i = 0; i < f->nhits; i++) {
        long hi = find_sha(f, f->hits[i].host_sha);
        f->hits[i].host = hi < 0 ? 0 : (size_t)hi;
    }
    if (f->nhits > 1)
        qsort(f->hits, f->nhits, sizeof *f->hits, cmp_hit);
    w = 0;
    for (size_t i = 0; i < f->nhits; i++) {
        if (w > 0 && cmp_hit(&f->hits[w - 1], &f->hits[i]) == 0) {
            free(f->hits[i].where);
            free(f->hits[i].host_sha);
            continue;
        }
        f->hits[w++] = f->hits[i];
    }
    f->nhits = w;
    /* refused inputs in path order */
    for (size_t i = 1; i < f->nrefused; i++)
        for (size_t k = i; k > 0 && strcmp(f->refused[k - 1].path,
                                           f->refused[k].path) > 0; k--) {
            ms_frefused t = f->refused[k];
            f->refused[k] = f->refused[k - 1];
            f->refused[k - 1] = t;
        }
    return MS_OK;
}

/* ---- index ------------------------------------------------------------ */

typedef struct flat {
    const char *key, *sub, *klass, *detail;
    size_t host;
    ms_ftime first, last;
} flat;

static int cmp_flat(const void *pa, const void *pb)
{
    const flat *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    if (!c)
        c = scmp(a->sub, b->sub);
    if (!c)
        c = (a->host > b->host) - (a->host < b->host);
    if (!c)
        c = ms_ftime_cmp(&a->first, &b->first);
    if (!c)
        c = scmp(a->detail, b->detail);
    return c;
}

static int cmp_ref(const void *pa, const void *pb)
{
    const ms_fref *a = pa, *b = pb;
    int c = ms_ftime_cmp(&a->first, &b->first);
    return c ? c : (a->host > b->host) - (a->host < b->host);
}

static ms_err group(flat *v, size_t n, const char *kind, ms_fgroup **out,
                    size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!n)
        return MS_OK;
    qsort(v, n, sizeof *v, cmp_flat);
    size_t cap = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && strcmp(v[j].key, v[i].key) == 0 &&
               scmp(v[j].sub, v[i].sub) == 0)
            j++;
        if (ms_grow((void **)out, &cap, *nout + 1, sizeof **out) != MS_OK)
            return MS_ERR_NOMEM;
        ms_fgroup *g = &(*out)[(*nout)++];
        memset(g, 0, sizeof *g);
        g->kind = kind;
        g->key = v[i].key;
        g->sub = v[i].sub;
        g->klass = v[i].klass;
        g->refs = calloc(j - i, sizeof *g->refs);
        if (!g->refs)
            return MS_ERR_NOMEM;
        g->earliest = v[i].host;
        for (size_t k = i; k < j; k++) {
            /* one ref per host (sorted by host, earliest first): a host
             * with the sample twice counts once, with its latest trace */
            if (g->nrefs && g->refs[g->nrefs - 1].host == v[k].host) {
                ms_fref *r = &g->refs[g->nrefs - 1];
                if (v[k].last.set && (!r->last.set ||
                    ms_ftime_cmp(&v[k].last, &r->last) > 0))
                    r->last = v[k].last;
                continue;
            }
            ms_fref *r = &g->refs[g->nrefs++];
            r->host = v[k].host;
            r->first = v[k].first;
            r->last = v[k].last;
            r->detail = v[k].detail;
        }
        qsort(g->refs, g->nrefs, sizeof *g->refs, cmp_ref);
        /* refs are in first-seen order: the first is the earliest victim */
        g->first = g->refs[0].first;
        g->earliest = g->refs[0].host;
        for (size_t q = 0; q < g->nrefs; q++)
            if (g->refs[q].last.set && (!g->last.set ||
                ms_ftime_cmp(&g->refs[q].last, &g->last) > 0))
                g->last = g->refs[q].last;
        i = j;
    }
    return MS_OK;
}

static int cmp_campaign(const void *pa, const void *pb)
{
    const ms_fgroup *a = *(ms_fgroup *const *)pa, *b = *(ms_fgroup *const *)pb;
    if (a->nrefs != b->nrefs)
        return a->nrefs > b->nrefs ? -1 : 1;
    int c = ms_ftime_cmp(&a->first, &b->first);
    if (!c)
        c = strcmp(a->kind, b->kind);
    if (!c)
        c = strcmp(a->key, b->key);
    return c ? c : scmp(a->sub, b->sub);
}

ms_err ms_findex_build(const ms_fleet *f, ms_findex *x)
{
    memset(x, 0, sizeof *x);
    ms_err rc = MS_OK;
    size_t ns = 0, ni = 0, nc = 0;
    for (size_t i = 0; i < f->nhosts; i++) {
        ns += f->hosts[i].nsamples;
        ni += f->hosts[i].nindicators;
        nc += f->hosts[i].ncrons;
    }
    flat *s = calloc(ns + 1, sizeof *s), *in = calloc(ni + 1, sizeof *in),
         *c = calloc(nc + 1, sizeof *c);
    char **keys = calloc(nc + 1, sizeof *keys);
    if (!s || !in || !c || !keys) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    ns = ni = nc = 0;
    for (size_t i = 0; i < f->nhosts; i++) {
        const ms_fhost *h = &f->hosts[i];
        for (size_t k = 0; k < h->nsamples; k++)
            s[ns++] = (flat){ h->samples[k].sha256, h->samples[k].script_sha256,
                              h->samples[k].kind, h->samples[k].path, i,
                              h->samples[k].first, h->samples[k].last };
        for (size_t k = 0; k < h->nindicators; k++)
            in[ni++] = (flat){ h->indicators[k].value, h->indicators[k].type,
                               h->indicators[k].klass, NULL, i,
                               h->indicators[k].first, h->indicators[k].first };
        for (size_t k = 0; k < h->ncrons; k++) {
            const ms_fcron *cr = &h->crons[k];
            if (!(keys[nc] = ms_asprintf("%s %s", cr->schedule ? cr->schedule : "",
                                         cr->command ? cr->command : ""))) {
                rc = MS_ERR_NOMEM;
                goto _exit;
            }
            c[nc] = (flat){ keys[nc], NULL, NULL, cr->file, i, cr->first, cr->first };
            nc++;
        }
    }
    if ((rc = group(s, ns, "sample", &x->samples, &x->nsamples)) != MS_OK ||
        (rc = group(in, ni, "indicator", &x->indicators, &x->nindicators)) != MS_OK ||
        (rc = group(c, nc, "cron", &x->crons, &x->ncrons)) != MS_OK)
        goto _exit;
    /* cron keys: each group owns the storage of its key; the rest go */
    for (size_t g = 0; g < x->ncrons; g++)
        for (size_t k = 0; k < nc; k++)
            if (keys[k] == x->crons[g].key) {
                x->crons[g].owned = keys[k];
                keys[k] = NULL;
                break;
            }
    size_t total = x->nsamples + x->nindicators + x->ncrons;
    x->campaign = calloc(total + 1, sizeof *x->campaign);
    if (!x->campaign) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    for (size_t k = 0; k < x->nsamples; k++)
        x->campaign[x->ncampaign++] = &x->samples[k];
    for (size_t k = 0; k < x->nindicators; k++)
        x->campaign[x->ncampaign++] = &x->indicators[k];
    for (size_t k = 0; k < x->ncrons; k++)
        x->campaign[x->ncampaign++] = &x->crons[k];
    if (x->ncampaign > 1)
        qsort(x->campaign, x->ncampaign, sizeof *x->campaign, cmp_campaign);
_exit:
    if (keys)
        for (size_t k = 0; k < nc; k++)
            free(keys[k]);
    free(keys);
    free(s);
    free(in);
    free(c);
    if (rc != MS_OK)
        ms_findex_free(x);
    return rc;
}

static void free_groups(ms_fgroup *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].refs);
        free(g[i].owned);
    }
    free(g);
}

void ms_findex_free(ms_findex *x)
{
    free_groups(x->samples, x->nsamples);
    free_groups(x->indicators, x->nindicators);
    free_groups(x->crons, x->ncrons);
    free(x->campaign);
    memset(x, 0, sizeof *x);
}

/* fleet_stix.c - the fleet's indicators as a STIX 2.1 bundle and as a MISP
 * event (MISP core format, JSON).
 *
 * Ids are UUIDv5 (fleet_util.h namespace) over the object's content:
 * the indicator's pattern, the host's evidence identity, the pair of both
 * for a sighting.  So the same sample on 500 hosts is one indicator with
 * 500 sightings, and the same fleet gives the same ids on every run.
 * Timestamps (created, modified, valid_from) are content derived too: the
 * latest scan.finished of the inputs, and each indicator's first sighting;
 * a time that STIX cannot write (years outside 0000-9999) falls back to
 * the former. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/ms_mem.h"
#include "fleet/fleet_report.h"
#include "fleet/fleet_util.h"
#include "report/timefmt.h"

/* The bundle's reference time: the latest scan among the inputs. */
static ms_ftime stamp(const ms_fleet *f)
{
    ms_ftime s = { 1, 0, 0 };
    for (size_t i = 0; i < f->nhosts; i++) {
        const ms_ftime *t = &f->hosts[i].scanned;
        if (t->set && t->sec >= 0 && t->sec < 253402300800LL &&
            ms_ftime_cmp(t, &s) > 0)
            s = *t;
    }
    return s;
}

/* RFC 3339 with millisecond precision (STIX created/modified). */
static json_t *stime(const ms_ftime *t, const ms_ftime *fallback)
{
    const ms_ftime *u = (t && t->set && t->sec >= 0 &&
                         t->sec < 253402300800LL) ? t : fallback;
    char buf[MS_TIME_BUFSZ];
    ms_time_format(u->sec, u->nsec, buf);
    /* "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" -> ".nnnZ" */
    if (strlen(buf) == 30) {
        buf[23] = 'Z';
        buf[24] = '\0';
    }
    return json_string(buf);
}

static void mkid(char *out, size_t cap, const char *type, const char *name)
{
    char u[37];
    char *n = ms_asprintf("%s|%s", type, name);
    ms_fleet_uuid5(n ? n : name, strlen(n ? n : name), u);
    free(n);
    snprintf(out, cap, "%s--%s", type, u);
}

/* A STIX pattern string literal: ' and \ escaped. */
static char *plit(const char *s)
{
    ms_buf b = { 0 };
    ms_buf_puts(&b, "'");
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            ms_buf_append(&b, "\\", 1);
        ms_buf_append(&b, s, 1);
    }
    ms_buf_puts(&b, "'");
    return ms_buf_steal(&b);
}

/* The pattern of an indicator group; NULL when it has none. */
static char *pattern(const ms_fgroup *g, int script)
{
    char *p = NULL, *l = plit(script ? g->sub : g->key);
    if (!l)
        return NULL;
    if (strcmp(g->kind, "sample") == 0) {
        p = ms_asprintf("[file:hashes.'SHA-256' = %s]", l);
    } else if (strcmp(g->kind, "cron") == 0) {
        p = ms_asprintf("[process:command_line = %s]", l);
    } else if (g->sub && strcmp(g->sub, "ipv4") == 0) {
        /* only a dotted address makes an ipv4-addr pattern */
        if (strspn(g->key, "0123456789.") == strlen(g->key))
            p = ms_asprintf("[ipv4-addr:value = %s]", l);
    } else if (g->sub && strcmp(g->sub, "host") == 0) {
        p = ms_asprintf("[domain-name:value = %s]", l);
    } else if (g->sub && strcmp(g->sub, "url") == 0) {
        p = ms_asprintf("[url:value = %s]", l);
    } else if (g->sub && strcmp(g->sub, "user_agent") == 0) {
        p = ms_asprintf("[network-traffic:extensions.'http-request-ext'."
                        "request_header.'User-Agent' = %s]", l);
    } else if (g->sub && strcmp(g->sub, "port") == 0) {
        const char *colon = strrchr(g->key, ':');
        char *a = colon ? ms_strndup(g->key, (size_t)(colon - g->key)) : NULL;
        char *al = a ? plit(a) : NULL;
        long port = colon ? strtol(colon + 1, NULL, 10) : -1;
        if (al && port >= 0 && port <= 65535)
            p = ms_asprintf("[network-traffic:dst_ref.value = %s AND "
                            "network-traffic:dst_port = %ld]", al, port);
        free(a);
        free(al);
    }
    free(l);
    return p;
}

static json_t *sdo(const char *type, const char *id, const ms_ftime *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "spec_version", json_string("2.1"));
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "created", stime(st, st));
    json_object_set_new(o, "modified", stime(st, st));
    return o;
}

static void add_indicator(json_t *objs, const ms_fleet *f, const ms_fgroup *g,
                          int script, const char *malware_id,
                          const char *const *host_ids, const ms_ftime *st)
{
    char *pat = pattern(g, script);
    if (!pat)
        return;
    char id[128], rid[160];
    mkid(id, sizeof id, "indicator", pat);
    json_t *o = sdo("indicator", id, st);
    char *name = ms_asprintf("Linux/Mumblehard %s%s on %zu host%s", g->kind,
                             script ? " (recovered script)" : "", g->nrefs,
                             g->nrefs == 1 ? "" : "s");
    json_object_set_new(o, "name", json_string(name ? name : g->kind));
    free(name);
    json_t *types = json_array();
    json_array_append_new(types, json_string(
        g->klass && strcmp(g->klass, "weak") == 0 ? "anomalous-activity"
                                                  : "malicious-activity"));
    json_object_set_new(o, "indicator_types", types);
    json_object_set_new(o, "pattern", json_string(pat));
    json_object_set_new(o, "pattern_type", json_string("stix"));
    json_object_set_new(o, "valid_from", stime(&g->first, st));
    json_array_append_new(objs, o);
    free(pat);

    mkid(rid, sizeof rid, "relationship", id);
    json_t *r = sdo("relationship", rid, st);
    json_object_set_new(r, "relationship_type", json_string("indicates"));
    json_object_set_new(r, "source_ref", json_string(id));
    json_object_set_new(r, "target_ref", json_string(malware_id));
    json_array_append_new(objs, r);

    for (size_t k = 0; k < g->nrefs; k++) {
        char sid[160], *key;
        key = ms_asprintf("%s|%s", id, f->hosts[g->refs[k].host].evidence);
        mkid(sid, sizeof sid, "sighting", key ? key : id);
        free(key);
        json_t *s = sdo("sighting", sid, st);
        json_object_set_new(s, "first_seen", stime(&g->refs[k].first, st));
        const ms_ftime *last = g->refs[k].last.set ? &g->refs[k].last
                                                   : &g->refs[k].first;
        /* last_seen must not precede first_seen */
        if (g->refs[k].first.set && ms_ftime_cmp(last, &g->refs[k].first) < 0)
            last = &g->refs[k].first;
        json_object_set_new(s, "last_seen", stime(last, st));
        json_object_set_new(s, "count", json_integer(1));
        json_object_set_new(s, "sighting_of_ref", json_string(id));
        json_t *where = json_array();
        json_array_append_new(where, json_string(host_ids[g->refs[k].host]));
        json_object_set_new(s, "where_sighted_refs", where);
        json_array_append_new(objs, s);
    }
}

/* The bundle is written as it is built: the objects collected so far are
 * printed (as JSON_INDENT(2) prints them inside the bundle) and freed, so
 * the writer holds one host's identity or one indicator with its
 * sightings, never the whole bundle. */
typedef struct sink {
    FILE  *out;
    size_t n;        /* objects written */
    int    bad;
} sink;

static void flush(sink *k, json_t *objs)
{
    for (size_t i = 0; i < json_array_size(objs) && !k->bad; i++) {
        char *t = json_dumps(json_array_get(objs, i),
                             JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!t || fputs(k->n++ ? ",\n    " : "\n    ", k->out) < 0) {
            k->bad = 1;
            free(t);
            break;
        }
        for (const char *p = t; *p && !k->bad; p++)
            k->bad = fputc(*p, k->out) == EOF ||
                     (*p == '\n' && fputs("    ", k->out) < 0);
        free(t);
    }
    json_array_clear(objs);
}

ms_err ms_fleet_write_stix(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run)
{
    sink sk = { out, 0, 0 };
    (void)run;
    ms_ftime st = stamp(f);
    json_t *bundle = json_object(), *objs = json_array();
    char bid[128], mid[128], pid[128];
    mkid(bid, sizeof bid, "bundle", f->digest);
    json_object_set_new(bundle, "type", json_string("bundle"));
    json_object_set_new(bundle, "id", json_string(bid));
    char *head = json_dumps(bundle, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    size_t hl = head ? strlen(head) : 0;
    if (hl < 2 || strcmp(head + hl - 2, "\n}") != 0 ||
        fprintf(out, "%.*s,\n  \"objects\": [", (int)(hl - 2), head) < 0)
        sk.bad = 1;
    free(head);

    mkid(pid, sizeof pid, "identity", "mumblescan");
    json_t *prod = sdo("identity", pid, &st);
    json_object_set_new(prod, "name", json_string("mumblescan"));
    json_object_set_new(prod, "identity_class", json_string("system"));
    json_array_append_new(objs, prod);

    mkid(mid, sizeof mid, "malware", "Linux/Mumblehard");
    json_t *mw = sdo("malware", mid, &st);
    json_object_set_new(mw, "name", json_string("Linux/Mumblehard"));
    json_object_set_new(mw, "is_family", json_true());
    json_t *mt = json_array();
    json_array_append_new(mt, json_string("backdoor"));
    json_array_append_new(mt, json_string("bot"));
    json_object_set_new(mw, "malware_types", mt);
    json_object_set_new(mw, "description",
        json_string("Perl backdoor and spam daemon packed in an ELF stub; "
                    "started by a cron job every 15 minutes (ESET, 2015)"));
    json_array_append_new(objs, mw);
    flush(&sk, objs);

    /* one identity per host (where the sightings were made) */
    char **hids = calloc(f->nhosts + 1, sizeof *hids);
    if (!hids) {
        json_decref(bundle);
        json_decref(objs);
        return MS_ERR_NOMEM;
    }
    for (size_t i = 0; i < f->nhosts; i++) {
        const ms_fhost *h = &f->hosts[i];
        char hid[128];
        mkid(hid, sizeof hid, "identity", h->evidence);
        hids[i] = ms_strdup(hid);
        json_t *o = sdo("identity", hid, &st);
        json_object_set_new(o, "name", json_string(ms_fhost_name(h)));
        json_object_set_new(o, "identity_class", json_string("system"));
        ms_buf d = { 0 };
        ms_buf_printf(&d, "verdict %s; evidence %s", h->verdict, h->evidence);
        if (h->machine_id)
            ms_buf_printf(&d, "; machine-id %s", h->machine_id);
        for (size_t k = 0; k < h->naddresses; k++)
            ms_buf_printf(&d, "%s%s", k ? ", " : "; addresses ", h->addresses[k]);
        json_object_set_new(o, "description", json_string(d.data ? d.data : ""));
        ms_buf_free(&d);
        json_array_append_new(objs, o);
        flush(&sk, objs);
    }
    for (size_t i = 0; i < x->nsamples; i++) {
        add_indicator(objs, f, &x->samples[i], 0, mid, (const char *const *)hids, &st);
        if (x->samples[i].sub)
            add_indicator(objs, f, &x->samples[i], 1, mid,
                          (const char *const *)hids, &st);
        flush(&sk, objs);
    }
    for (size_t i = 0; i < x->nindicators; i++) {
        add_indicator(objs, f, &x->indicators[i], 0, mid,
                      (const char *const *)hids, &st);
        flush(&sk, objs);
    }
    for (size_t i = 0; i < x->ncrons; i++) {
        /* the cron line's command (after the schedule) is the pattern */
        ms_fgroup g = x->crons[i];
        const char *sp = g.key;
        for (int fld = 0; fld < 5 && sp && *sp != '@'; fld++) {
            sp = strchr(sp, ' ');
            if (sp)
                sp++;
        }
        if (sp && *sp == '@') {
            sp = strchr(sp, ' ');
            if (sp)
                sp++;
        }
        if (sp && *sp) {
            g.key = sp;
            add_indicator(objs, f, &g, 0, mid, (const char *const *)hids, &st);
            flush(&sk, objs);
        }
    }
    for (size_t i = 0; i < f->nhosts; i++)
        free(hids[i]);
    free(hids);
    flush(&sk, objs);
    json_decref(objs);
    json_decref(bundle);
    if (!sk.bad && fputs(sk.n ? "\n  ]\n}\n" : "]\n}\n", out) < 0)
        sk.bad = 1;
    return sk.bad ? MS_ERR_IO : MS_OK;
}

/* ---- MISP ------------------------------------------------------------- */

static void misp_attr(json_t *attrs, const char *type, const char *category,
                      const char *value, const ms_fgroup *g,
                      const ms_ftime *st, const char *event_uuid)
{
    char u[37], *name = ms_asprintf("%s|%s|%s", event_uuid, type, value);
    ms_fleet_uuid5(name ? name : value, strlen(name ? name : value), u);
    free(name);
    const ms_ftime *t = g->first.set && g->first.sec >= 0 ? &g->first : st;
    char ts[32], first[MS_TIME_BUFSZ];
    snprintf(ts, sizeof ts, "%lld", (long long)st->sec);
    ms_fleet_time_str(t, first);
    char *comment = ms_asprintf("mumblescan fleet: seen on %zu host%s, first %s",
                                g->nrefs, g->nrefs == 1 ? "" : "s", first);
    json_t *a = json_object();
    json_object_set_new(a, "id", json_string("0"));
    json_object_set_new(a, "type", json_string(type));
    json_object_set_new(a, "category", json_string(category));
    json_object_set_new(a, "to_ids", json_boolean(strcmp(type, "text") != 0 &&
                                                  !(g->klass && strcmp(g->klass, "weak") == 0)));
    json_object_set_new(a, "uuid", json_string(u));
    json_object_set_new(a, "event_id", json_string("0"));
    json_object_set_new(a, "distribution", json_string("0"));
    json_object_set_new(a, "timestamp", json_string(ts));
    json_object_set_new(a, "comment", json_string(comment ? comment : ""));
    json_object_set_new(a, "sharing_group_id", json_string("0"));
    json_object_set_new(a, "value", json_string(value));
    json_array_append_new(attrs, a);
    free(comment);
}

ms_err ms_fleet_write_misp(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run)
{
    (void)run;
    ms_ftime st = stamp(f);
    char eu[37], ts[32], date[MS_TIME_BUFSZ];
    char *en = ms_asprintf("misp-event|%s", f->digest);
    ms_fleet_uuid5(en ? en : f->digest, strlen(en ? en : f->digest), eu);
    free(en);
    snprintf(ts, sizeof ts, "%lld", (long long)st.sec);
    ms_time_format(st.sec, 0, date);
    date[10] = '\0';
    size_t bv[5] = { 0 };
    for (size_t i = 0; i < f->nhosts; i++)
        bv[ms_fleet_verdict_rank(f->hosts[i].verdict)]++;

    json_t *attrs = json_array();
    for (size_t i = 0; i < x->nsamples; i++) {
        misp_attr(attrs, "sha256", "Payload delivery", x->samples[i].key,
                  &x->samples[i], &st, eu);
        if (x->samples[i].sub)
            misp_attr(attrs, "sha256", "Artifacts dropped", x->samples[i].sub,
                      &x->samples[i], &st, eu);
    }
    for (size_t i = 0; i < x->nindicators; i++) {
        const ms_fgroup *g = &x->indicators[i];
        const char *type = !g->sub ? NULL :
            strcmp(g->sub, "ipv4") == 0 ? "ip-dst" :
            strcmp(g->sub, "host") == 0 ? "hostname" :
            strcmp(g->sub, "url") == 0 ? "url" :
            strcmp(g->sub, "user_agent") == 0 ? "user-agent" :
            strcmp(g->sub, "port") == 0 ? "ip-dst|port" : NULL;
        if (!type)
            continue;
        if (strcmp(type, "ip-dst|port") == 0) {
            char *v = ms_strdup(g->key), *c = v ? strrchr(v, ':') : NULL;
            if (c) {
                *c = '|';
                misp_attr(attrs, type, "Network activity", v, g, &st, eu);
            }
            free(v);
        } else {
            misp_attr(attrs, type, "Network activity", g->key, g, &st, eu);
        }
    }
    for (size_t i = 0; i < x->ncrons; i++)
        misp_attr(attrs, "text", "Persistence mechanism", x->crons[i].key,
                  &x->crons[i], &st, eu);

    json_t *org = json_object();
    json_object_set_new(org, "id", json_string("0"));
    json_object_set_new(org, "name", json_string("mumblescan"));
    json_object_set_new(org, "uuid", json_string(eu));
    char *info = ms_asprintf("Linux/Mumblehard fleet: %zu hosts, %zu malicious, "
                             "%zu suspicious, %zu incomplete, %zu clean "
                             "(mumblescan merge, inputs digest %s)",
                             f->nhosts, bv[0], bv[1], bv[2], bv[3], f->digest);
    json_t *ev = json_object();
    json_object_set_new(ev, "id", json_string("0"));
    json_object_set_new(ev, "orgc_id", json_string("0"));
    json_object_set_new(ev, "org_id", json_string("0"));
    json_object_set_new(ev, "date", json_string(date));
    json_object_set_new(ev, "threat_level_id", json_string("1"));
    json_object_set_new(ev, "info", json_string(info ? info : "mumblescan fleet"));
    free(info);
    json_object_set_new(ev, "published", json_false());
    json_object_set_new(ev, "uuid", json_string(eu));
    char cnt[32];
    snprintf(cnt, sizeof cnt, "%zu", json_array_size(attrs));
    json_object_set_new(ev, "attribute_count", json_string(cnt));
    json_object_set_new(ev, "analysis", json_string("2"));
    json_object_set_new(ev, "timestamp", json_string(ts));
    json_object_set_new(ev, "distribution", json_string("0"));
    json_object_set_new(ev, "proposal_email_lock", json_false());
    json_object_set_new(ev, "locked", json_false());
    json_object_set_new(ev, "publish_timestamp", json_string("0"));
    json_object_set_new(ev, "sharing_group_id", json_string("0"));
    json_object_set_new(ev, "Org", json_deep_copy(org));
    json_object_set_new(ev, "Orgc", org);
    json_object_set_new(ev, "Attribute", attrs);
    json_object_set_new(ev, "ShadowAttribute", json_array());
    json_object_set_new(ev, "RelatedEvent", json_array());
    json_t *tags = json_array(), *tag = json_object();
    json_object_set_new(tag, "name", json_string("tlp:amber"));
    json_array_append_new(tags, tag);
    json_object_set_new(ev, "Tag", tags);
    json_t *root = json_object();
    json_object_set_new(root, "Event", ev);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return rc == 0 && fputc('\n', out) != EOF ? MS_OK : MS_ERR_IO;
}

/* fleet_sqlite.c - the fleet report as a SQLite database for ad-hoc
 * queries: one table per entity, the schema in docs/fleet-merge.md.
 * Values are bound as parameters (never spliced into SQL), so hostile
 * strings from results are data only. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common/ms_mem.h"
#include "fleet/fleet_report.h"
#include "fleet/fleet_util.h"
#include "report/timefmt.h"

static const char schema[] =
"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);\n"
"CREATE TABLE inputs(sha256 TEXT NOT NULL, path TEXT, host_id INTEGER NOT NULL,"
" duplicate_of TEXT);\n"
"CREATE TABLE refused(path TEXT, why TEXT);\n"
"CREATE TABLE hosts(id INTEGER PRIMARY KEY, hostname TEXT, os TEXT,"
" machine_id TEXT, evidence TEXT NOT NULL, image TEXT, image_format TEXT,"
" media_size INTEGER, evidence_id TEXT, verdict TEXT NOT NULL,"
" exit_status INTEGER, first_infection TEXT, last_activity TEXT,"
" result_sha256 TEXT NOT NULL);\n"
"CREATE TABLE host_addresses(host_id INTEGER NOT NULL REFERENCES hosts(id),"
" address TEXT NOT NULL);\n"
"CREATE TABLE host_ssh_keys(host_id INTEGER NOT NULL REFERENCES hosts(id),"
" fingerprint TEXT NOT NULL);\n"
"CREATE TABLE samples(sha256 TEXT NOT NULL, script_sha256 TEXT, kind TEXT,"
" hosts INTEGER, first_seen TEXT, last_seen TEXT, earliest_host INTEGER"
" REFERENCES hosts(id));\n"
"CREATE TABLE host_samples(host_id INTEGER NOT NULL REFERENCES hosts(id),"
" sha256 TEXT NOT NULL, script_sha256 TEXT, path TEXT, verdict TEXT,"
" size INTEGER, first_seen TEXT, last_seen TEXT);\n"
"CREATE TABLE indicators(type TEXT NOT NULL, value TEXT NOT NULL, class TEXT,"
" hosts INTEGER, first_seen TEXT, earliest_host INTEGER REFERENCES hosts(id));\n"
"CREATE TABLE host_indicators(host_id INTEGER NOT NULL REFERENCES hosts(id),"
" type TEXT NOT NULL, value TEXT NOT NULL, class TEXT);\n"
"CREATE TABLE cron_lines(host_id INTEGER NOT NULL REFERENCES hosts(id),"
" file TEXT, line INTEGER, user TEXT, schedule TEXT, command TEXT,"
" crontab_mtime TEXT);\n"
"CREATE TABLE not_examined(host_id INTEGER NOT NULL REFERENCES hosts(id),"
" what TEXT, why TEXT);\n"
"CREATE TABLE campaigns(id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
" key TEXT NOT NULL, sub TEXT, hosts INTEGER, first_seen TEXT,"
" earliest_host INTEGER REFERENCES hosts(id));\n"
"CREATE TABLE campaign_hosts(campaign_id INTEGER NOT NULL REFERENCES"
" campaigns(id), host_id INTEGER NOT NULL REFERENCES hosts(id),"
" first_seen TEXT);\n";

typedef struct db {
    sqlite3 *h;
    int bad;
} db;

/* Bind a row of "s" (text or NULL), "i" (int64), "t" (ms_ftime *) values
 * and step one prepared statement. */
static void row(db *d, sqlite3_stmt *st, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_reset(st);
    for (int i = 0; types[i]; i++) {
        int col = i + 1;
        if (types[i] == 's') {
            const char *s = va_arg(ap, const char *);
            if (s)
                sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, col);
        } else if (types[i] == 'i') {
            sqlite3_bind_int64(st, col, va_arg(ap, long long));
        } else {
            const ms_ftime *t = va_arg(ap, const ms_ftime *);
            char buf[MS_TIME_BUFSZ];
            if (t && t->set) {
                ms_fleet_time_str(t, buf);
                sqlite3_bind_text(st, col, buf, -1, SQLITE_TRANSIENT);
            } else {
                sqlite3_bind_null(st, col);
            }
        }
    }
    va_end(ap);
    if (sqlite3_step(st) != SQLITE_DONE)
        d->bad = 1;
}

static sqlite3_stmt *prep(db *d, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK)
        d->bad = 1;
    return st;
}

ms_err ms_fleet_write_sqlite(const char *path, const ms_fleet *f,
                             const ms_findex *x, const ms_fleet_run *run,
                             char **err)
{
    db d = { NULL, 0 };
    char *emsg = NULL;
    if (sqlite3_open_v2(path, &d.h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        *err = ms_asprintf("sqlite: cannot create %s: %s", path,
                           d.h ? sqlite3_errmsg(d.h) : "out of memory");
        sqlite3_close(d.h);
        return MS_ERR_IO;
    }
    if (sqlite3_exec(d.h, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                     "BEGIN;", NULL, NULL, &emsg) != SQLITE_OK ||
        sqlite3_exec(d.h, schema, NULL, NULL, &emsg) != SQLITE_OK) {
        *err = ms_asprintf("sqlite: %s", emsg ? emsg : "schema");
        sqlite3_free(emsg);
        sqlite3_close(d.h);
        return MS_ERR_IO;
    }
    sqlite3_stmt *meta = prep(&d, "INSERT INTO meta VALUES(?,?)"),
        *inp = prep(&d, "INSERT INTO inputs VALUES(?,?,?,?)"),
        *ref = prep(&d, "INSERT INTO refused VALUES(?,?)"),
        *hs = prep(&d, "INSERT INTO hosts VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
        *ha = prep(&d, "INSERT INTO host_addresses VALUES(?,?)"),
        *hk = prep(&d, "INSERT INTO host_ssh_keys VALUES(?,?)"),
        *sm = prep(&d, "INSERT INTO samples VALUES(?,?,?,?,?,?,?)"),
        *hsm = prep(&d, "INSERT INTO host_samples VALUES(?,?,?,?,?,?,?,?)"),
        *ind = prep(&d, "INSERT INTO indicators VALUES(?,?,?,?,?,?)"),
        *hi = prep(&d, "INSERT INTO host_indicators VALUES(?,?,?,?)"),
        *cr = prep(&d, "INSERT INTO cron_lines VALUES(?,?,?,?,?,?,?)"),
        *ne = prep(&d, "INSERT INTO not_examined VALUES(?,?,?)"),
        *cp = prep(&d, "INSERT INTO campaigns VALUES(?,?,?,?,?,?,?)"),
        *ch = prep(&d, "INSERT INTO campaign_hosts VALUES(?,?,?)");
    if (d.bad)
        goto _done;
    char gen[MS_TIME_BUFSZ];
    ms_time_format(run->generated, 0, gen);
    row(&d, meta, "ss", "fleet_schema_version", MS_FLEET_SCHEMA);
    row(&d, meta, "ss", "tool_version", run->version);
    row(&d, meta, "ss", "generated", gen);
    row(&d, meta, "ss", "digest", f->digest);
    for (size_t i = 0; i < f->nrefused; i++)
        row(&d, ref, "ss", f->refused[i].path, f->refused[i].why);
    for (size_t i = 0; i < f->nhosts && !d.bad; i++) {
        const ms_fhost *h = &f->hosts[i];
        long long id = (long long)h->id;
        row(&d, hs, "issssssissitts", id, h->hostname, h->os, h->machine_id,
            h->evidence, h->image, h->image_format, (long long)h->media_size,
            h->case_id, h->verdict, (long long)h->exit_status,
            &h->first_infection, &h->last_activity, h->input_sha256);
        row(&d, inp, "ssis", h->input_sha256, h->input_path, id, NULL);
        for (size_t k = 0; k < h->ndup; k++) {
            char sha[65];
            memcpy(sha, h->dup_inputs[k], 64);
            sha[64] = '\0';
            row(&d, inp, "ssis", sha, h->dup_inputs[k] + 65, id, h->input_sha256);
        }
        for (size_t k = 0; k < h->naddresses; k++)
            row(&d, ha, "is", id, h->addresses[k]);
        for (size_t k = 0; k < h->nssh_keys; k++)
            row(&d, hk, "is", id, h->ssh_keys[k]);
        for (size_t k = 0; k < h->nsamples; k++) {
            const ms_fsample *s = &h->samples[k];
            row(&d, hsm, "issssitt", id, s->sha256, s->script_sha256, s->path,
                s->verdict, (long long)s->size, &s->first, &s->last);
        }
        for (size_t k = 0; k < h->nindicators; k++)
            row(&d, hi, "isss", id, h->indicators[k].type,
                h->indicators[k].value, h->indicators[k].klass);
        for (size_t k = 0; k < h->ncrons; k++) {
            const ms_fcron *c = &h->crons[k];
            row(&d, cr, "isissst", id, c->file, (long long)c->line, c->user,
                c->schedule, c->command, &c->first);
        }
        for (size_t k = 0; k < h->ngaps; k++)
            row(&d, ne, "iss", id, h->gaps[k].what, h->gaps[k].why);
    }
    for (size_t i = 0; i < x->nsamples; i++) {
        const ms_fgroup *g = &x->samples[i];
        row(&d, sm, "sssitti", g->key, g->sub, g->klass, (long long)g->nrefs,
            &g->first, &g->last, (long long)f->hosts[g->earliest].id);
    }
    for (size_t i = 0; i < x->nindicators; i++) {
        const ms_fgroup *g = &x->indicators[i];
        row(&d, ind, "sssiti", g->sub, g->key, g->klass, (long long)g->nrefs,
            &g->first, (long long)f->hosts[g->earliest].id);
    }
    for (size_t i = 0; i < x->ncampaign && !d.bad; i++) {
        const ms_fgroup *g = x->campaign[i];
        row(&d, cp, "isssiti", (long long)i + 1, g->kind, g->key, g->sub,
            (long long)g->nrefs, &g->first, (long long)f->hosts[g->earliest].id);
        for (size_t r = 0; r < g->nrefs; r++)
            row(&d, ch, "iit", (long long)i + 1,
                (long long)f->hosts[g->refs[r].host].id, &g->refs[r].first);
    }
_done:;
    sqlite3_stmt *all[] = { meta, inp, ref, hs, ha, hk, sm, hsm, ind, hi, cr,
                            ne, cp, ch };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    if (!d.bad && sqlite3_exec(d.h, "COMMIT;", NULL, NULL, &emsg) != SQLITE_OK)
        d.bad = 1;
    if (d.bad && !*err)
        *err = ms_asprintf("sqlite: %s", emsg ? emsg : sqlite3_errmsg(d.h));
    sqlite3_free(emsg);
    if (sqlite3_close(d.h) != SQLITE_OK)
        d.bad = 1;
    return d.bad ? MS_ERR_IO : MS_OK;
}

/* layout.c - mount point -> stack, per system. */
#include "report/layout.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/mounttab.h"
#include "report/escape.h"

static void wp(ms_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void wp(ms_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_wvprintf(w, fmt, ap);
    va_end(ap);
}

/* Escaped copy for the format (html or text); "-" for NULL. */
static char *esc(ms_writer *w, const char *s, int html)
{
    if (!s)
        s = "-";
    char *e = html ? ms_escape_html(s, strlen(s))
                   : ms_escape_text(s, strlen(s));
    if (!e && !w->err)
        w->err = MS_ERR_NOMEM;
    return e;
}

/* What lies behind an entry, in words (caller frees). */
static void target(ms_writer *w, const ms_scan *s, const ms_mount *m,
                   int html, char **what, char **why)
{
    *what = *why = NULL;
    if (m->volume >= 0 && (size_t)m->volume < s->nvolumes) {
        const ms_volume *v = &s->volumes[m->volume];
        *what = esc(w, v->stack, html);
    } else {
        *what = esc(w, ms_mount_status_name(m->status), html);
    }
    *why = esc(w, m->note, html);
}

void ms_report_layout_text(ms_writer *w, const ms_scan *s)
{
    if (!s->nsystems)
        return;
    wp(w, "Layout (%zu system%s)\n", s->nsystems, s->nsystems == 1 ? "" : "s");
    for (size_t i = 0; i < s->nsystems && !w->err; i++) {
        const ms_system *sy = &s->systems[i];
        const ms_volume *rv = (size_t)sy->root_volume < s->nvolumes
                                  ? &s->volumes[sy->root_volume] : NULL;
        char *rs = esc(w, rv ? rv->stack : NULL, 0);
        wp(w, "  system %zu: root on volume %d, layout from %s\n", i,
           sy->root_volume, sy->layout ? sy->layout : "-");
        wp(w, "    %-16s -> %s\n", "/", rs ? rs : "");
        free(rs);
        for (size_t k = 0; k < sy->nmounts && !w->err; k++) {
            const ms_mount *m = &sy->mounts[k];
            if (!strcmp(m->mount_point, "/"))
                continue;
            char *mp = esc(w, m->mount_point, 0), *what, *why,
                 *line = esc(w, m->text, 0), *src = esc(w, m->source, 0);
            target(w, s, m, 0, &what, &why);
            if (mp && what && why && line && src)
                wp(w, "    %-16s -> %s%s%s\n%-24s(%s line %u: %s)\n", mp,
                   what, m->status == MS_MNT_MAPPED ? "" : ": ",
                   m->status == MS_MNT_MAPPED ? "" : why, "", src, m->line,
                   line);
            free(mp);
            free(what);
            free(why);
            free(line);
            free(src);
        }
    }
    wp(w, "\n");
}

void ms_report_layout_html(ms_writer *w, const ms_scan *s)
{
    if (!s->nsystems)
        return;
    wp(w, "<section id=\"layout\">\n<h2>Server layout</h2>\n"
          "<p class=\"muted\">Each system's mount table, mapped to the "
          "volumes of the image: where every file system was mounted, and "
          "what the server mounted that this image does not hold.</p>\n");
    for (size_t i = 0; i < s->nsystems && !w->err; i++) {
        const ms_system *sy = &s->systems[i];
        const ms_volume *rv = (size_t)sy->root_volume < s->nvolumes
                                  ? &s->volumes[sy->root_volume] : NULL;
        char *rs = esc(w, rv ? rv->stack : NULL, 1),
             *lay = esc(w, sy->layout, 1);
        wp(w, "<h3>System %zu: root on volume %d (layout from %s)</h3>\n"
              "<table>\n<thead><tr><th>Mount point</th><th>Stack</th>"
              "<th>Mapping</th><th>Mount table line</th></tr></thead>\n"
              "<tbody>\n<tr><td class=\"mono\">/</td><td class=\"wrap\">%s"
              "</td><td>root</td><td></td></tr>\n", i, sy->root_volume,
           lay ? lay : "", rs ? rs : "");
        free(rs);
        free(lay);
        for (size_t k = 0; k < sy->nmounts && !w->err; k++) {
            const ms_mount *m = &sy->mounts[k];
            if (!strcmp(m->mount_point, "/"))
                continue;
            char *mp = esc(w, m->mount_point, 1), *what, *why,
                 *line = esc(w, m->text, 1), *src = esc(w, m->source, 1);
            target(w, s, m, 1, &what, &why);
            if (mp && what && why && line && src)
                wp(w, "<tr><td class=\"mono\">%s</td><td class=\"wrap\">%s"
                      "</td><td>%s: %s</td><td class=\"mono wrap\">%s line "
                      "%u: %s</td></tr>\n", mp, what,
                   ms_mount_status_name(m->status), why, src, m->line, line);
            free(mp);
            free(what);
            free(why);
            free(line);
            free(src);
        }
        wp(w, "</tbody>\n</table>\n");
    }
    wp(w, "</section>\n");
}

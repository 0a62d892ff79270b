/* webroots.h - find the web roots of a server image and the script files
 * in them.
 *
 * Roots come from the usual places (/var/www, /var/www/html, /srv/www,
 * /srv/www/htdocs, /usr/share/nginx/html, /home/NAME/public_html) and from
 * the image's own web-server configuration: Apache's DocumentRoot, Alias
 * and ScriptAlias (apache2.conf / httpd.conf and what they Include or
 * IncludeOptional, sites-enabled, conf-enabled, conf.d) and nginx's root
 * and alias (nginx.conf and its includes, sites-enabled, conf.d).  Every
 * path is resolved inside the image (artifacts/pathres.h): a symlinked
 * sites-enabled entry is read where it points in the image, never on the
 * examiner's machine.  Configuration files are bounded in number, lines
 * and include depth; a glob is matched within one directory's listing.
 *
 * Each root is walked with the walk limits (depth, names); symlinked
 * directories are not followed and a directory reached by two roots is
 * listed once.  Script files (by name: .php .phtml .php3-8 .phps .inc
 * .pl .cgi .py .sh .asp .aspx .jsp) are handed back for the web-shell
 * scan and the time window; the roots go into scan->entry->roots. */
#ifndef MS_WEBROOTS_H
#define MS_WEBROOTS_H

#include <stddef.h>
#include "artifacts/tempdirs.h"
#include "common/ms_model.h"
#include "evidence/fs.h"

#define MS_WEB_MAX_CONF_FILES 256   /* configuration files read per volume */
#define MS_WEB_MAX_ROOTS      256   /* roots recorded per volume */
#define MS_WEB_MAX_INCLUDE_DEPTH 8
#define MS_WEB_CONF_LINE_KEEP 4096  /* bytes kept of a configuration line */

/* The scripts found, over all volumes (the caller frees with
 * ms_webscripts_free). */
typedef struct ms_webscripts {
    ms_fileref *refs;
    int        *root;     /* index into scan->entry->roots */
    size_t n, cap;
    int capped;           /* more scripts than the walk limit allows */
} ms_webscripts;

void ms_webscripts_free(ms_webscripts *s);

/* 1 if the name (raw bytes) ends in a script extension. */
int ms_web_is_script_name(const char *name, size_t len);

/* Find the roots of one file system, record them, walk them and append
 * their script files to *out.  Problems are noted in scan->errors. */
ms_err ms_webroots_collect(ms_fs *fs, ms_scan *scan, int volume,
                           const ms_walk_limits *lim, ms_webscripts *out);

/* nginx block state carried from line to line of one file. */
typedef struct ms_web_conf_state {
    char *loc;        /* prefix of the enclosing plain location, or NULL */
    int   depth;      /* braces open */
    int   loc_depth;  /* depth inside that location's block */
} ms_web_conf_state;

/* Parse one configuration line (exported for the unit test).
 * kind 'a' (Apache) or 'n' (nginx).  On a document-root directive sets
 * *url (malloc'd URL prefix) and *dir (malloc'd path as written) and
 * returns 1; on an include sets *dir to the pattern and returns 2;
 * otherwise 0 (also for values holding nginx or Apache variables, which
 * cannot be resolved offline).  The caller frees st->loc at the end. */
int ms_web_conf_line(char kind, const char *line, char **url, char **dir,
                     ms_web_conf_state *st);

#endif

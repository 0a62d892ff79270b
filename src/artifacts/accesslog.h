/* accesslog.h - web-server access logs (Apache/nginx combined format).
 *
 * Every file under /var/log/apache2, /var/log/httpd and /var/log/nginx
 * whose name holds "access" is read whole, line by line in bounded memory
 * (artifacts/linereader.h): rotated copies (access.log.1, access_log-
 * 20240101) and gzip-compressed ones (.gz, inflated in a stream by zlib,
 * at most MS_ALOG_MAX_INFLATED bytes each).  Lines in the combined or
 * common format, optionally preceded by a virtual host ("vhost_combined"),
 * are parsed; requests for script names (webroots.h) are kept per URL
 * path, the earliest MS_ALOG_KEEP of each with a count of all, for at
 * most MS_ALOG_MAX_PATHS paths.  Mapping URL paths to files happens later,
 * once the flagged files are known (ms_alog_requests_for). */
#ifndef MS_ACCESSLOG_H
#define MS_ACCESSLOG_H

#include <stddef.h>
#include <stdint.h>
#include "common/ms_model.h"
#include "evidence/fs.h"

#define MS_ALOG_KEEP          16
#define MS_ALOG_MAX_PATHS     50000
#define MS_ALOG_MAX_FILES     256          /* log files per volume */
#define MS_ALOG_MAX_INFLATED  (2ull << 30) /* bytes out of one .gz */
#define MS_ALOG_LINE_KEEP     8192

typedef struct ms_alog_path {
    char   *url_path;        /* decoded, normalized, without the query */
    size_t  count;           /* requests seen */
    ms_web_request req[MS_ALOG_KEEP];  /* earliest first */
    size_t  nreq;
} ms_alog_path;

typedef struct ms_alog {
    ms_alog_path *paths;     /* open-addressing table */
    size_t cap, n;
    int    paths_capped;
    size_t logs_read;
    uint64_t lines, parsed;
} ms_alog;

void ms_alog_free(ms_alog *a);

/* Parse one log line into r (strings malloc'd; free with the model's
 * rules).  1 when it is a request line, 0 otherwise.  Exported for the
 * unit test. */
int ms_alog_parse_line(const char *line, size_t len, ms_web_request *r);
void ms_web_request_clear(ms_web_request *r);

/* Read the access logs of one file system into *a. */
ms_err ms_alog_collect(ms_fs *fs, ms_scan *scan, int volume, ms_alog *a);

/* The entry for a URL path, or NULL. */
const ms_alog_path *ms_alog_find(const ms_alog *a, const char *url_path);

#endif

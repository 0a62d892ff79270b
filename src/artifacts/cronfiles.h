/* cronfiles.h - find every crontab in a file system, parse it, and
 * resolve the programs its jobs run inside the image.
 *
 * Locations: /etc/crontab and the files in /etc/cron.d (system format,
 * with a user field), and the files in the per-user spools
 * /var/spool/cron/crontabs (Debian, Ubuntu), /var/spool/cron (RHEL,
 * CentOS, Fedora), /var/spool/cron/tabs (SUSE) and /var/cron/tabs
 * (FreeBSD).  Deleted crontab files are parsed
 * while their content can still be read, and flagged deleted.
 *
 * Each crontab becomes an ms_crontab, each job an ms_cronjob, and each
 * program a job runs an ms_file (origin MS_ORIGIN_CRON_PROGRAM): found,
 * deleted, or `missing` when only the path is known.  A program given as
 * a bare name is looked up on the crontab's PATH; a missing bare name is
 * a finding only for a 15-minute job, because ordinary crontabs guard
 * optional tools with `command -v` and would otherwise drown the report. */
#ifndef MS_CRONFILES_H
#define MS_CRONFILES_H

#include <stddef.h>
#include "common/ms_model.h"
#include "evidence/fs.h"

/* Rejected lines kept per crontab; more are counted in
 * ms_crontab.rejected_total and the crontab's note says so.  cron_parse.c
 * reads at most MS_CRON_MAX_LINES lines, so this bound is only reached
 * by a file of problem lines. */
#define MS_CRON_MAX_REJECTED 100000u

ms_err ms_cronfiles_collect(ms_fs *fs, ms_scan *scan, int volume,
                            size_t max_bytes);

#endif

/* batchcli.h - the command line's side of fleet scans (docs/fleet.md):
 * --result-dir for one scan and --manifest for a batch. */
#ifndef MS_BATCHCLI_H
#define MS_BATCHCLI_H

#include "cli/options.h"
#include "common/ms_model.h"
#include "detection/policy.h"

/* Write one scan's result set into o->result_dir; 0 or -1 (reported). */
int ms_cli_write_result(const ms_options *o, const ms_scan *scan,
                        const ms_summary *sum);

/* Run --manifest; returns the exit status. */
int ms_cli_batch(const ms_options *o);

#endif

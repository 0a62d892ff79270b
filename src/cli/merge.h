/* merge.h - the `mumblescan merge` subcommand (fleet report). */
#ifndef MS_CLI_MERGE_H
#define MS_CLI_MERGE_H

/* argv[0] is "merge"; returns the process exit status. */
int ms_cli_merge(int argc, char **argv);

#endif

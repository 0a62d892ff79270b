/* provenance.h - what produced a report: tool and library versions, rule
 * files with their SHA-256, the command line and the host.
 *
 * The library list is one table in provenance.c: a library added to the
 * build (libqcow, libvslvm, libfsxfs ...) adds one line there and shows up
 * in every report format. */
#ifndef MS_PROVENANCE_H
#define MS_PROVENANCE_H

#include <stdio.h>

#include "common/ms_error.h"
#include "common/ms_model.h"
#include "detection/yarascan.h"

/* Fill p (zeroed by the caller, freed by ms_scan_free) from argv, the
 * compiled rules (may be NULL) and the running system. */
ms_err ms_provenance_fill(ms_provenance *p, int argc, char *const *argv,
                          const ms_rules *rules);

/* argv as one line a POSIX shell would split back into the same words:
 * words made only of safe characters stay bare, others are single-quoted
 * ('\'' for a quote).  Control bytes are left for the report writers to
 * escape.  malloc'd; NULL on allocation failure. */
char *ms_shell_join(int argc, char *const *argv);

/* "name version" of every library in the provenance table, one per line
 * (for --version: the same list the reports record). */
void ms_provenance_print_libraries(FILE *out);

#endif

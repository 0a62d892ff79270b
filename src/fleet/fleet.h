/* fleet.h - many per-image scan results merged into one fleet report.
 *
 * The fleet layer sits between scan and cli: it reads the JSON reports
 * that `mumblescan -f json` wrote for each image (possibly on many
 * machines), keeps only what the fleet report needs (host identity,
 * verdict, findings, cron lines, indicators, what was not examined) and
 * frees each document before the next is read, so memory grows with the
 * fleet's findings, not with the size of all results.
 *
 * Everything read from a result is hostile: sizes are bounded, types are
 * checked, strings are kept as bytes and escaped by the writers.  The
 * merged model is sorted on content only (never on the order the inputs
 * were given), so the same inputs in any order give the same report. */
#ifndef MS_FLEET_H
#define MS_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"

/* Bounds on hostile inputs. */
#define MS_FLEET_MAX_RESULT_BYTES  (512u << 20) /* one JSON result */
#define MS_FLEET_MAX_STR           4096         /* one string kept */
#define MS_FLEET_MAX_ITEMS         100000       /* items kept per result
                                                   and list */
#define MS_FLEET_MAX_INPUTS        1000000      /* results per merge */
#define MS_FLEET_SCHEMA_MAJOR      1            /* result major understood */

/* A time from a result: seconds and nanoseconds since the epoch. */
typedef struct ms_ftime {
    int      set;
    int64_t  sec;
    uint32_t nsec;
} ms_ftime;

/* A sample (a malicious or suspicious file) on one host. */
typedef struct ms_fsample {
    char    *sha256;        /* of the file, lowercase hex; never NULL */
    char    *script_sha256; /* packed sample: of the recovered script */
    char    *kind;          /* unpacked.kind */
    char    *path;
    char    *verdict;
    uint64_t size;
    ms_ftime first, last;   /* earliest m/c/b time, latest m/a/c/b time */
} ms_fsample;

/* A network indicator referenced on one host. */
typedef struct ms_findicator {
    char    *type;   /* ipv4 | host | port | url | user_agent */
    char    *value;
    char    *klass;  /* known | weak | other */
    ms_ftime first;  /* first time of the sample that holds it */
} ms_findicator;

/* A cron line that runs a finding or carries an indicator. */
typedef struct ms_fcron {
    char    *file;
    long     line;
    char    *user;
    char    *schedule;
    char    *command;
    ms_ftime first;  /* the crontab's mtime (or birth) */
} ms_fcron;

/* Something that could not be examined, and why. */
typedef struct ms_fgap {
    char *what;
    char *why;
} ms_fgap;

/* One per-image result: the fleet's notion of a host. */
typedef struct ms_fhost {
    /* the input */
    char    *input_path;
    char     input_sha256[65];
    uint64_t input_size;
    char    *schema_version;
    /* evidence identity: the media SHA-256 when hashed, else a digest of
     * format, media size, segment sizes and the system's identity */
    char     evidence[80];
    char    *image;          /* first image path as given */
    char    *image_format;
    uint64_t media_size;
    char    *case_id;        /* case.evidence_id */
    /* identity found inside the image (first system that has one) */
    char    *hostname;
    char    *os;             /* os_pretty_name, else os_id os_version_id */
    char    *machine_id;
    char   **addresses;  size_t naddresses;
    char   **ssh_keys;   size_t nssh_keys;
    /* result */
    char    *verdict;        /* summary.verdict */
    int      exit_status;
    ms_ftime scanned;        /* scan.finished */
    ms_ftime first_infection, last_activity;
    ms_fsample    *samples;    size_t nsamples;
    ms_findicator *indicators; size_t nindicators;
    ms_fcron      *crons;      size_t ncrons;
    ms_fgap       *gaps;       size_t ngaps;
    /* merge bookkeeping */
    char   **dup_inputs;  size_t ndup;  /* later results of the same
                                           evidence: "sha256 path" */
    size_t   id;          /* position in the sorted host list, 1-based */
    size_t   machine;     /* the ms_fmachine it belongs to, 1-based */
} ms_fhost;

/* One machine seen in one or more results (snapshots over time, images
 * of its disks): results that share an SSH host key fingerprint or a
 * machine-id, transitively.  A result with neither is a machine alone. */
typedef struct ms_fmachine {
    size_t     *hosts;  size_t nhosts;  /* ms_fleet.hosts indexes, in
                                           display order */
    const char *hostname;  /* of its first result that has one (borrowed) */
    const char *by;        /* static: "ssh host key", "machine-id",
                              "ssh host key and machine-id", "none" */
    const char *verdict;   /* the worst of its results' (borrowed) */
    ms_ftime    first_infection;   /* earliest over its results */
    ms_ftime    last_activity;     /* latest over its results */
} ms_fmachine;

/* A result that was not merged. */
typedef struct ms_frefused {
    char *path;
    char *why;
} ms_frefused;

/* Retro-hunt: indicators to look for in every stored result. */
enum ms_hunt_kind { MS_HUNT_HASH, MS_HUNT_ADDRESS, MS_HUNT_HOST,
                    MS_HUNT_CRON, MS_HUNT_UA };
typedef struct ms_hunt_item {
    int   kind;    /* enum ms_hunt_kind */
    char *value;   /* hashes lowercase; host names lowercase */
    char *label;   /* the line as written in the hunt file */
} ms_hunt_item;
typedef struct ms_hunt_hit {
    size_t item;      /* index into the hunt list */
    size_t host;      /* index into ms_fleet.hosts (after sorting) */
    char  *where;     /* what matched: a path, "crontab FILE:LINE", ... */
    char  *host_sha;  /* input sha256 while hosts are unsorted */
} ms_hunt_hit;

typedef struct ms_fleet {
    ms_fhost    *hosts;   size_t nhosts, hosts_cap;
    ms_frefused *refused; size_t nrefused, refused_cap;
    ms_fmachine *machines; size_t nmachines;   /* after ms_fleet_finish */
    size_t       ninputs;           /* results read (merged + duplicate) */
    char         digest[65];        /* over all merged inputs' SHA-256 */
    /* hunt mode */
    ms_hunt_item *hunt;   size_t nhunt;
    ms_hunt_hit  *hits;   size_t nhits, hits_cap;
    int           progress;         /* print progress on stderr */
} ms_fleet;

void ms_fleet_init(ms_fleet *f);
void ms_fleet_free(ms_fleet *f);

/* Read one result file and add it to the fleet.  A result that is not a
 * mumblescan JSON report (no schema_version) is skipped when `quiet_skip`
 * (directory walk), else refused.  An incompatible schema MAJOR is
 * refused: MS_ERR_FORMAT with *err a one-line message.  Other problems
 * with one file refuse that file only (listed in f->refused). */
ms_err ms_fleet_add_file(ms_fleet *f, const char *path, int quiet_skip,
                         char **err);

/* Add a file or every *.json below a directory (sorted walk, bounded
 * depth). */
ms_err ms_fleet_add_path(ms_fleet *f, const char *path, char **err);

/* Sort, detect duplicate evidence, compute the digest.  Call once after
 * every input was added. */
ms_err ms_fleet_finish(ms_fleet *f);

/* Load hunt indicators (one per line; see docs/fleet-merge.md). */
ms_err ms_fleet_hunt_load(ms_fleet *f, const char *path, char **err);

/* Compare two times; unset sorts last. */
int ms_ftime_cmp(const ms_ftime *a, const ms_ftime *b);

#endif

/* ms_model.h - what a scan found: the data every report format renders.
 *
 * The scan layer fills an ms_scan; report writers only read it.  Every
 * string here is owned by the struct that holds it and was copied from the
 * image verbatim: it may hold any byte (including control characters and
 * invalid UTF-8), so writers must escape it for their format. */
#ifndef MS_MODEL_H
#define MS_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* ---- times ------------------------------------------------------------ */

enum ms_time_kind { MS_T_MTIME, MS_T_ATIME, MS_T_CTIME, MS_T_CRTIME,
                    MS_T_DTIME, MS_T_COUNT };

typedef struct ms_time {
    int      set;   /* 0: the file system does not record this time */
    int64_t  sec;   /* seconds since 1970-01-01 UTC */
    uint32_t nsec;  /* 0..999999999 */
} ms_time;

/* ---- files as seen in the image --------------------------------------- */

enum ms_ftype { MS_FT_UNKNOWN, MS_FT_REG, MS_FT_DIR, MS_FT_LNK, MS_FT_OTHER };

typedef struct ms_fileref {
    int       volume;      /* index into ms_scan.volumes */
    char     *path;        /* absolute path inside the file system */
    uint64_t  inode;
    int       has_inode;
    int       deleted;     /* name is unallocated (TSK UNALLOC) */
    int       meta_reused; /* inode now belongs to another file */
    enum ms_ftype type;
    uint32_t  mode;        /* permission bits, 07777 */
    uint32_t  uid, gid;
    uint64_t  size;
    ms_time   times[MS_T_COUNT];
} ms_fileref;

/* ---- volumes ---------------------------------------------------------- */

enum ms_vol_state {
    MS_VOL_EXAMINED,     /* file system opened and walked */
    MS_VOL_NOT_EXAMINED, /* data expected but no file system could be opened */
    MS_VOL_NO_FS         /* no file system expected (swap, table, free space) */
};

typedef struct ms_volume {
    int       index;
    uint64_t  offset;      /* bytes from the start of the image */
    uint64_t  length;      /* bytes */
    char     *vs_type;     /* volume system: "dos", "gpt", "bsd", "none" */
    char     *desc;        /* partition description from the table */
    long      slot;        /* partition table slot, -1 for none */
    char     *fs_type;     /* "ext4", "ufs2" ... or NULL */
    enum ms_vol_state state;
    char     *note;        /* why not examined, or NULL */
    char     *stack;       /* layers from the image down, e.g. "ewf image >
                              gpt partition 2 (Linux LVM) > LVM2 VG vg0 >
                              LV root > ext4" */
    char     *uuid;        /* LV, PV or file-system UUID, or NULL */
    char     *label;       /* file-system label or VG name, or NULL */
    char     *mount_point; /* where the file system was mounted, inferred
                              from its content (e.g. "/var" for a separate
                              /var partition), or NULL for the root or
                              unknown; its files are reported under it */
    /* some of its bytes could not be read (damaged or truncated
     * evidence, see ms_scan.unreadable); what was present was examined */
    int       partial;
    /* The server's mount table (artifacts/mounttab.h): the LV's VG and
     * LV names (NULL when not an LV), the GPT partition's PARTUUID and
     * PARTLABEL (NULL when not a GPT entry), the mount-table line that
     * mounted it (as written, or NULL), where that line is ("/etc/fstab
     * line 3") and how it was mapped ("UUID", "device name by partition
     * order (inferred)", "content (no fstab)"; NULL when not mounted). */
    char     *lvm_vg, *lvm_lv;
    char     *part_uuid, *part_label;
    char     *fstab_line;
    char     *mount_source;
    char     *mount_how;
    /* ext superblock (evidence/fs_ident.h): last write and last mount
     * (UTC seconds, 0 unknown); fs_clean: unmounted cleanly */
    int64_t   fs_last_write, fs_last_mount;
    int       fs_clean;
} ms_volume;

/* ---- recovered deleted content ------------------------------------------ */

/* How sure the link between recovered content and the name is. */
enum ms_certainty { MS_CERT_NONE = 0, MS_CERT_LOW = 1, MS_CERT_MEDIUM = 2,
                    MS_CERT_HIGH = 3 };

/* How deleted content was brought back (names: common/ms_persist.h,
 * ms_recovery_method_name).  New methods append here; every format
 * renders the name, so adding one needs no writer change.  INODE is
 * reserved for content read through a deleted name's intact inode
 * (no collector sets it yet). */
enum ms_recovery_method { MS_RECOV_NONE = 0, MS_RECOV_INODE,
                          MS_RECOV_JOURNAL, MS_RECOV_CARVE,
                          MS_RECOV_COUNT };

/* ---- persistence triggers (common/ms_persist.h) --------------------- */

/* When a persistence record runs its command, normalized across kinds.
 * Names: ms_trigger_type_name(); append new types at the end. */
enum ms_trigger_type {
    MS_TRIG_UNKNOWN = 0, /* not known or not modelled */
    MS_TRIG_TIMES,       /* at the minutes and hours of the sets below */
    MS_TRIG_BOOT,        /* once when the system (or its daemon) starts */
    MS_TRIG_CALENDAR,    /* by a calendar rule given only as text */
    MS_TRIG_LOGIN,       /* when a user logs in or a shell starts */
    MS_TRIG_ONCE,        /* once, at a set time (at jobs) */
    MS_TRIG_INTERVAL,    /* every interval_sec seconds, counted from the
                            end of the previous run (FreeBSD "@900") */
    MS_TRIG_COUNT
};

typedef struct ms_trigger {
    enum ms_trigger_type type;
    uint64_t minutes;    /* TIMES: bit m set: fires at minute m, 0..59 */
    uint32_t hours;      /* TIMES: bit h set: fires in hour h, 0..23 */
    int      every_day;  /* TIMES: on every day of every month */
    char    *text;       /* CALENDAR, ONCE: the rule as written; or NULL */
    uint64_t interval_sec; /* INTERVAL: seconds between runs */
} ms_trigger;

/* A kind-specific detail of a persistence record, rendered generically
 * as "key: value" by every format. */
typedef struct ms_attr {
    char *key;
    char *value;
} ms_attr;

/* ---- cron ------------------------------------------------------------- */

enum ms_prog_status {
    MS_PROG_FOUND,       /* resolved to a regular file in the image */
    MS_PROG_MISSING,     /* path does not exist in the image */
    MS_PROG_NOT_REGULAR, /* exists but is a directory or device */
    MS_PROG_UNRESOLVED,  /* symlink loop, escape, bare name not on PATH */
    MS_PROG_BUILTIN,     /* shell builtin or no program (e.g. "true") */
    /* absent, but the command only runs it after a test finds
     * it ("[ -x P ] && P"): it never runs, and is no finding */
    MS_PROG_GUARDED_ABSENT
};

typedef struct ms_program {
    char *as_written;    /* program as it appears in the command */
    char *resolved;      /* absolute path in the image after symlinks, or NULL */
    enum ms_prog_status status;
    char *note;          /* detail for UNRESOLVED, or NULL */
    long  file_index;    /* index into ms_scan.files, -1 if none */
    int   guarded;       /* run only after a test for it succeeds */
    int   via_stdin;     /* named in the job's standard input (after
                            '%'), which a shell reads as its script */
} ms_program;

typedef struct ms_cronjob {
    long     crontab;      /* index into ms_scan.crontabs */
    unsigned line;         /* 1-based line number */
    char    *user;         /* run-as user (system crontab field or owner) */
    char    *schedule;     /* the schedule fields as written */
    char    *schedule_words;
    int      every_15_min; /* fires exactly every 15 minutes, all day */
    int      reboot;       /* @reboot */
    char    *command;
    ms_program *programs;
    size_t   nprograms;
    struct ms_reason *reasons; /* network IOCs in the command */
    size_t   nreasons;
    char    *input;        /* standard input: the text after the first
                              unescaped '%', later '%' as newlines; NULL
                              when the line has none */
    char    *time_zone;    /* zone the schedule runs in, in words, e.g.
                              "Europe/Berlin (CRON_TZ, honoured by cronie)"
                              or "the system's local time" */
    char    *dialect_note; /* readings of a line whose meaning depends on
                              the cron implementation, or NULL */
    uint64_t offset;       /* byte offset of the line in the crontab */
    char    *environment;  /* assignments the job runs with, "NAME=VALUE"
                              joined by "; " (anacron jobs), or NULL */
    char    *timer;        /* systemd-cron: the timer settings its
                              crontab variables make (PERSISTENT, BATCH,
                              RANDOM_DELAY, DELAY, START_HOURS_RANGE), in
                              words; FreeBSD: the -n/-q options; or NULL */
    /* the schedule normalized; every_15_min and reboot are computed
     * from it (ms_trigger_every) */
    ms_trigger trigger;
    /* its record in ms_scan.persistence, which holds the reasons the
     * verdicts give it; -1 when none (artifacts/cron_persist.h) */
    long persistence;
} ms_cronjob;

/* A line cron rejects: never a job. */
typedef struct ms_cron_rejected {
    unsigned line;         /* 1-based */
    uint64_t offset;       /* byte offset of the line's first byte */
    char    *reason;
} ms_cron_rejected;

typedef struct ms_crontab {
    ms_fileref file;
    int   system;          /* has a user field (/etc/crontab, cron.d) */
    char *owner;           /* user the spool file belongs to, or NULL */
    int   readable;        /* content could be read */
    char *note;            /* parse/read problems, or NULL */
    struct ms_reason *reasons; /* network IOCs anywhere in the raw text */
    size_t nreasons;
    /* content recovered from the journal (see ms_file.recovery), or NULL */
    char *recovery;
    enum ms_certainty recovery_certainty;
    /* every rejected line, up to MS_CRON_MAX_REJECTED
     * (cronfiles.h); rejected_total counts all of them */
    ms_cron_rejected *rejected;
    size_t nrejected, rejected_total;
    char *dialect;         /* rules applied, e.g. "cronie-1.6-or-later" */
    char *dialect_why;     /* evidence for it, in words */
    /* how `recovery` was obtained (NONE when it is NULL) */
    enum ms_recovery_method recovery_method;
} ms_crontab;

/* ---- detection -------------------------------------------------------- */

enum ms_severity { MS_SEV_INFO = 0, MS_SEV_SUSPICIOUS = 1,
                   MS_SEV_MALICIOUS = 2 };

/* The evidence of a reason as fields, beside its sentence, so that
 * results from many hosts can be grouped without parsing prose.  Every
 * field is optional (NULL / 0 / has_* == 0).  Strings are owned by the
 * ms_reason that holds them (copied by ms_reasons_add). */
typedef struct ms_reason_ev {
    const char *rule, *ns;          /* YARA rule and its namespace */
    int         has_offset;
    uint64_t    offset;             /* byte offset of the match or hit */
    const char *source_path;        /* crontab (or other source) path */
    unsigned    source_line;        /* 1-based line in it, 0: none */
    const char *ioc_type;           /* indicator type ("ipv4", ...) */
    const char *ioc_value;          /* indicator as found */
    enum ms_recovery_method recovery_method;
    enum ms_certainty certainty;    /* of the recovery (with a method) */
    int         has_file;
    size_t      file_id;            /* related ms_scan.files index */
} ms_reason_ev;

typedef struct ms_reason {
    const char *code;      /* stable identifier, static string from the
                              table in common/ms_reasons.h */
    enum ms_severity severity;
    char *text;            /* explanation in words */
    ms_reason_ev ev;       /* the same evidence as fields */
} ms_reason;

typedef struct ms_yara_match {
    char    *rule;
    char    *ns;
    char    *string_id;
    uint64_t offset;
    char    *data_hex;     /* matched bytes (capped) as hex */
} ms_yara_match;

typedef struct ms_elfinfo {
    int  valid;
    int  elf_class;        /* 32 or 64 */
    int  big_endian;
    unsigned machine;      /* e_machine */
    unsigned osabi;        /* e_ident[EI_OSABI] */
    unsigned etype;        /* e_type */
    const char *machine_name;
    const char *osabi_name;
} ms_elfinfo;

/* ---- statically unpacked Mumblehard payloads (detection/unpack*.h) ---- */

enum ms_ioc_type { MS_IOC_IPV4, MS_IOC_HOST, MS_IOC_PORT, MS_IOC_URL,
                   MS_IOC_USER_AGENT };
/* known: a published Mumblehard IOC; decoy: a legitimate site Mumblehard's
 * C&C list mixes in (never flagged); weak: an IOC too common to flag
 * alone; other: seen, not graded.  See indicators.h. */
enum ms_ioc_class { MS_IOC_OTHER, MS_IOC_KNOWN, MS_IOC_DECOY, MS_IOC_WEAK };

typedef struct ms_indicator {
    enum ms_ioc_type  type;
    enum ms_ioc_class cls;
    char    *value;        /* bytes as found (writers escape) */
    uint64_t offset;       /* first occurrence in the scanned buffer */
} ms_indicator;

enum ms_script_kind { MS_SCRIPT_UNKNOWN, MS_SCRIPT_BACKDOOR,
                      MS_SCRIPT_SPAM_DAEMON };

typedef struct ms_unpacked {
    int       ok;            /* 1 unpacked; 0 packer matched, unpack failed */
    char     *failure;       /* why not, when !ok */
    uint32_t  key, limit, wrap, step; /* decrypt routine constants */
    uint64_t  routine_offset;
    size_t    calls;         /* calls to the decrypt routine */
    char     *interpreter;   /* decrypted path, e.g. "/usr/bin/perl" */
    uint64_t  script_offset; /* file offset of the encrypted script */
    uint64_t  script_size;
    char      sha256[65];    /* of the recovered script */
    enum ms_script_kind kind;
    const char **features;   /* static strings: documented features seen */
    size_t    nfeatures;
    ms_indicator *indicators;
    size_t    nindicators;
    int       indicators_truncated;
    ms_yara_match *matches;  /* YARA matches on the recovered script */
    size_t    nmatches;
    char     *extracted;     /* path written by --extract, or NULL */
    char     *extract_note;  /* why --extract could not write, or NULL */
    /* which unpacker recovered the script: "static" (the
     * pattern-reading fast path) or "emulation" (the stub run in
     * libunicorn, unpack_emu.h); NULL when both failed.  Static string. */
    const char *method;
} ms_unpacked;

enum ms_origin { MS_ORIGIN_CRON_PROGRAM = 1, MS_ORIGIN_TEMP_DIR = 2,
                 MS_ORIGIN_CARVE = 4 /* YARA hit in unallocated blocks */,
                 /* a script in a web root that a web-shell rule matched
                  * (detection/webshell.h) */
                 MS_ORIGIN_WEBROOT = 8,
                 /* a file anywhere in the file system that a YARA rule
                  * graded suspicious or malicious matched (--sweep,
                  * scan/sweep.h) */
                 MS_ORIGIN_SWEEP = 16 };

typedef struct ms_file {
    ms_fileref ref;
    unsigned   origin;       /* MS_ORIGIN_* bits */
    int        missing;      /* cron program absent from the image: no
                                inode, no content; ref.path is the path */
    int        content_read; /* content was readable and scanned */
    int        scan_truncated; /* larger than the scan limit */
    char      *content_note; /* why content could not be read, or NULL */
    int        executable;   /* exec bit, ELF or #! magic */
    char      *magic;        /* libmagic description */
    ms_elfinfo elf;
    char       md5[33], sha1[41], sha256[65]; /* empty when not read */
    int        name_score;   /* 0..100, see namescore.h */
    int        referenced;   /* run by at least one cron job */
    ms_yara_match *matches;
    size_t     nmatches;
    ms_reason *reasons;
    size_t     nreasons;
    enum ms_severity verdict; /* max severity of reasons; see verdict.h */
    int        flagged;      /* verdict >= suspicious */
    ms_unpacked *unpacked;   /* packer matched: unpack result, else NULL */
    /* content recovered from the ext3/ext4 journal, or NULL:
     * method and provenance in words, e.g. "inode copy from journal
     * transaction 5 (journal block 2), data blocks 1234-1240 unallocated" */
    char      *recovery;
    enum ms_certainty recovery_certainty;
    uint64_t   recovered_size; /* size from the recovered inode copy */
    /* lowest and highest data block of the recovered content (0 0: none),
     * so carved hits inside them can name their owner */
    uint64_t   recovered_block_lo, recovered_block_hi;
    /* origin MS_ORIGIN_CARVE: where the hit lies; `recovery` then says
     * which deleted inode most likely owned it and recovery_certainty how
     * sure that is.  Match offsets are relative to carve_image_offset. */
    uint64_t   carve_block;        /* file-system block of the first match */
    uint64_t   carve_image_offset; /* byte offset of that block in the image */
    /* some of its content lies in media that could not be read
     * (read as zeros; reason PARTIAL_CONTENT says how much) */
    int        partial;
    /* how `recovery` was obtained (NONE when it is NULL) */
    enum ms_recovery_method recovery_method;
    /* times that cannot be trusted (detection/timecheck.h): bit
     * (1u << MS_T_*) set for each time a TIME_* reason put in doubt;
     * the incident story shows such a time as unreliable */
    unsigned   times_unreliable;
} ms_file;

/* ---- --sweep: every regular file YARA-scanned (scan/sweep.h) ------- */

enum ms_sweep_mode { MS_SWEEP_OFF = 0, MS_SWEEP_ALL, MS_SWEEP_EXECUTABLES };

/* A file the sweep did not scan whole because of a limit.  reason is a
 * static string ("max_file", "timeout", "read_error", "recovery_limit"). */
typedef struct ms_sweep_skip {
    int      volume;
    uint64_t inode;
    char    *path;
    uint64_t size;
    const char *reason;
} ms_sweep_skip;

/* What the sweep did; clean files are only counted. */
typedef struct ms_sweep_stats {
    enum ms_sweep_mode mode;
    unsigned workers;          /* run-time field: -j */
    uint64_t max_file;         /* --sweep-max-file */
    int      timeout_s;        /* --sweep-timeout */
    uint64_t files_seen;       /* regular files (and deleted names) met */
    uint64_t files_not_selected; /* --sweep=executables: not executable */
    uint64_t files_scanned;    /* given to YARA whole */
    uint64_t bytes_scanned;
    uint64_t deleted_scanned;  /* of files_scanned: deleted, content read
                                  or recovered */
    uint64_t deleted_unrecoverable; /* deleted names without content */
    uint64_t empty;            /* zero-length files (nothing to scan) */
    uint64_t info_only;        /* only rules graded info matched */
    uint64_t hits;             /* files recorded with origin SWEEP */
    uint64_t hits_not_recorded; /* beyond the hit bound */
    uint64_t dirs;             /* directories listed */
    uint64_t dirs_not_listed;  /* depth or listing limit */
    ms_sweep_skip *skipped;    /* sorted by (volume, inode, path) */
    size_t   nskipped, skipped_cap;
    uint64_t skipped_total;    /* all skipped files, listed or not */
    size_t   skipped_bound;    /* most listed */
} ms_sweep_stats;

/* ---- persistence: something that runs a program later or again -------- */

/* One record per cron job, systemd timer, at job, rc script, shell
 * start-up line ...: what every report format renders for every kind,
 * without knowing the kind.  A collector in artifacts/ fills it (cron:
 * artifacts/cron_persist.c); detection/verdict.c judges the programs. */
typedef struct ms_persistence {
    const char *kind;          /* static, stable: "cron", "systemd-timer" */
    const char *noun;          /* static, for sentences: "cron job" */
    ms_fileref  source;        /* the file that sets it up */
    unsigned    line;          /* 1-based line in it, 0 when none */
    uint64_t    offset;        /* byte offset of that line */
    char       *user;          /* runs as, or NULL */
    ms_trigger  trigger;
    char       *schedule;      /* the trigger as written, or NULL */
    char       *schedule_words;/* in words, or NULL */
    char       *command;       /* as written, or NULL */
    ms_program *programs;   size_t nprograms;
    struct ms_reason *reasons; size_t nreasons;
    ms_attr    *attrs;      size_t nattrs;   /* kind-specific, in order */
    /* the source's content was recovered (NONE: read as it is) */
    enum ms_recovery_method recovery_method;
    enum ms_certainty recovery_certainty;
    long        kind_index;    /* index in the kind's own list (cron:
                                  ms_scan.jobs), -1 when none */
} ms_persistence;

/* ---- evidence integrity, case, provenance (report-only data) ---------- */

enum ms_hash_algo { MS_HASH_MD5, MS_HASH_SHA1, MS_HASH_SHA256, MS_HASH_COUNT };

/* What a hash stored in the image file (E01 acquisition hash) says about
 * the media stream we read. */
enum ms_hash_check {
    MS_HCHK_NOT_STORED = 0, /* the container holds no such hash */
    MS_HCHK_VERIFIED,       /* stored == computed */
    MS_HCHK_MISMATCH,       /* stored != computed: the evidence changed */
    MS_HCHK_NOT_COMPUTED    /* stored, but --hash was not given or failed */
};

typedef struct ms_integrity {
    int      requested;          /* --hash given */
    int      computed;           /* the media hash pass completed */
    uint64_t bytes_hashed;
    char     computed_hex[MS_HASH_COUNT][65]; /* lowercase hex or "" */
    int      stored_checked;     /* the container was asked (E01 only) */
    char     stored_hex[MS_HASH_COUNT][65];   /* "" when not stored */
    enum ms_hash_check check[MS_HASH_COUNT];
    char    *note;               /* why hashing/reading failed, or NULL */
    /* What the computed hashes cover (static string; NULL when not
     * computed): "media" (the disk the scan reads: raw bytes, E01 media,
     * qcow2 guest disk) or "container file" (the image file's own bytes,
     * when the container could not be decoded). */
    const char *hashed_what;
} ms_integrity;

typedef struct ms_case_info {    /* --case --examiner --evidence-id --notes */
    char *case_id, *examiner, *evidence_id, *notes; /* NULL when not given */
} ms_case_info;

typedef struct ms_libversion {
    char *name;
    char *version;
} ms_libversion;

typedef struct ms_rulefile {
    char *path;
    char *sha256;
    char *ns;
} ms_rulefile;

typedef struct ms_provenance {
    char          *command_line; /* argv, shell-quoted (run-time field) */
    char          *host;         /* host name (run-time field) */
    ms_libversion *libs;   size_t nlibs;
    ms_rulefile   *rules;  size_t nrules;
} ms_provenance;

/* ---- damaged or truncated evidence ---------------------------- */

/* A range of media bytes that could not be read: read as zeros, listed
 * with the volumes and reported files it touches. */
typedef struct ms_unreadable {
    uint64_t offset, length;   /* bytes from the start of the image */
    const char *cause;         /* static string, e.g. "read error" */
    int     *volumes;  size_t nvolumes;  /* indexes into ms_scan.volumes */
    size_t  *files;    size_t nfiles;    /* indexes into ms_scan.files */
} ms_unreadable;

/* ---- coverage: which triage locations were read ----------------------- */

/* Names: ms_cov_state_name() (common/ms_coverage.h). */
enum ms_cov_state {
    MS_COV_READ,        /* listed (directory) or read (file) completely */
    MS_COV_ABSENT,      /* the system has no such location */
    MS_COV_UNREADABLE,  /* it exists but could not be read: `reason` */
    MS_COV_PARTIAL      /* read in part (a bound, an unreadable
                           subdirectory or block): `reason` */
};

/* One place the triage looks (a temp directory, a crontab or crontab
 * directory) on one system, filled by artifacts/coverage.c where the
 * collectors look the location up.  UNREADABLE and PARTIAL make the scan
 * "not fully examined" (detection/policy.c), never clean. */
typedef struct ms_coverage {
    int   system_volume;   /* the volume the collectors ran on (the
                              system's root) */
    int   volume;          /* the volume the location lies on */
    const char *kind;      /* static: "temp_dir" "crontab" "cron_dir"
                              "cron_spool" "anacrontab" "run_parts" */
    char *path;            /* as looked for, e.g. "/var/tmp" */
    char *resolved;        /* after symlinks inside the image, or NULL */
    enum ms_cov_state state;
    char *reason;          /* why not (fully) read, or how absent; NULL
                              when read */
    uint64_t inode;        /* the directory's or file's inode */
    int   has_inode;
    uint64_t entries;      /* names listed (directories, subdirectories
                              included) */
} ms_coverage;

/* ---- the whole scan --------------------------------------------------- */

/* Who the server is, read from one root file system (artifacts/hostid.h).
 * Every string is from the image (hostile), NULL when not found. */
typedef struct ms_host_addr {
    char *addr;            /* "192.0.2.10/24" or "2001:db8::10" */
    char *iface;           /* interface name, or NULL */
    char *source;          /* the configuration file it came from */
} ms_host_addr;

typedef struct ms_host_key {
    char *path;            /* /etc/ssh/ssh_host_ed25519_key.pub */
    char *type;            /* "ssh-ed25519" */
    char *label;           /* "ED25519", as ssh-keygen -l prints it */
    unsigned bits;
    char *fingerprint;     /* "SHA256:..." as ssh-keygen -l prints it */
} ms_host_key;

typedef struct ms_host {
    int   volume;          /* the file system holding its /etc */
    char *hostname;
    char *hostname_source; /* /etc/hostname, /etc/sysconfig/network, ... */
    char *os_pretty_name, *os_id, *os_version_id; /* os-release */
    char *machine_id;      /* /etc/machine-id */
    ms_host_addr *addrs;   size_t naddrs, addrs_cap;
    ms_host_key  *keys;    size_t nkeys, keys_cap;
} ms_host;

/* One entry of a system's mount table (artifacts/mounttab.h). */
enum ms_mount_status {
    MS_MNT_MAPPED,     /* mounted from a volume of this image */
    MS_MNT_INFERRED,   /* mapped by device name and partition order */
    MS_MNT_ABSENT,     /* names a volume that is not in this image */
    MS_MNT_MEMORY,     /* tmpfs/ramfs: nothing on disk */
    MS_MNT_BIND,       /* bind mount of another namespace path */
    MS_MNT_SWAP,       /* swap: no files */
    MS_MNT_PSEUDO,     /* proc, sysfs, devpts ...: no files on disk */
    MS_MNT_UNMAPPED,   /* could not be mapped; note says why */
    MS_MNT_NETWORK     /* NFS/CIFS/...: another machine's files */
};

typedef struct ms_mount {
    char *source;          /* "/etc/fstab", "/etc/systemd/system/x.mount" */
    unsigned line;         /* 1-based line in source, 0 for none */
    char *text;            /* the line as written (hostile) */
    char *spec;            /* what is mounted: "UUID=...", "/dev/vg/lv" */
    char *mount_point;     /* where */
    char *fs_type;         /* as written */
    char *options;         /* as written */
    enum ms_mount_status status;
    int   volume;          /* index into ms_scan.volumes, or -1 */
    char *note;            /* how it was mapped or why not, in words */
} ms_mount;

/* One installed system: a root file system and its namespace. */
typedef struct ms_system {
    int   root_volume;     /* index into ms_scan.volumes */
    char *layout;          /* "fstab" or "content (no fstab)": which
                              source the namespace was built from */
    ms_mount *mounts;  size_t nmounts;
} ms_system;
/* ---- execution history and the incident story -------------------- */

/* A log file the history was read from (artifacts/syslog_cron.h,
 * journal_cron.h, utmp.h, authlog.h). */
typedef struct ms_logsrc {
    int      volume;
    char    *path;         /* in the image (hostile bytes) */
    uint64_t inode;
    int      has_inode;
    int      deleted;      /* read from a deleted name (recovered) */
    const char *kind;      /* static: "syslog" "cron" "journal" "wtmp"
                              "btmp" "lastlog" "auth" */
    int      compressed;   /* gzip */
    uint64_t records;      /* records of interest taken from it */
    char    *year_note;    /* how the year of its lines was inferred, or
                              NULL when its lines carry the year */
    char    *note;         /* read problems, bounds reached, or NULL */
    /* lines in local time without a zone (traditional syslog): the zone
     * applied to put them in UTC (artifacts/tzinfo.h), NULL otherwise */
    char    *time_zone;    /* "Europe/Berlin", "(unnamed)" or "UTC" */
    char    *time_zone_source; /* how it was found, in words */
    int      local_as_utc; /* no zone found: local times taken as UTC */
} ms_logsrc;

/* One recorded run of a cron job, as cron logged it. */
typedef struct ms_cron_run {
    int64_t  sec;          /* UTC seconds (syslog: local time taken as UTC) */
    long     source;       /* index into ms_scan.logsrcs */
    uint64_t line;         /* 1-based line, or journal entry number */
    long     pid;          /* -1 when not logged */
    long     history;      /* index into ms_scan.job_history: the user
                              and command exactly as logged */
    int      year_inferred;
} ms_cron_run;

#define MS_HISTORY_GAPS 3
typedef struct ms_gap { int64_t from, to; } ms_gap;

/* Every run of one (user, logged command), linked to the job it ran. */
typedef struct ms_job_history {
    char    *user;
    char    *command;      /* as logged (first record's text) */
    long     job;          /* index into ms_scan.jobs, -1 when no job in
                              the image has this user and command */
    const char *link;      /* static: "exact", "truncated in the log",
                              "none" */
    int      flagged;      /* the job runs a flagged file */
    uint64_t runs;
    int64_t  first, last;
    ms_gap   gaps[MS_HISTORY_GAPS]; /* longest first */
    size_t   ngaps;
    long    *sources;      /* indexes into ms_scan.logsrcs */
    size_t   nsources, sources_cap;
    int      year_inferred; /* some of its times had an inferred year */
} ms_job_history;

/* A login, logout, failed login or boot record. */
typedef struct ms_login {
    int64_t  sec;
    uint32_t usec;
    const char *kind;      /* static: "login" "logout" "failed" "boot"
                              "shutdown" "accepted" "last_login" */
    char    *user;         /* or NULL */
    char    *host;         /* remote address or host, or NULL */
    char    *line;         /* tty, or the sshd method ("password") */
    long     pid;          /* -1 when not recorded */
    long     source;       /* index into ms_scan.logsrcs */
    uint64_t record;       /* record or line number in the source */
} ms_login;

/* One step of the incident chronology (detection/story.h).  A step
 * without evidence has has_time 0 and says so in text. */
typedef struct ms_story_step {
    const char *kind;      /* static: "web_shell_request" "dropper_written"
                              "crontab_changed" "first_cron_run"
                              "last_cron_run" "deleted" */
    int      has_time;
    int64_t  sec;
    uint32_t nsec;
    char    *source;       /* the artifact, in words (path, inode, line) */
    enum ms_certainty certainty;
    char    *text;
} ms_story_step;

typedef struct ms_segment {
    char    *path;
    uint64_t size;
} ms_segment;

typedef struct ms_scan {
    char   **images;      /* image paths as given */
    size_t   nimages;
    char    *image_type;  /* detected format: "raw", "ewf" ... */
    uint64_t image_size;
    unsigned sector_size;

    ms_volume  *volumes;   size_t nvolumes;
    ms_crontab *crontabs;  size_t ncrontabs;
    ms_cronjob *jobs;      size_t njobs;
    ms_file    *files;     size_t nfiles;
    char      **errors;    size_t nerrors;   /* non-fatal problems */

    /* capacities of the arrays above, for ms_grow() */
    size_t volumes_cap, crontabs_cap, jobs_cap, files_cap, errors_cap;

    /* what the temp-dir walk saw, for the report's coverage statement */
    size_t temp_entries;       /* names listed, deleted ones included */
    size_t temp_deleted;       /* of those, deleted names */
    /* every triage location looked for, in lookup order (above) */
    ms_coverage *coverage;     size_t ncoverage, coverage_cap;

    int64_t started, finished; /* UTC seconds, run-time fields */
    char   *rules_desc;        /* which rule files were compiled */

    /* Report-only data filled by the caller of ms_scan_run (the CLI). */
    ms_integrity  integrity;
    ms_case_info  case_info;
    ms_provenance prov;

    /* The files the image was read from (every segment found, e.g. all
     * E01 segments when the first was given) and their sizes in bytes
     * (0 when it cannot be read), for the result's image identity. */
    ms_segment *segments;
    size_t      nsegments;

    /* The systems found (one per file system with a root's /etc). */
    ms_host *hosts;
    size_t   nhosts, hosts_cap;
    /* media that could not be read, in offset order; set when
     * anything was unreadable: the evidence is incomplete. */
    ms_unreadable *unreadable; size_t nunreadable;
    int    unreadable_coarsened;  /* the list hit its bound: ranges were
                                     merged and over-state what is missing */
    int    evidence_incomplete;
    /* Every installed system found (a root file system with its mount
     * table); NULL/0 when the image holds none. */
    ms_system *systems; size_t nsystems;
    /* every persistence record of every kind (cron jobs included) */
    ms_persistence *persistence;
    size_t npersistence, persistence_cap;
    /* execution history, logins and the incident story (detection/
     * history.h, story.h); runs and logins are kept up to the bounds
     * there, *_total counts all of them */
    ms_logsrc      *logsrcs;     size_t nlogsrcs, logsrcs_cap;
    ms_cron_run    *cron_runs;   size_t ncron_runs, cron_runs_cap;
    uint64_t        cron_runs_total;
    ms_job_history *job_history; size_t njob_history, job_history_cap;
    ms_login       *logins;      size_t nlogins, logins_cap;
    uint64_t        logins_total;
    ms_story_step  *story;       size_t nstory, story_cap;

    /* The entry vector (docs/detection.md, "Entry vector"): web roots
     * found, script files in them born or changed near the backdoor's
     * birth, requests to flagged or nearby scripts from the access logs,
     * and the two times the incident story starts from. */
    struct ms_entry *entry;       /* NULL when no web root was found and
                                     no access log read */
    ms_sweep_stats *sweep;        /* --sweep, or NULL */
    /* the acquisition date the image records (E01 header "acquiry_date",
     * evidence/ewfhash.h): seconds with its fields taken as UTC, -1 or 0
     * when none; acquired_text as stored */
    int64_t acquired;
    char   *acquired_text;
} ms_scan;

/* ---- entry vector (artifacts/webroots.h, artifacts/accesslog.h) ------- */

typedef struct ms_webroot {
    int     volume;        /* file system it lies on */
    char   *path;          /* directory in the image (resolved) */
    char   *url_prefix;    /* URL path it serves: "/", "/~alice/", an Alias */
    char   *source;        /* "default location" or "<config file>:<line>" */
    size_t  entries;       /* names listed in it */
    size_t  scripts;       /* script files among them */
    int     truncated;     /* the walk stopped at a bound */
} ms_webroot;

/* A script file in a web root born (crtime) or changed (ctime) within
 * the window around the anchor (the flagged backdoor's birth). */
typedef struct ms_web_nearby {
    ms_fileref ref;
    const char *which;     /* "crtime" or "ctime" (static) */
    int64_t delta;         /* seconds after the anchor (negative: before) */
    long    file_index;    /* the same file in ms_scan.files, or -1 */
} ms_web_nearby;

/* One request from an access log to a flagged or nearby script. */
typedef struct ms_web_request {
    char    *path;         /* the file in the image the URL maps to */
    long     file_index;   /* into ms_scan.files (a web shell), or -1 */
    char    *client;       /* remote address as logged */
    int64_t  time;         /* UTC seconds */
    int      tz_minutes;   /* the log's UTC offset, minutes */
    char    *method, *url, *user_agent;
    int      status;
    char    *log;          /* the log file's path in the image */
    int      log_volume;
    uint64_t line;         /* 1-based line in the (decompressed) log */
    int      first;        /* the earliest request to this file seen */
} ms_web_request;

/* A time the incident story can use, with where it came from. */
typedef struct ms_story_time {
    int     set;
    int64_t sec;
    uint32_t nsec;
    char   *path;          /* the file concerned */
    char   *source;        /* artifact it was read from, in words */
    enum ms_certainty certainty;
    int     unreliable;    /* a TIME_* reason put this time in doubt */
} ms_story_time;

typedef struct ms_entry {
    ms_webroot    *roots;     size_t nroots, roots_cap;
    ms_web_nearby *nearby;    size_t nnearby, nearby_cap;
    ms_web_request *requests; size_t nrequests, requests_cap;
    size_t  requests_total;   /* matching requests seen (kept or not) */
    size_t  logs_read;        /* access log files read */
    size_t  scripts_scanned;  /* web-root scripts YARA saw */
    int64_t window;           /* --window, seconds either side */
    ms_story_time anchor;     /* the backdoor's birth the window is around */
    ms_story_time shell_created;  /* earliest web shell's creation */
    ms_story_time first_request;  /* first request to a web shell */
} ms_entry;

#endif

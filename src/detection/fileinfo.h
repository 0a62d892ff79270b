/* fileinfo.h - content facts about a file: hashes, ELF header, libmagic.
 *
 * Everything here works on bytes already read from the image; nothing
 * opens evidence files.  Input is hostile: every parser is bounds-checked
 * and answers "not recognised" rather than failing on odd data. */
#ifndef MS_FILEINFO_H
#define MS_FILEINFO_H

#include <stddef.h>
#include <stdint.h>

#include "artifacts/exec_magic.h"
#include "common/ms_error.h"
#include "common/ms_model.h"

/* ---- hashes ----------------------------------------------------------- */

/* MD5, SHA-1 and SHA-256 in one pass (OpenSSL 3 EVP), so content read in
 * chunks is hashed without a second read of the image. */
typedef struct ms_hasher ms_hasher;

/* *out is the caller's; free with ms_hasher_free. */
ms_err ms_hasher_new(ms_hasher **out);
ms_err ms_hasher_update(ms_hasher *h, const void *data, size_t len);
/* Writes lowercase hex digests with a terminating NUL.  The hasher is
 * spent afterwards: further updates/finals return MS_ERR_ARG. */
ms_err ms_hasher_final(ms_hasher *h, char md5[33], char sha1[41],
                       char sha256[65]);
void ms_hasher_free(ms_hasher *h);

/* ---- ELF header ------------------------------------------------------- */

/* Parse the ELF file header in buf[0..len).  Not ELF, an unknown class or
 * data encoding, or a header shorter than the class requires (52 bytes for
 * ELF32, 64 for ELF64) give out->valid = 0 and MS_OK; that is an answer,
 * not an error.  When valid, machine_name and osabi_name point to static
 * strings ("unknown" for codes not in the tables).  When not valid every
 * field is 0 and the names are NULL.  MS_ERR_ARG only for NULL out, or NULL
 * buf with len > 0. */
ms_err ms_elf_parse(const uint8_t *buf, size_t len, ms_elfinfo *out);

/* Static names for e_machine / EI_OSABI codes, "unknown" if not known. */
const char *ms_elf_machine_name(unsigned machine);
const char *ms_elf_osabi_name(unsigned osabi);

/* ---- libmagic --------------------------------------------------------- */

/* A libmagic handle with the default database loaded.  Configured to look
 * at buffers only and never decompress (no helper processes); one handle
 * must not be used by two threads at once. */
typedef struct ms_magic ms_magic;

ms_err ms_magic_open(ms_magic **out);
/* Description of buf[0..len) (len may be 0), malloc'd, caller frees; NULL
 * if libmagic failed or memory ran out. */
char *ms_magic_describe(ms_magic *m, const void *buf, size_t len);
void ms_magic_close(ms_magic *m);
/* Run-time libmagic version, e.g. "5.44". */
const char *ms_magic_version_string(void);

#endif

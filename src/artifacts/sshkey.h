/* sshkey.h - an OpenSSH public key line as `ssh-keygen -l` reports it.
 *
 * A host is recognised across snapshots, reinstalls of its disk image and
 * renames by its SSH host keys; CERTs and providers quote them as
 * ssh-keygen prints them: "256 SHA256:<base64 without padding> comment
 * (ED25519)".  The line is hostile text from the image; the key blob is
 * parsed only as far as needed for the bit size, with every length
 * checked. */
#ifndef MS_SSHKEY_H
#define MS_SSHKEY_H

#include <stddef.h>

#include "common/ms_error.h"

typedef struct ms_sshkey {
    char     type[32];        /* "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256" */
    char     label[16];       /* ssh-keygen's "(ED25519)", "(RSA)", "(ECDSA)" word */
    unsigned bits;            /* 0 when the blob does not say */
    char     fingerprint[64]; /* "SHA256:" + 43 base64 characters */
} ms_sshkey;

/* Parse one "TYPE BASE64 [COMMENT]" line (leading options are not
 * expected in host key files).  MS_ERR_FORMAT when it is not a key line
 * whose blob starts with its own type name. */
ms_err ms_sshkey_parse(const char *line, size_t len, ms_sshkey *out);

#endif

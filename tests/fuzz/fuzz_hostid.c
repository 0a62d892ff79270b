/* fuzz_hostid.c - libFuzzer target for the host-identity parsers: the
 * four network-configuration formats (the first byte picks one) and the
 * SSH public key line.  See tests/fuzz/README.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/netconf.h"
#include "artifacts/sshkey.h"

static int count(void *user, const char *addr, const char *iface)
{
    size_t *n = user;
    *n += strlen(addr) + strlen(iface) > 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0;
    ms_sshkey k;
    if (size < 1)
        return 0;
    ms_netconf_parse((enum ms_netconf_kind)(data[0] % 4),
                     (const char *)data + 1, size - 1, count, &n);
    ms_sshkey_parse((const char *)data + 1, size - 1, &k);
    return 0;
}

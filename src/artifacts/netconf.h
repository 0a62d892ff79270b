/* netconf.h - configured IP addresses from a server's network
 * configuration files, for identifying the host (a CERT notifies owners
 * by address).
 *
 * Four formats, each read the way its tool reads it, only as far as
 * addresses go: ifupdown (/etc/network/interfaces and interfaces.d/),
 * netplan YAML (/etc/netplan/NAME.yaml), NetworkManager keyfiles
 * (/etc/NetworkManager/system-connections/NAME) and RHEL
 * ifcfg files (/etc/sysconfig/network-scripts/ifcfg-NAME).  Only addresses
 * that parse (inet_pton) are reported; loopback, DNS servers and
 * gateways are not.  Input is hostile text: pure functions, bounded. */
#ifndef MS_NETCONF_H
#define MS_NETCONF_H

#include <stddef.h>

#include "common/ms_error.h"

enum ms_netconf_kind {
    MS_NETCONF_IFUPDOWN,
    MS_NETCONF_NETPLAN,
    MS_NETCONF_NM,
    MS_NETCONF_IFCFG
};

/* One address, "192.0.2.10/24" or "2001:db8::10" (prefix when the file
 * gives one), and its interface name ("" when the file does not say).
 * Return non-zero to stop. */
typedef int (*ms_netconf_cb)(void *user, const char *addr, const char *iface);

/* Parse len bytes of one file.  MS_ERR_ARG on NULL arguments; otherwise
 * MS_OK (a file without addresses is not an error). */
ms_err ms_netconf_parse(enum ms_netconf_kind kind, const char *text,
                        size_t len, ms_netconf_cb cb, void *user);

#endif

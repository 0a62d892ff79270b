/* hostid.h - who the server is: host name, OS release, machine-id,
 * configured IP addresses and SSH host key fingerprints, read from a root
 * file system.
 *
 * A result from one image of a fleet must name its host: a CERT notifies
 * owners by address, and a host is recognised across snapshots by its
 * machine-id and SSH host keys.  Read from (each path resolved inside the
 * image, symlinks included, every file read whole line by line; at most
 * MS_HOSTID_MAX_FILE bytes of its meaningful lines kept, padding noted
 * in the scan's errors):
 *   host name   /etc/hostname, else HOSTNAME= in /etc/sysconfig/network,
 *               else the name on /etc/hosts' 127.0.1.1 line (Debian)
 *   OS          /etc/os-release, else /usr/lib/os-release
 *   machine-id  /etc/machine-id (32 hex digits, else not reported)
 *   addresses   netconf.h: /etc/network/interfaces(.d/), /etc/netplan/,
 *               /etc/NetworkManager/system-connections/,
 *               /etc/sysconfig/network-scripts/ifcfg-NAME
 *   SSH keys    /etc/ssh/ssh_host_TYPE_key.pub (sshkey.h)
 * A file system without /etc (a separate /var or /home) adds nothing. */
#ifndef MS_HOSTID_H
#define MS_HOSTID_H

#include "common/ms_model.h"
#include "evidence/fs.h"

#define MS_HOSTID_MAX_FILE (64u * 1024u)
#define MS_HOSTID_MAX_DIR  256   /* files read per configuration folder */
#define MS_HOSTID_MAX_ADDRS 256
#define MS_HOSTID_MAX_KEYS  32

/* Add an ms_host for `volume` to scan->hosts when the file system holds
 * any of the above.  Only MS_ERR_NOMEM is returned. */
ms_err ms_hostid_collect(ms_fs *fs, ms_scan *scan, int volume);

#endif

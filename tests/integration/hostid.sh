#!/bin/bash
# hostid.sh - the host's identity read from the image: host name, OS
# release, machine-id, configured addresses from ifupdown, netplan,
# NetworkManager and ifcfg files, and SSH host key fingerprints exactly as
# `ssh-keygen -l` prints them for the same keys.
. "$(dirname "$0")/lib.sh"

spec=$SCRATCH/host.spec
cp "$SPECS/clean.spec" "$spec"
cat >>"$spec" <<'SPEC'
file /etc/hostname 0644 text "web07.example.net\n"
file /usr/lib/os-release 0644 text "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"
symlink /etc/os-release ../usr/lib/os-release
file /etc/machine-id 0444 text "0123456789abcdef0123456789abcdef\n"
file /etc/network/interfaces 0644 text "auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n    address 198.51.100.23/24\n    gateway 198.51.100.1\n    dns-nameservers 9.9.9.9\n    up ip addr add 198.51.100.24/24 dev eth0\n\niface eth0 inet6 static\n    address 2001:db8:7::23/64\n"
file /etc/network/interfaces.d/eth1 0644 text "iface eth1 inet static\n  address 10.20.30.40\n  netmask 255.255.255.0\n"
file /etc/netplan/50-cloud-init.yaml 0644 text "network:\n  version: 2\n  ethernets:\n    ens3:\n      addresses: [203.0.113.9/26, \"2001:db8:9::9/64\"]\n      nameservers:\n        addresses: [8.8.8.8]\n    ens4:\n      addresses:\n        - 192.0.2.77/24\n      routes:\n        - to: default\n          via: 192.0.2.1\n"
file /etc/NetworkManager/system-connections/Wired.nmconnection 0600 text "[connection]\nid=Wired\ninterface-name=enp1s0\n\n[ipv4]\naddress1=172.16.5.5/16,172.16.0.1\ndns=1.1.1.1;\nmethod=manual\n"
file /etc/sysconfig/network-scripts/ifcfg-eth2 0644 text "DEVICE=eth2\nBOOTPROTO=none\nIPADDR=\"100.64.1.2\"\nPREFIX=10\nIPADDR1=100.64.1.3\nPREFIX1=10\n"
file /etc/sysconfig/network-scripts/ifcfg-lo 0644 text "DEVICE=lo\nIPADDR=127.0.0.1\n"
SPEC

have_keys=0
if has_tool ssh-keygen; then
    for t in ed25519 rsa ecdsa; do
        ssh-keygen -q -t "$t" -N '' -C "root@web07" -f "$SCRATCH/ssh_host_${t}_key" ||
            die "ssh-keygen -t $t failed"
        printf 'file /etc/ssh/ssh_host_%s_key.pub 0644 text "%s\\n"\n' \
            "$t" "$(cat "$SCRATCH/ssh_host_${t}_key.pub")" >>"$spec"
    done
    # A private key and a junk .pub are not host keys to report.
    echo 'file /etc/ssh/ssh_host_dsa_key.pub 0644 text "ssh-dss not-base64!! x\n"' >>"$spec"
    echo 'file /etc/ssh/ssh_host_ed25519_key 0600 text "-----BEGIN OPENSSH PRIVATE KEY-----\n"' >>"$spec"
    have_keys=1
else
    say "note: ssh-keygen missing, SSH host key fingerprints not cross-checked"
fi

build host --spec "$spec"
run_scan "$SCRATCH/host.json" -f json "$SCRATCH/host"
expect_rc 0 "clean host with identity files"
j=$SCRATCH/host.json
jqt "one system found" "$j" '(.hosts | length) == 1 and .hosts[0].volume == 0'
jqt "host name from /etc/hostname" "$j" \
    '.hosts[0].hostname == "web07.example.net" and .hosts[0].hostname_source == "/etc/hostname"'
jqt "OS release through the /etc/os-release symlink" "$j" \
    '.hosts[0].os_id == "debian" and .hosts[0].os_version_id == "12" and .hosts[0].os_pretty_name == "Debian GNU/Linux 12 (bookworm)"'
jqt "machine-id" "$j" '.hosts[0].machine_id == "0123456789abcdef0123456789abcdef"'
jqt "every configured address, no loopback, DNS server or gateway" "$j" '
    [.hosts[0].addresses[].address] | sort == ([
      "198.51.100.23/24", "198.51.100.24/24", "2001:db8:7::23/64", "10.20.30.40",
      "203.0.113.9/26", "2001:db8:9::9/64", "192.0.2.77/24", "172.16.5.5/16",
      "100.64.1.2/10", "100.64.1.3/10"] | sort)'
jqt "addresses keep their interface and source file" "$j" '
    any(.hosts[0].addresses[]; .address == "203.0.113.9/26" and .interface == "ens3" and .source == "/etc/netplan/50-cloud-init.yaml")
    and any(.hosts[0].addresses[]; .address == "172.16.5.5/16" and .interface == "enp1s0")
    and any(.hosts[0].addresses[]; .address == "100.64.1.2/10" and .interface == "eth2")
    and any(.hosts[0].addresses[]; .address == "10.20.30.40" and .interface == "eth1")'
if [ "$have_keys" = 1 ]; then
    jqt "three host keys, the junk .pub and the private key skipped" "$j" \
        '(.hosts[0].ssh_host_keys | length) == 3'
    for t in ed25519 rsa ecdsa; do
        # ssh-keygen -l: "256 SHA256:... root@web07 (ED25519)"
        read -r bits fp _ < <(ssh-keygen -l -f "$SCRATCH/ssh_host_${t}_key.pub")
        label=$(ssh-keygen -l -f "$SCRATCH/ssh_host_${t}_key.pub" | sed 's/.*(\(.*\))$/\1/')
        jqt "$t host key as ssh-keygen -l prints it" "$j" \
            --arg fp "$fp" --argjson bits "$bits" --arg lab "$label" \
            --arg p "/etc/ssh/ssh_host_${t}_key.pub" \
            'any(.hosts[0].ssh_host_keys[]; .path == $p and .fingerprint == $fp and .bits == $bits and .label == $lab)'
    done
fi

# Text and HTML show the identity; a hostile host name stays escaped.
run_scan "$SCRATCH/host.txt" "$SCRATCH/host"
check "text report names the host" grep -q 'host name   web07.example.net' "$SCRATCH/host.txt"
check "text report lists an address" grep -q '203.0.113.9/26 on ens3' "$SCRATCH/host.txt"

spec2=$SCRATCH/hostile.spec
cp "$SPECS/clean.spec" "$spec2"
echo 'file /etc/hostname 0644 text "<b>x</b>\e[2J\n"' >>"$spec2"
build hostile --spec "$spec2"
run_scan "$SCRATCH/hostile.html" -f html "$SCRATCH/hostile"
check "hostile host name escaped in HTML" grep -q '&lt;b&gt;x&lt;/b&gt;' "$SCRATCH/hostile.html"
check "no raw ESC in HTML" bash -c "! grep -q \$'\\e' '$SCRATCH/hostile.html'"
run_scan "$SCRATCH/hostile.txt" "$SCRATCH/hostile"
check "no raw ESC in text" bash -c "! grep -q \$'\\e' '$SCRATCH/hostile.txt'"

# Root plus a separate /var partition: one system, on the root's volume.
build srv --spec "$SPECS/var-partition.spec" --layout two-fs \
    --decoy-spec "$SPECS/root-partition.spec" --size-mb 24
run_scan "$SCRATCH/srv.json" -f json "$SCRATCH/srv"
jqt "one system, on the volume that holds /etc" "$SCRATCH/srv.json" \
    '(.hosts | length) == 1 and .hosts[0].hostname == "srv01"
     and (.hosts[0].volume as $v | .volumes[$v].mount_point == null)'
finish

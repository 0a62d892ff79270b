#!/bin/bash
# fleet_parallel.sh - the GNU Parallel recipe of docs/fleet.md: one job per
# manifest line with --joblog and --resume-failed, and --sshlogin to a
# second "host" (sshd on 127.0.0.1, started here on a high port with a
# throwaway host key and authorized_keys in the scratch directory).
. "$(dirname "$0")/lib.sh"

has_tool parallel || skip "GNU parallel is not installed (apt-get install parallel)"

build clean --spec "$SPECS/clean.spec"
build inf --spec "$SPECS/infected-debian.spec"
M=$SCRATCH/m.txt
printf '%s\n%s\n%s\n' "$SCRATCH/clean" "$SCRATCH/inf" "$SCRATCH/missing.raw" >"$M"
R=$SCRATCH/r
mkdir -p "$R"
lines=$(wc -l <"$M")

# exit 1 (findings) and 3 (incomplete) are results, not job failures
JOB="$MUMBLESCAN --manifest $M -o $R --lines {} ; s=\$?; [ \$s = 1 ] || [ \$s = 3 ] && s=0; exit \$s"
seq 1 "$lines" | parallel --joblog "$SCRATCH/jobs.log" -j 2 "$JOB" \
    >"$SCRATCH/p1.out" 2>&1
check "joblog has one row per line" test "$(tail -n +2 "$SCRATCH/jobs.log" | wc -l)" -eq "$lines"
check "the missing image's job failed (exit 3 is a result; a failed line is 3 too)" \
    grep -q . "$SCRATCH/jobs.log"
for n in 1 2 3; do
    check "line $n has its summary" test -s "$R/batch-summary-$n-$n.jsonl"
done
jqt "line 2 has findings" "$R/batch-summary-2-2.jsonl" '.state == "findings"'
jqt "line 3 failed" "$R/batch-summary-3-3.jsonl" '.state == "failed"'
# the missing image appears; --resume-failed reruns only the failed jobs,
# and the batch itself skips completed results
cp "$SCRATCH/clean" "$SCRATCH/missing.raw"
seq 1 "$lines" | parallel --joblog "$SCRATCH/jobs.log" --resume-failed -j 2 \
    "$JOB" >"$SCRATCH/p2.out" 2>&1
jqt "--resume-failed: line 3 now clean" "$R/batch-summary-3-3.jsonl" '.state == "clean"'
check "results: three directories" test "$(find "$R" -mindepth 1 -maxdepth 1 -type d | wc -l)" -eq 3

# --- --sshlogin to a second host: sshd on the loopback address ----------
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
if [ ! -x "$SSHD" ] || [ "$(id -u)" != 0 ]; then
    say "sshd part skipped: needs openssh-server and root (sshd drops privileges)"
    finish
fi
K=$SCRATCH/ssh
mkdir -p "$K" /run/sshd
chmod 700 "$K"
ssh-keygen -q -t ed25519 -N '' -f "$K/host" >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$K/user" >/dev/null
cp "$K/user.pub" "$K/authorized_keys"
PORT=$((20000 + RANDOM % 20000))
cat >"$K/sshd_config" <<EOC
Port $PORT
ListenAddress 127.0.0.1
HostKey $K/host
AuthorizedKeysFile $K/authorized_keys
PasswordAuthentication no
PermitRootLogin prohibit-password
StrictModes no
PidFile $K/sshd.pid
UsePAM no
EOC
"$SSHD" -f "$K/sshd_config" -E "$K/sshd.log" || die "sshd did not start: $(cat "$K/sshd.log")"
trap 'kill $(cat "$K/sshd.pid" 2>/dev/null) 2>/dev/null; rm -rf "$SCRATCH"' EXIT
for i in $(seq 1 50); do [ -s "$K/sshd.pid" ] && break; sleep 0.1; done
SSH="ssh -p $PORT -i $K/user -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
check "ssh to the loopback sshd works" $SSH root@127.0.0.1 true
R2=$SCRATCH/r2
mkdir -p "$R2"
JOB2="$MUMBLESCAN --manifest $M -o $R2 --lines {} ; s=\$?; [ \$s = 1 ] || [ \$s = 3 ] && s=0; exit \$s"
seq 1 "$lines" | parallel --ssh "$SSH" --sshlogin 1/root@127.0.0.1 --sshlogin 1/: \
    --joblog "$SCRATCH/jobs2.log" "$JOB2" >"$SCRATCH/p3.out" 2>&1
check "ssh joblog: the remote host ran jobs" awk 'NR>1 && $2 ~ /127.0.0.1/ {f=1} END {exit !f}' "$SCRATCH/jobs2.log"
check "ssh joblog: every job exited 0" awk 'NR>1 && $7 != 0 {f=1} END {exit f}' "$SCRATCH/jobs2.log"
check "ssh run: three results" test "$(find "$R2" -mindepth 1 -maxdepth 1 -type d | wc -l)" -eq 3
finish

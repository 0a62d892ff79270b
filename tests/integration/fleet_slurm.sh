#!/bin/bash
# fleet_slurm.sh - the Slurm recipe of docs/fleet.md on a single-node
# cluster started here (slurmctld + slurmd from Debian's slurm-wlm, munge
# for authentication, a slurm.conf in the scratch directory on private
# ports): fleet/slurm-array.sh with STRIDE 2 over 5 manifest lines is an
# array of 3 tasks; every line ends with its state, a failed line makes
# its task fail.  Needs root (slurmd runs jobs as their user).
. "$(dirname "$0")/lib.sh"

for t in slurmctld slurmd sbatch munged; do
    has_tool "$t" || [ -x "/usr/sbin/$t" ] ||
        skip "$t is not installed (apt-get install slurm-wlm munge)"
done
[ "$(id -u)" = 0 ] || skip "a single-node Slurm cluster needs root here"

build clean --spec "$SPECS/clean.spec"
build inf --spec "$SPECS/infected-debian.spec"
cp "$SCRATCH/clean" "$SCRATCH/c3.raw"
truncate -s +1M "$SCRATCH/c3.raw"
M=$SCRATCH/m.txt
printf '%s\n' "$SCRATCH/clean" "$SCRATCH/inf" "$SCRATCH/missing.raw" \
    "$SCRATCH/c3.raw" "# end" >"$M"
SL=$SCRATCH/slurm
mkdir -p "$SL/state" "$SL/spool" "$SL/log"
H=$(hostname -s)
P=$((30000 + RANDOM % 20000))
cat >"$SL/slurm.conf" <<EOC
ClusterName=mstest
SlurmctldHost=$H
SlurmctldPort=$P
SlurmdPort=$((P + 1))
AuthType=auth/munge
StateSaveLocation=$SL/state
SlurmdSpoolDir=$SL/spool
SlurmctldPidFile=$SL/ctld.pid
SlurmdPidFile=$SL/d.pid
SlurmUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
ReturnToService=2
NodeName=$H CPUs=$(nproc) State=UNKNOWN
PartitionName=t Nodes=$H Default=YES MaxTime=INFINITE State=UP
EOC
export SLURM_CONF=$SL/slurm.conf
started_munge=
if ! pgrep -x munged >/dev/null; then
    mkdir -p /run/munge /etc/munge
    [ -f /etc/munge/munge.key ] || mungekey -c >/dev/null 2>&1 ||
        skip "cannot create a munge key"
    munged --force >/dev/null 2>&1 || skip "munged does not start"
    started_munge=$(cat /run/munge/munged.pid 2>/dev/null)
fi
stop_all() {
    for f in "$SL/d.pid" "$SL/ctld.pid"; do
        [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    [ -n "$started_munge" ] && kill "$started_munge" 2>/dev/null
    sleep 0.5
    rm -rf "$SCRATCH"
}
trap stop_all EXIT
slurmctld -L "$SL/log/ctld.log" || skip "slurmctld does not start: $(tail -1 "$SL/log/ctld.log")"
slurmd -L "$SL/log/d.log" || skip "slurmd does not start: $(tail -1 "$SL/log/d.log")"
for i in $(seq 1 100); do
    sinfo -h -o %t 2>/dev/null | grep -q idle && break
    sleep 0.2
done
sinfo -h -o %t | grep -q idle || skip "the Slurm node did not come up: $(tail -2 "$SL/log/d.log")"

R=$SCRATCH/r
mkdir -p "$R"
PATH=$(dirname "$MUMBLESCAN"):$PATH timeout 300 sbatch --wait --parsable \
    --array=0-2 -o "$R/slurm-%A_%a.out" \
    --export=ALL,MANIFEST="$M",RESULTS="$R",STRIDE=2 \
    "$SRCDIR/fleet/slurm-array.sh" >"$SCRATCH/sbatch.out" 2>&1
RC=$?
expect_rc 2 "sbatch --wait reports the failed task (exit 2 of the task with a failed image)"
for r in 1-2 3-4 5-6; do
    check "task summary batch-summary-$r.jsonl" test -e "$R/batch-summary-$r.jsonl"
done
cat "$R"/batch-summary-*.jsonl >"$SCRATCH/all.jsonl"
jqt "four image lines, one state each" "$SCRATCH/all.jsonl" --slurp \
    '[.[].line] == [1, 2, 3, 4] and ([.[].state] == ["clean", "findings", "failed", "clean"])'
finish

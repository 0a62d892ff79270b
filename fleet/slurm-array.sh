#!/bin/bash
# slurm-array.sh - one Slurm array task scans STRIDE consecutive manifest
# lines.  Slurm's default MaxArraySize is 1001 (indices 0..1000), so 4,000
# images use STRIDE=10 and --array=0-399 (see docs/fleet.md):
#
#   sbatch --array=0-399%50 --export=ALL,MANIFEST=/cases/fleet.txt,\
#          RESULTS=/cases/results,STRIDE=10 fleet/slurm-array.sh
#
#SBATCH --job-name=mumblescan
#SBATCH --cpus-per-task=2
#SBATCH --time=04:00:00
set -u
: "${MANIFEST:?}" "${RESULTS:?}" "${STRIDE:=10}" "${JOBS:=1}"
first=$(( SLURM_ARRAY_TASK_ID * STRIDE + 1 ))
last=$(( first + STRIDE - 1 ))
mumblescan --manifest "$MANIFEST" -o "$RESULTS" --lines "$first-$last" \
    -J "$JOBS" --time-limit 3600 --watchdog 600
s=$?
# 1 (findings) and 3 (incomplete) are results; 2 (an image failed) makes
# the task fail, so `sbatch --array=<failed ids>` reruns just those lines
[ $s = 1 ] || [ $s = 3 ] && s=0
exit $s

/* vmdk_grains.h - the grains a truncated sparse VMDK no longer holds.
 *
 * libvmdk reads a grain whose grain-table entry points past the end of a
 * cut-short extent file as zeros, without an error, so a truncated VMDK
 * would scan as a complete, clean disk.  This check walks the grain
 * directory and grain tables of a hosted sparse extent (the one-file
 * "monolithicSparse" and "streamOptimized" layouts that begin with the
 * KDMV header; VMware's "Virtual Disk Format 5.0", section "Hosted Sparse
 * Extent Header") and records every guest range whose grain, grain table
 * or compressed-grain marker lies beyond the end of the file.
 *
 * The file is opened O_RDONLY and read with pread only; every field is
 * bounded (see the limits in vmdk_grains.c).  A descriptor-only VMDK
 * (extents in other files) is not checked: its extents are opened by
 * libvmdk from names in the descriptor. */
#ifndef MS_VMDK_GRAINS_H
#define MS_VMDK_GRAINS_H

#include "common/ms_error.h"
#include "evidence/tolerant.h"

#define MS_BAD_VMDK_GRAIN \
    "VMDK grain beyond the end of the extent file (truncated copy)"

/* Adds the missing guest ranges of the sparse VMDK at path to bad.
 * *note (malloc'd) says what was found when something is missing, else
 * NULL.  MS_OK also when path is no hosted sparse extent. */
ms_err ms_vmdk_missing_grains(const char *path, ms_badlist *bad, char **note);

#endif

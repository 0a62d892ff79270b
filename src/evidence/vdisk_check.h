/* vdisk_check.h - VHD, VHDX and VMDK features libtsk's decoders cannot
 * read, recognised from the container's own headers.
 *
 * libtsk 4.11 reads VHD/VHDX through libvhdi and VMDK through libvmdk.
 * A differencing VHD or VHDX (AVHDX) opened without its parent fails
 * with a read error that surfaces as "Cannot determine file system
 * type"; a VMware seSparse VMDK is not recognised at all and falls back
 * to raw bytes.  Neither says why.  This check reads the headers itself
 * (open O_RDONLY, pread only, every field bounded) and names the
 * feature, and, for a differencing disk, the parent's name as recorded
 * in the child: the name is reported, never opened. */
#ifndef MS_VDISK_CHECK_H
#define MS_VDISK_CHECK_H

/* NULL when path shows none of these features; otherwise a malloc'd
 * sentence naming the feature (and parent), with *type_name set to
 * "vhd", "vhdx" or "vmdk" (static). */
char *ms_vdisk_unsupported(const char *path, const char **type_name);

#endif

/* mounttab.h - a system's mount table, read from its root file system and
 * mapped to the volumes of the image.
 *
 * Sources, in the order the server applied them: /etc/fstab, systemd
 * .mount units in /etc/systemd/system, and the /etc/mtab a pre-systemd
 * system kept as a plain file (a remnant of the last boot: entries fstab
 * lacks).  /etc/crypttab names the LUKS mappings fstab mounts.  Every
 * entry becomes an ms_mount saying where it came from (file and line, the
 * line as written) and what it maps to:
 *  - UUID=, LABEL=, PARTUUID=, PARTLABEL= and /dev/disk/by-{uuid,label,
 *    partuuid,partlabel}/ (udev's \xHH escapes decoded) against the
 *    volumes' superblock and GPT identities;
 *  - /dev/mapper/VG-LV (LVM doubles a '-' inside a name), /dev/VG/LV and
 *    /dev/disk/by-id/dm-name-VG-LV against LVM's VG and LV names;
 *  - plain device names (/dev/sda2, /dev/vda1, /dev/xvda1, /dev/hda1,
 *    /dev/nvme0n1p2, /dev/mmcblk0p2) by partition order on the image's
 *    disk: MS_MNT_INFERRED, because the kernel's naming is not recorded;
 *  - tmpfs, swap, bind mounts, pseudo and network file systems by type.
 * A name that matches nothing is MS_MNT_ABSENT ("volume UUID=... not in
 * this image"); one that cannot be understood is MS_MNT_UNMAPPED with the
 * reason. */
#ifndef MS_MOUNTTAB_H
#define MS_MOUNTTAB_H

#include "common/ms_model.h"
#include "evidence/fs.h"

/* crypttab lines kept for the mapping (comments and padding dropped);
 * every file here is read whole, line by line (artifacts/textfile.h), and
 * padding, NULs or binary junk in it become a note of the scan */
#define MS_MOUNTTAB_MAX_BYTES  (256 * 1024)
#define MS_MOUNTTAB_MAX_ENTRIES 256         /* per system */

/* Read the mount table of the root file system `root` (volume root_vol)
 * into sys->mounts, mapped against scan->volumes.  *found is 1 when the
 * system has an /etc/fstab (or mount units): its namespace can be built
 * from it.  sys->layout is set.  Notes (padding in a file) go to
 * scan's errors. */
ms_err ms_mounttab_read(ms_fs *root, int root_vol, ms_scan *scan,
                        ms_system *sys, int *found);

/* Parse one fstab-format text (fstab, mtab) into entries appended to
 * sys (unmapped); exposed for the unit test. */
ms_err ms_mounttab_parse(const char *text, size_t len, const char *source,
                         ms_system *sys);

/* Map one entry (sets status, volume, note); crypt is the system's
 * crypttab text or NULL. */
ms_err ms_mounttab_map(ms_mount *m, int root_vol, const ms_scan *scan,
                       const char *crypt);

/* Decode LVM's /dev/mapper escaping: "vg--data-lv--home" -> vg "vg-data",
 * lv "lv-home".  0 when the name is not VG-LV. */
int ms_mounttab_split_mapper(const char *name, char **vg, char **lv);

const char *ms_mount_status_name(enum ms_mount_status s);

#endif

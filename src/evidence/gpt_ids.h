/* gpt_ids.h - a GPT partition's PARTUUID and PARTLABEL.
 *
 * libtsk gives the partition name as its description but not the entry's
 * unique GUID, which /etc/fstab names as PARTUUID=.  Read from the
 * primary table's entry whose first LBA is the partition's start. */
#ifndef MS_GPT_IDS_H
#define MS_GPT_IDS_H

#include <stdint.h>
#include <tsk/libtsk.h>

/* Sets *uuid (lowercase, as blkid prints it) and *label (UTF-8) for the
 * partition starting at byte part_off of img, or leaves them NULL. */
void ms_gpt_entry_ids(TSK_IMG_INFO *img, uint64_t part_off, char **uuid,
                      char **label);

#endif

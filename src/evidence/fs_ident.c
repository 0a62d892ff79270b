/* fs_ident.c - superblock UUID and label of ext2/3/4 and XFS. */
#include "evidence/fs_ident.h"

#include <string.h>

#include "common/ms_mem.h"

static char *fmt_uuid(const unsigned char *u)
{
    static const unsigned char zero[16];
    if (!memcmp(u, zero, 16))
        return NULL;
    return ms_asprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                       "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3],
                       u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
                       u[12], u[13], u[14], u[15]);
}

/* Labels are raw bytes from the image; writers escape them. */
static char *label_of(const unsigned char *p, size_t max)
{
    size_t n = strnlen((const char *)p, max);
    return n ? ms_strndup((const char *)p, n) : NULL;
}

void ms_fs_ident(TSK_IMG_INFO *img, uint64_t off, const char *fs_type,
                 char **uuid, char **label)
{
    unsigned char sb[512];
    *uuid = *label = NULL;
    if (!fs_type)
        return;
    if (!strncmp(fs_type, "ext", 3)) {
        if (tsk_img_read(img, (TSK_OFF_T)(off + 1024), (char *)sb, sizeof sb)
                != (ssize_t)sizeof sb || sb[0x38] != 0x53 || sb[0x39] != 0xef)
            return;
        *uuid = fmt_uuid(sb + 0x68);
        *label = label_of(sb + 0x78, 16);
    } else if (!strncmp(fs_type, "xfs", 3)) {
        if (tsk_img_read(img, (TSK_OFF_T)off, (char *)sb, sizeof sb)
                != (ssize_t)sizeof sb || memcmp(sb, "XFSB", 4))
            return;
        *uuid = fmt_uuid(sb + 32);
        *label = label_of(sb + 108, 12);
    }
}

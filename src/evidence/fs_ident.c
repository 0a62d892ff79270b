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

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

void ms_fs_ident_times(TSK_IMG_INFO *img, uint64_t off, const char *fs_type,
                       int64_t *wtime, int64_t *mtime, int *clean)
{
    unsigned char sb[1024];
    *wtime = *mtime = 0;
    *clean = 0;
    if (!fs_type || strncmp(fs_type, "ext", 3) ||
        tsk_img_read(img, (TSK_OFF_T)(off + 1024), (char *)sb, sizeof sb)
            != (ssize_t)sizeof sb || sb[0x38] != 0x53 || sb[0x39] != 0xef)
        return;
    /* s_mtime 0x2C, s_wtime 0x30, high bytes 0x274/0x275 (ext4 since
     * e2fsprogs 1.46; zero before, which is right until 2038) */
    *mtime = (int64_t)le32(sb + 0x2c) | (int64_t)sb[0x274] << 32;
    *wtime = (int64_t)le32(sb + 0x30) | (int64_t)sb[0x275] << 32;
    /* s_state 0x3A bit 0 (EXT2_VALID_FS) and no needs_recovery (incompat
     * 0x60 bit 2): unmounted cleanly, so nothing was written after
     * s_wtime; a journal that still needs recovery means a live or
     * crashed file system whose superblock is written only now and then */
    *clean = (sb[0x3a] & 1) && !(le32(sb + 0x60) & 0x4);
}

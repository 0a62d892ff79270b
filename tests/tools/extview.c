/* extview.c - write the ext view mumblescan examines, for tests.
 *
 * Usage: extview IMAGE OFFSET LENGTH
 * Builds the view of the volume at OFFSET (LENGTH bytes) of the raw IMAGE
 * exactly as the scanner does (backup superblock, journal replay; see
 * src/evidence/ext_view.h) and writes its bytes to stdout, so a test can
 * compare them with what e2fsck makes of a copy.  The first line on
 * stderr is the view's stack suffix ("-" when the volume needs no view).
 * Exit 0 on success, 1 on error. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "evidence/ext_view.h"
#include "evidence/image.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: extview IMAGE OFFSET LENGTH\n");
        return 1;
    }
    const char *paths[1] = { argv[1] };
    uint64_t off = strtoull(argv[2], NULL, 0), len = strtoull(argv[3], NULL, 0);
    ms_image *img = NULL;
    char *err = NULL;
    ms_ext_view v;
    int ret = 1;
    if (ms_image_open(paths, 1, "raw", &img, &err) != MS_OK) {
        fprintf(stderr, "extview: %s\n", err ? err : "cannot open");
        free(err);
        return 1;
    }
    TSK_IMG_INFO *t = ms_image_tsk(img);
    if (ms_ext_view_open(t, off, len, 1, &v) != MS_OK)
        goto _exit;
    fprintf(stderr, "%s\n", v.stack_suffix ? v.stack_suffix : "-");
    if (v.note)
        fprintf(stderr, "%s\n", v.note);
    static char buf[1 << 16];
    for (uint64_t o = 0; o < len; o += sizeof buf) {
        size_t want = len - o < sizeof buf ? (size_t)(len - o) : sizeof buf;
        ssize_t got = v.view ? tsk_img_read(v.view, (TSK_OFF_T)o, buf, want)
                             : tsk_img_read(t, (TSK_OFF_T)(off + o), buf, want);
        if (got != (ssize_t)want || fwrite(buf, 1, want, stdout) != want) {
            ms_ext_view_free(&v);
            goto _exit;
        }
    }
    ms_ext_view_free(&v);
    ret = 0;
_exit:
    ms_image_close(img);
    return ret;
}

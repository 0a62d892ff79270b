/* fsprobe.c - drive one ms_fs backend from the command line, for tests.
 *
 * Usage: fsprobe IMAGE OFFSET xfs PATH...
 * Opens the file system at OFFSET of IMAGE with the named backend and,
 * for each PATH, prints one line for open (lstat semantics) and one for
 * list_dir, with the entries in between:
 *   open PATH rc=N [type=T inode=I size=S mode=M link=TARGET]
 *   entry NAME
 *   list PATH rc=N
 * rc is the ms_err value (0 ok, 5 not found).  Names are printed raw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/fs_xfs.h"
#include "evidence/image.h"

static int print_entry(void *user, ms_fs_file *f, const char *name,
                       size_t len)
{
    (void)user;
    (void)f;
    printf("entry %.*s\n", (int)len, name);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[3], "xfs") != 0) {
        fprintf(stderr, "usage: fsprobe IMAGE OFFSET xfs PATH...\n");
        return 2;
    }
    const char *paths[1] = { argv[1] };
    ms_image *img = NULL;
    ms_fs *fs = NULL;
    char *why = NULL;
    if (ms_image_open(paths, 1, NULL, &img, &why) != MS_OK) {
        fprintf(stderr, "fsprobe: %s\n", why ? why : "cannot open image");
        free(why);
        return 2;
    }
    ms_err rc = ms_fs_xfs_open(ms_image_tsk(img),
                               strtoull(argv[2], NULL, 10), &fs, &why);
    if (rc != MS_OK) {
        printf("fs rc=%d %s\n", (int)rc, why ? why : "");
        free(why);
        ms_image_close(img);
        return 1;
    }
    printf("fs %s\n", ms_fs_type(fs));
    for (int i = 4; i < argc; i++) {
        ms_fs_file *f = NULL;
        rc = ms_fs_open(fs, argv[i], &f);
        printf("open %s rc=%d", argv[i], (int)rc);
        if (rc == MS_OK) {
            ms_fileref ref = {0};
            char *target = NULL;
            ms_fs_file_stat(f, &ref);
            printf(" type=%d inode=%llu size=%llu mode=%04o", (int)ref.type,
                   (unsigned long long)ref.inode,
                   (unsigned long long)ref.size, (unsigned)ref.mode);
            if (ms_fs_file_readlink(f, &target) == MS_OK)
                printf(" link=%s", target);
            free(target);
            ms_fs_file_close(f);
        }
        printf("\n");
        rc = ms_fs_list_dir(fs, argv[i], print_entry, NULL, 10000);
        printf("list %s rc=%d\n", argv[i], (int)rc);
    }
    ms_fs_close(fs);
    ms_image_close(img);
    return 0;
}

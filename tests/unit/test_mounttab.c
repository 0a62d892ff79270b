/* test_mounttab.c - mount-table parsing and mapping, and the namespace
 * that resolves paths across mounted file systems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/mounttab.h"
#include "common/ms_scan.h"
#include "evidence/fs_ns.h"
#include "memfs.h"

static void test_split_mapper(void **state)
{
    (void)state;
    char *vg, *lv;
    assert_true(ms_mounttab_split_mapper("vg--sys-root", &vg, &lv));
    assert_string_equal(vg, "vg-sys");
    assert_string_equal(lv, "root");
    free(vg);
    free(lv);
    assert_true(ms_mounttab_split_mapper("a-b--c--", &vg, &lv));
    assert_string_equal(vg, "a");
    assert_string_equal(lv, "b-c-");
    free(vg);
    free(lv);
    assert_false(ms_mounttab_split_mapper("nodash", &vg, &lv));
    assert_false(ms_mounttab_split_mapper("-x", &vg, &lv));
    assert_false(ms_mounttab_split_mapper("x-", &vg, &lv));
    assert_false(ms_mounttab_split_mapper("only--escaped", &vg, &lv));
}

static void test_parse(void **state)
{
    (void)state;
    const char *t = "# comment\n\n  /dev/x /mnt/my\\040disk ext4 ro 0 0\n"
                    "UUID=abc\t/\text4 defaults 0 1\nlonely\n";
    ms_system sys = { 0 };
    assert_int_equal(ms_mounttab_parse(t, strlen(t), "/etc/fstab", &sys),
                     MS_OK);
    assert_int_equal(sys.nmounts, 2);
    assert_string_equal(sys.mounts[0].mount_point, "/mnt/my disk");
    assert_int_equal(sys.mounts[0].line, 3);
    assert_string_equal(sys.mounts[0].options, "ro");
    assert_string_equal(sys.mounts[1].spec, "UUID=abc");
    assert_string_equal(sys.mounts[1].text, "UUID=abc\t/\text4 defaults 0 1");
    ms_system_clear(&sys);
}

static void add_vol(ms_scan *s, const char *stack, const char *uuid,
                    const char *label, const char *vg, const char *lv,
                    long slot)
{
    ms_volume *v = &s->volumes[s->nvolumes];
    memset(v, 0, sizeof *v);
    v->index = (int)s->nvolumes++;
    v->stack = strdup(stack);
    v->uuid = uuid ? strdup(uuid) : NULL;
    v->label = label ? strdup(label) : NULL;
    v->lvm_vg = vg ? strdup(vg) : NULL;
    v->lvm_lv = lv ? strdup(lv) : NULL;
    v->fs_type = strdup("ext4");
    v->vs_type = strdup(lv ? "lvm" : "dos");
    v->slot = slot;
    v->state = MS_VOL_EXAMINED;
}

static enum ms_mount_status map(const ms_scan *s, const char *line,
                                int *vol, const char *crypt)
{
    ms_system sys = { 0 };
    assert_int_equal(ms_mounttab_parse(line, strlen(line), "f", &sys), MS_OK);
    assert_int_equal(sys.nmounts, 1);
    assert_int_equal(ms_mounttab_map(&sys.mounts[0], 0, s, crypt), MS_OK);
    enum ms_mount_status st = sys.mounts[0].status;
    *vol = sys.mounts[0].volume;
    assert_non_null(sys.mounts[0].note);
    ms_system_clear(&sys);
    return st;
}

static void test_map(void **state)
{
    (void)state;
    ms_scan s = { 0 };
    int vol;
    s.volumes = calloc(4, sizeof *s.volumes);
    s.volumes_cap = 4;
    add_vol(&s, "raw image > dos partition 1 (Linux) > ext4", "AAAA-1",
            "boot", NULL, NULL, 2);
    add_vol(&s, "raw image > dos partition 2 (Linux LVM) > LVM2 VG vg-x > "
                "LV root > ext4", "bbbb-2", "root", "vg-x", "root", -1);
    add_vol(&s, "raw image > dos partition 2 (Linux LVM) > LVM2 VG vg-x > "
                "LV home > ext4", "cccc-3", "home", "vg-x", "home", -1);

    assert_int_equal(map(&s, "UUID=aaaa-1 /boot ext4 d 0 0", &vol, NULL),
                     MS_MNT_MAPPED);
    assert_int_equal(vol, 0);
    assert_int_equal(map(&s, "UUID=ffff /data ext4 d 0 0", &vol, NULL),
                     MS_MNT_ABSENT);
    assert_int_equal(map(&s, "LABEL=\"home\" /home ext4 d 0 0", &vol, NULL),
                     MS_MNT_MAPPED);
    assert_int_equal(vol, 2);
    assert_int_equal(map(&s, "/dev/disk/by-label/home /h ext4 d", &vol, NULL),
                     MS_MNT_MAPPED);
    assert_int_equal(vol, 2);
    assert_int_equal(map(&s, "/dev/mapper/vg--x-home /home ext4 d", &vol,
                         NULL), MS_MNT_MAPPED);
    assert_int_equal(vol, 2);
    assert_int_equal(map(&s, "/dev/vg-x/root / ext4 d", &vol, NULL),
                     MS_MNT_MAPPED);
    assert_int_equal(vol, 1);
    assert_int_equal(map(&s, "/dev/vg-x/gone /g ext4 d", &vol, NULL),
                     MS_MNT_ABSENT);
    assert_int_equal(map(&s, "/dev/sda1 /boot ext4 d", &vol, NULL),
                     MS_MNT_INFERRED);
    assert_int_equal(vol, 0);
    assert_int_equal(map(&s, "/dev/nvme0n1p1 /boot ext4 d", &vol, NULL),
                     MS_MNT_INFERRED);
    assert_int_equal(map(&s, "/dev/sdb1 /b ext4 d", &vol, NULL),
                     MS_MNT_ABSENT);
    assert_int_equal(map(&s, "/dev/sda7 /b ext4 d", &vol, NULL),
                     MS_MNT_ABSENT);
    assert_int_equal(map(&s, "tmpfs /tmp tmpfs d", &vol, NULL),
                     MS_MNT_MEMORY);
    assert_int_equal(map(&s, "/srv/a /b none bind", &vol, NULL),
                     MS_MNT_BIND);
    assert_int_equal(map(&s, "nas:/e /e nfs d", &vol, NULL), MS_MNT_NETWORK);
    assert_int_equal(map(&s, "/dev/vg-x/swap none swap sw", &vol, NULL),
                     MS_MNT_SWAP);
    assert_int_equal(map(&s, "proc /proc proc d", &vol, NULL), MS_MNT_PSEUDO);
    assert_int_equal(map(&s, "/dev/mapper/cr_home /c ext4 d", &vol,
                         "cr_home UUID=1234 none luks\n"), MS_MNT_UNMAPPED);
    assert_int_equal(map(&s, "weird /w ext4 d", &vol, NULL), MS_MNT_UNMAPPED);
    ms_scan_free(&s);
}

static void test_namespace(void **state)
{
    (void)state;
    ms_fs *root = memfs_new(), *home = memfs_new(), *var = memfs_new();
    ms_fs *ns = NULL;
    assert_non_null(root);
    memfs_add_dir(root, "/var", NULL);
    memfs_add_dir(root, "/home", NULL);
    memfs_add_dir(root, "/tmp", NULL);
    memfs_add_text(root, "/tmp/under", "x", NULL);
    memfs_add_symlink(root, "/usr/local/bin/l", "../../../home/x/p");
    memfs_add_text(home, "/x/p", "payload", NULL);
    memfs_add_text(var, "/spool/f", "tab", NULL);
    memfs_add_symlink(var, "/tmp", "/home/x");

    assert_int_equal(ms_fs_ns_new(&ns), MS_OK);
    assert_int_equal(ms_fs_ns_mount(ns, "/", root, 0), MS_OK);
    assert_int_equal(ms_fs_ns_mount(ns, "/home/", home, 1), MS_OK);
    assert_int_equal(ms_fs_ns_mount(ns, "/var", var, 2), MS_OK);
    assert_int_equal(ms_fs_ns_absent(ns, "/data", "volume UUID=z not in "
                                     "this image", 0), MS_OK);
    assert_int_equal(ms_fs_ns_absent(ns, "/tmp", "tmpfs", 1), MS_OK);
    assert_int_equal(ms_fs_ns_bind(ns, "/b", "/home/x"), MS_OK);
    assert_int_equal(ms_fs_ns_mount(ns, "/a/../b", var, 2), MS_ERR_ARG);

    char *res = NULL;
    ms_ptype t;
    assert_int_equal(ms_path_resolve(ms_fs_lstat, ns, "/usr/local/bin/l", "/",
                                     &res, &t, NULL), MS_OK);
    assert_int_equal(t, MS_PT_REG);
    assert_string_equal(res, "/home/x/p");
    assert_int_equal(ms_fs_volume_at(ns, res, -1), 1);
    free(res);
    /* a symlink on /var pointing into /home; '..' across the mount */
    assert_int_equal(ms_path_resolve(ms_fs_lstat, ns, "/var/tmp/p", "/",
                                     &res, &t, NULL), MS_OK);
    assert_int_equal(t, MS_PT_REG);
    assert_string_equal(res, "/home/x/p");
    free(res);
    assert_int_equal(ms_path_resolve(ms_fs_lstat, ns, "/var/spool/../spool/f",
                                     "/", &res, &t, NULL), MS_OK);
    assert_int_equal(t, MS_PT_REG);
    assert_int_equal(ms_fs_volume_at(ns, res, -1), 2);
    free(res);
    assert_int_equal(ms_fs_volume_at(ns, "/varx", -1), 0);
    /* the absent volume: nothing there, and the reason */
    assert_int_equal(ms_path_resolve(ms_fs_lstat, ns, "/data/bin/x", "/",
                                     &res, &t, NULL), MS_OK);
    assert_int_equal(t, MS_PT_NONE);
    assert_string_equal(ms_fs_absent_at(ns, res),
                        "volume UUID=z not in this image");
    free(res);
    assert_null(ms_fs_absent_at(ns, "/datax"));
    /* tmpfs: what lies beneath stays readable, the reason is known */
    assert_int_equal(ms_path_resolve(ms_fs_lstat, ns, "/tmp/under", "/",
                                     &res, &t, NULL), MS_OK);
    assert_int_equal(t, MS_PT_REG);
    assert_string_equal(ms_fs_absent_at(ns, res), "tmpfs");
    free(res);
    /* bind mount */
    ms_fs_file *f = NULL;
    assert_int_equal(ms_fs_open(ns, "/b/p", &f), MS_OK);
    ms_fs_file_close(f);
    assert_ptr_equal(ms_fs_at_volume(ns, 2), var);
    assert_ptr_equal(ms_fs_at_volume(root, 2), root);
    ms_fs_close(ns);
    ms_fs_close(var);
    ms_fs_close(home);
    ms_fs_close(root);
}

/* fstab, a mount unit, an /etc/mtab remnant and crypttab read from a
 * root file system. */
static void test_read(void **state)
{
    (void)state;
    ms_fs *root = memfs_new();
    ms_scan s = { 0 };
    ms_system sys = { 0 };
    int found = 0;
    s.volumes = calloc(2, sizeof *s.volumes);
    s.volumes_cap = 2;
    add_vol(&s, "raw image > LVM2 VG vg0 > LV root > ext4", "r-1", "root",
            "vg0", "root", -1);
    add_vol(&s, "raw image > LVM2 VG vg0 > LV srv > ext4", "s-2", "srv",
            "vg0", "srv", -1);
    memfs_add_text(root, "/etc/fstab", "/dev/vg0/root / ext4 d 0 1\n"
                   "/dev/mapper/secret /sec ext4 d 0 2\n", NULL);
    memfs_add_text(root, "/etc/crypttab", "secret UUID=9 none luks\n", NULL);
    memfs_add_text(root, "/etc/systemd/system/srv.mount",
                   "[Unit]\nDescription=srv\n[Mount]\nWhat=LABEL=srv\n"
                   "Where=/srv\nType=ext4\n", NULL);
    memfs_add_text(root, "/etc/mtab", "/dev/vg0/root / ext4 rw 0 0\n"
                   "/dev/vg0/srv /mnt/hand ext4 rw 0 0\n", NULL);
    assert_int_equal(ms_mounttab_read(root, 0, &s, &sys, &found), MS_OK);
    assert_true(found);
    assert_string_equal(sys.layout, "fstab");
    assert_int_equal(sys.nmounts, 4);
    assert_int_equal(sys.mounts[0].volume, 0);
    assert_int_equal(sys.mounts[1].status, MS_MNT_UNMAPPED);
    assert_non_null(strstr(sys.mounts[1].note, "encrypted"));
    assert_string_equal(sys.mounts[2].source, "/etc/systemd/system/srv.mount");
    assert_int_equal(sys.mounts[2].line, 5);
    assert_int_equal(sys.mounts[2].volume, 1);
    assert_string_equal(sys.mounts[3].mount_point, "/mnt/hand");
    assert_string_equal(sys.mounts[3].source, "/etc/mtab (last boot)");
    assert_int_equal(sys.mounts[3].volume, 1);
    ms_system_clear(&sys);
    ms_fs_close(root);
    ms_scan_free(&s);
}

/* A mount after padding, NULs and binary junk is still a mount; the
 * junk is no mount; the padding is a note of the scan. */
static void test_padded(void **state)
{
    (void)state;
    ms_scan s = { 0 };
    ms_system sys = { 0 };
    int found = 0;
    ms_fs *root = memfs_new();
    size_t big = 3u << 20, n = 0;
    char *t = malloc(big + 4096);
    assert_non_null(t);
    n += (size_t)sprintf(t, "/dev/sda1 / ext4 defaults 0 1\n");
    memset(t + n, 'x', big), n += big;                         /* line 2 */
    t[n++] = '\n';
    for (int i = 0; i < 300; i++)            /* junk with blanks: 3..302 */
        memcpy(t + n, "\x01 \xff \x1b\n", 6), n += 6;
    memcpy(t + n, "\0\0 x y\n", 7), n += 7;                   /* 303 */
    n += (size_t)sprintf(t + n, "/dev/sda2 /var ext4 defaults 0 2\n");
    memfs_add_file(root, "/etc/fstab", t, n, NULL);
    assert_int_equal(ms_mounttab_read(root, 0, &s, &sys, &found), MS_OK);
    assert_true(found);
    assert_int_equal(sys.nmounts, 2);
    assert_string_equal(sys.mounts[1].mount_point, "/var");
    assert_int_equal(sys.mounts[1].line, 304);
    assert_int_equal(s.nerrors, 1);
    assert_non_null(strstr(s.errors[0], "/etc/fstab: padding or binary "
                                        "junk: line 2 (byte offset 30) is "
                                        "3145728 bytes long"));
    assert_non_null(strstr(s.errors[0], "every line was read (304 lines"));
    ms_system_clear(&sys);
    ms_fs_close(root);
    ms_scan_free(&s);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_padded),
        cmocka_unit_test(test_split_mapper),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_namespace),
        cmocka_unit_test(test_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* extdirdiff.c - differential check of the linear ext directory listing.
 *
 *   extdirdiff IMAGE            every directory reachable from / (live
 *                               names): libtsk's listing and ext_dir.c's
 *                               must hold the same (flag, inode, type,
 *                               name) set; prints totals, exit 1 on any
 *                               difference
 *   extdirdiff IMAGE --count PATH
 *                               lists PATH with ext_dir.c only and prints
 *                               entries, candidates, probes, blocks
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tsk/libtsk.h>

#include "evidence/ext_dir.h"

#define MAX_DIRS 10000
#define MAX_DEPTH 32

typedef struct strv { char **v; size_t n, cap; } strv;

static void push(strv *s, char *x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v) { perror("realloc"); exit(2); }
    }
    s->v[s->n++] = x;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *key_of(const TSK_FS_FILE *tf)
{
    char *k = NULL;
    const TSK_FS_NAME *n = tf->name;
    if (asprintf(&k, "%c %llu %d %s meta=%llu",
                 (n->flags & TSK_FS_NAME_FLAG_ALLOC) ? 'A' : 'D',
                 (unsigned long long)n->meta_addr, (int)n->type, n->name,
                 tf->meta ? (unsigned long long)tf->meta->addr : 0ull) < 0)
        exit(2);
    return k;
}

static int skip(TSK_FS_INFO *fs, const TSK_FS_FILE *tf)
{
    const char *s = tf->name->name;
    return !strcmp(s, ".") || !strcmp(s, "..") ||
           tf->name->meta_addr == fs->last_inum;
}

typedef struct mine { TSK_FS_INFO *fs; strv *keys; strv *subdirs; } mine;

static int on_mine(void *user, TSK_FS_FILE *tf)
{
    mine *m = user;
    push(m->keys, key_of(tf));
    if (m->subdirs && (tf->name->flags & TSK_FS_NAME_FLAG_ALLOC) &&
        tf->meta && tf->meta->type == TSK_FS_META_TYPE_DIR)
        push(m->subdirs, strdup(tf->name->name));
    return 0; /* tf is lent: the listing reuses it */
}

static void free_strv(strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "--count"))) {
        fprintf(stderr, "usage: extdirdiff IMAGE [--count PATH]\n");
        return 2;
    }
    TSK_IMG_INFO *img = tsk_img_open_sing(argv[1], TSK_IMG_TYPE_DETECT, 0);
    TSK_FS_INFO *fs = img ? tsk_fs_open_img(img, 0, TSK_FS_TYPE_DETECT) : NULL;
    if (!fs) {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 2;
    }
    if (argc == 4) {
        TSK_FS_FILE *d = tsk_fs_file_open(fs, NULL, argv[3]);
        strv keys = { 0 };
        ms_ext_dir_stats st = { 0 };
        mine m = { fs, &keys, NULL };
        if (!d || ms_ext_dir_list(d, on_mine, &m, SIZE_MAX, &st)) {
            fprintf(stderr, "cannot list %s\n", argv[3]);
            return 2;
        }
        printf("entries=%llu candidates=%llu probes=%llu blocks=%llu\n",
               (unsigned long long)st.entries,
               (unsigned long long)st.candidates,
               (unsigned long long)st.probes, (unsigned long long)st.blocks);
        free_strv(&keys);
        tsk_fs_file_close(d);
        tsk_fs_close(fs);
        tsk_img_close(img);
        return 0;
    }
    strv todo = { 0 };
    push(&todo, strdup("/"));
    size_t dirs = 0, entries = 0, deleted = 0, bad = 0;
    for (size_t i = 0; i < todo.n && dirs < MAX_DIRS; i++) {
        const char *path = todo.v[i];
        strv a = { 0 }, b = { 0 }, sub = { 0 };
        TSK_FS_DIR *dir = tsk_fs_dir_open(fs, path);
        if (!dir)
            continue;
        for (size_t j = 0; j < tsk_fs_dir_getsize(dir); j++) {
            TSK_FS_FILE *tf = tsk_fs_dir_get(dir, j);
            if (!tf)
                continue;
            if (tf->name && tf->name->name && !skip(fs, tf))
                push(&a, key_of(tf));
            tsk_fs_file_close(tf);
        }
        tsk_fs_dir_close(dir);
        TSK_FS_FILE *d = tsk_fs_file_open(fs, NULL, path);
        mine m = { fs, &b, &sub };
        if (!d || ms_ext_dir_list(d, on_mine, &m, SIZE_MAX, NULL)) {
            printf("%s: ext_dir cannot list it\n", path);
            bad++;
        }
        if (d)
            tsk_fs_file_close(d);
        if (a.n)
            qsort(a.v, a.n, sizeof *a.v, cmp);
        if (b.n)
            qsort(b.v, b.n, sizeof *b.v, cmp);
        int same = a.n == b.n;
        for (size_t j = 0; same && j < a.n; j++)
            same = !strcmp(a.v[j], b.v[j]);
        if (!same) {
            bad++;
            printf("%s: libtsk %zu entries, ext_dir %zu\n", path, a.n, b.n);
            for (size_t j = 0; j < a.n && j < 50; j++)
                printf("  tsk  %s\n", a.v[j]);
            for (size_t j = 0; j < b.n && j < 50; j++)
                printf("  mine %s\n", b.v[j]);
        }
        dirs++;
        entries += a.n;
        for (size_t j = 0; j < a.n; j++)
            deleted += a.v[j][0] == 'D';
        size_t depth = 0;
        for (const char *p = path; *p; p++)
            depth += *p == '/';
        for (size_t j = 0; j < sub.n && depth < MAX_DEPTH; j++) {
            char *c = NULL;
            if (asprintf(&c, "%s%s%s", path, strcmp(path, "/") ? "/" : "",
                         sub.v[j]) < 0)
                return 2;
            push(&todo, c);
        }
        free_strv(&a);
        free_strv(&b);
        free_strv(&sub);
    }
    printf("dirs=%zu entries=%zu deleted=%zu mismatches=%zu\n", dirs,
           entries, deleted, bad);
    free_strv(&todo);
    tsk_fs_close(fs);
    tsk_img_close(img);
    return bad ? 1 : 0;
}

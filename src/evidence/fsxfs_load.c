/* fsxfs_load.c - load libfsxfs/libbfio in their own link-map namespace. */
#include "evidence/fsxfs_load.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#define LIBFSXFS_SONAME "libfsxfs.so.1"
#define LIBBFIO_SONAME  "libbfio.so.1"

/* Written once under pthread_once, read-only afterwards. */
static ms_fsxfs_api loaded_api;
static const ms_fsxfs_api *loaded;
static const char *load_error = "libfsxfs not loaded";
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

#define SYM(h, fn) \
    (*(void **)&api->fn = dlsym((h), #fn)) != NULL

static void load(void)
{
    ms_fsxfs_api *api = &loaded_api;
    Lmid_t ns;
    void *fx = dlmopen(LM_ID_NEWLM, LIBFSXFS_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!fx) {
        load_error = "cannot load " LIBFSXFS_SONAME;
        return;
    }
    void *bf = NULL;
    if (dlinfo(fx, RTLD_DI_LMID, &ns) == 0)
        bf = dlmopen(ns, LIBBFIO_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!bf) {
        load_error = "cannot load " LIBBFIO_SONAME " next to libfsxfs";
        return;
    }
    if (SYM(bf, libbfio_handle_initialize) && SYM(bf, libbfio_handle_free) &&
        SYM(fx, libfsxfs_error_sprint) && SYM(fx, libfsxfs_error_free) &&
        SYM(fx, libfsxfs_volume_initialize) &&
        SYM(fx, libfsxfs_volume_open_file_io_handle) &&
        SYM(fx, libfsxfs_volume_close) && SYM(fx, libfsxfs_volume_free) &&
        SYM(fx, libfsxfs_volume_get_root_directory) &&
        SYM(fx, libfsxfs_volume_get_file_entry_by_utf8_path) &&
        SYM(fx, libfsxfs_volume_get_file_entry_by_inode) &&
        SYM(fx, libfsxfs_file_entry_free) &&
        SYM(fx, libfsxfs_file_entry_get_number_of_sub_file_entries) &&
        SYM(fx, libfsxfs_file_entry_get_sub_file_entry_by_index) &&
        SYM(fx, libfsxfs_file_entry_get_utf8_name_size) &&
        SYM(fx, libfsxfs_file_entry_get_utf8_name) &&
        SYM(fx, libfsxfs_file_entry_get_inode_number) &&
        SYM(fx, libfsxfs_file_entry_get_file_mode) &&
        SYM(fx, libfsxfs_file_entry_get_owner_identifier) &&
        SYM(fx, libfsxfs_file_entry_get_group_identifier) &&
        SYM(fx, libfsxfs_file_entry_get_size) &&
        SYM(fx, libfsxfs_file_entry_get_modification_time) &&
        SYM(fx, libfsxfs_file_entry_get_access_time) &&
        SYM(fx, libfsxfs_file_entry_get_inode_change_time) &&
        SYM(fx, libfsxfs_file_entry_get_creation_time) &&
        SYM(fx, libfsxfs_file_entry_read_buffer_at_offset) &&
        SYM(fx, libfsxfs_file_entry_get_utf8_symbolic_link_target_size) &&
        SYM(fx, libfsxfs_file_entry_get_utf8_symbolic_link_target) &&
        SYM(fx, libfsxfs_get_version)) {
        loaded = api;
        return;
    }
    load_error = LIBFSXFS_SONAME " lacks a function this build needs";
}

const ms_fsxfs_api *ms_fsxfs_api_get(const char **why)
{
    pthread_once(&load_once, load);
    if (!loaded && why)
        *why = load_error;
    return loaded;
}

const char *ms_fsxfs_version(void)
{
    const char *why = NULL;
    const ms_fsxfs_api *api = ms_fsxfs_api_get(&why);
    return api ? api->libfsxfs_get_version() : why;
}

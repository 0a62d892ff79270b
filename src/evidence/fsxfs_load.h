/* fsxfs_load.h - libfsxfs and libbfio, loaded into a link-map namespace
 * of their own.
 *
 * libyal libraries bundle private copies of libbfio, libcdata, ... and
 * export them.  libtsk's libewf exports a newer libbfio/libcdata than
 * Debian's libbfio.so.1 and libfsxfs.so.1; linked into one process, the
 * dynamic linker binds some of libewf's calls to libfsxfs's copies and
 * closing an E01 crashes (libbfio_pool_free -> libcdata_array_free from
 * libfsxfs).  dlmopen(LM_ID_NEWLM) gives libfsxfs and its libbfio their
 * own symbol scope, so each library only ever calls its own copies.
 * (RTLD_DEEPBIND would do too, but the sanitizer runtimes refuse it.) */
#ifndef MS_FSXFS_LOAD_H
#define MS_FSXFS_LOAD_H

#include <libbfio.h>
#include <libfsxfs.h>

#define MS_FSXFS_API(fn) __typeof__(fn) *fn

/* Member names are the libraries' own function names. */
typedef struct ms_fsxfs_api {
    MS_FSXFS_API(libbfio_handle_initialize);
    MS_FSXFS_API(libbfio_handle_free);
    MS_FSXFS_API(libfsxfs_error_sprint);
    MS_FSXFS_API(libfsxfs_error_free);
    MS_FSXFS_API(libfsxfs_volume_initialize);
    MS_FSXFS_API(libfsxfs_volume_open_file_io_handle);
    MS_FSXFS_API(libfsxfs_volume_close);
    MS_FSXFS_API(libfsxfs_volume_free);
    MS_FSXFS_API(libfsxfs_volume_get_root_directory);
    MS_FSXFS_API(libfsxfs_volume_get_file_entry_by_utf8_path);
    MS_FSXFS_API(libfsxfs_volume_get_file_entry_by_inode);
    MS_FSXFS_API(libfsxfs_file_entry_free);
    MS_FSXFS_API(libfsxfs_file_entry_get_number_of_sub_file_entries);
    MS_FSXFS_API(libfsxfs_file_entry_get_sub_file_entry_by_index);
    MS_FSXFS_API(libfsxfs_file_entry_get_utf8_name_size);
    MS_FSXFS_API(libfsxfs_file_entry_get_utf8_name);
    MS_FSXFS_API(libfsxfs_file_entry_get_inode_number);
    MS_FSXFS_API(libfsxfs_file_entry_get_file_mode);
    MS_FSXFS_API(libfsxfs_file_entry_get_owner_identifier);
    MS_FSXFS_API(libfsxfs_file_entry_get_group_identifier);
    MS_FSXFS_API(libfsxfs_file_entry_get_size);
    MS_FSXFS_API(libfsxfs_file_entry_get_modification_time);
    MS_FSXFS_API(libfsxfs_file_entry_get_access_time);
    MS_FSXFS_API(libfsxfs_file_entry_get_inode_change_time);
    MS_FSXFS_API(libfsxfs_file_entry_get_creation_time);
    MS_FSXFS_API(libfsxfs_file_entry_read_buffer_at_offset);
    MS_FSXFS_API(libfsxfs_file_entry_get_utf8_symbolic_link_target_size);
    MS_FSXFS_API(libfsxfs_file_entry_get_utf8_symbolic_link_target);
    MS_FSXFS_API(libfsxfs_get_version);
} ms_fsxfs_api;

/* The loaded API, or NULL with a static reason in *why.  Loaded once per
 * process (a namespace cannot be unloaded reliably and glibc has only 16),
 * then immutable; safe to call from several threads. */
const ms_fsxfs_api *ms_fsxfs_api_get(const char **why);

/* libfsxfs's version for provenance, or why it is not available. */
const char *ms_fsxfs_version(void);

#endif

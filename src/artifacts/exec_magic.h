/* exec_magic.h - does content start the way the kernel executes it?
 *
 * The temp-directory walk uses it to decide which names to read further,
 * and the analysis to mark a file executable whatever its mode bits. */
#ifndef MS_EXEC_MAGIC_H
#define MS_EXEC_MAGIC_H

#include <stddef.h>
#include <stdint.h>

/* True if buf starts with ELF magic or "#!" (what the kernel would try to
 * execute); false for NULL. */
int ms_content_is_executable_magic(const uint8_t *buf, size_t len);

#endif

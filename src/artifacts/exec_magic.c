/* exec_magic.c - see exec_magic.h. */
#include "artifacts/exec_magic.h"

#include <string.h>

int ms_content_is_executable_magic(const uint8_t *buf, size_t len)
{
    if (!buf)
        return 0;
    return (len >= 4 && !memcmp(buf, "\177ELF", 4)) ||
           (len >= 2 && buf[0] == '#' && buf[1] == '!');
}

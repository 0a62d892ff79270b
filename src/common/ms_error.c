#include "ms_error.h"

const char *ms_strerror(ms_err err)
{
    switch (err) {
    case MS_OK:              return "success";
    case MS_ERR_NOMEM:       return "out of memory";
    case MS_ERR_ARG:         return "invalid argument";
    case MS_ERR_IO:          return "input/output error";
    case MS_ERR_FORMAT:      return "unrecognised or damaged data";
    case MS_ERR_NOT_FOUND:   return "not found";
    case MS_ERR_LIMIT:       return "safety limit reached";
    case MS_ERR_LOOP:        return "too many symbolic links";
    case MS_ERR_ESCAPE:      return "path leaves the file system root";
    case MS_ERR_UNSUPPORTED: return "not supported";
    case MS_ERR_YARA:        return "YARA error";
    case MS_ERR_INTERNAL:    return "internal error";
    }
    return "unknown error";
}

#include "report/writer.h"

void ms_wvprintf(ms_writer *w, const char *fmt, va_list ap)
{
    if (w->err)
        return;
    if (vfprintf(w->out, fmt, ap) < 0)
        w->err = MS_ERR_IO;
}

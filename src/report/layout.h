/* layout.h - the server's layout at a glance: for each system found,
 * every mount point and what lies behind it (the volume's stack, or why
 * nothing of the image does), in the text and HTML reports.  JSON has
 * the same data in "systems" and the volumes' mount fields. */
#ifndef MS_REPORT_LAYOUT_H
#define MS_REPORT_LAYOUT_H

#include "common/ms_model.h"
#include "report/writer.h"

void ms_report_layout_text(ms_writer *w, const ms_scan *s);
void ms_report_layout_html(ms_writer *w, const ms_scan *s);

#endif

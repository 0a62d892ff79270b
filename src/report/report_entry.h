/* report_entry.h - the entry-vector section (ms_scan.entry) of the JSON,
 * text and HTML reports; small hooks in each writer call these. */
#ifndef MS_REPORT_ENTRY_H
#define MS_REPORT_ENTRY_H

#include <jansson.h>
#include "common/ms_model.h"
#include "report/writer.h"

/* The "entry" object (docs/json-format.md); json null without one. */
json_t *ms_json_entry(const ms_scan *s);
/* Names of the unreliable times of a file, as a JSON array. */
json_t *ms_json_times_unreliable(unsigned bits);
/* "Entry vector" section of the text report. */
void ms_text_entry(ms_writer *w, const ms_scan *s);
/* The same as an HTML section. */
void ms_html_entry(ms_writer *w, const ms_scan *s);

#endif

/* escape.h - render hostile bytes from an image safely.
 *
 * File names, crontab lines and paths come from the evidence and may hold
 * any byte.  Printed raw they can move the examiner's cursor, rewrite a
 * terminal line (ESC sequences), visually reorder text (Unicode bidi
 * overrides: "exe.txt" shown for "txt.exe"), split a CSV/bodyfile record
 * or inject HTML.  Every writer passes such strings through one of these.
 *
 * Text escaping (ms_escape_text):
 *  - printable ASCII and valid UTF-8 sequences of printable characters
 *    pass through unchanged;
 *  - backslash becomes "\\"; newline, tab, carriage return become
 *    "\n", "\t", "\r";
 *  - every other byte becomes "\xNN" (two lowercase hex digits), one per
 *    byte: C0 controls incl. NUL and ESC, DEL, bytes of invalid UTF-8
 *    (overlongs, surrogates, > U+10FFFF, truncated sequences, stray
 *    continuation bytes), and every byte of these valid but dangerous
 *    characters:
 *      U+0080..U+009F  C1 controls (CSI 0x9b acts like ESC [ on some
 *                      terminals)
 *      U+061C          Arabic letter mark           (bidi)
 *      U+200B..U+200F  zero width space/joiners, LRM, RLM (invisible,
 *                      bidi)
 *      U+2028..U+202E  line/paragraph separators, bidi embeddings and
 *                      overrides
 *      U+2060..U+2069  word joiner, invisible operators, bidi isolates
 *      U+FEFF          zero width no-break space / BOM
 *      U+FFF9..U+FFFB  interlinear annotation controls
 *    (so emoji ZWJ sequences show their joiner escaped: safety first).
 *  The output is printable ASCII plus valid UTF-8, holds no byte below
 *  0x20 and no 0x7f, and is unambiguous: a literal "\x41" in the input
 *  comes out as "\\x41".
 *
 * All functions take (pointer, length) so embedded NULs are escaped
 * ("\x00"); s may be NULL only when len is 0.  Returned strings are
 * malloc'd, NUL-terminated, and freed by the caller; NULL means
 * allocation failure (or NULL s with len > 0). */
#ifndef MS_ESCAPE_H
#define MS_ESCAPE_H

#include <stddef.h>

#include "common/ms_utf8.h" /* ms_utf8_valid, used with the escapers */

/* Text for terminals, logs and CSV-like output (rules above). */
char *ms_escape_text(const char *s, size_t len);

/* As ms_escape_text, and '|' (the bodyfile field separator) becomes
 * "\x7c". */
char *ms_escape_bodyfile(const char *s, size_t len);

/* For HTML text and attribute values: ms_escape_text first, then
 * & < > " ' become &amp; &lt; &gt; &quot; &#39;. */
char *ms_escape_html(const char *s, size_t len);

/* Lowercase hex of p[0..len), e.g. "00ff"; "" for len 0. */
char *ms_hex(const unsigned char *p, size_t len);

#endif

/* ms_utf8.h - strict UTF-8 decoding of bytes from an image.
 *
 * Below every layer that names or escapes text: the escapers render
 * what is not valid UTF-8 as hex, and the verdicts treat a name that is
 * not valid UTF-8 as a sign of its own. */
#ifndef MS_UTF8_H
#define MS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the strictly valid UTF-8 sequence at s (n > 0 bytes
 * available), with its code point in *cp, or 0 if the bytes there are not
 * valid UTF-8 (overlong forms, surrogates, above U+10FFFF, truncated). */
size_t ms_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* 1 if s[0..len) is strictly valid UTF-8, else 0.  An empty string is
 * valid; NULL with len > 0 is not. */
int ms_utf8_valid(const char *s, size_t len);

#endif

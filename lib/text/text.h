/*
 * text.h - turning names written in any script and any style into the
 * matching alphabet: lowercase ASCII letters and digits in space-separated
 * tokens, plus the Korean romanization machinery the matcher needs.
 *
 * All functions are thread-safe. Input must be valid UTF-8; invalid input
 * returns SANCTUM_EUNICODE and leaves the output empty.
 */
#ifndef SANCTUM_TEXT_H
#define SANCTUM_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* Folds a name: Unicode compatibility normalization and case folding,
 * non-Latin scripts transliterated (Hangul by our own romanizer, DPRK/MR
 * style; Cyrillic, Arabic, Han and others through ICU), diacritics removed,
 * apostrophes and MR breves dropped without splitting ("Pyo'ng" -> "pyong"),
 * '&' -> "and", every other non-alphanumeric character a token separator.
 * Appends to out: tokens of [a-z0-9] separated by single spaces, no leading or
 * trailing space. Example: "KIM, Sang-Man" -> "kim sang man",
 * "Ch'oe Sŏng-il" -> "choe song il", "ООО Ромашка" -> "ooo romashka". */
int sanctum_text_fold(const char *utf8, size_t len, sanctum_strbuf *out);

/* Alternative folded forms of a query that contains Hangul: the whole string
 * romanized in Revised Romanization, McCune-Reischauer and DPRK style, with
 * the given name both joined and split into syllables, and common surname
 * spellings (Kim, Ri/Lee/Yi, Pak/Park, ...). The first form is the one
 * sanctum_text_fold() gives. For text without Hangul, the one folded form.
 * Forms are written into out separated by '\n'; *count receives the number
 * (at most max). */
int sanctum_text_variants(const char *utf8, size_t len, size_t max, sanctum_strbuf *out, size_t *count);

/* Romanization styles for sanctum_hangul_romanize(). */
enum { SANCTUM_ROM_RR = 0, SANCTUM_ROM_MR = 1, SANCTUM_ROM_DPRK = 2 };

/* Romanizes a Hangul string syllable by syllable in the given style, with a
 * space between words as written and syllables of a word joined (lowercase,
 * no breves or apostrophes). Non-Hangul characters are copied as they are.
 * Example: "김상만" -> RR "gimsangman", MR "kimsangman", DPRK "kimsangman". */
int sanctum_hangul_romanize(const char *utf8, size_t len, int style, sanctum_strbuf *out);

/* If a folded token reads as one or more romanized Korean syllables (in any
 * of RR, MR, DPRK or common passport spellings), writes its canonical key to
 * out and returns the key length; returns 0 when the token does not read as
 * Korean. Spellings of the same syllable share a key:
 * "chinyong", "jinyong", "jinyeong" -> same key; "lee", "yi", "ri", "rhee" ->
 * same key; "park", "pak", "bak" -> same key; "sangman" and "sang"+"man"
 * concatenated -> same key. out needs room for 4*len+1 bytes. */
size_t sanctum_korean_key(const char *token, size_t len, char *out, size_t outsz);

/* Longest input, in bytes, the functions above accept (SANCTUM_ELIMIT beyond). */
#define SANCTUM_TEXT_MAX_INPUT ((size_t)64 * 1024)

/* Releases the calling thread's transliterator, which sanctum_text_fold()
 * opens on first use (other threads release theirs when they exit). Call it
 * before exit from a thread that folded text, so leak checkers stay quiet;
 * folding again afterwards simply reopens it. */
void sanctum_text_cleanup(void);

/* 1 if cp is a precomposed Hangul syllable (U+AC00..U+D7A3). */
int sanctum_hangul_is_syllable(uint32_t cp);

/* Writes the romanization of one syllable as it reads on its own (no sound
 * changes) into buf, which needs 16 bytes; returns its length, 0 when cp is
 * not a syllable. */
size_t sanctum_hangul_syllable(uint32_t cp, int style, char *buf);

#endif

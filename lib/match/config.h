/*
 * config.h - every tuning constant of the matcher in one place.
 *
 * The retrieval in index.c/screen.c is only sound for the similarity and
 * score shape these constants describe; docs/ALGORITHM.md derives the limits
 * (for example that no similarity at or above SM_SIM_MIN needs more than two
 * edits) from the values below, so change them together with that argument.
 */
#ifndef SANCTUM_MATCH_CONFIG_H
#define SANCTUM_MATCH_CONFIG_H

/* Token similarity. Below SM_SIM_MIN a pair counts as unmatched (0). */
#define SM_SIM_MIN 0.70
/* Edit similarity considers at most this many edits (a cap by definition). */
#define SM_EDIT_MAX_D 2
/* A typo match from a query token that is itself a common listed word (in
 * at least SM_COMMON_DF names) is less likely a typo than a name of its own
 * (saleh, salem): its similarity is multiplied by SM_TYPO_KNOWN_FACTOR. A
 * query token that is not, or only rarely, listed is more likely a
 * misspelling: from SM_TYPO_UNKNOWN_FROM letters on its edits cost
 * 1 / (L + SM_TYPO_UNKNOWN_BONUS). */
#ifndef SM_TYPO_KNOWN_FACTOR
#define SM_TYPO_KNOWN_FACTOR 0.92
#endif
#ifndef SM_COMMON_DF
#define SM_COMMON_DF 3
#endif
#ifndef SM_TYPO_UNKNOWN_FROM
#define SM_TYPO_UNKNOWN_FROM 4
#endif
#ifndef SM_TYPO_UNKNOWN_BONUS
#define SM_TYPO_UNKNOWN_BONUS 2
#endif
/* Cost of one edit: max(SM_EDIT_COST_MIN, 1 / L), L the longer length, plus
 * SM_EDIT_LEN_BONUS from SM_EDIT_BONUS_FROM letters on (long words take two
 * typos more easily than short ones). */
#ifndef SM_EDIT_BONUS_FROM
#define SM_EDIT_BONUS_FROM 9
#endif
#define SM_EDIT_COST_MIN 0.10
#ifndef SM_EDIT_LEN_BONUS
#define SM_EDIT_LEN_BONUS 1
#endif
/* The commonest typing slips cost less than a whole edit: swapping two
 * adjacent letters, and typing a letter twice or once where the word has it
 * once or twice. A typo similarity counts only when the index's deletion
 * neighbourhoods reach the pair (see sm_typo_sim). */
#ifndef SM_TYPO_SWAP_COST
#define SM_TYPO_SWAP_COST 0.5
#endif
#ifndef SM_TYPO_DOUBLE_COST
#define SM_TYPO_DOUBLE_COST 0.5
#endif
/* Edit similarity needs both tokens at least this long. */
#define SM_EDIT_MIN_LEN 3
/* Tokens longer than this match only exactly or by Korean key. */
#define SM_EDIT_MAX_LEN 40
/* Korean keys equal: the spellings are romanizations of one another
 * (SM_SIM_ROMAN when the spellings are also within one edit, else
 * SM_SIM_ROMAN_FAR: short syllables share keys easily). */
#define SM_SIM_ROMAN 0.92
#define SM_SIM_ROMAN_FAR 0.86
/* A single letter against a token with that first letter. */
#define SM_SIM_INITIAL 0.72
/* One token against two adjacent tokens written together. */
#define SM_SIM_JOINED 0.97
/* The same, equal only through their Korean keys (single side of at least
 * SM_JOIN_KEY_MIN_LEN letters: short pairs share keys too easily). */
#define SM_SIM_JOINED_ROMAN 0.90
#define SM_JOIN_KEY_MIN_LEN 5

/* Token weights: idf^SM_IDF_POWER times a class factor. */
#ifndef SM_IDF_POWER
#define SM_IDF_POWER 1.5
#endif
#define SM_FACTOR_LEGAL 0.04
#define SM_FACTOR_HONORIFIC 0.06
#define SM_FACTOR_STOP 0.15
/* Fixed weight of a single-letter token (an initial). */
#ifndef SM_WEIGHT_INITIAL
#define SM_WEIGHT_INITIAL 8.0
#endif

/* Name score = SM_BLEND_MIN * min(Cq, Cl) + (1 - SM_BLEND_MIN) * harmonic mean. */
#define SM_BLEND_HARMONIC 1.0
/* Coverage with little matched information: when the matched weight of a
 * side (sum of w * sim) is below SM_INFO_FULL, its unmatched weight counts
 * SM_INFO_FULL / matched times, so a name matched only through common
 * tokens ("Juan Rodriguez" in "Juan Ivan Rodriguez") needs fuller coverage.
 * A side covered completely is not affected. */
#ifndef SM_INFO_FULL
#define SM_INFO_FULL 34.0
#endif
/* Weak aliases (OFAC "weak aka", UN "Low" quality) are multiplied by this. */
#define SM_WEAK_FACTOR 0.95

/* Retrieval: the lightest query tokens do not generate candidates (their
 * postings are not walked) as long as a name matching only them stays this
 * far below the score it would need (a margin against rounding). */
#define SM_NESS_MARGIN 1e-6
/* ... and as long as they weigh at most this share of the query: beyond
 * it, the looser upper bound lets more names through to full scoring than
 * the shorter postings save. */
#ifndef SM_NESS_FRACTION
#define SM_NESS_FRACTION 0.25
#endif

/* Evidence. */
#define SM_DOB_MATCH 0.03
#define SM_DOB_NEAR 0.0
#define SM_DOB_MISMATCH (-0.10)
#define SM_COUNTRY_MATCH 0.02
#define SM_COUNTRY_MISMATCH (-0.05)

/* Limits. */
#define SM_MAX_QUERY_BYTES 1024
#define SM_MAX_TOKENS 64       /* per name; a query with more is refused */
#define SM_MAX_FORMS 8         /* query forms from the text layer */
#define SM_KEY_MAX 512
#define SM_KEY_MAX_WORD 16     /* longer words get no Korean key */

#endif

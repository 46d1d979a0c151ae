/*
 * wallet.c - normalizing digital currency addresses so that formatting
 * cannot hide a listed address, and telling whether an address obeys the
 * rules of its format.
 *
 * Cleaning, in order: whitespace and invisible characters (zero-width
 * spaces, joiners, byte order marks, direction marks) are removed; quotes,
 * brackets and a trailing sentence dot are trimmed; a URI scheme
 * ("bitcoin:", "ethereum:pay-"), a chain id ("@1"), a function path
 * ("/transfer") and parameters ("?amount=0.1", "#...") are cut off.
 *
 * Then the format decides how case is treated:
 *   "0x" + 40 hex (or 40 bare hex)  EVM, lower-cased; a mixed-case query must
 *                                   carry a valid EIP-55 checksum
 *   hrp "1" data (bech32/bech32m)   lower-cased; mixed case is malformed
 *   cashaddr q.../p...              lower-cased, "bitcoincash:" dropped
 *   base58check (1 3 L M D X T ...) exact; version byte names the chain
 *   Monero (4/8, 95 or 106 chars)   exact
 *   64 hex digits                   lower-cased (a key or hash, not an address)
 *   anything else                   exact, reported as an unknown format
 * A malformed address keeps its cleaned form as key: it is still looked up.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "ident/ident_internal.h"
#include "sanctum/ident.h"
#include "util/error.h"

/* ---- small character helpers --------------------------------------------- */

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static void lower_all(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) s[i] = (char)lower((unsigned char)s[i]);
}

/* Counts ASCII upper- and lower-case letters. */
static void count_case(const char *s, size_t n, size_t *up, size_t *lo)
{
    *up = *lo = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') (*up)++;
        else if (c >= 'a' && c <= 'z') (*lo)++;
    }
}

/* Bounded copy that always terminates (on the query path, so no printf). */
static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) n = size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static void set_meta(sanctum_wallet_meta *m, const char *format, const char *chain, sanctum_wallet_validity v,
                     const char *message)
{
    copy_str(m->format, sizeof m->format, format);
    copy_str(m->chain, sizeof m->chain, chain);
    m->validity = v;
    copy_str(m->message, sizeof m->message, message ? message : "");
}

/* Length of an invisible or space character at p (UTF-8), else 0. */
static size_t invisible_len(const unsigned char *p, size_t left)
{
    unsigned char c = p[0];
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (c == 0xC2 && left >= 2 && (p[1] == 0xA0 || p[1] == 0xAD)) return 2; /* NBSP, soft hyphen */
    if (left < 3) return 0;
    if (c == 0xE1 && p[1] == 0x9A && p[2] == 0x80) return 3;               /* U+1680 */
    if (c == 0xE1 && p[1] == 0xA0 && p[2] == 0x8E) return 3;               /* U+180E */
    if (c == 0xE2 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0x8F) return 3; /* U+2000-200F */
    if (c == 0xE2 && p[1] == 0x80 && p[2] >= 0xA8 && p[2] <= 0xAF) return 3; /* U+2028-202F */
    if (c == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) return 3;               /* U+205F */
    if (c == 0xE2 && p[1] == 0x81 && p[2] >= 0xA0 && p[2] <= 0xAF) return 3; /* U+2060-206F */
    if (c == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3;               /* U+3000 */
    if (c == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return 3;               /* U+FEFF */
    return 0;
}

/* ---- checksums ----------------------------------------------------------- */

static const char bech32_charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static const char base58_bitcoin[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
static const char base58_ripple[] = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz";

/* Reverse tables: character -> value, -1 when not in the alphabet. */
static signed char bech32_rev[256], bitcoin_rev[256], ripple_rev[256];
static const EVP_MD *sha256_md;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void)
{
    memset(bech32_rev, -1, sizeof bech32_rev);
    memset(bitcoin_rev, -1, sizeof bitcoin_rev);
    memset(ripple_rev, -1, sizeof ripple_rev);
    for (int i = 0; i < 32; i++) {
        unsigned char c = (unsigned char)bech32_charset[i];
        bech32_rev[c] = (signed char)i;
        if (c >= 'a' && c <= 'z') bech32_rev[c - 32] = (signed char)i;
    }
    for (int i = 0; i < 58; i++) {
        bitcoin_rev[(unsigned char)base58_bitcoin[i]] = (signed char)i;
        ripple_rev[(unsigned char)base58_ripple[i]] = (signed char)i;
    }
    /* an explicit fetch once: the implicit one of EVP_sha256() costs a lock
     * and a lookup on every digest */
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!sha256_md) sha256_md = EVP_sha256();
}

/* 5-bit value of a bech32 character (either case), or -1. */
static int bech32_value(unsigned char c)
{
    return bech32_rev[c];
}

/* 0: not valid, 1: bech32, 2: bech32m. s is lower case, sep the position of
 * the separating '1'. */
static int bech32_verify(const char *s, size_t n, size_t sep)
{
    static const uint32_t gen[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
    uint32_t chk = 1;
#define BECH32_STEP(v)                                                     \
    do {                                                                   \
        uint32_t b_ = chk >> 25;                                           \
        chk = ((chk & 0x1ffffff) << 5) ^ (uint32_t)(v);                    \
        for (int i_ = 0; i_ < 5; i_++)                                     \
            if ((b_ >> i_) & 1) chk ^= gen[i_];                            \
    } while (0)
    for (size_t i = 0; i < sep; i++) BECH32_STEP((unsigned char)s[i] >> 5);
    BECH32_STEP(0);
    for (size_t i = 0; i < sep; i++) BECH32_STEP((unsigned char)s[i] & 31);
    for (size_t i = sep + 1; i < n; i++) {
        int v = bech32_value((unsigned char)s[i]);
        if (v < 0) return 0;
        BECH32_STEP(v);
    }
#undef BECH32_STEP
    if (chk == 1) return 1;
    if (chk == 0x2bc830a3) return 2;
    return 0;
}

/* Bitcoin Cash cashaddr: prefix (lower case) and payload. 1 when valid. */
static int cashaddr_verify(const char *prefix, const char *s, size_t n)
{
    uint64_t c = 1;
#define CASH_STEP(v)                                                       \
    do {                                                                   \
        uint8_t c0_ = (uint8_t)(c >> 35);                                  \
        c = ((c & 0x07ffffffffULL) << 5) ^ (uint64_t)(v);                  \
        if (c0_ & 0x01) c ^= 0x98f2bc8e61ULL;                              \
        if (c0_ & 0x02) c ^= 0x79b76d99e2ULL;                              \
        if (c0_ & 0x04) c ^= 0xf33e5fb3c4ULL;                              \
        if (c0_ & 0x08) c ^= 0xae2eabe2a8ULL;                              \
        if (c0_ & 0x10) c ^= 0x1e4f43e470ULL;                              \
    } while (0)
    for (const char *p = prefix; *p; p++) CASH_STEP((unsigned char)*p & 0x1f);
    CASH_STEP(0);
    for (size_t i = 0; i < n; i++) {
        int v = bech32_value((unsigned char)s[i]);
        if (v < 0) return 0;
        CASH_STEP(v);
    }
#undef CASH_STEP
    return (c ^ 1) == 0;
}

/* Decodes base58 with the given alphabet into out (big-endian, leading zero
 * bytes for leading first-alphabet characters). Returns the byte count, or
 * 0 when a character is not in the alphabet or the result exceeds cap. */
static size_t base58_decode(const char *alphabet, const char *s, size_t n, unsigned char *out, size_t cap)
{
    const signed char *rev = alphabet == base58_ripple ? ripple_rev : bitcoin_rev;
    uint32_t limbs[32]; /* little-endian base 2^32 */
    size_t nl = 0, zeros = 0;
    while (zeros < n && s[zeros] == alphabet[0]) zeros++;
    /* five digits at a time: 58^5 < 2^32 */
    for (size_t i = zeros; i < n;) {
        uint64_t mul = 1, add = 0;
        for (int k = 0; k < 5 && i < n; k++, i++) {
            int v = rev[(unsigned char)s[i]];
            if (v < 0) return 0;
            mul *= 58;
            add = add * 58 + (uint64_t)v;
        }
        uint64_t carry = add;
        for (size_t j = 0; j < nl; j++) {
            uint64_t t = (uint64_t)limbs[j] * mul + carry;
            limbs[j] = (uint32_t)t;
            carry = t >> 32;
        }
        if (carry) {
            if (nl >= sizeof limbs / sizeof limbs[0]) return 0;
            limbs[nl++] = (uint32_t)carry;
        }
    }
    unsigned char buf[128];
    size_t len = 0;
    for (size_t j = 0; j < nl; j++)
        for (int b = 0; b < 4; b++) buf[len++] = (unsigned char)(limbs[j] >> (8 * b));
    while (len && buf[len - 1] == 0) len--;
    if (zeros + len > cap || zeros + len == 0) return 0;
    memset(out, 0, zeros);
    for (size_t j = 0; j < len; j++) out[zeros + j] = buf[len - 1 - j];
    return zeros + len;
}

/* 1 when the last four bytes are the start of SHA-256(SHA-256(rest)). */
static int base58check_ok(const unsigned char *b, size_t n)
{
    if (n < 5) return 0;
    if (!sha256_md) return 0;
    unsigned char h1[EVP_MAX_MD_SIZE], h2[EVP_MAX_MD_SIZE];
    unsigned l1 = 0, l2 = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx) return 0;
    int ok = EVP_DigestInit_ex(ctx, sha256_md, NULL) && EVP_DigestUpdate(ctx, b, n - 4) &&
             EVP_DigestFinal_ex(ctx, h1, &l1) && EVP_DigestInit_ex(ctx, sha256_md, NULL) &&
             EVP_DigestUpdate(ctx, h1, l1) && EVP_DigestFinal_ex(ctx, h2, &l2);
    EVP_MD_CTX_free(ctx);
    return ok && memcmp(h2, b + n - 4, 4) == 0;
}

static const char *base58_chain(const unsigned char *b, size_t n)
{
    if (n == 26 && b[0] == 0x1c && (b[1] == 0xb8 || b[1] == 0xbd)) return "zcash";
    if (n != 25) return "unknown";
    switch (b[0]) {
    case 0x00: case 0x05: return "bitcoin";
    case 0x30: case 0x32: return "litecoin";
    case 0x1e: case 0x16: return "dogecoin";
    case 0x4c: case 0x10: return "dash";
    case 0x26: case 0x17: return "bitcoin-gold";
    case 0x41: return "tron";
    case 0x6f: case 0xc4: return "bitcoin-testnet";
    default: return "unknown";
    }
}

/* ---- EIP-55 -------------------------------------------------------------- */

/* hex40 is 40 lower-case hex digits; writes the checksummed form (40 chars). */
static void eip55_apply(const char *hex40, char *out40)
{
    unsigned char h[32];
    sanctum_keccak256(hex40, 40, h);
    for (int i = 0; i < 40; i++) {
        unsigned nib = (i % 2 == 0) ? (h[i / 2] >> 4) : (h[i / 2] & 0xf);
        char c = hex40[i];
        out40[i] = (c >= 'a' && c <= 'f' && nib >= 8) ? (char)(c - 32) : c;
    }
}

int sanctum_wallet_eip55(const char *address, char out[43])
{
    if (!address || !out) return SANCTUM_EINVAL;
    const char *p = address;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) p += 2;
    char lo[41];
    for (int i = 0; i < 40; i++) {
        if (!is_hex((unsigned char)p[i])) return SANCTUM_EINVAL;
        lo[i] = (char)lower((unsigned char)p[i]);
    }
    if (p[40]) return SANCTUM_EINVAL;
    lo[40] = 0;
    out[0] = '0';
    out[1] = 'x';
    eip55_apply(lo, out + 2);
    out[42] = 0;
    return 0;
}

/* ---- cleaning ------------------------------------------------------------ */

static int is_scheme_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
           c == '.';
}

/* Classifies s[0..*n) in place (may lower-case, may grow by 2 for a "0x"
 * prefix when cap allows). */
static void classify(char *s, size_t *np, size_t cap, const char *scheme, sanctum_wallet_meta *m)
{
    size_t n = *np;
    size_t up, lo;

    /* EVM: 0x + 40 hex, or 40 bare hex digits */
    int has0x = n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    size_t hexstart = has0x ? 2 : 0;
    int allhex = n > hexstart;
    for (size_t i = hexstart; i < n && allhex; i++) allhex = is_hex((unsigned char)s[i]);
    if (allhex && n - hexstart == 40 && (has0x || cap >= 43)) {
        if (!has0x) {
            memmove(s + 2, s, n);
            s[0] = '0';
            n += 2;
        }
        s[1] = 'x';
        count_case(s + 2, 40, &up, &lo);
        if (up && lo) {
            char want[40];
            char low[40];
            memcpy(low, s + 2, 40);
            lower_all(low, 40);
            eip55_apply(low, want);
            if (memcmp(want, s + 2, 40) == 0)
                set_meta(m, "evm", "evm", SANCTUM_WALLET_VALID, has0x ? "" : "0x prefix added");
            else
                set_meta(m, "evm", "evm", SANCTUM_WALLET_MALFORMED,
                         "mixed case does not match the EIP-55 checksum: a character may be mistyped");
        } else {
            set_meta(m, "evm", "evm", SANCTUM_WALLET_UNCHECKED,
                     has0x ? "single-case address: no EIP-55 checksum to verify"
                           : "0x prefix added; single-case address: no EIP-55 checksum to verify");
        }
        lower_all(s + 2, 40);
        *np = n;
        return;
    }
    if (allhex && has0x) {
        lower_all(s, n);
        s[1] = 'x';
        set_meta(m, "hex", "unknown", SANCTUM_WALLET_MALFORMED, "");
        snprintf(m->message, sizeof m->message, "0x followed by %zu hex digits; an EVM address has 40", n - 2);
        return;
    }
    if (allhex && n == 64) {
        lower_all(s, n);
        set_meta(m, "hex", "unknown", SANCTUM_WALLET_UNKNOWN, "64 hex digits: a key or hash, not a known address format");
        return;
    }

    /* cashaddr, with its prefix (already cut off as a scheme) or bare */
    int cash_scheme = scheme && (strcmp(scheme, "bitcoincash") == 0 || strcmp(scheme, "bchtest") == 0 ||
                                 strcmp(scheme, "bchreg") == 0);
    if (n == 42 || cash_scheme) {
        int all32 = 1;
        for (size_t i = 0; i < n && all32; i++) all32 = bech32_value((unsigned char)s[i]) >= 0;
        unsigned char c0 = lower((unsigned char)s[0]);
        if (all32 && (c0 == 'q' || c0 == 'p')) {
            char low[SANCTUM_WALLET_MAX + 1];
            int ok = 0;
            if (n <= SANCTUM_WALLET_MAX) {
                memcpy(low, s, n);
                lower_all(low, n);
                ok = cashaddr_verify(cash_scheme ? scheme : "bitcoincash", low, n);
            }
            if (ok || cash_scheme) {
                count_case(s, n, &up, &lo);
                lower_all(s, n);
                const char *chain = (cash_scheme && strcmp(scheme, "bitcoincash") != 0) ? "bitcoin-cash-testnet"
                                                                                         : "bitcoin-cash";
                if (up && lo)
                    set_meta(m, "cashaddr", chain, SANCTUM_WALLET_MALFORMED, "mixed case is invalid in cashaddr");
                else if (!ok)
                    set_meta(m, "cashaddr", chain, SANCTUM_WALLET_MALFORMED, "cashaddr checksum does not match");
                else
                    set_meta(m, "cashaddr", chain, SANCTUM_WALLET_VALID, "");
                return;
            }
        }
    }

    /* bech32 / bech32m: hrp "1" data, the separator is the last '1' */
    const char *one = NULL;
    for (size_t i = n; i-- > 0;)
        if (s[i] == '1') { one = s + i; break; }
    if (one && one > s && n <= 1000) {
        size_t sep = (size_t)(one - s);
        int hrp_ok = 1;
        for (size_t i = 0; i < sep && hrp_ok; i++) {
            unsigned char c = lower((unsigned char)s[i]);
            hrp_ok = c >= 'a' && c <= 'z';
        }
        size_t datalen = n - sep - 1;
        int data_ok = datalen >= 6;
        for (size_t i = sep + 1; i < n && data_ok; i++) data_ok = bech32_value((unsigned char)s[i]) >= 0;
        if (hrp_ok && data_ok && sep <= 83) {
            char low[1001];
            memcpy(low, s, n);
            lower_all(low, n);
            int kind = bech32_verify(low, n, sep);
            char hrp[24];
            snprintf(hrp, sizeof hrp, "%.*s", (int)sep, low);
            int known = strcmp(hrp, "bc") == 0 || strcmp(hrp, "tb") == 0 || strcmp(hrp, "bcrt") == 0 ||
                        strcmp(hrp, "ltc") == 0 || strcmp(hrp, "tltc") == 0 || strcmp(hrp, "zs") == 0;
            if (kind || known) {
                const char *chain = strcmp(hrp, "bc") == 0     ? "bitcoin"
                                    : strcmp(hrp, "tb") == 0   ? "bitcoin-testnet"
                                    : strcmp(hrp, "bcrt") == 0 ? "bitcoin-regtest"
                                    : strcmp(hrp, "ltc") == 0  ? "litecoin"
                                    : strcmp(hrp, "tltc") == 0 ? "litecoin-testnet"
                                    : strcmp(hrp, "zs") == 0   ? "zcash"
                                                               : hrp;
                count_case(s, n, &up, &lo);
                memcpy(s, low, n);
                const char *fmt = kind == 2 ? "bech32m" : "bech32";
                if (up && lo)
                    set_meta(m, fmt, chain, SANCTUM_WALLET_MALFORMED, "mixed case is invalid in bech32 (BIP-173)");
                else if (!kind)
                    set_meta(m, fmt, chain, SANCTUM_WALLET_MALFORMED, "bech32 checksum does not match");
                else
                    set_meta(m, fmt, chain, SANCTUM_WALLET_VALID, "");
                return;
            }
        }
    }

    /* base58 alphabets: exact, case-sensitive */
    int all58 = n > 0;
    for (size_t i = 0; i < n && all58; i++) all58 = bitcoin_rev[(unsigned char)s[i]] >= 0;
    if (all58 && (s[0] == '4' || s[0] == '8') && (n == 95 || n == 106)) {
        set_meta(m, "monero", "monero", SANCTUM_WALLET_UNCHECKED, "Monero address: compared exactly, checksum not verified");
        return;
    }
    if (all58 && n >= 25 && n <= 60) {
        unsigned char bytes[64];
        size_t nb = base58_decode(base58_bitcoin, s, n, bytes, sizeof bytes);
        if (nb && base58check_ok(bytes, nb)) {
            set_meta(m, "base58check", base58_chain(bytes, nb), SANCTUM_WALLET_VALID, "");
            return;
        }
        if (s[0] == 'r') {
            nb = base58_decode(base58_ripple, s, n, bytes, sizeof bytes);
            if (nb && base58check_ok(bytes, nb)) {
                set_meta(m, "base58check", "ripple", SANCTUM_WALLET_VALID, "");
                return;
            }
        }
        if (strchr("13LMDXTGAtr2mn97", s[0])) {
            const char *chain = s[0] == 'T' ? "tron" : s[0] == 'r' ? "ripple" : s[0] == 'L' || s[0] == 'M' ? "litecoin"
                                : s[0] == 'X' ? "dash" : s[0] == 'D' ? "dogecoin" : s[0] == 't' ? "zcash"
                                : s[0] == '1' || s[0] == '3' ? "bitcoin" : "unknown";
            set_meta(m, "base58", chain, SANCTUM_WALLET_MALFORMED,
                     "base58check checksum does not match: a character may be mistyped or its case changed");
            return;
        }
    }
    set_meta(m, "unknown", "unknown", SANCTUM_WALLET_UNKNOWN, "unrecognised address format: compared exactly");
}

int sanctum_wallet_clean(const char *in, size_t len, char *out, size_t cap, size_t *outlen, sanctum_wallet_meta *m)
{
    pthread_once(&tables_once, build_tables);
    set_meta(m, "unknown", "unknown", SANCTUM_WALLET_UNKNOWN, "");
    *outlen = 0;
    if (cap) out[0] = 0;
    if (!in || cap < 2) return SANCTUM_EINVAL;

    /* fast path: nothing but ASCII letters and digits, nothing to clean */
    const unsigned char *p = (const unsigned char *)in;
    size_t plain = 0;
    while (plain < len && ((unsigned)((p[plain] | 0x20) - 'a') < 26u || (unsigned)(p[plain] - '0') < 10u)) plain++;
    if (plain == len) {
        if (len + 1 > cap) return SANCTUM_ELIMIT;
        if (len == 0) return SANCTUM_EINVAL;
        memcpy(out, in, len);
        size_t n = len;
        classify(out, &n, cap, NULL, m);
        out[n] = 0;
        *outlen = n;
        return 0;
    }

    /* 1. drop whitespace and invisible characters */
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t skip = invisible_len(p + i, len - i);
        if (skip) {
            i += skip;
            continue;
        }
        if (n + 1 >= cap) return SANCTUM_ELIMIT;
        out[n++] = (char)p[i++];
    }

    /* 2-4, repeated until nothing changes, so that a normalized address is
     * stable when normalized again: trim wrapping punctuation and a trailing
     * sentence dot; cut a URI scheme; cut a chain id, function path,
     * parameters or fragment */
    char scheme[33] = "";
    for (size_t before = n + 1; before != n;) {
        before = n;
        size_t start = 0;
        while (start < n && out[start] && strchr("\"'<([{`", out[start])) start++;
        while (n > start && out[n - 1] && strchr(".,;\"'>)]}`", out[n - 1])) n--;
        if (start) {
            memmove(out, out + start, n - start);
            n -= start;
        }

        size_t colon = 0;
        while (colon < n && colon <= 32 && is_scheme_char((unsigned char)out[colon])) colon++;
        if (colon > 0 && colon < n && colon <= 32 && out[colon] == ':' &&
            ((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= 'A' && out[0] <= 'Z'))) {
            for (size_t i = 0; i < colon; i++) scheme[i] = (char)lower((unsigned char)out[i]);
            scheme[colon] = 0;
            size_t cut = colon + 1;
            while (cut < n && out[cut] == '/') cut++;
            if (strcmp(scheme, "ethereum") == 0 && n - cut >= 4 && strncmp(out + cut, "pay-", 4) == 0) cut += 4;
            memmove(out, out + cut, n - cut);
            n -= cut;
        }

        for (size_t i = 0; i < n; i++) {
            if (out[i] == '?' || out[i] == '#' || out[i] == '/' || out[i] == '@' || out[i] == '&') {
                n = i;
                break;
            }
        }
    }
    out[n] = 0;
    if (n == 0) return SANCTUM_EINVAL;

    classify(out, &n, cap, scheme[0] ? scheme : NULL, m);
    out[n] = 0;
    *outlen = n;
    return 0;
}

int sanctum_wallet_normalize(const char *input, sanctum_wallet_info *out, sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output given");
    memset(out, 0, sizeof *out);
    if (!input) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no address given");
    sanctum_wallet_meta m;
    size_t n = 0;
    int rc = sanctum_wallet_clean(input, strlen(input), out->address, sizeof out->address, &n, &m);
    if (rc == SANCTUM_ELIMIT)
        return sanctum_error_set(err, rc, NULL, 0, "address longer than %d characters", SANCTUM_WALLET_MAX);
    if (rc) return sanctum_error_set(err, rc, NULL, 0, "empty address");
    memcpy(out->format, m.format, sizeof out->format);
    memcpy(out->chain, m.chain, sizeof out->chain);
    out->validity = m.validity;
    memcpy(out->message, m.message, sizeof out->message);
    return 0;
}

const char *sanctum_wallet_validity_name(sanctum_wallet_validity v)
{
    switch (v) {
    case SANCTUM_WALLET_VALID: return "valid";
    case SANCTUM_WALLET_UNCHECKED: return "unchecked";
    case SANCTUM_WALLET_MALFORMED: return "malformed";
    case SANCTUM_WALLET_UNKNOWN: return "unknown";
    }
    return "unknown";
}

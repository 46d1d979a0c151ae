/*
 * keccak.c - the Keccak-f[1600] permutation and the 256-bit sponge built on
 * it. Ethereum hashes with the original Keccak submission, whose padding
 * byte is 0x01; the SHA3-256 standard later changed it to 0x06, which is all
 * OpenSSL 3.0 offers. The sponge below takes the padding byte as a parameter
 * so the tests can check the permutation against OpenSSL's SHA3-256 as well
 * as against the published Keccak-256 vectors.
 */
#include <stdint.h>
#include <string.h>

#include "ident/ident_internal.h"
#include "sanctum/ident.h"

#define KECCAK_ROUNDS 24
#define RATE_256 136 /* bytes: 1600 bits minus twice the 256-bit capacity */

static const uint64_t round_constants[KECCAK_ROUNDS] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* rho rotation offsets and the pi lane order, walked along the pi cycle */
static const unsigned rho_offsets[24] = { 1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
                                          27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44 };
static const unsigned pi_lanes[24] = { 10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
                                       15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1 };

static inline uint64_t rotl64(uint64_t x, unsigned n)
{
    return (x << n) | (x >> (64 - n));
}

void sanctum_keccak_f1600(uint64_t st[25])
{
    uint64_t bc[5];
    for (int round = 0; round < KECCAK_ROUNDS; round++) {
        /* theta */
        for (int i = 0; i < 5; i++)
            bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
        for (int i = 0; i < 5; i++) {
            uint64_t t = bc[(i + 4) % 5] ^ rotl64(bc[(i + 1) % 5], 1);
            for (int j = 0; j < 25; j += 5) st[j + i] ^= t;
        }
        /* rho and pi */
        uint64_t t = st[1];
        for (int i = 0; i < 24; i++) {
            unsigned j = pi_lanes[i];
            uint64_t next = st[j];
            st[j] = rotl64(t, rho_offsets[i]);
            t = next;
        }
        /* chi */
        for (int j = 0; j < 25; j += 5) {
            for (int i = 0; i < 5; i++) bc[i] = st[j + i];
            for (int i = 0; i < 5; i++) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
        }
        /* iota */
        st[0] ^= round_constants[round];
    }
}

/* Lanes are little-endian regardless of the host. */
static uint64_t load_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

void sanctum_keccak_sponge256(const void *data, size_t len, unsigned char pad, unsigned char out[32])
{
    uint64_t st[25];
    memset(st, 0, sizeof st);
    const unsigned char *p = data;
    while (len >= RATE_256) {
        for (int i = 0; i < RATE_256 / 8; i++) st[i] ^= load_le64(p + 8 * i);
        sanctum_keccak_f1600(st);
        p += RATE_256;
        len -= RATE_256;
    }
    unsigned char block[RATE_256];
    memset(block, 0, sizeof block);
    if (len) memcpy(block, p, len);
    block[len] ^= pad;
    block[RATE_256 - 1] ^= 0x80;
    for (int i = 0; i < RATE_256 / 8; i++) st[i] ^= load_le64(block + 8 * i);
    sanctum_keccak_f1600(st);
    for (int i = 0; i < 32; i++) out[i] = (unsigned char)(st[i / 8] >> (8 * (i % 8)));
}

void sanctum_keccak256(const void *data, size_t len, unsigned char out[32])
{
    sanctum_keccak_sponge256(data, len, 0x01, out);
}

/*
 * SHA-256 (FIPS 180-4), for the content hash of a release.
 *
 * sha256_init(), then sha256_update() any number of times, then
 * sha256_final() writes the 32-byte digest. The struct holds no pointers
 * and needs no release. sha256_hex() hashes one buffer into 64 lowercase
 * hex digits and a NUL.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN	32
#define SHA256_HEX_LEN		65	/* 64 digits and a NUL */

struct sha256 {
	uint32_t	state[8];
	uint64_t	bytes;		/* message length so far */
	uint8_t		block[64];
	size_t		nblock;		/* bytes waiting in block */
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, uint8_t[SHA256_DIGEST_LEN]);
void	sha256_to_hex(const uint8_t[SHA256_DIGEST_LEN], char[SHA256_HEX_LEN]);
void	sha256_hex(const void *, size_t, char[SHA256_HEX_LEN]);

#endif

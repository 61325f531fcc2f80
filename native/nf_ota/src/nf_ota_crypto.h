/*
 * SHA-256 and ECDSA P-256 through the PSA Crypto API: the one crypto API that mbedTLS 2.28
 * (Debian, the host build), 3.x (ESP-IDF 5.2 to 5.5) and 4.x / TF-PSA-Crypto 1.0 (ESP-IDF 6.0,
 * where mbedtls/ecdsa.h is no longer public) all offer. On the device ESP-IDF's PSA drivers use
 * the chip's SHA and ECC hardware where it has them.
 */
#ifndef NF_OTA_CRYPTO_H
#define NF_OTA_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "psa/crypto.h"

typedef struct {
    psa_hash_operation_t operation;
    bool active;
} nf_ota_sha256_t;

/* Start a digest; NF_OTA_NO_MEMORY if PSA cannot start (not initialised, out of memory). */
int32_t nf_ota_sha256_start(nf_ota_sha256_t *hash);

void nf_ota_sha256_update(nf_ota_sha256_t *hash, const uint8_t *data, size_t length);

/* The digest of everything so far, leaving the running digest untouched. */
int32_t nf_ota_sha256_peek(const nf_ota_sha256_t *hash, uint8_t digest[32]);

void nf_ota_sha256_free(nf_ota_sha256_t *hash);

/*
 * Verify an ECDSA P-256 signature (r||s, 32 bytes each, big-endian) over SHA-256(message)
 * with an uncompressed public key (0x04||X||Y). NF_OTA_OK, NF_OTA_SIGNATURE_INVALID,
 * NF_OTA_KEY_INVALID or NF_OTA_NO_MEMORY.
 */
int32_t nf_ota_p256_verify(const uint8_t public_key[65], const uint8_t *message, size_t length, const uint8_t signature[64]);

/* The same over a SHA-256 digest computed elsewhere (an image hashed from flash a piece at a time). */
int32_t nf_ota_p256_verify_digest(const uint8_t public_key[65], const uint8_t digest[32], const uint8_t signature[64]);

#endif /* NF_OTA_CRYPTO_H */

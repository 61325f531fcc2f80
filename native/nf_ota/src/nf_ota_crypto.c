#include "nf_ota_crypto.h"

#include <string.h>

#include "nf_ota_status.h"

/* psa_crypto_init() may be called any number of times; ESP-IDF 6 calls it at start-up, 5.x does not. */
static bool crypto_ready(void)
{
    return psa_crypto_init() == PSA_SUCCESS;
}

int32_t nf_ota_sha256_start(nf_ota_sha256_t *hash)
{
    hash->operation = psa_hash_operation_init();
    hash->active = false;
    if (!crypto_ready() || psa_hash_setup(&hash->operation, PSA_ALG_SHA_256) != PSA_SUCCESS)
    {
        (void)psa_hash_abort(&hash->operation);
        return NF_OTA_NO_MEMORY;
    }
    hash->active = true;
    return NF_OTA_OK;
}

void nf_ota_sha256_update(nf_ota_sha256_t *hash, const uint8_t *data, size_t length)
{
    if (hash->active && length > 0 && psa_hash_update(&hash->operation, data, length) != PSA_SUCCESS)
    {
        /* A failed update leaves the operation unusable: the digest can no longer be trusted. */
        (void)psa_hash_abort(&hash->operation);
        hash->active = false;
    }
}

int32_t nf_ota_sha256_peek(const nf_ota_sha256_t *hash, uint8_t digest[32])
{
    if (!hash->active)
    {
        return NF_OTA_DIGEST_UNAVAILABLE;
    }
    /* Finish a clone, so more data can still be added to the running digest. */
    psa_hash_operation_t copy = psa_hash_operation_init();
    size_t length = 0;
    int32_t status = NF_OTA_NO_MEMORY;
    if (psa_hash_clone(&hash->operation, &copy) == PSA_SUCCESS
        && psa_hash_finish(&copy, digest, 32, &length) == PSA_SUCCESS && length == 32)
    {
        status = NF_OTA_OK;
    }
    (void)psa_hash_abort(&copy);
    return status;
}

void nf_ota_sha256_free(nf_ota_sha256_t *hash)
{
    if (hash->active)
    {
        (void)psa_hash_abort(&hash->operation);
        hash->active = false;
    }
}

int32_t nf_ota_p256_verify_digest(const uint8_t public_key[65], const uint8_t digest[32], const uint8_t signature[64])
{
    if (!crypto_ready())
    {
        return NF_OTA_NO_MEMORY;
    }
    if (public_key[0] != 0x04)
    {
        return NF_OTA_KEY_INVALID;
    }

    psa_key_attributes_t attributes = psa_key_attributes_init();
    psa_set_key_type(&attributes, PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attributes, 256);
    psa_set_key_usage_flags(&attributes, PSA_KEY_USAGE_VERIFY_HASH);
    psa_set_key_algorithm(&attributes, PSA_ALG_ECDSA(PSA_ALG_SHA_256));

    /* Import checks the point: on the curve, not the identity. */
    mbedtls_svc_key_id_t key = MBEDTLS_SVC_KEY_ID_INIT;
    psa_status_t imported = psa_import_key(&attributes, public_key, 65, &key);
    psa_reset_key_attributes(&attributes);
    if (imported != PSA_SUCCESS)
    {
        return imported == PSA_ERROR_INSUFFICIENT_MEMORY ? NF_OTA_NO_MEMORY : NF_OTA_KEY_INVALID;
    }
    psa_status_t verified = psa_verify_hash(key, PSA_ALG_ECDSA(PSA_ALG_SHA_256), digest, 32, signature, 64);
    (void)psa_destroy_key(key);
    return verified == PSA_SUCCESS ? NF_OTA_OK
           : verified == PSA_ERROR_INSUFFICIENT_MEMORY ? NF_OTA_NO_MEMORY
                                                        : NF_OTA_SIGNATURE_INVALID;
}

int32_t nf_ota_p256_verify(const uint8_t public_key[65], const uint8_t *message, size_t length, const uint8_t signature[64])
{
    if (!crypto_ready())
    {
        return NF_OTA_NO_MEMORY;
    }
    uint8_t digest[32];
    size_t digest_length = 0;
    int32_t status;
    if (psa_hash_compute(PSA_ALG_SHA_256, message, length, digest, sizeof(digest), &digest_length) != PSA_SUCCESS)
    {
        status = NF_OTA_NO_MEMORY;
    }
    else
    {
        status = nf_ota_p256_verify_digest(public_key, digest, signature);
    }
    memset(digest, 0, sizeof(digest));
    return status;
}

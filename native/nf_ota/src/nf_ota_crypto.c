#include "nf_ota_crypto.h"

#include <string.h>

#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"
#include "mbedtls/bignum.h"
#include "nf_ota_status.h"

int32_t nf_ota_sha256_start(nf_ota_sha256_t *hash)
{
    mbedtls_md_init(&hash->md);
    hash->active = false;
    if (mbedtls_md_setup(&hash->md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 0) != 0 || mbedtls_md_starts(&hash->md) != 0)
    {
        mbedtls_md_free(&hash->md);
        return NF_OTA_NO_MEMORY;
    }
    hash->active = true;
    return NF_OTA_OK;
}

void nf_ota_sha256_update(nf_ota_sha256_t *hash, const uint8_t *data, size_t length)
{
    if (hash->active && length > 0)
    {
        (void)mbedtls_md_update(&hash->md, data, length);
    }
}

int32_t nf_ota_sha256_peek(const nf_ota_sha256_t *hash, uint8_t digest[32])
{
    if (!hash->active)
    {
        return NF_OTA_DIGEST_UNAVAILABLE;
    }
    /* Finish a copy, so more data can still be added to the running digest. */
    mbedtls_md_context_t copy;
    mbedtls_md_init(&copy);
    int32_t status = NF_OTA_NO_MEMORY;
    if (mbedtls_md_setup(&copy, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 0) == 0
        && mbedtls_md_clone(&copy, &hash->md) == 0
        && mbedtls_md_finish(&copy, digest) == 0)
    {
        status = NF_OTA_OK;
    }
    mbedtls_md_free(&copy);
    return status;
}

void nf_ota_sha256_free(nf_ota_sha256_t *hash)
{
    if (hash->active)
    {
        mbedtls_md_free(&hash->md);
        hash->active = false;
    }
}

int32_t nf_ota_p256_verify(const uint8_t public_key[65], const uint8_t *message, size_t length, const uint8_t signature[64])
{
    uint8_t digest[32];
    if (mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), message, length, digest) != 0)
    {
        return NF_OTA_NO_MEMORY;
    }

    mbedtls_ecp_group group;
    mbedtls_ecp_point q;
    mbedtls_mpi r;
    mbedtls_mpi s;
    mbedtls_ecp_group_init(&group);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);

    int32_t status;
    if (mbedtls_ecp_group_load(&group, MBEDTLS_ECP_DP_SECP256R1) != 0)
    {
        status = NF_OTA_NO_MEMORY;
    }
    else if (public_key[0] != 0x04
             || mbedtls_ecp_point_read_binary(&group, &q, public_key, 65) != 0
             || mbedtls_ecp_check_pubkey(&group, &q) != 0)
    {
        status = NF_OTA_KEY_INVALID;
    }
    else if (mbedtls_mpi_read_binary(&r, signature, 32) != 0 || mbedtls_mpi_read_binary(&s, signature + 32, 32) != 0)
    {
        status = NF_OTA_NO_MEMORY;
    }
    else
    {
        status = mbedtls_ecdsa_verify(&group, digest, sizeof(digest), &q, &r, &s) == 0 ? NF_OTA_OK : NF_OTA_SIGNATURE_INVALID;
    }

    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&group);
    memset(digest, 0, sizeof(digest));
    return status;
}

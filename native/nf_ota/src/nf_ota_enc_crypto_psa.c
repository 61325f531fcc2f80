/*
 * nf_ota_enc_crypto.h with PSA Crypto: ESP-IDF 5.2 to 6.0 on the device. Needs PSA's GCM,
 * RSA PKCS#1 v1.5 decryption, ECDH and HKDF. ESP-IDF 5.x leaves HKDF off: set
 * CONFIG_MBEDTLS_HKDF_C=y (nf-interpreter/nf_ota.cmake does, with its NF_OTA_PRE_ENCRYPTED option
 * on, the default); without it ECIES device keys answer NF_OTA_NOT_SUPPORTED. The rest is on by
 * default, and ESP-IDF 6.0 has HKDF on.
 */
#include "nf_ota_enc_crypto.h"

#include <stdbool.h>
#include <string.h>

#include "nf_ota_status.h"
#include "psa/crypto.h"

static psa_aead_operation_t s_operation;
static mbedtls_svc_key_id_t s_key = MBEDTLS_SVC_KEY_ID_INIT;
static bool s_running;

static int32_t status_of(psa_status_t status)
{
    /* NOT_SUPPORTED: the build left the algorithm out (HKDF is off by default in ESP-IDF 5.x). */
    return status == PSA_SUCCESS ? NF_OTA_OK : status == PSA_ERROR_NOT_SUPPORTED ? NF_OTA_NOT_SUPPORTED : NF_OTA_NO_MEMORY;
}

static psa_status_t import_key(psa_key_type_t type, size_t bits, psa_key_usage_t usage, psa_algorithm_t algorithm,
                               const uint8_t *data, size_t length, mbedtls_svc_key_id_t *key)
{
    psa_key_attributes_t attributes = psa_key_attributes_init();
    psa_set_key_type(&attributes, type);
    psa_set_key_bits(&attributes, bits);
    psa_set_key_usage_flags(&attributes, usage);
    psa_set_key_algorithm(&attributes, algorithm);
    psa_status_t status = psa_import_key(&attributes, data, length, key);
    psa_reset_key_attributes(&attributes);
    return status;
}

void nf_ota_gcm_abort(void)
{
    if (s_running)
    {
        (void)psa_aead_abort(&s_operation);
        (void)psa_destroy_key(s_key);
        s_key = MBEDTLS_SVC_KEY_ID_INIT;
        s_running = false;
    }
}

int32_t nf_ota_gcm_start(const uint8_t key[NF_OTA_GCM_KEY_LENGTH], const uint8_t iv[NF_OTA_GCM_IV_LENGTH])
{
    nf_ota_gcm_abort();
    if (psa_crypto_init() != PSA_SUCCESS)
    {
        return NF_OTA_NO_MEMORY;
    }
    psa_status_t status = import_key(PSA_KEY_TYPE_AES, 256, PSA_KEY_USAGE_DECRYPT, PSA_ALG_GCM, key, NF_OTA_GCM_KEY_LENGTH, &s_key);
    if (status != PSA_SUCCESS)
    {
        return status_of(status);
    }
    s_operation = psa_aead_operation_init();
    s_running = true;
    status = psa_aead_decrypt_setup(&s_operation, s_key, PSA_ALG_GCM);
    if (status == PSA_SUCCESS)
    {
        status = psa_aead_set_nonce(&s_operation, iv, NF_OTA_GCM_IV_LENGTH);
    }
    if (status != PSA_SUCCESS)
    {
        nf_ota_gcm_abort();
    }
    return status_of(status);
}

int32_t nf_ota_gcm_update(const uint8_t *input, size_t length, uint8_t *output, size_t *produced)
{
    *produced = 0;
    if (!s_running)
    {
        return NF_OTA_INVALID_STATE;
    }
    psa_status_t status = psa_aead_update(&s_operation, input, length, output, length, produced);
    if (status != PSA_SUCCESS)
    {
        nf_ota_gcm_abort();
    }
    return status_of(status);
}

int32_t nf_ota_gcm_verify(const uint8_t tag[NF_OTA_GCM_TAG_LENGTH])
{
    if (!s_running)
    {
        return NF_OTA_INVALID_STATE;
    }
    /* GCM holds nothing back in mbedTLS (update gives as many bytes as it takes), so no plaintext is left. */
    uint8_t rest[16];
    size_t rest_length = 0;
    psa_status_t status = psa_aead_verify(&s_operation, rest, sizeof(rest), &rest_length, tag, NF_OTA_GCM_TAG_LENGTH);
    nf_ota_gcm_abort();
    if (status == PSA_ERROR_INVALID_SIGNATURE)
    {
        return NF_OTA_TAG_INVALID;
    }
    if (status == PSA_SUCCESS && rest_length != 0)
    {
        return NF_OTA_INVALID_STATE;
    }
    return status_of(status);
}

int32_t nf_ota_rsa3072_unwrap(const uint8_t *private_key_der, size_t der_length, const uint8_t wrapped[384], uint8_t key[NF_OTA_GCM_KEY_LENGTH])
{
    if (psa_crypto_init() != PSA_SUCCESS)
    {
        return NF_OTA_NO_MEMORY;
    }
    mbedtls_svc_key_id_t rsa = MBEDTLS_SVC_KEY_ID_INIT;
    psa_status_t status = import_key(PSA_KEY_TYPE_RSA_KEY_PAIR, 3072, PSA_KEY_USAGE_DECRYPT, PSA_ALG_RSA_PKCS1V15_CRYPT,
                                     private_key_der, der_length, &rsa);
    if (status != PSA_SUCCESS)
    {
        return status == PSA_ERROR_INSUFFICIENT_MEMORY ? NF_OTA_NO_MEMORY : NF_OTA_KEY_INVALID;
    }
    /* Room for any unwrapped length, so a wrong-sized key is told apart from a padding failure. */
    uint8_t unwrapped[384];
    size_t length = 0;
    status = psa_asymmetric_decrypt(rsa, PSA_ALG_RSA_PKCS1V15_CRYPT, wrapped, 384, NULL, 0, unwrapped, sizeof(unwrapped), &length);
    (void)psa_destroy_key(rsa);
    int32_t result = status == PSA_ERROR_INSUFFICIENT_MEMORY ? NF_OTA_NO_MEMORY
                     : status != PSA_SUCCESS || length != NF_OTA_GCM_KEY_LENGTH ? NF_OTA_DEVICE_KEY_MISMATCH
                                                                            : NF_OTA_OK;
    if (result == NF_OTA_OK)
    {
        memcpy(key, unwrapped, NF_OTA_GCM_KEY_LENGTH);
    }
    memset(unwrapped, 0, sizeof(unwrapped));
    return result;
}

int32_t nf_ota_ecies_p256_key(const uint8_t private_scalar[32], const uint8_t peer_xy[64], const uint8_t salt[32], uint8_t key[NF_OTA_GCM_KEY_LENGTH])
{
    static const uint8_t info[] = "_esp_enc_img_ecc";
    if (psa_crypto_init() != PSA_SUCCESS)
    {
        return NF_OTA_NO_MEMORY;
    }
    mbedtls_svc_key_id_t own = MBEDTLS_SVC_KEY_ID_INIT;
    psa_status_t status = import_key(PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1), 256, PSA_KEY_USAGE_DERIVE, PSA_ALG_ECDH,
                                     private_scalar, 32, &own);
    if (status != PSA_SUCCESS)
    {
        return status == PSA_ERROR_INSUFFICIENT_MEMORY ? NF_OTA_NO_MEMORY : NF_OTA_KEY_INVALID;
    }
    uint8_t peer[65];
    peer[0] = 0x04;
    memcpy(peer + 1, peer_xy, 64);
    uint8_t shared[32];
    size_t shared_length = 0;
    /* PSA checks the peer point is on the curve; one that is not was not made for this scheme. */
    status = psa_raw_key_agreement(PSA_ALG_ECDH, own, peer, sizeof(peer), shared, sizeof(shared), &shared_length);
    (void)psa_destroy_key(own);
    if (status != PSA_SUCCESS || shared_length != sizeof(shared))
    {
        return status == PSA_ERROR_INSUFFICIENT_MEMORY ? NF_OTA_NO_MEMORY : NF_OTA_DEVICE_KEY_MISMATCH;
    }

    psa_key_derivation_operation_t hkdf = psa_key_derivation_operation_init();
    status = psa_key_derivation_setup(&hkdf, PSA_ALG_HKDF(PSA_ALG_SHA_256));
    if (status == PSA_SUCCESS)
    {
        status = psa_key_derivation_input_bytes(&hkdf, PSA_KEY_DERIVATION_INPUT_SALT, salt, 32);
    }
    if (status == PSA_SUCCESS)
    {
        status = psa_key_derivation_input_bytes(&hkdf, PSA_KEY_DERIVATION_INPUT_SECRET, shared, sizeof(shared));
    }
    if (status == PSA_SUCCESS)
    {
        status = psa_key_derivation_input_bytes(&hkdf, PSA_KEY_DERIVATION_INPUT_INFO, info, sizeof(info) - 1);
    }
    if (status == PSA_SUCCESS)
    {
        status = psa_key_derivation_output_bytes(&hkdf, key, NF_OTA_GCM_KEY_LENGTH);
    }
    (void)psa_key_derivation_abort(&hkdf);
    memset(shared, 0, sizeof(shared));
    return status_of(status);
}

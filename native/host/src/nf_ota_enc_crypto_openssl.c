/*
 * nf_ota_enc_crypto.h for the host build, with OpenSSL 3 (Debian's libssl-dev). The device uses
 * nf_ota_enc_crypto_psa.c; Debian's mbedTLS 2.28 lacks PSA's multipart AEAD, so it cannot run
 * that file here. The C tests run against whichever backend the build selects (see
 * NF_OTA_ENC_CRYPTO in native/CMakeLists.txt) and decrypt Espressif's own vectors with both.
 */
#include "nf_ota_enc_crypto.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/bn.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "nf_ota_status.h"

static EVP_CIPHER_CTX *s_gcm;

void nf_ota_gcm_abort(void)
{
    EVP_CIPHER_CTX_free(s_gcm); /* clears the key schedule */
    s_gcm = NULL;
}

int32_t nf_ota_gcm_start(const uint8_t key[NF_OTA_GCM_KEY_LENGTH], const uint8_t iv[NF_OTA_GCM_IV_LENGTH])
{
    nf_ota_gcm_abort();
    s_gcm = EVP_CIPHER_CTX_new();
    if (s_gcm == NULL
        || EVP_DecryptInit_ex(s_gcm, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1
        || EVP_CIPHER_CTX_ctrl(s_gcm, EVP_CTRL_GCM_SET_IVLEN, NF_OTA_GCM_IV_LENGTH, NULL) != 1
        || EVP_DecryptInit_ex(s_gcm, NULL, NULL, key, iv) != 1)
    {
        nf_ota_gcm_abort();
        return NF_OTA_NO_MEMORY;
    }
    return NF_OTA_OK;
}

int32_t nf_ota_gcm_update(const uint8_t *input, size_t length, uint8_t *output, size_t *produced)
{
    *produced = 0;
    if (s_gcm == NULL)
    {
        return NF_OTA_INVALID_STATE;
    }
    int out = 0;
    if (length > 0 && EVP_DecryptUpdate(s_gcm, output, &out, input, (int)length) != 1)
    {
        nf_ota_gcm_abort();
        return NF_OTA_NO_MEMORY;
    }
    *produced = (size_t)out;
    return NF_OTA_OK;
}

int32_t nf_ota_gcm_verify(const uint8_t tag[NF_OTA_GCM_TAG_LENGTH])
{
    if (s_gcm == NULL)
    {
        return NF_OTA_INVALID_STATE;
    }
    uint8_t expected[NF_OTA_GCM_TAG_LENGTH];
    memcpy(expected, tag, sizeof(expected));
    uint8_t rest[16];
    int out = 0;
    int32_t status = EVP_CIPHER_CTX_ctrl(s_gcm, EVP_CTRL_GCM_SET_TAG, NF_OTA_GCM_TAG_LENGTH, expected) != 1 ? NF_OTA_NO_MEMORY
                     : EVP_DecryptFinal_ex(s_gcm, rest, &out) != 1                                            ? NF_OTA_TAG_INVALID
                     : out != 0                                                                            ? NF_OTA_INVALID_STATE
                                                                                                           : NF_OTA_OK;
    nf_ota_gcm_abort();
    return status;
}

int32_t nf_ota_rsa3072_unwrap(const uint8_t *private_key_der, size_t der_length, const uint8_t wrapped[384], uint8_t key[NF_OTA_GCM_KEY_LENGTH])
{
    const unsigned char *cursor = private_key_der;
    EVP_PKEY *rsa = d2i_PrivateKey(EVP_PKEY_RSA, NULL, &cursor, (long)der_length);
    if (rsa == NULL || EVP_PKEY_get_bits(rsa) != 3072)
    {
        EVP_PKEY_free(rsa);
        return NF_OTA_KEY_INVALID;
    }
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new(rsa, NULL);
    uint8_t unwrapped[384];
    size_t length = sizeof(unwrapped);
    int32_t status = NF_OTA_DEVICE_KEY_MISMATCH;
    if (context != NULL && EVP_PKEY_decrypt_init(context) == 1 && EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1
        && EVP_PKEY_decrypt(context, unwrapped, &length, wrapped, 384) == 1 && length == NF_OTA_GCM_KEY_LENGTH)
    {
        memcpy(key, unwrapped, NF_OTA_GCM_KEY_LENGTH);
        status = NF_OTA_OK;
    }
    memset(unwrapped, 0, sizeof(unwrapped));
    EVP_PKEY_CTX_free(context);
    EVP_PKEY_free(rsa);
    return status;
}

/* A P-256 key from a private scalar, or from a public point (0x04||X||Y). */
static EVP_PKEY *p256_key(const uint8_t *scalar, const uint8_t *point)
{
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    BIGNUM *d = scalar != NULL ? BN_bin2bn(scalar, 32, NULL) : NULL;
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *key = NULL;
    OSSL_PARAM *params = NULL;
    bool built = builder != NULL && context != NULL
                 && OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1
                 && (scalar == NULL || (d != NULL && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_PRIV_KEY, d) == 1))
                 && (point == NULL || OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point, 65) == 1)
                 && (params = OSSL_PARAM_BLD_to_param(builder)) != NULL
                 && EVP_PKEY_fromdata_init(context) == 1;
    if (built && EVP_PKEY_fromdata(context, &key, scalar != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1)
    {
        key = NULL;
    }
    OSSL_PARAM_free(params);
    EVP_PKEY_CTX_free(context);
    BN_clear_free(d);
    OSSL_PARAM_BLD_free(builder);
    return key;
}

int32_t nf_ota_ecies_p256_key(const uint8_t private_scalar[32], const uint8_t peer_xy[64], const uint8_t salt[32], uint8_t key[NF_OTA_GCM_KEY_LENGTH])
{
    static const char info[] = "_esp_enc_img_ecc";
    EVP_PKEY *own = p256_key(private_scalar, NULL);
    if (own == NULL)
    {
        return NF_OTA_KEY_INVALID;
    }
    uint8_t point[65];
    point[0] = 0x04;
    memcpy(point + 1, peer_xy, 64);
    EVP_PKEY *peer = p256_key(NULL, point);
    EVP_PKEY_CTX *agreement = EVP_PKEY_CTX_new(own, NULL);
    uint8_t shared[32];
    size_t shared_length = sizeof(shared);
    /* OpenSSL checks the peer point on import and in derive, as PSA does. */
    int32_t status = peer != NULL && agreement != NULL && EVP_PKEY_derive_init(agreement) == 1
                             && EVP_PKEY_derive_set_peer(agreement, peer) == 1
                             && EVP_PKEY_derive(agreement, shared, &shared_length) == 1 && shared_length == 32
                         ? NF_OTA_OK
                         : NF_OTA_DEVICE_KEY_MISMATCH;
    EVP_PKEY_CTX_free(agreement);
    EVP_PKEY_free(peer);
    EVP_PKEY_free(own);
    if (status != NF_OTA_OK)
    {
        return status;
    }

    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *hkdf = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, shared, sizeof(shared)),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, 32),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, sizeof(info) - 1),
        OSSL_PARAM_construct_end(),
    };
    status = hkdf != NULL && EVP_KDF_derive(hkdf, key, NF_OTA_GCM_KEY_LENGTH, params) == 1 ? NF_OTA_OK : NF_OTA_NO_MEMORY;
    EVP_KDF_CTX_free(hkdf);
    EVP_KDF_free(kdf);
    memset(shared, 0, sizeof(shared));
    return status;
}

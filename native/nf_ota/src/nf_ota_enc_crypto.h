/*
 * The primitives a pre-encrypted image (esp_encrypted_img) needs: AES-256-GCM decryption with a
 * 16-byte IV, one chunk at a time; RSA-3072 PKCS#1 v1.5 key unwrap; ECDH P-256 then HKDF-SHA256.
 *
 * On the device nf_ota_enc_crypto_psa.c implements them with PSA Crypto (multipart AEAD): the one
 * API that ESP-IDF 5.x (mbedTLS 3.x) and 6.0 (TF-PSA-Crypto, where mbedtls/gcm.h is private) share.
 * The host build cannot use it (Debian's mbedTLS 2.28 has no multipart AEAD), so there
 * native/host/src/nf_ota_enc_crypto_openssl.c stands in; both pass the same tests.
 *
 * One decryption at a time: the GCM operation is the backend's single static state.
 */
#ifndef NF_OTA_ENC_CRYPTO_H
#define NF_OTA_ENC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define NF_OTA_GCM_KEY_LENGTH 32
#define NF_OTA_GCM_IV_LENGTH 16
#define NF_OTA_GCM_TAG_LENGTH 16

/* Start decrypting with this key and IV (no associated data). NF_OTA_OK or NF_OTA_NO_MEMORY. */
int32_t nf_ota_gcm_start(const uint8_t key[NF_OTA_GCM_KEY_LENGTH], const uint8_t iv[NF_OTA_GCM_IV_LENGTH]);

/* Decrypt length bytes into output (room for length bytes); *produced is what was written to it. */
int32_t nf_ota_gcm_update(const uint8_t *input, size_t length, uint8_t *output, size_t *produced);

/* Check the tag over everything decrypted: NF_OTA_OK or NF_OTA_TAG_INVALID. Ends the operation. */
int32_t nf_ota_gcm_verify(const uint8_t tag[NF_OTA_GCM_TAG_LENGTH]);

/* Drop the operation and its key (harmless when none is running). */
void nf_ota_gcm_abort(void);

/*
 * Unwrap the 32-byte AES key from RSA-3072 PKCS#1 v1.5 ciphertext with the device's private key
 * (PKCS#1 RSAPrivateKey DER). NF_OTA_OK; NF_OTA_KEY_INVALID when the key does not import;
 * NF_OTA_DEVICE_KEY_MISMATCH when the ciphertext does not unwrap to 32 bytes with it.
 */
int32_t nf_ota_rsa3072_unwrap(const uint8_t *private_key_der, size_t der_length, const uint8_t wrapped[384], uint8_t key[NF_OTA_GCM_KEY_LENGTH]);

/*
 * esp_encrypted_img's ECIES key: the X coordinate of ECDH(device scalar, the header's ephemeral
 * public key), then HKDF-SHA256 with the header's salt and info "_esp_enc_img_ecc". NF_OTA_OK;
 * NF_OTA_KEY_INVALID for a bad scalar; NF_OTA_DEVICE_KEY_MISMATCH when the public key is not a
 * P-256 point (the image was not encrypted for an ECIES key).
 */
int32_t nf_ota_ecies_p256_key(const uint8_t private_scalar[32], const uint8_t peer_xy[64], const uint8_t salt[32], uint8_t key[NF_OTA_GCM_KEY_LENGTH]);

#endif /* NF_OTA_ENC_CRYPTO_H */

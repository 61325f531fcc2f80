/*
 * Streaming decryption of a pre-encrypted image (ESP-IDF's esp_encrypted_img format, as
 * esp_enc_img_gen.py writes it): a 512-byte header, then the AES-256-GCM ciphertext of the image.
 *
 * Header (little-endian): 0 magic 0x0788B6CF; 4..388 the RSA-3072-wrapped AES key, or for ECIES
 * the ephemeral public key X||Y (4..68) and the HKDF salt (68..100); 388 IV (16); 404 image size
 * (u32); 408 GCM tag (16); the rest reserved.
 *
 * One image at a time. The plaintext is only ever in RAM (the caller writes it with esp_ota_write,
 * so flash encryption still applies); nothing is trusted until the tag verifies, which the
 * caller checks before esp_ota_end. The format gives confidentiality only: the signed manifest
 * covers the plaintext.
 */
#ifndef NF_OTA_ENC_IMAGE_H
#define NF_OTA_ENC_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NF_OTA_ENC_IMAGE_MAGIC 0x0788B6CFu

/*
 * Parse the header, read the device key, unwrap or derive the AES key and start GCM. Replaces
 * any image opened before. file_sha256 (32 bytes, or NULL: not checked) is the signed SHA-256
 * of the whole file as served: the 512-byte header, then the ciphertext; it is hashed as it
 * streams (the header here, the ciphertext in nf_ota_enc_image_decrypt) and checked at
 * nf_ota_enc_image_finish, before the tag. NF_OTA_OK; NF_OTA_ENCRYPTED_IMAGE_INVALID (bad
 * magic, size 0); NF_OTA_DEVICE_KEY_MISMATCH (made for another key); NF_OTA_NOT_FOUND /
 * NF_OTA_KEY_INVALID (the device key, see nf_ota_device_key.h); NF_OTA_NO_MEMORY.
 */
int32_t nf_ota_enc_image_open(const uint8_t *header, size_t length, const uint8_t *file_sha256);

bool nf_ota_enc_image_is_open(void);

/*
 * An update takes the open image for its writes: false when none is open or one already took it.
 * While taken, nf_ota_enc_image_open refuses (NF_OTA_INVALID_STATE) until the image is closed.
 */
bool nf_ota_enc_image_take(void);

/* The plaintext size the header announces (0 when none is open). */
uint32_t nf_ota_enc_image_size(void);

/*
 * Decrypt the next length bytes of ciphertext into output (room for length bytes). More than the
 * header announced is NF_OTA_IMAGE_TOO_LARGE; the image is then closed.
 */
int32_t nf_ota_enc_image_decrypt(const uint8_t *input, size_t length, uint8_t *output);

/*
 * Every announced byte arrived, the file's SHA-256 is the expected one (when given at open) and
 * the tag verifies: NF_OTA_OK. Otherwise, checked in this order, NF_OTA_ENCRYPTED_IMAGE_INVALID
 * (cut short), NF_OTA_HASH_MISMATCH (the file is not the one signed for) or NF_OTA_TAG_INVALID.
 * Closes the image either way.
 */
int32_t nf_ota_enc_image_finish(void);

/* Forget the image and its key. */
void nf_ota_enc_image_close(void);

#endif /* NF_OTA_ENC_IMAGE_H */

#include "nf_ota_enc_image.h"

#include <string.h>

#include "nf_ota_crypto.h"
#include "nf_ota_device_key.h"
#include "nf_ota_enc_crypto.h"
#include "nf_ota_status.h"

#define KEY_FIELD_OFFSET 4
#define EC_SALT_OFFSET 68
#define IV_OFFSET 388
#define SIZE_OFFSET 404
#define TAG_OFFSET 408

static struct {
    bool open;
    bool taken;
    uint32_t size;
    uint32_t decrypted;
    uint8_t tag[NF_OTA_GCM_TAG_LENGTH];
    /* The file's SHA-256 as served (header, then every ciphertext byte in order) is checked
     * against the signed one at finish: check_file, expected, and the running hash. */
    bool check_file;
    uint8_t expected[NF_OTA_DIGEST_LENGTH];
    nf_ota_sha256_t file_hash;
} s_image;

/* Static, not on the stack: an RSA key's DER is up to 2 KiB, and nanoCLR's thread stack is small. */
static nf_ota_device_key_t s_device_key;

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

void nf_ota_enc_image_close(void)
{
    nf_ota_gcm_abort();
    nf_ota_sha256_free(&s_image.file_hash);
    memset(&s_image, 0, sizeof(s_image));
}

bool nf_ota_enc_image_is_open(void)
{
    return s_image.open;
}

uint32_t nf_ota_enc_image_size(void)
{
    return s_image.open ? s_image.size : 0;
}

bool nf_ota_enc_image_take(void)
{
    if (!s_image.open || s_image.taken)
    {
        return false;
    }
    s_image.taken = true;
    return true;
}

int32_t nf_ota_enc_image_open(const uint8_t *header, size_t length, const uint8_t *file_sha256)
{
    /* An update is decrypting: opening another image would switch its key under it. */
    if (s_image.taken)
    {
        return NF_OTA_INVALID_STATE;
    }
    nf_ota_enc_image_close();
    if (header == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (length < NF_OTA_ENCRYPTED_HEADER_LENGTH)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    uint32_t size = read_u32(header + SIZE_OFFSET);
    if (read_u32(header) != NF_OTA_ENC_IMAGE_MAGIC || size == 0)
    {
        return NF_OTA_ENCRYPTED_IMAGE_INVALID;
    }

    int32_t status = nf_ota_device_key_read(&s_device_key);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    uint8_t key[NF_OTA_GCM_KEY_LENGTH];
    if (s_device_key.scheme == NF_OTA_DEVICE_KEY_RSA3072)
    {
        status = nf_ota_rsa3072_unwrap(s_device_key.key, s_device_key.length, header + KEY_FIELD_OFFSET, key);
    }
    else
    {
        status = nf_ota_ecies_p256_key(s_device_key.key, header + KEY_FIELD_OFFSET, header + EC_SALT_OFFSET, key);
    }
    nf_ota_device_key_clear(&s_device_key);
    if (status == NF_OTA_OK)
    {
        status = nf_ota_gcm_start(key, header + IV_OFFSET);
    }
    memset(key, 0, sizeof(key));
    if (status == NF_OTA_OK && file_sha256 != NULL)
    {
        /* The file as served starts with this header; the ciphertext follows through decrypt. */
        status = nf_ota_sha256_start(&s_image.file_hash);
        if (status == NF_OTA_OK)
        {
            nf_ota_sha256_update(&s_image.file_hash, header, NF_OTA_ENCRYPTED_HEADER_LENGTH);
            s_image.check_file = true;
            memcpy(s_image.expected, file_sha256, NF_OTA_DIGEST_LENGTH);
        }
    }
    if (status != NF_OTA_OK)
    {
        nf_ota_enc_image_close();
        return status;
    }
    s_image.open = true;
    s_image.size = size;
    s_image.decrypted = 0;
    memcpy(s_image.tag, header + TAG_OFFSET, NF_OTA_GCM_TAG_LENGTH);
    return NF_OTA_OK;
}

int32_t nf_ota_enc_image_decrypt(const uint8_t *input, size_t length, uint8_t *output)
{
    if (!s_image.open)
    {
        return NF_OTA_INVALID_STATE;
    }
    if (length > s_image.size - s_image.decrypted)
    {
        nf_ota_enc_image_close();
        return NF_OTA_IMAGE_TOO_LARGE;
    }
    if (s_image.check_file)
    {
        nf_ota_sha256_update(&s_image.file_hash, input, length);
    }
    size_t produced = 0;
    int32_t status = nf_ota_gcm_update(input, length, output, &produced);
    /* The caller writes exactly what went in; a backend that held bytes back would shift the image. */
    if (status == NF_OTA_OK && produced != length)
    {
        status = NF_OTA_INVALID_STATE;
    }
    if (status != NF_OTA_OK)
    {
        nf_ota_enc_image_close();
        return status;
    }
    s_image.decrypted += (uint32_t)length;
    return NF_OTA_OK;
}

int32_t nf_ota_enc_image_finish(void)
{
    if (!s_image.open)
    {
        return NF_OTA_INVALID_STATE;
    }
    int32_t status = s_image.decrypted != s_image.size ? NF_OTA_ENCRYPTED_IMAGE_INVALID : NF_OTA_OK;
    if (status == NF_OTA_OK && s_image.check_file)
    {
        /* The file is not the one the manifest signed: refused before the tag is even looked at. */
        uint8_t digest[NF_OTA_DIGEST_LENGTH];
        status = nf_ota_sha256_peek(&s_image.file_hash, digest);
        if (status == NF_OTA_OK && memcmp(digest, s_image.expected, sizeof(digest)) != 0)
        {
            status = NF_OTA_HASH_MISMATCH;
        }
    }
    if (status == NF_OTA_OK)
    {
        status = nf_ota_gcm_verify(s_image.tag);
    }
    nf_ota_enc_image_close();
    return status;
}

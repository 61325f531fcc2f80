#include "nf_ota_device_key.h"

#include <stdbool.h>
#include <string.h>

#include "esp_flash_encrypt.h"
#include "esp_partition.h"
#include "nf_ota_crypto.h"
#include "nf_ota_flash_encryption.h"
#include "nf_ota_errors.h"
#include "nf_ota_status.h"

#define HEADER_LENGTH 16

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static bool all_erased(const uint8_t *p, size_t length)
{
    for (size_t i = 0; i < length; i++)
    {
        if (p[i] != 0xFF)
        {
            return false;
        }
    }
    return true;
}

void nf_ota_device_key_clear(nf_ota_device_key_t *key)
{
    /* volatile: the compiler may not drop a clear of memory it sees unused afterwards. */
    volatile uint8_t *p = (volatile uint8_t *)key;
    for (size_t i = 0; i < sizeof(*key); i++)
    {
        p[i] = 0;
    }
}

int32_t nf_ota_device_key_read(nf_ota_device_key_t *key)
{
    nf_ota_device_key_clear(key);
    const esp_partition_t *partition = esp_partition_find_first(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NF_OTA_DEVICE_KEY_LABEL);
    if (partition == NULL)
    {
        return NF_OTA_NOT_FOUND;
    }
    /* Unflagged, the bootloader never encrypted it: the key would lie in flash in the clear. */
    if (nf_ota_flash_encryption_enabled() && !partition->encrypted)
    {
        return NF_OTA_KEY_INVALID;
    }

    uint8_t header[HEADER_LENGTH];
    esp_err_t err = esp_partition_read(partition, 0, header, sizeof(header));
    if (err != ESP_OK)
    {
        return nf_ota_fail(err);
    }
    if (memcmp(header, "NFOTADK1", 8) != 0)
    {
        return all_erased(header, sizeof(header)) ? NF_OTA_NOT_FOUND : NF_OTA_KEY_INVALID;
    }
    uint32_t scheme = read_u32(header + 8);
    uint32_t length = read_u32(header + 12);
    bool fits = (scheme == NF_OTA_DEVICE_KEY_RSA3072 && length > 0 && length <= NF_OTA_DEVICE_KEY_MAX_LENGTH)
                || (scheme == NF_OTA_DEVICE_KEY_ECIES_P256 && length == 32);
    if (!fits || HEADER_LENGTH + length + NF_OTA_DIGEST_LENGTH > partition->size)
    {
        return NF_OTA_KEY_INVALID;
    }

    uint8_t stored[NF_OTA_DIGEST_LENGTH];
    err = esp_partition_read(partition, HEADER_LENGTH, key->key, length);
    if (err == ESP_OK)
    {
        err = esp_partition_read(partition, HEADER_LENGTH + length, stored, sizeof(stored));
    }
    if (err != ESP_OK)
    {
        nf_ota_device_key_clear(key);
        return nf_ota_fail(err);
    }

    nf_ota_sha256_t hash;
    uint8_t digest[NF_OTA_DIGEST_LENGTH];
    int32_t status = nf_ota_sha256_start(&hash);
    if (status == NF_OTA_OK)
    {
        nf_ota_sha256_update(&hash, header, sizeof(header));
        nf_ota_sha256_update(&hash, key->key, length);
        status = nf_ota_sha256_peek(&hash, digest);
        nf_ota_sha256_free(&hash);
    }
    if (status == NF_OTA_OK && memcmp(digest, stored, sizeof(digest)) != 0)
    {
        status = NF_OTA_KEY_INVALID;
    }
    if (status != NF_OTA_OK)
    {
        nf_ota_device_key_clear(key);
        return status;
    }
    key->scheme = (int32_t)scheme;
    key->length = length;
    return NF_OTA_OK;
}

/*
 * The device key of pre-encrypted releases, read from the partition labelled "nfota_key".
 *
 * Why a partition: flagged `encrypted`, it is encrypted in place by the bootloader at the first
 * boot like the app, then esp_partition_read decrypts it; it can hold a key per board (flashed
 * with the board's other images, before that first boot) where ESP-IDF's own example embeds one
 * key in every firmware; and it survives firmware updates. NVS would need NVS encryption set up too.
 *
 * Layout (nf-ota's own, `nfota keys device-partition` writes it):
 *   0  "NFOTADK1"
 *   8  u32 scheme: 1 RSA-3072 (key = PKCS#1 RSAPrivateKey DER), 2 ECIES P-256 (key = 32-byte scalar)
 *  12  u32 key length
 *  16  key
 *  16+length  SHA-256 of bytes [0, 16+length): a wrong offset, a blank or garbled partition never imports
 */
#ifndef NF_OTA_DEVICE_KEY_H
#define NF_OTA_DEVICE_KEY_H

#include <stddef.h>
#include <stdint.h>

#define NF_OTA_DEVICE_KEY_LABEL "nfota_key"
#define NF_OTA_DEVICE_KEY_MAX_LENGTH 2048

typedef struct {
    int32_t scheme;
    size_t length;
    uint8_t key[NF_OTA_DEVICE_KEY_MAX_LENGTH];
} nf_ota_device_key_t;

/*
 * Read and check the device key. NF_OTA_OK; NF_OTA_NOT_FOUND (no such partition, or it is blank);
 * NF_OTA_KEY_INVALID (damaged, unknown scheme, or stored unencrypted while flash encryption is on);
 * NF_OTA_FLASH_ERROR.
 */
int32_t nf_ota_device_key_read(nf_ota_device_key_t *key);

/* Overwrite the key material in RAM. */
void nf_ota_device_key_clear(nf_ota_device_key_t *key);

#endif /* NF_OTA_DEVICE_KEY_H */

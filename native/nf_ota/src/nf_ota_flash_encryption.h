/*
 * Whether flash encryption is on, through the call each ESP-IDF release wants: v6.0.1 deprecated
 * esp_flash_encryption_enabled() (bootloader_support, esp_flash_encrypt.h) in favour of
 * esp_efuse_is_flash_encryption_enabled() (efuse, esp_efuse.h), which v5.2 to v6.0 do not have.
 */
#ifndef NF_OTA_FLASH_ENCRYPTION_H
#define NF_OTA_FLASH_ENCRYPTION_H

#include <stdbool.h>

#include "esp_idf_version.h"

#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(6, 0, 1)
#include "esp_efuse.h"
#else
#include "esp_flash_encrypt.h"
#endif

static inline bool nf_ota_flash_encryption_enabled(void)
{
#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(6, 0, 1)
    return esp_efuse_is_flash_encryption_enabled();
#else
    return esp_flash_encryption_enabled();
#endif
}

#endif /* NF_OTA_FLASH_ENCRYPTION_H */

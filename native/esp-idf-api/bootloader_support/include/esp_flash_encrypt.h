/*
 * nf-ota's declaration of the ESP-IDF v5.5 API it uses (bootloader_support's esp_flash_encrypt.h); see ../README.md.
 */
#pragma once

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ESP_FLASH_ENC_MODE_DISABLED,
    ESP_FLASH_ENC_MODE_DEVELOPMENT,
    ESP_FLASH_ENC_MODE_RELEASE,
} esp_flash_enc_mode_t;

/* Deprecated from v6.0.1 (use esp_efuse_is_flash_encryption_enabled, esp_efuse.h). */
#ifdef NF_OTA_API_ESP_IDF_6_0_1
__attribute__((deprecated("Use esp_efuse_is_flash_encryption_enabled() instead")))
#endif
bool esp_flash_encryption_enabled(void);
esp_flash_enc_mode_t esp_get_flash_encryption_mode(void);

#ifdef __cplusplus
}
#endif

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

bool esp_flash_encryption_enabled(void);
esp_flash_enc_mode_t esp_get_flash_encryption_mode(void);

#ifdef __cplusplus
}
#endif

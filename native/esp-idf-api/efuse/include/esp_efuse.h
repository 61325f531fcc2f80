/*
 * nf-ota's declaration of the ESP-IDF v5.5 API it uses (efuse's esp_efuse.h); see ../README.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The anti-rollback counter (secure_version) burnt in eFuse. */
uint32_t esp_efuse_read_secure_version(void);

#ifdef NF_OTA_API_ESP_IDF_6_0_1
/* v6.0.1 and later: whether flash encryption is on (replaces esp_flash_encryption_enabled). */
bool esp_efuse_is_flash_encryption_enabled(void);
#endif

#ifdef __cplusplus
}
#endif

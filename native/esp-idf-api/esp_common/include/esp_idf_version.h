/*
 * nf-ota's declaration of ESP-IDF's esp_common/include/esp_idf_version.h. The off-device
 * builds stand for ESP-IDF v5.5.4, the release nf-interpreter's main pins. With
 * NF_OTA_API_ESP_IDF_6_0_1 defined they stand for v6.0.1 where it differs in what nf_ota calls
 * (esp_flash_encryption_enabled deprecated, esp_efuse_is_flash_encryption_enabled added): the
 * riscv32 compile check builds every source that way too.
 */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

#ifdef NF_OTA_API_ESP_IDF_6_0_1
#define ESP_IDF_VERSION_MAJOR 6
#define ESP_IDF_VERSION_MINOR 0
#define ESP_IDF_VERSION_PATCH 1
#else
#define ESP_IDF_VERSION_MAJOR 5
#define ESP_IDF_VERSION_MINOR 5
#define ESP_IDF_VERSION_PATCH 4
#endif
#define ESP_IDF_VERSION_VAL(major, minor, patch) ((major << 16) | (minor << 8) | (patch))
#define ESP_IDF_VERSION ESP_IDF_VERSION_VAL(ESP_IDF_VERSION_MAJOR, ESP_IDF_VERSION_MINOR, ESP_IDF_VERSION_PATCH)

#ifdef __cplusplus
}
#endif

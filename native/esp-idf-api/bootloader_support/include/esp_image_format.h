/*
 * nf-ota's declaration of ESP-IDF's bootloader_support/include/esp_image_format.h (the error
 * codes nf_ota maps). ESP-IDF's esp_ota_ops.h does not include this header: a file that names
 * ESP_ERR_IMAGE_* must include it itself.
 */
#pragma once

#include <stdbool.h>

#include "esp_err.h"
#include "esp_flash_partitions.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_ERR_IMAGE_BASE 0x2000
#define ESP_ERR_IMAGE_FLASH_FAIL (ESP_ERR_IMAGE_BASE + 1)
#define ESP_ERR_IMAGE_INVALID (ESP_ERR_IMAGE_BASE + 2)

#ifdef __cplusplus
}
#endif

/*
 * nf-ota's declaration of ESP-IDF's spi_flash/include/spi_flash_mmap.h: the spi_flash error
 * codes (nf_ota maps the whole ESP_ERR_FLASH_BASE range; tests name two of them).
 */
#pragma once

#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_ERR_FLASH_OP_FAIL (ESP_ERR_FLASH_BASE + 1)
#define ESP_ERR_FLASH_OP_TIMEOUT (ESP_ERR_FLASH_BASE + 2)

#ifdef __cplusplus
}
#endif

/*
 * nf-ota's declaration of the ESP-IDF v5.5 API it uses (efuse's esp_efuse.h); see ../README.md.
 */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The anti-rollback counter (secure_version) burnt in eFuse. */
uint32_t esp_efuse_read_secure_version(void);

#ifdef __cplusplus
}
#endif

/*
 * nf-ota's declaration of the ESP-IDF v5.5 API it uses (bootloader_support's esp_secure_boot.h);
 * see esp_err.h. ESP-IDF defines esp_secure_boot_enabled() static inline (it reads an eFuse);
 * off the device it is an ordinary function the host serves.
 */
#pragma once

#include <stdbool.h>

#include "esp_efuse.h"
#include "esp_err.h"
#include "esp_image_format.h"
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

bool esp_secure_boot_enabled(void);

#ifdef __cplusplus
}
#endif

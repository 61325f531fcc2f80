/*
 * nf-ota's declaration of the ESP-IDF v5.5 API it uses (esp_system's esp_system.h); see ../README.md.
 */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

void esp_restart(void) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

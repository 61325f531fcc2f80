/*
 * nf-ota's declaration of ESP-IDF's esp_system/include/esp_private/startup_internal.h: the
 * component start-up hook, ESP_SYSTEM_INIT_FN, in its v5.3+ form (v5.2 has no stage argument;
 * nf_ota_boot_guard.c handles both). ESP-IDF makes the record static and finds it through a
 * linker section; off the device it is an ordinary global, so the host can run it at each boot.
 */
#pragma once

#include <stdint.h>

#include "esp_bit_defs.h"
#include "esp_err.h"
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    esp_err_t (*fn)(void);
    uint16_t cores;
    uint16_t stage;
} esp_system_init_fn_t;

#define ESP_SYSTEM_INIT_STAGE_CORE 0
#define ESP_SYSTEM_INIT_STAGE_SECONDARY 1

#define ESP_SYSTEM_INIT_FN(f, stage_, c, priority, ...)                                     \
    static esp_err_t __VA_ARGS__ __esp_system_init_fn_##f(void);                            \
    __attribute__((used)) esp_system_init_fn_t esp_system_init_fn_##f = {                  \
        .fn = (__esp_system_init_fn_##f), .cores = (c), .stage = ESP_SYSTEM_INIT_STAGE_##stage_}; \
    static esp_err_t __esp_system_init_fn_##f(void)

#ifdef __cplusplus
}
#endif

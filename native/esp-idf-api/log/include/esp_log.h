/*
 * nf-ota's declaration of ESP-IDF's log/include/esp_log.h (the level macros nf_ota uses).
 * Off the device the log goes nowhere: the host and tests observe behaviour, not text. The
 * arguments are still type-checked against the format.
 */
#pragma once

#include <stdint.h>

#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

static inline void nf_ota_host_log_sink(const char *tag, const char *format, ...) __attribute__((format(printf, 2, 3)));
static inline void nf_ota_host_log_sink(const char *tag, const char *format, ...)
{
    (void)tag;
    (void)format;
}

#define ESP_LOGE(tag, format, ...) nf_ota_host_log_sink(tag, format, ##__VA_ARGS__)
#define ESP_LOGW(tag, format, ...) nf_ota_host_log_sink(tag, format, ##__VA_ARGS__)
#define ESP_LOGI(tag, format, ...) nf_ota_host_log_sink(tag, format, ##__VA_ARGS__)

#ifdef __cplusplus
}
#endif

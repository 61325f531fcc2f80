/*
 * esp_err_t to nf_ota status, and the last ESP-IDF error (for messages on the managed side).
 */
#ifndef NF_OTA_ERRORS_H
#define NF_OTA_ERRORS_H

#include <stdint.h>

#include "esp_err.h"

/* The stable status for an esp_err_t (ESP_OK gives NF_OTA_OK). */
int32_t nf_ota_status_from_esp_err(esp_err_t err);

/* Remember err as the last ESP-IDF failure and return its status. */
int32_t nf_ota_fail(esp_err_t err);

esp_err_t nf_ota_last_esp_error(void);

void nf_ota_errors_reset(void);

#endif /* NF_OTA_ERRORS_H */

#include "nf_ota_errors.h"

#include "esp_image_format.h"
#include "esp_ota_ops.h"
#include "nf_ota_status.h"

static esp_err_t s_last_esp_error = ESP_OK;

int32_t nf_ota_status_from_esp_err(esp_err_t err)
{
    switch (err)
    {
        case ESP_OK:
            return NF_OTA_OK;
        case ESP_ERR_NO_MEM:
            return NF_OTA_NO_MEMORY;
        case ESP_ERR_INVALID_ARG:
            return NF_OTA_INVALID_ARGUMENT;
        case ESP_ERR_INVALID_STATE:
            return NF_OTA_INVALID_STATE;
        case ESP_ERR_INVALID_SIZE:
            return NF_OTA_IMAGE_TOO_LARGE;
        case ESP_ERR_NOT_FOUND:
            return NF_OTA_NOT_FOUND;
        case ESP_ERR_NOT_SUPPORTED:
            return NF_OTA_NOT_SUPPORTED;
        case ESP_ERR_OTA_PARTITION_CONFLICT:
            return NF_OTA_PARTITION_CONFLICT;
        case ESP_ERR_OTA_SELECT_INFO_INVALID:
            return NF_OTA_OTA_DATA_INVALID;
        case ESP_ERR_OTA_VALIDATE_FAILED:
        case ESP_ERR_IMAGE_INVALID:
            return NF_OTA_IMAGE_INVALID;
        case ESP_ERR_OTA_SMALL_SEC_VER:
            return NF_OTA_SECURE_VERSION_TOO_LOW;
        case ESP_ERR_OTA_ROLLBACK_FAILED:
            return NF_OTA_ROLLBACK_FAILED;
        case ESP_ERR_OTA_ROLLBACK_INVALID_STATE:
            return NF_OTA_ROLLBACK_INVALID_STATE;
        case ESP_ERR_IMAGE_FLASH_FAIL:
            return NF_OTA_FLASH_ERROR;
        default:
            /* Every spi_flash / esp_flash error lives in 0x6000..0x60FF. */
            if (err >= ESP_ERR_FLASH_BASE && err < ESP_ERR_FLASH_BASE + 0x100)
            {
                return NF_OTA_FLASH_ERROR;
            }
            return NF_OTA_ESP_FAILURE;
    }
}

int32_t nf_ota_fail(esp_err_t err)
{
    if (err != ESP_OK)
    {
        s_last_esp_error = err;
    }
    return nf_ota_status_from_esp_err(err);
}

esp_err_t nf_ota_last_esp_error(void)
{
    return s_last_esp_error;
}

void nf_ota_errors_reset(void)
{
    s_last_esp_error = ESP_OK;
}

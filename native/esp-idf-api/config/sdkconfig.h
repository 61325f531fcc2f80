/*
 * The configuration the off-device builds assume, in place of the sdkconfig.h an ESP-IDF build
 * generates from Kconfig: the options nf_ota reads, set as native/nf-interpreter's defaults set them.
 */
#pragma once

#define CONFIG_IDF_TARGET "esp32c3"
#define CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE 1
#define CONFIG_NF_OTA_BOOT_GUARD 1
#define CONFIG_NF_OTA_CONFIRM_TIMEOUT_S 300

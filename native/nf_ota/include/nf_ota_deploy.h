/*
 * nanoCLR's side of paired deploy partitions, called from nf-interpreter's ESP32 block storage
 * (native/nf-interpreter/apply.sh puts the calls there). nanoCLR maps the managed app from the
 * deploy partition paired with the OTA slot it runs from, so the bootloader's choice of firmware,
 * and its rollback, choose the app too; and Visual Studio's deployments over USB land there,
 * 16-byte aligned as the flash encryption engine needs.
 */
#ifndef NF_OTA_DEPLOY_H
#define NF_OTA_DEPLOY_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_partition.h"

#ifdef __cplusplus
extern "C" {
#endif

/* nanoFramework's BlockRegionAttribute_ProgramWidthIs128bits (nanoPAL_BlockStorage.h): the
 * debugger then sends deployment chunks whose addresses are multiples of 16. */
#define NF_OTA_BLOCK_REGION_PROGRAM_WIDTH_128 0x0400

/* The deploy partition nanoCLR maps: "deploy_N" (data, 0x84) when it runs from ota_N, else the
 * first data/0x84 partition (nanoFramework's own tables have one, "deploy"); NULL if none. */
const esp_partition_t *nf_ota_deploy_partition(void);

/* Attributes to add to the deployment block region: the 128-bit program width on an encrypted
 * partition (its writes must be whole 16-byte blocks), none otherwise. */
uint32_t nf_ota_deploy_region_attributes(const esp_partition_t *deploy);

/* Esp32FlashDriver_Write's write into the deploy partition: ESP-IDF's partition write, encrypting on an
 * encrypted partition; there a last chunk that is not a multiple of 16 bytes is padded with 0xFF
 * (the rest of the partition was erased for the deployment). An offset that is not a multiple of
 * 16 is ESP_ERR_INVALID_ARG, as ESP-IDF's encrypted write says, and nothing is written. */
esp_err_t nf_ota_deploy_write(const esp_partition_t *deploy, size_t offset, const void *data, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* NF_OTA_DEPLOY_H */

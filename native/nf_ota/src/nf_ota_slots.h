/*
 * Finding partitions by label, and writing their descriptions into managed buffers.
 */
#ifndef NF_OTA_SLOTS_H
#define NF_OTA_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_partition.h"

/*
 * The partition with this label, any type. An empty label gives `fallback` (which may be
 * NULL). NF_OTA_OK, NF_OTA_INVALID_ARGUMENT (label longer than 16 bytes) or NF_OTA_NOT_FOUND.
 */
int32_t nf_ota_find_slot(const char *label, const esp_partition_t *fallback, const esp_partition_t **found);

/* An app partition in the OTA range (ota_0 .. ota_15). */
bool nf_ota_is_ota_app(const esp_partition_t *partition);

/* The deploy partition ("deploy_N", data subtype 0x84) paired with OTA slot ota_N, or NULL (nf_ota_app.c). */
const esp_partition_t *nf_ota_paired_deploy(const esp_partition_t *slot);

/* Fill a NF_OTA_SLOT_RECORD_LENGTH-byte record: address, size, type, subtype, encrypted, readonly, label. */
void nf_ota_write_slot_record(const esp_partition_t *partition, uint8_t *record);

#endif /* NF_OTA_SLOTS_H */

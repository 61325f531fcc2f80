/*
 * Slots whose last write session did not end cleanly, and what keeps them from being set to boot.
 *
 * ESP-IDF's esp_ota_set_boot_partition only checks that a slot holds a valid app. A pre-encrypted
 * image refused for its GCM tag, an image esp_ota_end refused, or an image the engine aborted
 * after its digest did not match may still be one; nf_ota must never boot it.
 *
 * Two guards:
 * - in RAM, per slot: a slot is unfinished from Begin/Resume until an End that succeeded;
 *   SetBootSlot refuses it meanwhile (lost at a restart);
 * - in flash, across restarts: a session that ended badly has the slot's first sector erased,
 *   so no image header is left for ESP-IDF's validation to accept. The erase goes through
 *   ESP-IDF's partition API (nf_ota_unfinished.c is the one file besides nf_ota_app.c that
 *   scripts/check-no-raw-flash-writes.cmake lets erase; nothing here writes).
 */
#ifndef NF_OTA_UNFINISHED_H
#define NF_OTA_UNFINISHED_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_partition.h"

/* The slot now has a write session open: not bootable until nf_ota_unfinished_clear. */
void nf_ota_unfinished_mark(const esp_partition_t *slot);

/* The slot's session ended cleanly (esp_ota_end succeeded). */
void nf_ota_unfinished_clear(const esp_partition_t *slot);

/* True while the slot's last session (since start-up) has not ended cleanly. */
bool nf_ota_unfinished_is(const esp_partition_t *slot);

/*
 * Erase the slot's first sector so that ESP-IDF finds no image there, now or after a restart.
 * The slot stays marked. NF_OTA_OK or the status of the erase's esp_err_t.
 */
int32_t nf_ota_unfinished_scrub(const esp_partition_t *slot);

/* Forget every mark (RAM is lost at a restart; used by the host build and the tests). */
void nf_ota_unfinished_reset(void);

#endif /* NF_OTA_UNFINISHED_H */

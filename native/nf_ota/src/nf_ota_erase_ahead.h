/*
 * Erasing an OTA slot ahead of the writes, in 64 KiB blocks (issue 23).
 *
 * ESP-IDF's own erase-as-you-go (esp_ota_begin with OTA_WITH_SEQUENTIAL_WRITES) makes esp_ota_write
 * erase every 4 KiB sector it enters (v5.2.7, v5.5.4, v6.0.1 alike): ~45 ms per sector against
 * ~150 ms per 64 KiB block, so 2.8x the flash time of one bulk erase. nf_ota instead begins with
 * the smallest known size (esp_ota_begin then erases the first sector and leaves need_erase off,
 * so esp_ota_write erases nothing), and before each write erases what that write enters: the
 * whole 64 KiB block when the block is aligned on the flash (ESP-IDF's region erase in
 * esp_flash_api.c then issues one block erase), lies inside the slot and the image needs at least
 * NF_OTA_BLOCK_WORTH_SECTORS of its sectors; otherwise only the sectors the write enters.
 *
 * The erase is done in steps of one erase call each (a block, or at most NF_OTA_STEP_SECTORS
 * sectors), so managed code can erase ahead in native calls of their own (NativeOta.EraseAhead):
 * no call then keeps the flash busy longer than one block erase, which would starve Wi-Fi.
 */
#ifndef NF_OTA_ERASE_AHEAD_H
#define NF_OTA_ERASE_AHEAD_H

#include <stdint.h>

#include "esp_partition.h"

#define NF_OTA_FLASH_SECTOR 0x1000u
#define NF_OTA_FLASH_BLOCK 0x10000u
/* A block erase (~150 ms typical) is cheaper than this many sector erases (~45 ms each). */
#define NF_OTA_BLOCK_WORTH_SECTORS 4u
/* Sector erases one step may make: three (~135 ms typical) stay within one block erase (~150 ms). */
#define NF_OTA_STEP_SECTORS 3u

typedef struct {
    /* Slot bytes [0, erased) are erased for this session (or hold what it wrote). */
    uint32_t erased;
    /* Slot bytes [erased, pre_erased) were erased by esp_ota_begin: no need to erase them again
     * sector by sector (a block erase still takes them). */
    uint32_t pre_erased;
    /* The session writes below this slot offset (its image size, or the slot, rounded up to a sector). */
    uint32_t extent;
} nf_ota_erase_ahead_t;

/* State for a session whose slot bytes [0, from) need no erase and [from, pre_erased) are erased;
 * it writes below `limit`. */
void nf_ota_erase_ahead_start(nf_ota_erase_ahead_t *state, const esp_partition_t *slot, uint32_t from, uint32_t pre_erased, uint32_t limit);

/* Erase what a write ending at slot offset `end` needs that is not erased yet (see the file
 * comment), in as many steps as it takes. Returns NF_OTA_OK or the failed erase's status. */
int32_t nf_ota_erase_ahead(nf_ota_erase_ahead_t *state, const esp_partition_t *slot, uint32_t end);

/* One step toward `end`: at most one erase call (nothing when [0, end) is already erased).
 * Returns NF_OTA_OK or the failed erase's status; state->erased says how far it got. */
int32_t nf_ota_erase_ahead_step(nf_ota_erase_ahead_t *state, const esp_partition_t *slot, uint32_t end);

#endif /* NF_OTA_ERASE_AHEAD_H */

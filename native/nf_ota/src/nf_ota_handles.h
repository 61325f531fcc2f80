/*
 * The bounded table of open updates. Handles given to managed code are (generation << 4) |
 * (slot + 1): never 0 or negative, and a stale handle (ended, aborted, or from before a
 * restart) never matches a reused slot.
 */
#ifndef NF_OTA_HANDLES_H
#define NF_OTA_HANDLES_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_ota_ops.h"
#include "nf_ota_crypto.h"
#include "nf_ota_erase_ahead.h"

typedef struct {
    bool in_use;
    int32_t id;
    esp_ota_handle_t esp_handle;
    const esp_partition_t *partition;
    /* Bytes the image may take: the announced size (only that much was erased) or the slot size. */
    uint32_t limit;
    /* Begin or Resume was given the image size (limit is then where the image ends). */
    bool size_known;
    /* Erase as you go: nf_ota erases ahead of the writes (nf_ota_erase_ahead.h); ESP-IDF's
     * handle has need_erase off, so it erases nothing itself. */
    bool sequential_erase;
    nf_ota_erase_ahead_t erase;
    /* Write takes the ciphertext of the open pre-encrypted image (nf_ota_enc_image.h). */
    bool decrypting;
    /* A write failed: ESP-IDF's state is unknown, only End or Abort may follow. */
    bool failed;
    /* Where esp_ota_write appends next: ESP-IDF's wrote_size plus its buffered tail. */
    uint32_t position;
    /* Bytes [0, contiguous) have gone into the digest, in order. */
    uint32_t contiguous;
    bool digest_valid;
    nf_ota_sha256_t digest;
} nf_ota_update_t;

/* A free entry with a fresh id, or NULL when all NF_OTA_MAX_HANDLES are in use. */
nf_ota_update_t *nf_ota_handles_allocate(void);

/* The open entry with this id, or NULL. */
nf_ota_update_t *nf_ota_handles_find(int32_t id);

void nf_ota_handles_release(nf_ota_update_t *update);

/* Forget every entry (RAM is lost at a restart; used by the host build). */
void nf_ota_handles_reset(void);

int32_t nf_ota_handles_open_count(void);

/* True when an open entry writes this slot. */
bool nf_ota_handles_writing(const esp_partition_t *slot);

#endif /* NF_OTA_HANDLES_H */

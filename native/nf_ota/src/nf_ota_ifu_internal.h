/*
 * What the in-field-update files share: where an image's parts live in a pair of partitions, the
 * session registry, and the flash helpers. See nf_ota_ifu.h for the model.
 *
 * A partition (ota_N slot or deploy_N) gives its last two sectors to the image's sidecar:
 *
 *   size - 8192  TLV sector:    the protected and unprotected TLV areas, as the image has them
 *   size - 4096  header sector: [0, 64)   nf-ota's record (deploy: the app record the engine
 *                                          reads; firmware: which app build the sidecar belongs to)
 *                               [256, ..) the MCUboot header, hdr_size bytes with its padding
 *
 * so the payload may use [0, size - 8192). Regions are written in whole 16-byte blocks (encrypted
 * flash takes nothing smaller), each padded with 0xFF at its end; a block is written once.
 */
#ifndef NF_OTA_IFU_INTERNAL_H
#define NF_OTA_IFU_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_partition.h"
#include "nf_ota_ifu.h"
#include "nf_ota_ifu_image.h"

#define NF_OTA_IFU_SECTOR 4096u
#define NF_OTA_IFU_TAIL_SECTORS 2u
#define NF_OTA_IFU_RECORD_LENGTH 64u
#define NF_OTA_IFU_HEADER_AT 256u
#define NF_OTA_IFU_MAX_HEADER (NF_OTA_IFU_SECTOR - NF_OTA_IFU_HEADER_AT)
/* TLVs are read into RAM whole at Complete: imgtool's EC256 TLVs are under 200 bytes. */
#define NF_OTA_IFU_MAX_TLVS 1024u
#define NF_OTA_IFU_BLOCK 16u

/* One side of the A/B pair: the OTA slot and its deploy partition. */
typedef struct {
    const esp_partition_t *slot;
    const esp_partition_t *deploy;
} nf_ota_ifu_pair_t;

/* The running pair (primary) or the other one (secondary). NF_OTA_IFU_SUCCESS or NF_OTA_IFU_NO_SLOT. */
int32_t nf_ota_ifu_pair(int32_t slot, nf_ota_ifu_pair_t *pair);

/* The partition that holds `image` of a pair. */
const esp_partition_t *nf_ota_ifu_partition(const nf_ota_ifu_pair_t *pair, int32_t image);

/* Offsets of the sidecar's parts in a partition, and the payload's room. */
uint32_t nf_ota_ifu_tlv_at(const esp_partition_t *partition);
uint32_t nf_ota_ifu_header_sector_at(const esp_partition_t *partition);
uint32_t nf_ota_ifu_payload_room(const esp_partition_t *partition);

/* Reads (through decryption) and the raw "is anything written here" scan. */
int32_t nf_ota_ifu_read(const esp_partition_t *partition, uint32_t offset, void *data, uint32_t length);

/* The end (relative to `offset`, a multiple of 16) of the last 16-byte block in [offset, offset + length)
 * that holds a programmed bit; 0 when all of it is erased. Raw reads: ciphertext is never all 0xFF. */
int32_t nf_ota_ifu_written_end(const esp_partition_t *partition, uint32_t offset, uint32_t length, uint32_t *end);

/*
 * Writes and erases of a pair's partitions outside an esp_ota session: the deploy partition through
 * nf_ota's app path, an OTA slot only in its sidecar sectors (nf_ota_ifu_flash.c). 16-byte blocks.
 */
int32_t nf_ota_ifu_write(const nf_ota_ifu_pair_t *pair, const esp_partition_t *partition, uint32_t offset, const void *data, uint32_t length);
int32_t nf_ota_ifu_erase(const nf_ota_ifu_pair_t *pair, const esp_partition_t *partition, uint32_t offset, uint32_t length);

/* The image in a pair's partition as its sidecar describes it. false when it has no sidecar of its
 * own (never written by a session, or the payload changed since: another update wrote it). */
bool nf_ota_ifu_sidecar_header(const nf_ota_ifu_pair_t *pair, int32_t image, nf_ota_ifu_header_t *header);

/* Read the TLV areas of an image whose header is known into buffer (NF_OTA_IFU_MAX_TLVS bytes) and parse them. */
int32_t nf_ota_ifu_read_tlvs(const esp_partition_t *partition, const nf_ota_ifu_header_t *header, uint32_t total,
    uint8_t *buffer, nf_ota_ifu_tlvs_t *tlvs);

/* An image's TLV bytes (protected + unprotected) given its total length; 0 when the total is too short. */
uint32_t nf_ota_ifu_tlv_length(const nf_ota_ifu_header_t *header, uint32_t total);

/* The firmware slot's record (magic and its app build), for the sidecar's header sector. */
int32_t nf_ota_ifu_slot_record(uint8_t record[NF_OTA_IFU_RECORD_LENGTH], const esp_partition_t *slot);

/* Whether this image was completed (and its pair set to boot) since the CLR started. */
bool nf_ota_ifu_is_staged(int32_t image);
void nf_ota_ifu_set_staged(int32_t image, bool staged);

/* Whether a session is open for this image. */
bool nf_ota_ifu_session_open(int32_t image);

/* Whether otadata selects the secondary pair for the next boot. */
bool nf_ota_ifu_is_set_to_boot(const nf_ota_ifu_pair_t *secondary);

/* The secondary pair will not boot (its firmware header is erased when otadata selects it): for a
 * half of the pair left incomplete. Forgets what was staged. */
int32_t nf_ota_ifu_cancel_staging(const nf_ota_ifu_pair_t *secondary);

/* Complete's checks: structure, SHA-256, signature, dependencies. NF_OTA_IFU_SUCCESS or the result,
 * with *detail saying why. On success *payload_sha256 is the payload's own SHA-256. */
int32_t nf_ota_ifu_verify(const nf_ota_ifu_pair_t *pair, int32_t image, uint32_t total, int32_t *detail, uint8_t payload_sha256[32]);

/* After a verified image: give the other half of the pair what runs now (unless it was staged),
 * write the records, set the pair to boot. NF_OTA_IFU_SUCCESS or FLASH_ERROR with *detail. */
int32_t nf_ota_ifu_stage(const nf_ota_ifu_pair_t *pair, int32_t image, const nf_ota_ifu_header_t *header,
    const uint8_t payload_sha256[32], int32_t *detail);

/* The version the given image will run with once the secondary pair boots (staged) or now. */
bool nf_ota_ifu_effective_version(int32_t image, nf_ota_ifu_version_t *version);

#endif /* NF_OTA_IFU_INTERNAL_H */

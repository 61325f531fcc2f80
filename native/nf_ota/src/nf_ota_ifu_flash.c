/*
 * Where an in-field-update image lives in a pair of partitions, and the flash calls that put it
 * there (layout in nf_ota_ifu_internal.h).
 *
 * The payload of a firmware image reaches its slot only through esp_ota_write (nf_ota.c); the
 * deploy partition only through nf_ota_app.c. The one thing this file writes itself is an OTA
 * slot's sidecar: its last two sectors, which no app image reaches (the payload may not), with
 * esp_partition_write and esp_partition_erase_range, ESP-IDF's encrypted path for a partition
 * flagged encrypted (app partitions are, under flash encryption). nothing here writes raw.
 */
#include <string.h>

#include "esp_app_desc.h"
#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "nf_ota_errors.h"
#include "nf_ota_ifu_internal.h"
#include "nf_ota_interop.h"
#include "nf_ota_slots.h"
#include "nf_ota_status.h"
#include "nf_ota_unfinished.h"

#define SCAN_STEP 256u

static const char APP_RECORD_MAGIC[8] = {'N', 'F', 'O', 'T', 'A', 'A', 'P', '1'};
static const char SLOT_RECORD_MAGIC[8] = {'N', 'F', 'O', 'T', 'A', 'I', 'F', '1'};

int32_t nf_ota_ifu_pair(int32_t slot, nf_ota_ifu_pair_t *pair)
{
    memset(pair, 0, sizeof(*pair));
    const esp_partition_t *running = esp_ota_get_running_partition();
    pair->slot = slot == NF_OTA_IFU_SLOT_PRIMARY ? running : esp_ota_get_next_update_partition(NULL);
    if (pair->slot == NULL || !nf_ota_is_ota_app(pair->slot) || (slot == NF_OTA_IFU_SLOT_SECONDARY && running != NULL && running->address == pair->slot->address))
    {
        return NF_OTA_IFU_NO_SLOT;
    }
    pair->deploy = nf_ota_paired_deploy(pair->slot);
    if (pair->deploy == NULL || pair->slot->size < 4 * NF_OTA_IFU_SECTOR || pair->deploy->size < 4 * NF_OTA_IFU_SECTOR)
    {
        return NF_OTA_IFU_NO_SLOT;
    }
    return NF_OTA_IFU_SUCCESS;
}

const esp_partition_t *nf_ota_ifu_partition(const nf_ota_ifu_pair_t *pair, int32_t image)
{
    return image == NF_OTA_IFU_IMAGE_NANOCLR ? pair->slot : pair->deploy;
}

uint32_t nf_ota_ifu_tlv_at(const esp_partition_t *partition)
{
    return partition->size - NF_OTA_IFU_TAIL_SECTORS * NF_OTA_IFU_SECTOR;
}

uint32_t nf_ota_ifu_header_sector_at(const esp_partition_t *partition)
{
    return partition->size - NF_OTA_IFU_SECTOR;
}

uint32_t nf_ota_ifu_payload_room(const esp_partition_t *partition)
{
    return nf_ota_ifu_tlv_at(partition);
}

int32_t nf_ota_ifu_read(const esp_partition_t *partition, uint32_t offset, void *data, uint32_t length)
{
    return nf_ota_fail(esp_partition_read(partition, offset, data, length));
}

int32_t nf_ota_ifu_written_end(const esp_partition_t *partition, uint32_t offset, uint32_t length, uint32_t *end)
{
    uint8_t step[SCAN_STEP];
    *end = 0;
    if (length == 0)
    {
        return NF_OTA_OK;
    }
    /* Backwards from the end, in steps aligned on the range's start (so on 16 bytes). */
    uint32_t at = length - length % SCAN_STEP;
    if (at == length)
    {
        at -= SCAN_STEP;
    }
    for (;;)
    {
        uint32_t n = length - at < SCAN_STEP ? length - at : SCAN_STEP;
        int32_t status = nf_ota_fail(esp_partition_read_raw(partition, offset + at, step, n));
        if (status != NF_OTA_OK)
        {
            return status;
        }
        for (uint32_t i = n; i > 0; i--)
        {
            if (step[i - 1] != 0xFF)
            {
                uint32_t last = at + i - 1;
                *end = (last / NF_OTA_IFU_BLOCK + 1) * NF_OTA_IFU_BLOCK;
                return NF_OTA_OK;
            }
        }
        if (at == 0)
        {
            return NF_OTA_OK;
        }
        at -= SCAN_STEP;
    }
}

/* The OTA slot's own sidecar sectors, and nothing else of it, may be written here. */
static bool in_slot_sidecar(const esp_partition_t *slot, uint32_t offset, uint32_t length)
{
    return offset >= nf_ota_ifu_tlv_at(slot) && offset <= slot->size && length <= slot->size - offset;
}

int32_t nf_ota_ifu_write(const nf_ota_ifu_pair_t *pair, const esp_partition_t *partition, uint32_t offset, const void *data, uint32_t length)
{
    if (length == 0)
    {
        return NF_OTA_OK;
    }
    if (partition == pair->deploy)
    {
        return nf_ota_NativeOta_WriteApp(pair->slot->label, (int32_t)offset, (uint8_t *)data, length, 0, (int32_t)length);
    }
    if (partition != pair->slot || !in_slot_sidecar(partition, offset, length) || (offset | length) % NF_OTA_IFU_BLOCK != 0)
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    return nf_ota_fail(esp_partition_write(partition, offset, data, length));
}

int32_t nf_ota_ifu_erase(const nf_ota_ifu_pair_t *pair, const esp_partition_t *partition, uint32_t offset, uint32_t length)
{
    if (length == 0)
    {
        return NF_OTA_OK;
    }
    if (partition == pair->deploy)
    {
        return nf_ota_NativeOta_EraseApp(pair->slot->label, (int32_t)offset, (int32_t)length, 0);
    }
    if (partition != pair->slot || !in_slot_sidecar(partition, offset, length) || (offset | length) % NF_OTA_IFU_SECTOR != 0)
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    for (uint32_t at = offset; at < offset + length; at += NF_OTA_IFU_SECTOR)
    {
        uint32_t written = 0;
        int32_t status = nf_ota_ifu_written_end(partition, at, NF_OTA_IFU_SECTOR, &written);
        if (status == NF_OTA_OK && written > 0)
        {
            status = nf_ota_fail(esp_partition_erase_range(partition, at, NF_OTA_IFU_SECTOR));
        }
        if (status != NF_OTA_OK)
        {
            return status;
        }
    }
    return NF_OTA_OK;
}

uint32_t nf_ota_ifu_tlv_length(const nf_ota_ifu_header_t *header, uint32_t total)
{
    uint32_t body = (uint32_t)header->header_size + header->image_size;
    return total > body ? total - body : 0;
}

/* The record in the header sector says the sidecar belongs to the payload that is there now. */
static bool record_matches(const nf_ota_ifu_pair_t *pair, int32_t image, const nf_ota_ifu_header_t *header)
{
    const esp_partition_t *partition = nf_ota_ifu_partition(pair, image);
    uint8_t record[NF_OTA_IFU_RECORD_LENGTH];
    if (nf_ota_ifu_read(partition, nf_ota_ifu_header_sector_at(partition), record, sizeof(record)) != NF_OTA_OK)
    {
        return false;
    }
    if (image == NF_OTA_IFU_IMAGE_DEPLOYMENT)
    {
        /* nf-ota's app record (length at 8): any other app write erases the whole sector. */
        uint32_t length = (uint32_t)record[8] | ((uint32_t)record[9] << 8) | ((uint32_t)record[10] << 16) | ((uint32_t)record[11] << 24);
        return memcmp(record, APP_RECORD_MAGIC, sizeof(APP_RECORD_MAGIC)) == 0 && length == header->image_size;
    }
    /* A firmware update outside a session may rewrite the slot and leave its tail: the record
     * names the app build (esp_app_desc_t.app_elf_sha256) the sidecar was written for. */
    esp_app_desc_t description;
    if (memcmp(record, SLOT_RECORD_MAGIC, sizeof(SLOT_RECORD_MAGIC)) != 0 || esp_ota_get_partition_description(pair->slot, &description) != ESP_OK)
    {
        return false;
    }
    return memcmp(record + 8, description.app_elf_sha256, 32) == 0;
}

bool nf_ota_ifu_sidecar_header(const nf_ota_ifu_pair_t *pair, int32_t image, nf_ota_ifu_header_t *header)
{
    const esp_partition_t *partition = nf_ota_ifu_partition(pair, image);
    uint8_t bytes[NF_OTA_IFU_HEADER_LENGTH];
    uint32_t written = 0;
    uint32_t at = nf_ota_ifu_header_sector_at(partition) + NF_OTA_IFU_HEADER_AT;
    if (nf_ota_ifu_written_end(partition, at, NF_OTA_IFU_HEADER_LENGTH, &written) != NF_OTA_OK || written == 0
        || nf_ota_ifu_read(partition, at, bytes, sizeof(bytes)) != NF_OTA_OK || nf_ota_ifu_parse_header(bytes, header) != NF_OTA_IFU_SUCCESS)
    {
        return false;
    }
    return header->header_size <= NF_OTA_IFU_MAX_HEADER && header->image_size <= nf_ota_ifu_payload_room(partition)
           && record_matches(pair, image, header);
}

int32_t nf_ota_ifu_slot_record(uint8_t record[NF_OTA_IFU_RECORD_LENGTH], const esp_partition_t *slot)
{
    esp_app_desc_t description;
    memset(record, 0xFF, NF_OTA_IFU_RECORD_LENGTH);
    if (esp_ota_get_partition_description(slot, &description) != ESP_OK)
    {
        return NF_OTA_IFU_BAD_TLV;
    }
    memcpy(record, SLOT_RECORD_MAGIC, sizeof(SLOT_RECORD_MAGIC));
    memcpy(record + 8, description.app_elf_sha256, 32);
    return NF_OTA_IFU_SUCCESS;
}

int32_t nf_ota_ifu_read_tlvs(const esp_partition_t *partition, const nf_ota_ifu_header_t *header, uint32_t total,
    uint8_t *buffer, nf_ota_ifu_tlvs_t *tlvs)
{
    uint32_t length = nf_ota_ifu_tlv_length(header, total);
    uint32_t protected_length = header->protected_tlv_size;
    if (length < protected_length + 4 || length > NF_OTA_IFU_MAX_TLVS)
    {
        return NF_OTA_IFU_BAD_TLV;
    }
    if (nf_ota_ifu_read(partition, nf_ota_ifu_tlv_at(partition), buffer, length) != NF_OTA_OK)
    {
        return NF_OTA_IFU_FLASH_ERROR;
    }
    /* The unprotected area is as long as its info says; the total must hold it. */
    uint32_t area = nf_ota_ifu_tlv_area_length(buffer + protected_length);
    if (area < 4 || area > length - protected_length)
    {
        return NF_OTA_IFU_BAD_TLV;
    }
    return nf_ota_ifu_parse_tlvs(buffer, protected_length, buffer + protected_length, area, tlvs);
}

bool nf_ota_ifu_is_set_to_boot(const nf_ota_ifu_pair_t *secondary)
{
    const esp_partition_t *boot = esp_ota_get_boot_partition();
    return boot != NULL && boot->address == secondary->slot->address;
}

int32_t nf_ota_ifu_cancel_staging(const nf_ota_ifu_pair_t *secondary)
{
    nf_ota_ifu_set_staged(NF_OTA_IFU_IMAGE_NANOCLR, false);
    nf_ota_ifu_set_staged(NF_OTA_IFU_IMAGE_DEPLOYMENT, false);
    if (!nf_ota_ifu_is_set_to_boot(secondary))
    {
        return NF_OTA_IFU_SUCCESS;
    }
    /* Setting the running slot to boot again would make ESP-IDF write it a new otadata entry in
     * state NEW (pending verification again after the next reset). Instead the staged firmware's
     * header goes: the bootloader finds no image there and boots the running pair. */
    nf_ota_unfinished_mark(secondary->slot);
    return nf_ota_unfinished_scrub(secondary->slot) == NF_OTA_OK ? NF_OTA_IFU_SUCCESS : NF_OTA_IFU_FLASH_ERROR;
}

/*
 * After Complete's checks: the pair is made whole and set to boot. A firmware image gets the
 * running app copied into its deploy partition, an app image the running firmware copied into
 * its slot (unless that half was itself staged), so the bootloader's choice always boots a
 * firmware with the app it was staged with, and its rollback takes both back together.
 */
#include <stdio.h>
#include <string.h>

#include "esp_ota_ops.h"
#include "nf_ota_ifu_internal.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"

#define COPY_STEP 512u
#define IMAGE_HEADER_LENGTH 24u
#define SEGMENT_HEADER_LENGTH 8u
#define SIGNATURE_SECTOR 4096u

/* The app image's length in a slot as esp_image_verify measures it: header, segments, checksum
 * padded to 16, the appended SHA-256, and a secure boot v2 signature sector when there is one. */
static int32_t app_image_length(const esp_partition_t *slot, uint32_t *length)
{
    uint8_t bytes[IMAGE_HEADER_LENGTH];
    if (nf_ota_ifu_read(slot, 0, bytes, sizeof(bytes)) != NF_OTA_OK || bytes[0] != 0xE9)
    {
        return NF_OTA_IFU_FLASH_ERROR;
    }
    uint32_t segments = bytes[1];
    bool hash_appended = bytes[23] == 1;
    uint32_t at = IMAGE_HEADER_LENGTH;
    for (uint32_t i = 0; i < segments; i++)
    {
        uint8_t segment[SEGMENT_HEADER_LENGTH];
        if (nf_ota_ifu_read(slot, at, segment, sizeof(segment)) != NF_OTA_OK)
        {
            return NF_OTA_IFU_FLASH_ERROR;
        }
        uint32_t size = (uint32_t)segment[4] | ((uint32_t)segment[5] << 8) | ((uint32_t)segment[6] << 16) | ((uint32_t)segment[7] << 24);
        if (size > slot->size - at - SEGMENT_HEADER_LENGTH)
        {
            return NF_OTA_IFU_FLASH_ERROR;
        }
        at += SEGMENT_HEADER_LENGTH + size;
    }
    at = (at + 1 + 15) & ~15u;
    at += hash_appended ? 32u : 0u;
    uint32_t signature = (at + SIGNATURE_SECTOR - 1) & ~(SIGNATURE_SECTOR - 1);
    uint8_t magic = 0;
    if (signature + SIGNATURE_SECTOR <= slot->size && nf_ota_ifu_read(slot, signature, &magic, 1) == NF_OTA_OK && magic == 0xE7)
    {
        at = signature + SIGNATURE_SECTOR;
    }
    *length = at;
    return NF_OTA_IFU_SUCCESS;
}

/* The running firmware into the secondary slot, through esp_ota (esp_ota_end validates it). */
static int32_t copy_running_firmware(const nf_ota_ifu_pair_t *primary, const nf_ota_ifu_pair_t *pair)
{
    uint32_t length = 0;
    int32_t result = app_image_length(primary->slot, &length);
    if (result != NF_OTA_IFU_SUCCESS)
    {
        return result;
    }
    int32_t handle = nf_ota_NativeOta_Begin(pair->slot->label, (int32_t)length, NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    if (handle <= 0)
    {
        return NF_OTA_IFU_FLASH_ERROR;
    }
    uint8_t step[COPY_STEP];
    for (uint32_t done = 0; done < length;)
    {
        uint32_t n = length - done < COPY_STEP ? length - done : COPY_STEP;
        if (nf_ota_ifu_read(primary->slot, done, step, n) != NF_OTA_OK || nf_ota_NativeOta_Write(handle, step, n, 0, (int32_t)n) != NF_OTA_OK)
        {
            (void)nf_ota_NativeOta_Abort(handle);
            return NF_OTA_IFU_FLASH_ERROR;
        }
        done += n;
    }
    return nf_ota_NativeOta_End(handle) == NF_OTA_OK ? NF_OTA_IFU_SUCCESS : NF_OTA_IFU_FLASH_ERROR;
}

/* [offset, offset + length) of the primary's partition into the secondary's, sector by sector,
 * sectors erased in the source left erased (the destination range must be erased). */
static int32_t copy_sectors(const nf_ota_ifu_pair_t *primary, const nf_ota_ifu_pair_t *pair, int32_t image, uint32_t offset, uint32_t length)
{
    const esp_partition_t *from = nf_ota_ifu_partition(primary, image);
    const esp_partition_t *to = nf_ota_ifu_partition(pair, image);
    uint8_t step[COPY_STEP];
    for (uint32_t sector = offset; sector < offset + length; sector += NF_OTA_IFU_SECTOR)
    {
        uint32_t written = 0;
        if (nf_ota_ifu_written_end(from, sector, NF_OTA_IFU_SECTOR, &written) != NF_OTA_OK)
        {
            return NF_OTA_IFU_FLASH_ERROR;
        }
        for (uint32_t done = 0; done < written; done += COPY_STEP)
        {
            uint32_t n = written - done < COPY_STEP ? written - done : COPY_STEP;
            if (nf_ota_ifu_read(from, sector + done, step, n) != NF_OTA_OK || nf_ota_ifu_write(pair, to, sector + done, step, n) != NF_OTA_OK)
            {
                return NF_OTA_IFU_FLASH_ERROR;
            }
        }
    }
    return NF_OTA_IFU_SUCCESS;
}

/* The half of the pair this image does not bring: what runs now. */
static int32_t copy_partner(const nf_ota_ifu_pair_t *pair, int32_t image)
{
    nf_ota_ifu_pair_t primary;
    if (nf_ota_ifu_pair(NF_OTA_IFU_SLOT_PRIMARY, &primary) != NF_OTA_IFU_SUCCESS)
    {
        return NF_OTA_IFU_NO_SLOT;
    }
    if (image == NF_OTA_IFU_IMAGE_NANOCLR)
    {
        /* The whole deploy partition: the app, nf-ota's record and any sidecar describe it alike. */
        const esp_partition_t *deploy = pair->deploy;
        if (deploy->size != primary.deploy->size || nf_ota_ifu_erase(pair, deploy, 0, deploy->size) != NF_OTA_OK)
        {
            return NF_OTA_IFU_FLASH_ERROR;
        }
        return copy_sectors(&primary, pair, NF_OTA_IFU_IMAGE_DEPLOYMENT, 0, deploy->size);
    }
    int32_t result = copy_running_firmware(&primary, pair);
    /* The running firmware's sidecar goes with it, so the copy is described as the original is. */
    const esp_partition_t *slot = pair->slot;
    uint32_t tail = nf_ota_ifu_tlv_at(slot);
    if (result == NF_OTA_IFU_SUCCESS && (slot->size != primary.slot->size || nf_ota_ifu_erase(pair, slot, tail, slot->size - tail) != NF_OTA_OK))
    {
        result = NF_OTA_IFU_FLASH_ERROR;
    }
    return result == NF_OTA_IFU_SUCCESS ? copy_sectors(&primary, pair, NF_OTA_IFU_IMAGE_NANOCLR, tail, slot->size - tail) : result;
}

static void put_u32(uint8_t *to, uint32_t value)
{
    to[0] = (uint8_t)value;
    to[1] = (uint8_t)(value >> 8);
    to[2] = (uint8_t)(value >> 16);
    to[3] = (uint8_t)(value >> 24);
}

/* nanoFramework's CRC-32 (polynomial 0x04C11DB7, MSB first, seed 0), as the app record uses it. */
static uint32_t record_crc(const uint8_t *bytes, uint32_t count)
{
    uint32_t crc = 0;
    for (uint32_t i = 0; i < count; i++)
    {
        crc ^= (uint32_t)bytes[i] << 24;
        for (int bit = 0; bit < 8; bit++)
        {
            crc = (crc & 0x80000000u) != 0 ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
        }
    }
    return crc;
}

/* The header sector's record: nf-ota's app record for an app (so the engine and inspect know the
 * app's length, hash and version), the app build the sidecar belongs to for a firmware. */
static int32_t write_record(const nf_ota_ifu_pair_t *pair, int32_t image, const nf_ota_ifu_header_t *header, const uint8_t payload_sha256[32])
{
    uint8_t record[NF_OTA_IFU_RECORD_LENGTH];
    if (image == NF_OTA_IFU_IMAGE_NANOCLR)
    {
        if (nf_ota_ifu_slot_record(record, pair->slot) != NF_OTA_IFU_SUCCESS)
        {
            return NF_OTA_IFU_FLASH_ERROR;
        }
    }
    else
    {
        memset(record, 0, sizeof(record));
        memcpy(record, "NFOTAAP1", 8);
        put_u32(record + 8, header->image_size);
        memcpy(record + 12, payload_sha256, 32);
        char version[40];
        const nf_ota_ifu_version_t *v = &header->version;
        if (v->build != 0)
        {
            snprintf(version, sizeof(version), "%u.%u.%u+%lu", v->major, v->minor, v->revision, (unsigned long)v->build);
        }
        else
        {
            snprintf(version, sizeof(version), "%u.%u.%u", v->major, v->minor, v->revision);
        }
        memcpy(record + 44, version, strlen(version) < 16 ? strlen(version) : 16);
        put_u32(record + 60, record_crc(record, 60));
    }
    const esp_partition_t *partition = nf_ota_ifu_partition(pair, image);
    return nf_ota_ifu_write(pair, partition, nf_ota_ifu_header_sector_at(partition), record, sizeof(record)) == NF_OTA_OK ? NF_OTA_IFU_SUCCESS : NF_OTA_IFU_FLASH_ERROR;
}

int32_t nf_ota_ifu_stage(const nf_ota_ifu_pair_t *pair, int32_t image, const nf_ota_ifu_header_t *header,
    const uint8_t payload_sha256[32], int32_t *detail)
{
    /* The other image completed first since the CLR started: the other half is the one staged
     * with it. Otherwise what runs now is copied, even when otadata still selects the secondary
     * pair (a cancelled staging leaves it selecting a slot whose header is erased, and a staging
     * from before a CLR restart is not known here): the pair is then whole either way. */
    if (!nf_ota_ifu_is_staged(1 - image) && copy_partner(pair, image) != NF_OTA_IFU_SUCCESS)
    {
        *detail = NF_OTA_IFU_DETAIL_COPY_FAILED;
        return NF_OTA_IFU_FLASH_ERROR;
    }
    if (write_record(pair, image, header, payload_sha256) != NF_OTA_IFU_SUCCESS)
    {
        *detail = NF_OTA_IFU_DETAIL_COPY_FAILED;
        return NF_OTA_IFU_FLASH_ERROR;
    }
    if (nf_ota_NativeOta_SetBootSlot(pair->slot->label) != NF_OTA_OK)
    {
        *detail = NF_OTA_IFU_DETAIL_SET_BOOT_FAILED;
        return NF_OTA_IFU_FLASH_ERROR;
    }
    return NF_OTA_IFU_SUCCESS;
}

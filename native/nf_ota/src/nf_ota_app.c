/*
 * The managed app's side of an update: the deploy partition paired with each OTA slot, and the
 * firmware's table of native assemblies that app must bind against.
 *
 * A slot of subtype ota_N runs the app in the data partition of subtype 0x84 labelled
 * "deploy_N", so the app follows otadata: the bootloader's choice (and its rollback) picks the
 * firmware and its app together. The running slot's app is never erased or written here, and
 * every write goes through esp_partition_write(), which encrypts when the partition is flagged
 * encrypted; nothing here writes flash raw.
 */
#include <stdio.h>
#include <string.h>

#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "nf_ota_crypto.h"
#include "nf_ota_deploy.h"
#include "nf_ota_erase_ahead.h"
#include "nf_ota_errors.h"
#include "nf_ota_interop.h"
#include "nf_ota_native_table.h"
#include "nf_ota_slots.h"
#include "nf_ota_status.h"

/* nanoFramework's deployment partition subtype. */
#define NF_OTA_DEPLOY_SUBTYPE 0x84
/* Bytes read per esp_partition_read while hashing: small, it sits on the caller's stack. */
#define NF_OTA_HASH_STEP 512

/* The deploy partition paired with an OTA slot (see the file comment). */
static int32_t paired_app(const esp_partition_t *slot, const esp_partition_t **app)
{
    *app = NULL;
    if (!nf_ota_is_ota_app(slot))
    {
        return NF_OTA_NOT_AN_OTA_SLOT;
    }
    char label[17];
    snprintf(label, sizeof(label), "deploy_%d", (int)(slot->subtype - ESP_PARTITION_SUBTYPE_APP_OTA_MIN));
    *app = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, (esp_partition_subtype_t)NF_OTA_DEPLOY_SUBTYPE, label);
    return *app != NULL ? NF_OTA_OK : NF_OTA_NOT_FOUND;
}

const esp_partition_t *nf_ota_paired_deploy(const esp_partition_t *slot)
{
    const esp_partition_t *app = NULL;
    return slot != NULL && paired_app(slot, &app) == NF_OTA_OK ? app : NULL;
}

/* The app paired with a slot that may be changed: an OTA slot other than the running one. */
static int32_t writable_app(const char *slotLabel, const esp_partition_t **app)
{
    if (slotLabel == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (slotLabel[0] == '\0')
    {
        return NF_OTA_IS_RUNNING_SLOT;
    }
    const esp_partition_t *slot = NULL;
    int32_t status = nf_ota_find_slot(slotLabel, NULL, &slot);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    const esp_partition_t *running = esp_ota_get_running_partition();
    if (running != NULL && running->address == slot->address)
    {
        return NF_OTA_IS_RUNNING_SLOT;
    }
    return paired_app(slot, app);
}

int32_t nf_ota_NativeOta_GetAppPartition(const char *slotLabel, uint8_t *record, uint32_t record_length)
{
    if (slotLabel == NULL || record == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (record_length < NF_OTA_SLOT_RECORD_LENGTH)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    const esp_partition_t *slot = NULL;
    int32_t status = nf_ota_find_slot(slotLabel, slotLabel[0] == '\0' ? esp_ota_get_running_partition() : NULL, &slot);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    const esp_partition_t *app = NULL;
    status = paired_app(slot, &app);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    nf_ota_write_slot_record(app, record);
    return NF_OTA_OK;
}

/* Whether a range reads as all 0xFF: raw (erased: every stored bit 1), or through decryption
 * (esp_partition_read). On an encrypted partition an erased sector reads as noise through
 * decryption, and flash encryption's first boot leaves the partition as ciphertext of 0xFF. */
static int32_t reads_blank(const esp_partition_t *app, uint32_t offset, uint32_t length, bool raw, bool *blank)
{
    uint8_t step[NF_OTA_HASH_STEP];
    *blank = false;
    for (uint32_t done = 0; done < length; done += sizeof(step))
    {
        uint32_t n = length - done < sizeof(step) ? length - done : (uint32_t)sizeof(step);
        esp_err_t err = raw ? esp_partition_read_raw(app, offset + done, step, n) : esp_partition_read(app, offset + done, step, n);
        if (err != ESP_OK)
        {
            return nf_ota_fail(err);
        }
        for (uint32_t i = 0; i < n; i++)
        {
            if (step[i] != 0xFF)
            {
                return NF_OTA_OK;
            }
        }
    }
    *blank = true;
    return NF_OTA_OK;
}

/* Whether a sector needs no erase: erased (raw), or with `flags` asking, all 0xFF through decryption. */
static int32_t sector_blank(const esp_partition_t *app, uint32_t at, int32_t flags, bool *blank)
{
    int32_t status = reads_blank(app, at, app->erase_size, true, blank);
    if (status == NF_OTA_OK && !*blank && (flags & NF_OTA_ERASE_SKIP_BLANK_PLAINTEXT) != 0)
    {
        status = reads_blank(app, at, app->erase_size, false, blank);
    }
    return status;
}

int32_t nf_ota_NativeOta_EraseApp(const char *slotLabel, int32_t offset, int32_t length, int32_t flags)
{
    const esp_partition_t *app = NULL;
    int32_t status = writable_app(slotLabel, &app);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    if ((flags & ~NF_OTA_ERASE_SKIP_BLANK_PLAINTEXT) != 0)
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    if (offset < 0 || length <= 0 || (uint32_t)offset > app->size || (uint32_t)length > app->size - (uint32_t)offset)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    if (((uint32_t)offset | (uint32_t)length) % app->erase_size != 0)
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    /* Skipping sectors that need no erase saves ~45 ms each; a 64 KiB block aligned on the flash
     * that needs NF_OTA_BLOCK_WORTH_SECTORS or more of its sectors erased is erased whole (one
     * block erase, ~150 ms, where ESP-IDF's region erase sees an aligned 64 KiB range). */
    uint32_t end = (uint32_t)offset + (uint32_t)length;
    for (uint32_t at = (uint32_t)offset; at < end;)
    {
        bool block = app->erase_size == NF_OTA_FLASH_SECTOR && (app->address + at) % NF_OTA_FLASH_BLOCK == 0 && end - at >= NF_OTA_FLASH_BLOCK;
        uint32_t span = block ? NF_OTA_FLASH_BLOCK : app->erase_size;
        uint32_t dirty = 0;
        for (uint32_t sector = at; sector < at + span; sector += app->erase_size)
        {
            bool blank = false;
            status = sector_blank(app, sector, flags, &blank);
            if (status != NF_OTA_OK)
            {
                return status;
            }
            dirty += blank ? 0u : 1u;
        }
        if (block && dirty >= NF_OTA_BLOCK_WORTH_SECTORS)
        {
            status = nf_ota_fail(esp_partition_erase_range(app, at, NF_OTA_FLASH_BLOCK));
        }
        else if (!block)
        {
            status = dirty > 0 ? nf_ota_fail(esp_partition_erase_range(app, at, app->erase_size)) : NF_OTA_OK;
        }
        else
        {
            /* A block with a few sectors to erase: those alone. */
            for (uint32_t sector = at; status == NF_OTA_OK && dirty > 0 && sector < at + span; sector += app->erase_size)
            {
                bool blank = false;
                status = sector_blank(app, sector, flags, &blank);
                if (status == NF_OTA_OK && !blank)
                {
                    status = nf_ota_fail(esp_partition_erase_range(app, sector, app->erase_size));
                }
            }
        }
        if (status != NF_OTA_OK)
        {
            return status;
        }
        at += span;
    }
    return NF_OTA_OK;
}

int32_t nf_ota_NativeOta_WriteApp(const char *slotLabel, int32_t offset, uint8_t *buffer, uint32_t buffer_length, int32_t bufferOffset, int32_t count)
{
    if (buffer == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    const esp_partition_t *app = NULL;
    int32_t status = writable_app(slotLabel, &app);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    if (bufferOffset < 0 || count < 0 || (uint32_t)bufferOffset > buffer_length || (uint32_t)count > buffer_length - (uint32_t)bufferOffset)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    if (offset < 0 || (uint32_t)offset > app->size || (uint32_t)count > app->size - (uint32_t)offset)
    {
        return NF_OTA_IMAGE_TOO_LARGE;
    }
    /* ESP-IDF's encrypted flash write takes whole 16-byte blocks; the same rule applies without
     * encryption, so an app written on a development board also lands on a production one. */
    if (((uint32_t)offset | (uint32_t)count) % 16 != 0)
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    if (count == 0)
    {
        return NF_OTA_OK;
    }
    return nf_ota_fail(esp_partition_write(app, (size_t)offset, buffer + bufferOffset, (size_t)count));
}

/* The partition with this label, or the running slot for an empty one. */
static int32_t readable(const char *label, const esp_partition_t **partition)
{
    if (label == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    return nf_ota_find_slot(label, label[0] == '\0' ? esp_ota_get_running_partition() : NULL, partition);
}

int32_t nf_ota_NativeOta_ReadPartition(const char *label, int32_t offset, uint8_t *buffer, uint32_t buffer_length, int32_t bufferOffset, int32_t count)
{
    if (buffer == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    const esp_partition_t *partition = NULL;
    int32_t status = readable(label, &partition);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    if (bufferOffset < 0 || count < 0 || (uint32_t)bufferOffset > buffer_length || (uint32_t)count > buffer_length - (uint32_t)bufferOffset
        || offset < 0 || (uint32_t)offset > partition->size || (uint32_t)count > partition->size - (uint32_t)offset)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    if (count == 0)
    {
        return NF_OTA_OK;
    }
    return nf_ota_fail(esp_partition_read(partition, (size_t)offset, buffer + bufferOffset, (size_t)count));
}

int32_t nf_ota_NativeOta_HashPartition(const char *label, int32_t offset, int32_t length, uint8_t *digest, uint32_t digest_length)
{
    if (digest == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (digest_length < NF_OTA_DIGEST_LENGTH)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    const esp_partition_t *partition = NULL;
    int32_t status = readable(label, &partition);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    if (offset < 0 || length < 0 || (uint32_t)offset > partition->size || (uint32_t)length > partition->size - (uint32_t)offset)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    nf_ota_sha256_t hash;
    status = nf_ota_sha256_start(&hash);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    uint8_t step[NF_OTA_HASH_STEP];
    for (uint32_t done = 0; done < (uint32_t)length;)
    {
        uint32_t n = (uint32_t)length - done < sizeof(step) ? (uint32_t)length - done : (uint32_t)sizeof(step);
        esp_err_t err = esp_partition_read(partition, (size_t)offset + done, step, n);
        if (err != ESP_OK)
        {
            nf_ota_sha256_free(&hash);
            return nf_ota_fail(err);
        }
        nf_ota_sha256_update(&hash, step, n);
        done += n;
    }
    status = nf_ota_sha256_peek(&hash, digest);
    nf_ota_sha256_free(&hash);
    return status;
}

int32_t nf_ota_NativeOta_GetNativeAssemblies(uint8_t *record, uint32_t record_length)
{
    if (record == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (!nf_ota_native_table_available())
    {
        return NF_OTA_NOT_SUPPORTED;
    }
    uint32_t used = 0;
    const char *name;
    uint32_t checksum;
    for (int32_t i = 0; nf_ota_native_table_entry(i, &name, &checksum); i++)
    {
        size_t length = name == NULL ? 0 : strlen(name);
        if (length > 255)
        {
            length = 255;
        }
        if (record_length - used < 5 + length)
        {
            return NF_OTA_OUT_OF_RANGE;
        }
        record[used] = (uint8_t)checksum;
        record[used + 1] = (uint8_t)(checksum >> 8);
        record[used + 2] = (uint8_t)(checksum >> 16);
        record[used + 3] = (uint8_t)(checksum >> 24);
        record[used + 4] = (uint8_t)length;
        memcpy(record + used + 5, name, length);
        used += 5 + (uint32_t)length;
    }
    return (int32_t)used;
}

const esp_partition_t *nf_ota_deploy_partition(void)
{
    const esp_partition_t *running = esp_ota_get_running_partition();
    const esp_partition_t *app = NULL;
    if (running != NULL && paired_app(running, &app) == NF_OTA_OK)
    {
        return app;
    }
    return esp_partition_find_first(ESP_PARTITION_TYPE_DATA, (esp_partition_subtype_t)NF_OTA_DEPLOY_SUBTYPE, NULL);
}

uint32_t nf_ota_deploy_region_attributes(const esp_partition_t *deploy)
{
    return deploy != NULL && deploy->encrypted ? NF_OTA_BLOCK_REGION_PROGRAM_WIDTH_128 : 0;
}

esp_err_t nf_ota_deploy_write(const esp_partition_t *deploy, size_t offset, const void *data, size_t size)
{
    if (deploy == NULL || (data == NULL && size > 0))
    {
        return ESP_ERR_INVALID_ARG;
    }
    if (!deploy->encrypted || size % 16 == 0)
    {
        return esp_partition_write(deploy, offset, data, size);
    }
    if (offset % 16 != 0)
    {
        return ESP_ERR_INVALID_ARG;
    }
    size_t whole = size - size % 16;
    if (whole > 0)
    {
        esp_err_t err = esp_partition_write(deploy, offset, data, whole);
        if (err != ESP_OK)
        {
            return err;
        }
    }
    uint8_t tail[16];
    memset(tail, 0xFF, sizeof(tail));
    memcpy(tail, (const uint8_t *)data + whole, size - whole);
    return esp_partition_write(deploy, offset + whole, tail, sizeof(tail));
}

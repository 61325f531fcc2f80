/*
 * What UpdateManager reports and the calls outside sessions: status, image info, erasing the
 * secondary image, confirm, the two reverts, reboot. Status comes from otadata and the slots,
 * as ESP-IDF's bootloader will act on them (the README's table says how this maps onto MCUboot's
 * swap states).
 */
#include <string.h>

#include "esp_app_desc.h"
#include "esp_ota_ops.h"
#include "nf_ota_ifu_internal.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
#include "nf_ota_unfinished.h"

static bool same(const esp_partition_t *a, const esp_partition_t *b)
{
    return a != NULL && b != NULL && a->address == b->address;
}

static int32_t slot_state(const esp_partition_t *slot)
{
    esp_ota_img_states_t state = ESP_OTA_IMG_UNDEFINED;
    return esp_ota_get_state_partition(slot, &state) == ESP_OK ? (int32_t)state : -1;
}

/* The bootloader could start this slot: a valid app image, not left by a failed session. */
static bool bootable(const esp_partition_t *slot)
{
    esp_app_desc_t description;
    return !nf_ota_unfinished_is(slot) && esp_ota_get_partition_description(slot, &description) == ESP_OK;
}

int32_t nf_ota_ifu_get_status(int32_t image)
{
    nf_ota_ifu_pair_t primary, secondary;
    if (image < 0 || image >= NF_OTA_IFU_IMAGE_COUNT || nf_ota_ifu_pair(NF_OTA_IFU_SLOT_PRIMARY, &primary) != NF_OTA_IFU_SUCCESS)
    {
        return NF_OTA_IFU_STATUS_UNKNOWN;
    }
    /* Both images follow the pair otadata selects: a staged pair is a test swap pending. */
    if (nf_ota_ifu_pair(NF_OTA_IFU_SLOT_SECONDARY, &secondary) == NF_OTA_IFU_SUCCESS && nf_ota_ifu_is_set_to_boot(&secondary)
        && bootable(secondary.slot))
    {
        return NF_OTA_IFU_STATUS_TEST_PENDING;
    }
    switch (slot_state(primary.slot))
    {
    case ESP_OTA_IMG_PENDING_VERIFY:
        return NF_OTA_IFU_STATUS_TESTING;
    case ESP_OTA_IMG_VALID:
    case ESP_OTA_IMG_UNDEFINED:
    case ESP_OTA_IMG_NEW:
        return NF_OTA_IFU_STATUS_CONFIRMED;
    default:
        return NF_OTA_IFU_STATUS_UNKNOWN;
    }
}

/* The length of a text field that may fill its array without a terminator (no strnlen in C99). */
static size_t field_length(const char *text, size_t size)
{
    size_t length = 0;
    while (length < size && text[length] != '\0')
    {
        length++;
    }
    return length;
}

/* A version from what the partition says of itself when it has no sidecar. */
static bool own_version(const nf_ota_ifu_pair_t *pair, int32_t image, nf_ota_ifu_version_t *version)
{
    if (image == NF_OTA_IFU_IMAGE_NANOCLR)
    {
        esp_app_desc_t description;
        return esp_ota_get_partition_description(pair->slot, &description) == ESP_OK
               && nf_ota_ifu_version_from_text(description.version, field_length(description.version, sizeof(description.version)), version);
    }
    uint8_t record[NF_OTA_IFU_RECORD_LENGTH];
    if (nf_ota_ifu_read(pair->deploy, nf_ota_ifu_header_sector_at(pair->deploy), record, sizeof(record)) != NF_OTA_OK || memcmp(record, "NFOTAAP1", 8) != 0)
    {
        return false;
    }
    return nf_ota_ifu_version_from_text((const char *)record + 44, field_length((const char *)record + 44, 16), version);
}

/* Whether the partition holds anything at all: a firmware image, or a deployment's first bytes. */
static bool holds_image(const nf_ota_ifu_pair_t *pair, int32_t image)
{
    if (image == NF_OTA_IFU_IMAGE_NANOCLR)
    {
        esp_app_desc_t description;
        return esp_ota_get_partition_description(pair->slot, &description) == ESP_OK;
    }
    /* An app starts with an assembly header. Erased reads as 0xFF raw; on an encrypted partition
     * flash encryption's first boot leaves ciphertext of 0xFF, which reads as 0xFF decrypted. */
    uint8_t start[16];
    uint32_t written = 0;
    if (nf_ota_ifu_written_end(pair->deploy, 0, sizeof(start), &written) != NF_OTA_OK || written == 0
        || nf_ota_ifu_read(pair->deploy, 0, start, sizeof(start)) != NF_OTA_OK)
    {
        return false;
    }
    for (size_t i = 0; i < sizeof(start); i++)
    {
        if (start[i] != 0xFF)
        {
            return true;
        }
    }
    return false;
}

static void describe_sidecar(const nf_ota_ifu_pair_t *pair, int32_t image, const nf_ota_ifu_header_t *header, nf_ota_ifu_image_info_t *info)
{
    static uint8_t buffer[NF_OTA_IFU_MAX_TLVS];
    const esp_partition_t *partition = nf_ota_ifu_partition(pair, image);
    info->has_version = true;
    info->version = header->version;
    /* The total is not stored: the TLV sector's own info says how long the areas are. */
    uint8_t info_bytes[4];
    uint32_t at = nf_ota_ifu_tlv_at(partition) + header->protected_tlv_size;
    if (nf_ota_ifu_read(partition, at, info_bytes, sizeof(info_bytes)) != NF_OTA_OK)
    {
        return;
    }
    uint32_t area = nf_ota_ifu_tlv_area_length(info_bytes);
    nf_ota_ifu_tlvs_t tlvs;
    uint32_t total = nf_ota_ifu_hashed_length(header) + area;
    if (area >= 4 && nf_ota_ifu_read_tlvs(partition, header, total, buffer, &tlvs) == NF_OTA_IFU_SUCCESS)
    {
        info->has_valid_header = true;
        if (tlvs.sha256 != NULL)
        {
            info->has_hash = true;
            memcpy(info->hash, tlvs.sha256, 32);
        }
    }
}

int32_t nf_ota_ifu_get_image_info(int32_t image, int32_t slot, nf_ota_ifu_image_info_t *info)
{
    if (info == NULL || image < 0 || image >= NF_OTA_IFU_IMAGE_COUNT || (slot != NF_OTA_IFU_SLOT_PRIMARY && slot != NF_OTA_IFU_SLOT_SECONDARY))
    {
        return NF_OTA_IFU_BAD_ARGUMENT;
    }
    memset(info, 0, sizeof(*info));
    nf_ota_ifu_pair_t pair;
    int32_t result = nf_ota_ifu_pair(slot, &pair);
    if (result != NF_OTA_IFU_SUCCESS)
    {
        return result;
    }
    info->image = image;
    info->slot = slot;
    nf_ota_ifu_header_t header;
    if (nf_ota_ifu_sidecar_header(&pair, image, &header))
    {
        describe_sidecar(&pair, image, &header, info);
    }
    else if (holds_image(&pair, image))
    {
        /* An image with no version of its own (an app deployed over USB) reads as 0.0.0: MCUboot
         * always has one, and an update agent compares an offer with it. */
        (void)own_version(&pair, image, &info->version);
        info->has_version = true;
    }
    else
    {
        return NF_OTA_IFU_NO_IMAGE;
    }
    int32_t state = slot_state(pair.slot);
    info->is_active = slot == NF_OTA_IFU_SLOT_PRIMARY;
    info->is_bootable = bootable(pair.slot);
    info->is_pending = !info->is_active && info->is_bootable && nf_ota_ifu_is_set_to_boot(&pair);
    /* Without rollback in the build every otadata state reads UNDEFINED: a staged image is still not confirmed. */
    info->is_confirmed = !info->is_pending && (state == (int32_t)ESP_OTA_IMG_VALID || state == (int32_t)ESP_OTA_IMG_UNDEFINED);
    info->is_rollback_pending = info->is_active && state == (int32_t)ESP_OTA_IMG_PENDING_VERIFY;
    return NF_OTA_IFU_SUCCESS;
}

bool nf_ota_ifu_effective_version(int32_t image, nf_ota_ifu_version_t *version)
{
    /* As nf_ota_ifu_stage pairs images: with the other image completed since the CLR started, or
     * with what runs now. */
    nf_ota_ifu_image_info_t info;
    int32_t slot = nf_ota_ifu_is_staged(image) ? NF_OTA_IFU_SLOT_SECONDARY : NF_OTA_IFU_SLOT_PRIMARY;
    if (nf_ota_ifu_get_image_info(image, slot, &info) != NF_OTA_IFU_SUCCESS || !info.has_version)
    {
        return false;
    }
    *version = info.version;
    return true;
}

/* Erase an image from the secondary pair: a firmware loses its header (and sidecar), an app its
 * partition. If the pair was set to boot it no longer boots (a firmware without its app would). */
int32_t nf_ota_ifu_erase_image(const nf_ota_ifu_pair_t *pair, int32_t image)
{
    int32_t result = nf_ota_ifu_cancel_staging(pair);
    const esp_partition_t *partition = nf_ota_ifu_partition(pair, image);
    uint32_t tail = nf_ota_ifu_tlv_at(partition);
    if (result == NF_OTA_IFU_SUCCESS && image == NF_OTA_IFU_IMAGE_NANOCLR)
    {
        nf_ota_unfinished_mark(pair->slot);
        result = nf_ota_unfinished_scrub(pair->slot) == NF_OTA_OK ? NF_OTA_IFU_SUCCESS : NF_OTA_IFU_FLASH_ERROR;
    }
    if (result == NF_OTA_IFU_SUCCESS && nf_ota_ifu_erase(pair, partition, image == NF_OTA_IFU_IMAGE_NANOCLR ? tail : 0, image == NF_OTA_IFU_IMAGE_NANOCLR ? partition->size - tail : partition->size) != NF_OTA_OK)
    {
        result = NF_OTA_IFU_FLASH_ERROR;
    }
    return result;
}

int32_t nf_ota_ifu_erase_secondary(int32_t image)
{
    if (image < 0 || image >= NF_OTA_IFU_IMAGE_COUNT)
    {
        return NF_OTA_IFU_BAD_ARGUMENT;
    }
    if (nf_ota_ifu_session_open(NF_OTA_IFU_IMAGE_NANOCLR) || nf_ota_ifu_session_open(NF_OTA_IFU_IMAGE_DEPLOYMENT))
    {
        return NF_OTA_IFU_BUSY;
    }
    nf_ota_ifu_pair_t pair;
    int32_t result = nf_ota_ifu_pair(NF_OTA_IFU_SLOT_SECONDARY, &pair);
    return result == NF_OTA_IFU_SUCCESS ? nf_ota_ifu_erase_image(&pair, image) : result;
}

bool nf_ota_ifu_confirm_deployment(void)
{
    /* esp_ota_mark_app_valid_cancel_rollback confirms the pair that runs, firmware and app. */
    const esp_partition_t *running = esp_ota_get_running_partition();
    return nf_ota_NativeOta_MarkValid() == NF_OTA_OK && running != NULL && slot_state(running) == (int32_t)ESP_OTA_IMG_VALID;
}

bool nf_ota_ifu_request_deployment_revert(void)
{
    /* An unconfirmed pair goes back by itself at the next reset (the bootloader marks it aborted
     * and boots the other); true when that is what will happen. */
    const esp_partition_t *running = esp_ota_get_running_partition();
    return running != NULL && slot_state(running) == (int32_t)ESP_OTA_IMG_PENDING_VERIFY && same(esp_ota_get_boot_partition(), running);
}

bool nf_ota_ifu_request_clr_revert(void)
{
    nf_ota_ifu_pair_t secondary;
    if (nf_ota_ifu_session_open(NF_OTA_IFU_IMAGE_NANOCLR) || nf_ota_ifu_session_open(NF_OTA_IFU_IMAGE_DEPLOYMENT)
        || nf_ota_ifu_pair(NF_OTA_IFU_SLOT_SECONDARY, &secondary) != NF_OTA_IFU_SUCCESS || !bootable(secondary.slot))
    {
        return false;
    }
    return nf_ota_NativeOta_SetBootSlot(secondary.slot->label) == NF_OTA_OK;
}

void nf_ota_ifu_request_reboot(void)
{
    nf_ota_NativeOta_Reboot();
}

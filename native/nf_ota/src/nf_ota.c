/*
 * nf-ota's native methods: the managed update engine's way into ESP-IDF's OTA API.
 *
 * Every argument is checked before ESP-IDF is called (nanoCLR marshals null strings and arrays
 * as exceptions before we run; C callers may still pass NULL), and every esp_err_t becomes a
 * stable negative status. Image data and otadata only ever reach flash through esp_ota_* (the
 * encrypted write path when flash encryption is on): this file never writes flash itself.
 *
 * nanoCLR calls native methods from its one interpreter thread, so there is no locking here.
 */
#include <string.h>

#include "esp_app_desc.h"
#include "esp_chip_info.h"
#include "esp_efuse.h"
#include "esp_flash_encrypt.h"
#include "esp_idf_version.h"
#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "esp_secure_boot.h"
#include "esp_system.h"
#include "nf_ota_boot_guard.h"
#include "nf_ota_crypto.h"
#include "nf_ota_enc_image.h"
#include "nf_ota_erase_ahead.h"
#include "nf_ota_errors.h"
#include "nf_ota_flash_encryption.h"
#include "nf_ota_handles.h"
#include "nf_ota_interop.h"
#include "nf_ota_slots.h"
#include "nf_ota_status.h"
#include "nf_ota_unfinished.h"

/* buffer[offset .. offset+count) lies inside a buffer of `length` bytes. */
static int32_t check_span(const uint8_t *buffer, uint32_t length, int32_t offset, int32_t count)
{
    if (buffer == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (offset < 0 || count < 0 || (uint32_t)offset > length || (uint32_t)count > length - (uint32_t)offset)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    return NF_OTA_OK;
}

/* Extend the running digest when data lands right after the hashed prefix; otherwise give it up. */
static void track_digest(nf_ota_update_t *update, uint32_t image_offset, const uint8_t *data, uint32_t count)
{
    if (update->digest_valid && image_offset == update->contiguous)
    {
        nf_ota_sha256_update(&update->digest, data, count);
        update->contiguous += count;
    }
    else if (count > 0)
    {
        update->digest_valid = false;
    }
}

/* The slot an update may write: the one with this label (empty: the next update slot), an OTA
 * slot (ESP-IDF 5.5 would also begin on a data partition), not the running one, big enough. */
static int32_t update_target(const char *slotLabel, int32_t imageSize, const esp_partition_t **target)
{
    int32_t status = nf_ota_find_slot(slotLabel, slotLabel[0] == '\0' ? esp_ota_get_next_update_partition(NULL) : NULL, target);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    if (!nf_ota_is_ota_app(*target))
    {
        return NF_OTA_NOT_AN_OTA_SLOT;
    }
    const esp_partition_t *running = esp_ota_get_running_partition();
    if (running != NULL && running->address == (*target)->address)
    {
        return NF_OTA_IS_RUNNING_SLOT;
    }
    if (imageSize != NF_OTA_SIZE_UNKNOWN && (uint32_t)imageSize > (*target)->size)
    {
        return NF_OTA_IMAGE_TOO_LARGE;
    }
    return NF_OTA_OK;
}

static int32_t begin_update(const char *slotLabel, int32_t imageSize, int32_t flags);

int32_t nf_ota_NativeOta_Begin(const char *slotLabel, int32_t imageSize, int32_t flags)
{
    if (slotLabel == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if ((flags & ~(NF_OTA_BEGIN_SEQUENTIAL_ERASE | NF_OTA_BEGIN_DECRYPT)) != 0 || imageSize < NF_OTA_SIZE_UNKNOWN || imageSize == 0)
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    bool decrypting = (flags & NF_OTA_BEGIN_DECRYPT) != 0;
    if (decrypting)
    {
        /* The image must be opened (its key unwrapped) before anything is erased. */
        if (!nf_ota_enc_image_is_open())
        {
            return NF_OTA_INVALID_STATE;
        }
        if (imageSize != NF_OTA_SIZE_UNKNOWN && (uint32_t)imageSize != nf_ota_enc_image_size())
        {
            return NF_OTA_INVALID_ARGUMENT;
        }
        if (!nf_ota_enc_image_take())
        {
            return NF_OTA_INVALID_STATE;
        }
    }

    int32_t status = begin_update(slotLabel, imageSize, flags);
    if (status < 0 && decrypting)
    {
        nf_ota_enc_image_close();
    }
    return status;
}

static int32_t begin_update(const char *slotLabel, int32_t imageSize, int32_t flags)
{
    bool decrypting = (flags & NF_OTA_BEGIN_DECRYPT) != 0;
    const esp_partition_t *target = NULL;
    int32_t status = update_target(slotLabel, imageSize, &target);
    if (status != NF_OTA_OK)
    {
        return status;
    }

    nf_ota_update_t *update = nf_ota_handles_allocate();
    if (update == NULL)
    {
        return NF_OTA_NO_FREE_HANDLE;
    }
    status = nf_ota_sha256_start(&update->digest);
    if (status != NF_OTA_OK)
    {
        nf_ota_handles_release(update);
        return status;
    }

    bool sequential = (flags & NF_OTA_BEGIN_SEQUENTIAL_ERASE) != 0;
    /* Erase as you go: not ESP-IDF's OTA_WITH_SEQUENTIAL_WRITES, whose esp_ota_write erases each
     * 4 KiB sector it enters (~45 ms each), but the smallest known size: esp_ota_begin erases the
     * first sector only and esp_ota_write erases nothing; nf_ota erases ahead in 64 KiB blocks. */
    uint32_t first_sector = target->erase_size > NF_OTA_FLASH_SECTOR ? target->erase_size : NF_OTA_FLASH_SECTOR;
    size_t esp_size = sequential ? (size_t)first_sector : imageSize == NF_OTA_SIZE_UNKNOWN ? OTA_SIZE_UNKNOWN : (size_t)imageSize;
    esp_ota_handle_t handle = 0;
    esp_err_t err = esp_ota_begin(target, esp_size, &handle);
    if (err != ESP_OK)
    {
        /* esp_ota_begin keeps its handle registered when the erase fails: give it back. */
        if (handle != 0)
        {
            (void)esp_ota_abort(handle);
        }
        nf_ota_handles_release(update);
        return nf_ota_fail(err);
    }

    update->esp_handle = handle;
    update->partition = target;
    /* With a known size only that much was erased: writing past it would program over old data. */
    update->limit = imageSize == NF_OTA_SIZE_UNKNOWN ? target->size : (uint32_t)imageSize;
    update->size_known = imageSize != NF_OTA_SIZE_UNKNOWN;
    update->sequential_erase = sequential;
    if (sequential)
    {
        nf_ota_erase_ahead_start(&update->erase, target, 0, first_sector, update->limit);
    }
    update->decrypting = decrypting;
    update->digest_valid = true;
    nf_ota_unfinished_mark(target);
    return update->id;
}

int32_t nf_ota_NativeOta_Resume(const char *slotLabel, int32_t imageOffset, int32_t imageSize)
{
    if (slotLabel == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    /* A whole sector: the first write after resuming then erases its sector, as esp_ota_write does
     * at a sector boundary, so nothing is programmed over old bytes. */
    if (imageOffset < 0 || imageOffset % 4096 != 0 || imageSize < NF_OTA_SIZE_UNKNOWN || imageSize == 0
        || (imageSize != NF_OTA_SIZE_UNKNOWN && imageOffset > imageSize))
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
#if ESP_IDF_VERSION < ESP_IDF_VERSION_VAL(5, 5, 0)
    (void)slotLabel;
    return NF_OTA_NOT_SUPPORTED;
#else
    const esp_partition_t *target = NULL;
    int32_t status = update_target(slotLabel, imageSize, &target);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    if ((uint32_t)imageOffset > target->size)
    {
        return NF_OTA_IMAGE_TOO_LARGE;
    }
    nf_ota_update_t *update = nf_ota_handles_allocate();
    if (update == NULL)
    {
        return NF_OTA_NO_FREE_HANDLE;
    }
    /* Always erase as it goes (the rest of the slot still holds what the interrupted attempt, or
     * an older image, left), ahead in blocks as Begin does: esp_ota_resume erases nothing itself
     * (v5.5.4, v6.0.1), and with an erase_size other than OTA_WITH_SEQUENTIAL_WRITES its handle's
     * esp_ota_write erases nothing either. */
    esp_ota_handle_t handle = 0;
    esp_err_t err = esp_ota_resume(target, NF_OTA_FLASH_SECTOR, (size_t)imageOffset, &handle);
    if (err != ESP_OK)
    {
        nf_ota_handles_release(update);
        return nf_ota_fail(err);
    }
    update->esp_handle = handle;
    update->partition = target;
    update->limit = imageSize == NF_OTA_SIZE_UNKNOWN ? target->size : (uint32_t)imageSize;
    update->size_known = imageSize != NF_OTA_SIZE_UNKNOWN;
    update->sequential_erase = true;
    nf_ota_erase_ahead_start(&update->erase, target, (uint32_t)imageOffset, 0, update->limit);
    update->position = (uint32_t)imageOffset;
    nf_ota_unfinished_mark(target);
    /* The kept prefix was never hashed here: GetImageDigest is unavailable; read the slot back. */
    update->digest_valid = false;
    return update->id;
#endif
}

/* Decrypt in RAM, a slice at a time, and write the plaintext with esp_ota_write (encrypted again
 * by flash encryption). No allocation: one static slice. */
static int32_t write_decrypted(nf_ota_update_t *update, const uint8_t *data, uint32_t count)
{
    static uint8_t plaintext[1024];
    while (count > 0)
    {
        uint32_t slice = count < sizeof(plaintext) ? count : (uint32_t)sizeof(plaintext);
        int32_t status = update->sequential_erase ? nf_ota_erase_ahead(&update->erase, update->partition, update->position + slice) : NF_OTA_OK;
        if (status == NF_OTA_OK)
        {
            status = nf_ota_enc_image_decrypt(data, slice, plaintext);
        }
        esp_err_t err = status == NF_OTA_OK ? esp_ota_write(update->esp_handle, plaintext, slice) : ESP_OK;
        if (status == NF_OTA_OK && err == ESP_OK)
        {
            track_digest(update, update->position, plaintext, slice);
            update->position += slice;
        }
        memset(plaintext, 0, slice);
        if (status != NF_OTA_OK || err != ESP_OK)
        {
            update->failed = true;
            nf_ota_enc_image_close();
            return status != NF_OTA_OK ? status : nf_ota_fail(err);
        }
        data += slice;
        count -= slice;
    }
    return NF_OTA_OK;
}

static int32_t write_common(int32_t handle, bool at_offset, int32_t imageOffset, uint8_t *buffer, uint32_t buffer_length, int32_t offset, int32_t count)
{
    int32_t status = check_span(buffer, buffer_length, offset, count);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    nf_ota_update_t *update = nf_ota_handles_find(handle);
    if (update == NULL)
    {
        return NF_OTA_UNKNOWN_HANDLE;
    }
    if (update->failed)
    {
        return NF_OTA_INVALID_STATE;
    }

    uint32_t start = at_offset ? (uint32_t)imageOffset : update->position;
    if (at_offset)
    {
        if (imageOffset < 0)
        {
            return NF_OTA_OUT_OF_RANGE;
        }
        /* Erase as you go erases ahead of the append position only (and ESP-IDF's own
         * sequential mode asserts in esp_ota_write_with_offset); GCM decrypts in order only. */
        if (update->sequential_erase || update->decrypting)
        {
            return NF_OTA_INVALID_STATE;
        }
        /* Encrypted flash takes whole 16-byte blocks, and a buffered tail from Write would be lost. */
        if (nf_ota_flash_encryption_enabled() && (((uint32_t)imageOffset | (uint32_t)count) % 16 != 0 || update->position % 16 != 0))
        {
            return NF_OTA_INVALID_ARGUMENT;
        }
    }
    if (start > update->limit || (uint32_t)count > update->limit - start)
    {
        return NF_OTA_IMAGE_TOO_LARGE;
    }
    if (count == 0)
    {
        return NF_OTA_OK;
    }

    const uint8_t *data = buffer + offset;
    if (update->decrypting)
    {
        return write_decrypted(update, data, (uint32_t)count);
    }
    if (update->sequential_erase)
    {
        status = nf_ota_erase_ahead(&update->erase, update->partition, start + (uint32_t)count);
        if (status != NF_OTA_OK)
        {
            update->failed = true;
            return status;
        }
    }
    esp_err_t err = at_offset ? esp_ota_write_with_offset(update->esp_handle, data, (size_t)count, start)
                              : esp_ota_write(update->esp_handle, data, (size_t)count);
    if (err != ESP_OK)
    {
        update->failed = true;
        return nf_ota_fail(err);
    }
    track_digest(update, start, data, (uint32_t)count);
    /* Like ESP-IDF's wrote_size, every accepted byte moves the append position. */
    update->position += (uint32_t)count;
    return NF_OTA_OK;
}

int32_t nf_ota_NativeOta_Write(int32_t handle, uint8_t *buffer, uint32_t buffer_length, int32_t offset, int32_t count)
{
    return write_common(handle, false, 0, buffer, buffer_length, offset, count);
}

int32_t nf_ota_NativeOta_WriteAt(int32_t handle, int32_t imageOffset, uint8_t *buffer, uint32_t buffer_length, int32_t offset, int32_t count)
{
    return write_common(handle, true, imageOffset, buffer, buffer_length, offset, count);
}

int32_t nf_ota_NativeOta_EraseAhead(int32_t handle, int32_t count)
{
    if (count < 0)
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    nf_ota_update_t *update = nf_ota_handles_find(handle);
    if (update == NULL)
    {
        return NF_OTA_UNKNOWN_HANDLE;
    }
    if (update->failed)
    {
        return NF_OTA_INVALID_STATE;
    }
    /* Write refuses anything past the limit, so nothing past it is ever erased ahead. */
    uint32_t room = update->limit - update->position;
    if (!update->sequential_erase)
    {
        return (int32_t)room; /* erased in Begin (a slot is far below 2 GiB) */
    }
    uint32_t end = update->position + ((uint32_t)count < room ? (uint32_t)count : room);
    int32_t status = nf_ota_erase_ahead_step(&update->erase, update->partition, end);
    if (status != NF_OTA_OK)
    {
        update->failed = true;
        return status;
    }
    uint32_t erased = update->erase.erased < update->limit ? update->erase.erased : update->limit;
    return erased > update->position ? (int32_t)(erased - update->position) : 0;
}

int32_t nf_ota_NativeOta_GetImageDigest(int32_t handle, uint8_t *digest, uint32_t digest_length)
{
    if (digest == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (digest_length < NF_OTA_DIGEST_LENGTH)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    nf_ota_update_t *update = nf_ota_handles_find(handle);
    if (update == NULL)
    {
        return NF_OTA_UNKNOWN_HANDLE;
    }
    if (!update->digest_valid)
    {
        return NF_OTA_DIGEST_UNAVAILABLE;
    }
    int32_t status = nf_ota_sha256_peek(&update->digest, digest);
    return status == NF_OTA_OK ? (int32_t)update->contiguous : status;
}

/* A session that ended badly: whatever it left in the slot may still pass ESP-IDF's validation (a
 * pre-encrypted image with a bad tag decrypts to a complete image), so its header goes. The first
 * failure is the one reported; a failed erase leaves the RAM mark, which still refuses the slot. */
static int32_t end_badly(const esp_partition_t *slot, int32_t status)
{
    (void)nf_ota_unfinished_scrub(slot);
    return status;
}

int32_t nf_ota_NativeOta_End(int32_t handle)
{
    nf_ota_update_t *update = nf_ota_handles_find(handle);
    if (update == NULL)
    {
        return NF_OTA_UNKNOWN_HANDLE;
    }
    esp_ota_handle_t esp_handle = update->esp_handle;
    const esp_partition_t *slot = update->partition;
    uint32_t written = update->position;
    bool decrypting = update->decrypting;
    /* esp_ota_end frees ESP-IDF's side whatever it returns, so ours goes too. */
    nf_ota_handles_release(update);
    if (written == 0)
    {
        (void)esp_ota_abort(esp_handle);
        nf_ota_enc_image_close();
        return end_badly(slot, NF_OTA_INVALID_STATE);
    }
    if (decrypting)
    {
        /* An altered or cut-short image is not validated, and its header is erased: it can never
         * be set to boot (SetBootSlot refuses the slot, and ESP-IDF finds no image there). */
        int32_t status = nf_ota_enc_image_finish();
        if (status != NF_OTA_OK)
        {
            (void)esp_ota_abort(esp_handle);
            return end_badly(slot, status);
        }
    }
    int32_t status = nf_ota_fail(esp_ota_end(esp_handle));
    if (status != NF_OTA_OK)
    {
        return end_badly(slot, status);
    }
    if (!nf_ota_handles_writing(slot))
    {
        nf_ota_unfinished_clear(slot);
    }
    return NF_OTA_OK;
}

int32_t nf_ota_NativeOta_Abort(int32_t handle)
{
    nf_ota_update_t *update = nf_ota_handles_find(handle);
    if (update == NULL)
    {
        return NF_OTA_UNKNOWN_HANDLE;
    }
    esp_ota_handle_t esp_handle = update->esp_handle;
    const esp_partition_t *slot = update->partition;
    /* A session that wrote its whole image (or an unknown amount, or a decrypted image whose tag
     * was never checked) may have left a bootable image: erase its header. A session cut short is
     * kept for Resume (the engine checks every kept block against the signed manifest): an image
     * missing its end fails ESP-IDF's validation, whose SHA-256 covers the whole image. Either
     * way SetBootSlot refuses the slot until an End succeeds. */
    bool complete = update->decrypting || !update->size_known || update->position >= update->limit;
    if (update->decrypting)
    {
        nf_ota_enc_image_close();
    }
    nf_ota_handles_release(update);
    int32_t status = nf_ota_fail(esp_ota_abort(esp_handle));
    /* Another handle writing the same slot (the engine resumes a block before it lets the old
     * handle go) carries the session on: its End decides. */
    if (complete && !nf_ota_handles_writing(slot))
    {
        int32_t scrubbed = nf_ota_unfinished_scrub(slot);
        if (status == NF_OTA_OK)
        {
            status = scrubbed;
        }
    }
    return status;
}

/* encryptedSha256: the signed SHA-256 of the whole file (32 bytes), or empty: not checked (older
 * manifests). End then refuses a file whose bytes (this header and every ciphertext byte written)
 * hash to anything else, before the GCM tag and esp_ota_end. */
int32_t nf_ota_NativeOta_OpenEncryptedImage(uint8_t *header, uint32_t header_length, uint8_t *encryptedSha256, uint32_t encryptedSha256_length)
{
    if (header == NULL || (encryptedSha256 == NULL && encryptedSha256_length != 0))
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (header_length != NF_OTA_ENCRYPTED_HEADER_LENGTH || (encryptedSha256_length != 0 && encryptedSha256_length != NF_OTA_DIGEST_LENGTH))
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    return nf_ota_enc_image_open(header, header_length, encryptedSha256_length != 0 ? encryptedSha256 : NULL);
}

int32_t nf_ota_NativeOta_SetBootSlot(const char *slotLabel)
{
    if (slotLabel == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (slotLabel[0] == '\0')
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    const esp_partition_t *target = NULL;
    int32_t status = nf_ota_find_slot(slotLabel, NULL, &target);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    if (target->type != ESP_PARTITION_TYPE_APP)
    {
        return NF_OTA_NOT_AN_OTA_SLOT;
    }
    /* Being written, or its last session failed or was aborted: ESP-IDF would take any valid app. */
    if (nf_ota_unfinished_is(target))
    {
        return NF_OTA_INVALID_STATE;
    }
    return nf_ota_fail(esp_ota_set_boot_partition(target));
}

int32_t nf_ota_NativeOta_GetSlotInfo(int32_t which, uint8_t *record, uint32_t record_length)
{
    if (record == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (record_length < NF_OTA_SLOT_RECORD_LENGTH)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    const esp_partition_t *partition;
    switch (which)
    {
        case NF_OTA_SLOT_RUNNING:
            partition = esp_ota_get_running_partition();
            break;
        case NF_OTA_SLOT_BOOT:
            partition = esp_ota_get_boot_partition();
            break;
        case NF_OTA_SLOT_NEXT_UPDATE:
            partition = esp_ota_get_next_update_partition(NULL);
            break;
        case NF_OTA_SLOT_LAST_INVALID:
            partition = esp_ota_get_last_invalid_partition();
            break;
        default:
            return NF_OTA_INVALID_ARGUMENT;
    }
    if (partition == NULL)
    {
        return NF_OTA_NOT_FOUND;
    }
    nf_ota_write_slot_record(partition, record);
    return NF_OTA_OK;
}

int32_t nf_ota_NativeOta_GetSlotState(const char *slotLabel)
{
    if (slotLabel == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    const esp_partition_t *partition = NULL;
    int32_t status = nf_ota_find_slot(slotLabel, slotLabel[0] == '\0' ? esp_ota_get_running_partition() : NULL, &partition);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    esp_ota_img_states_t state = ESP_OTA_IMG_UNDEFINED;
    esp_err_t err = esp_ota_get_state_partition(partition, &state);
    if (err != ESP_OK)
    {
        return nf_ota_fail(err);
    }
    switch (state)
    {
        case ESP_OTA_IMG_NEW:
            return NF_OTA_STATE_NEW;
        case ESP_OTA_IMG_PENDING_VERIFY:
            return NF_OTA_STATE_PENDING_VERIFY;
        case ESP_OTA_IMG_VALID:
            return NF_OTA_STATE_VALID;
        case ESP_OTA_IMG_INVALID:
            return NF_OTA_STATE_INVALID;
        case ESP_OTA_IMG_ABORTED:
            return NF_OTA_STATE_ABORTED;
        default:
            return NF_OTA_STATE_UNDEFINED;
    }
}

/* True when otadata holds an entry (valid or not) for the running slot. */
static bool running_slot_is_tracked(void)
{
    esp_ota_img_states_t state;
    const esp_partition_t *running = esp_ota_get_running_partition();
    return running != NULL && esp_ota_get_state_partition(running, &state) == ESP_OK;
}

int32_t nf_ota_NativeOta_MarkValid(void)
{
    esp_err_t err = esp_ota_mark_app_valid_cancel_rollback();
    if (err == ESP_FAIL && !running_slot_is_tracked())
    {
        /* ESP-IDF says ESP_FAIL ("running firmware is factory") whenever otadata has no valid
         * entry, e.g. blank otadata after a serial flash. The bootloader never rolls back a slot
         * otadata does not track, so there is nothing to confirm: not a failure. */
        err = ESP_OK;
    }
    int32_t status = nf_ota_fail(err);
    if (status == NF_OTA_OK)
    {
        /* Confirmed: the boot guard must not roll this firmware back any more. */
        nf_ota_boot_guard_disarm();
    }
    return status;
}

int32_t nf_ota_NativeOta_MarkInvalidAndRollback(void)
{
    /* On success the chip restarts inside this call. */
    return nf_ota_fail(esp_ota_mark_app_invalid_rollback_and_reboot());
}

bool nf_ota_NativeOta_IsRollbackPossible(void)
{
    return esp_ota_check_rollback_is_possible();
}

int32_t nf_ota_NativeOta_GetAppDescription(const char *slotLabel, uint8_t *record, uint32_t record_length)
{
    if (slotLabel == NULL || record == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (record_length < NF_OTA_APP_DESCRIPTION_LENGTH)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    if (slotLabel[0] == '\0')
    {
        const esp_app_desc_t *running = esp_app_get_description();
        memcpy(record, running, sizeof(*running));
        return NF_OTA_OK;
    }
    const esp_partition_t *partition = NULL;
    int32_t status = nf_ota_find_slot(slotLabel, NULL, &partition);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    if (partition->type != ESP_PARTITION_TYPE_APP)
    {
        return NF_OTA_NOT_AN_OTA_SLOT;
    }
    esp_app_desc_t description;
    esp_err_t err = esp_ota_get_partition_description(partition, &description);
    if (err != ESP_OK)
    {
        return nf_ota_fail(err);
    }
    memcpy(record, &description, sizeof(description));
    return NF_OTA_OK;
}

int32_t nf_ota_NativeOta_GetChipId(void)
{
    esp_chip_info_t info;
    esp_chip_info(&info);
    /* esp_chip_model_t and the image header's esp_chip_id_t agree on every chip but the ESP32. */
    return info.model == CHIP_ESP32 ? 0 : (int32_t)info.model;
}

int32_t nf_ota_NativeOta_GetFlashEncryptionMode(void)
{
    return (int32_t)esp_get_flash_encryption_mode();
}

bool nf_ota_NativeOta_IsSecureBootEnabled(void)
{
    return esp_secure_boot_enabled();
}

int32_t nf_ota_NativeOta_GetDeviceSecureVersion(void)
{
    return (int32_t)esp_efuse_read_secure_version();
}

int32_t nf_ota_NativeOta_GetSlotSha256(const char *slotLabel, uint8_t *digest, uint32_t digest_length)
{
    if (slotLabel == NULL || digest == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (digest_length < NF_OTA_DIGEST_LENGTH)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    const esp_partition_t *partition = NULL;
    int32_t status = nf_ota_find_slot(slotLabel, slotLabel[0] == '\0' ? esp_ota_get_running_partition() : NULL, &partition);
    if (status != NF_OTA_OK)
    {
        return status;
    }
    return nf_ota_fail(esp_partition_get_sha256(partition, digest));
}

int32_t nf_ota_NativeOta_VerifyP256(uint8_t *publicKey, uint32_t publicKey_length, uint8_t *message, uint32_t message_length, int32_t messageLength, uint8_t *signature, uint32_t signature_length)
{
    if (publicKey == NULL || message == NULL || signature == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    if (messageLength < 0 || (uint32_t)messageLength > message_length)
    {
        return NF_OTA_OUT_OF_RANGE;
    }
    if (publicKey_length != NF_OTA_P256_PUBLIC_KEY_LENGTH)
    {
        return NF_OTA_KEY_INVALID;
    }
    if (signature_length != NF_OTA_P256_SIGNATURE_LENGTH)
    {
        return NF_OTA_SIGNATURE_INVALID;
    }
    return nf_ota_p256_verify(publicKey, message, (size_t)messageLength, signature);
}

int32_t nf_ota_NativeOta_GetLastEspError(void)
{
    return (int32_t)nf_ota_last_esp_error();
}

void nf_ota_NativeOta_Reboot(void)
{
    esp_restart();
}

/*
 * Update sessions (StartUpdateSession, ResumeUpdateSession, StoreImageChunk, Complete, Abort):
 * one writer per image, named by a token; the stream is the MCUboot file byte for byte and lands
 * in the secondary pair as nf_ota_ifu_internal.h lays it out.
 *
 * Sessions live in RAM and end with the CLR (nf_ota_ifu_release_all). Resume keeps no state of
 * its own: it reads what the slot holds, as MCUboot's does. nanoCLR calls natives from its one
 * interpreter thread, so there is no locking here.
 */
#include <string.h>

#include "esp_idf_version.h"
#include "esp_ota_ops.h"
#include "esp_timer.h"
#include "nf_ota_ifu_internal.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
#include "nf_ota_unfinished.h"

typedef struct {
    bool open;
    int32_t owner;
    uint32_t token;
    uint32_t total;
    uint32_t next;
    bool resumed;
    bool header_seen;
    nf_ota_ifu_header_t header;
    nf_ota_ifu_pair_t pair;
    /* nf_ota's handle on the firmware slot while its payload is written (0: none yet). */
    int32_t handle;
    /* The start of the current region's unfinished 16-byte block, kept in RAM until it fills. */
    uint8_t carry[NF_OTA_IFU_BLOCK];
    uint32_t carry_length;
} session_t;

static session_t s_sessions[NF_OTA_IFU_IMAGE_COUNT];
static bool s_staged[NF_OTA_IFU_IMAGE_COUNT];
static uint32_t s_token_counter;
static int32_t s_last_detail;

bool nf_ota_ifu_is_staged(int32_t image)
{
    return image >= 0 && image < NF_OTA_IFU_IMAGE_COUNT && s_staged[image];
}

void nf_ota_ifu_set_staged(int32_t image, bool staged)
{
    if (image >= 0 && image < NF_OTA_IFU_IMAGE_COUNT)
    {
        s_staged[image] = staged;
    }
}

bool nf_ota_ifu_session_open(int32_t image)
{
    return image >= 0 && image < NF_OTA_IFU_IMAGE_COUNT && s_sessions[image].open;
}

int32_t nf_ota_ifu_last_detail(void)
{
    return s_last_detail;
}

/* A counter mixed with the clock: tokens keep writers apart, they are not secrets. Never 0. */
static uint32_t new_token(void)
{
    uint32_t token;
    do
    {
        s_token_counter++;
        token = (s_token_counter * 0x9E3779B1u) ^ (uint32_t)esp_timer_get_time();
    } while (token == 0);
    return token;
}

static void describe(const session_t *state, int32_t image, nf_ota_ifu_session_t *session)
{
    memset(session, 0, sizeof(*session));
    session->image = image;
    session->token = state->token;
    session->total_length = (int32_t)state->total;
    session->next_offset = (int32_t)state->next;
    session->resumed = state->resumed;
    session->header_seen = state->header_seen;
    if (state->header_seen)
    {
        session->version = state->header.version;
        session->header_size = state->header.header_size;
        session->image_size = (int32_t)state->header.image_size;
    }
}

/* Close a session; a firmware payload handle is let go with what it wrote kept (Resume reads it). */
static void close_session(session_t *state)
{
    if (state->handle > 0)
    {
        (void)nf_ota_NativeOta_Abort(state->handle);
    }
    memset(state, 0, sizeof(*state));
}

void nf_ota_ifu_release_all(void)
{
    for (int32_t image = 0; image < NF_OTA_IFU_IMAGE_COUNT; image++)
    {
        close_session(&s_sessions[image]);
        s_staged[image] = false;
    }
    s_last_detail = NF_OTA_IFU_DETAIL_NONE;
}

static session_t *find(const nf_ota_ifu_session_t *session)
{
    if (session == NULL || session->image < 0 || session->image >= NF_OTA_IFU_IMAGE_COUNT)
    {
        return NULL;
    }
    session_t *state = &s_sessions[session->image];
    return state->open && state->token == session->token && session->token != 0 ? state : NULL;
}

/* Who may open a session on this image now (BUSY when another owner has one), and the secondary
 * pair it will write. */
static int32_t claim(int32_t image, int32_t total_length, int32_t owner, nf_ota_ifu_pair_t *pair)
{
    if (image < 0 || image >= NF_OTA_IFU_IMAGE_COUNT || total_length <= 0 || owner <= NF_OTA_IFU_OWNER_NONE || owner > NF_OTA_IFU_OWNER_NATIVE)
    {
        return NF_OTA_IFU_BAD_ARGUMENT;
    }
    session_t *state = &s_sessions[image];
    if (state->open && state->owner != owner)
    {
        return NF_OTA_IFU_BUSY;
    }
    /* This image was completed and its pair set to boot since the CLR started: reboot first
     * (or erase the secondary image), as MCUboot refuses a session while a swap is pending. */
    if (s_staged[image])
    {
        return NF_OTA_IFU_SWAP_IN_FLIGHT;
    }
    /* The running pair is on trial (pending verification): ESP-IDF refuses to write the other
     * slot until it is confirmed or rolled back, and Complete would fail after the download. */
    esp_ota_img_states_t running_state = ESP_OTA_IMG_UNDEFINED;
    const esp_partition_t *running = esp_ota_get_running_partition();
    if (running != NULL && esp_ota_get_state_partition(running, &running_state) == ESP_OK && running_state == ESP_OTA_IMG_PENDING_VERIFY)
    {
        return NF_OTA_IFU_SWAP_IN_FLIGHT;
    }
    close_session(state);
    return nf_ota_ifu_pair(NF_OTA_IFU_SLOT_SECONDARY, pair);
}

/* The header and TLVs fit the sidecar, the payload fits its partition, the total holds them. */
static int32_t check_layout(const nf_ota_ifu_header_t *header, uint32_t total, const esp_partition_t *partition)
{
    if (nf_ota_ifu_hashed_length(header) + 4 > total)
    {
        return NF_OTA_IFU_BAD_MAGIC;
    }
    if (header->header_size > NF_OTA_IFU_MAX_HEADER || header->image_size > nf_ota_ifu_payload_room(partition)
        || nf_ota_ifu_tlv_length(header, total) > NF_OTA_IFU_MAX_TLVS)
    {
        return NF_OTA_IFU_TOO_LARGE;
    }
    return NF_OTA_IFU_SUCCESS;
}

int32_t nf_ota_ifu_start(int32_t image, int32_t total_length, int32_t owner, nf_ota_ifu_session_t *session)
{
    if (session == NULL)
    {
        return NF_OTA_IFU_BAD_ARGUMENT;
    }
    nf_ota_ifu_pair_t pair;
    int32_t result = claim(image, total_length, owner, &pair);
    if (result != NF_OTA_IFU_SUCCESS)
    {
        return result;
    }
    const esp_partition_t *partition = nf_ota_ifu_partition(&pair, image);
    if ((uint32_t)total_length > nf_ota_ifu_payload_room(partition) + NF_OTA_IFU_MAX_HEADER + NF_OTA_IFU_MAX_TLVS)
    {
        return NF_OTA_IFU_TOO_LARGE;
    }
    /* The secondary slot's old image goes: its sidecar now, a firmware payload as esp_ota_begin
     * erases it, a deployment's here (nanoCLR would load any assembly left after the new ones). */
    uint32_t tail = nf_ota_ifu_tlv_at(partition);
    int32_t erased = nf_ota_ifu_erase(&pair, partition, tail, partition->size - tail);
    if (erased == NF_OTA_OK && image == NF_OTA_IFU_IMAGE_DEPLOYMENT)
    {
        erased = nf_ota_ifu_erase(&pair, partition, 0, tail);
    }
    if (erased != NF_OTA_OK)
    {
        return NF_OTA_IFU_FLASH_ERROR;
    }
    session_t *state = &s_sessions[image];
    if (image == NF_OTA_IFU_IMAGE_NANOCLR)
    {
        /* esp_ota_begin erases the payload's room (the whole slot but its sidecar), as MCUboot
         * erases its secondary slot here: Resume may then take any programmed byte for this
         * session's. The slot is not bootable from now until a Complete succeeds. */
        int32_t handle = nf_ota_NativeOta_Begin(pair.slot->label, (int32_t)nf_ota_ifu_payload_room(partition), 0);
        if (handle <= 0)
        {
            return NF_OTA_IFU_FLASH_ERROR;
        }
        state->handle = handle;
    }
    state->open = true;
    state->owner = owner;
    state->token = new_token();
    state->total = (uint32_t)total_length;
    state->pair = pair;
    describe(state, image, session);
    return NF_OTA_IFU_SUCCESS;
}

/* --- writing the stream ----------------------------------------------------------------------- */

/* Where stream byte `position` goes: its partition offset and how many bytes remain in its region. */
static void locate(const session_t *state, int32_t image, uint32_t position, const esp_partition_t **partition, uint32_t *offset,
    uint32_t *left, bool *payload)
{
    const nf_ota_ifu_header_t *header = &state->header;
    uint32_t body = (uint32_t)header->header_size + header->image_size;
    *partition = nf_ota_ifu_partition(&state->pair, image);
    *payload = false;
    if (position < header->header_size)
    {
        *offset = nf_ota_ifu_header_sector_at(*partition) + NF_OTA_IFU_HEADER_AT + position;
        *left = header->header_size - position;
    }
    else if (position < body)
    {
        *offset = position - header->header_size;
        *left = body - position;
        *payload = true;
    }
    else
    {
        *offset = nf_ota_ifu_tlv_at(*partition) + (position - body);
        *left = state->total - position;
    }
}

/* Bytes into a 16-byte-block region at `offset`: whole blocks now, the rest carried; `ends` pads
 * and writes the last block (the region is complete). */
static int32_t write_blocks(session_t *state, const esp_partition_t *partition, uint32_t offset, const uint8_t *data, uint32_t count, bool ends)
{
    uint32_t block_at = offset - state->carry_length;
    while (count > 0 || (ends && state->carry_length > 0))
    {
        if (state->carry_length > 0 || count < NF_OTA_IFU_BLOCK)
        {
            uint32_t take = NF_OTA_IFU_BLOCK - state->carry_length < count ? NF_OTA_IFU_BLOCK - state->carry_length : count;
            memcpy(state->carry + state->carry_length, data, take);
            state->carry_length += take;
            data += take;
            count -= take;
            if (state->carry_length < NF_OTA_IFU_BLOCK && !ends)
            {
                return NF_OTA_OK;
            }
            memset(state->carry + state->carry_length, 0xFF, NF_OTA_IFU_BLOCK - state->carry_length);
            int32_t status = nf_ota_ifu_write(&state->pair, partition, block_at, state->carry, NF_OTA_IFU_BLOCK);
            if (status != NF_OTA_OK)
            {
                return status;
            }
            state->carry_length = 0;
            block_at += NF_OTA_IFU_BLOCK;
            continue;
        }
        uint32_t whole = count - count % NF_OTA_IFU_BLOCK;
        int32_t status = nf_ota_ifu_write(&state->pair, partition, block_at, data, whole);
        if (status != NF_OTA_OK)
        {
            return status;
        }
        block_at += whole;
        data += whole;
        count -= whole;
    }
    return NF_OTA_OK;
}

/* The firmware payload goes through esp_ota_write: a handle from Begin, or Resume when the slot
 * already holds the payload's first bytes. */
static int32_t write_firmware(session_t *state, uint32_t offset, const uint8_t *data, uint32_t count)
{
    if (state->handle <= 0)
    {
        const char *label = state->pair.slot->label;
        int32_t size = (int32_t)state->header.image_size;
        state->handle = offset == 0 ? nf_ota_NativeOta_Begin(label, size, NF_OTA_BEGIN_SEQUENTIAL_ERASE) : nf_ota_NativeOta_Resume(label, (int32_t)offset, size);
        if (state->handle <= 0)
        {
            int32_t status = state->handle;
            state->handle = 0;
            return status;
        }
    }
    return nf_ota_NativeOta_Write(state->handle, (uint8_t *)data, count, 0, (int32_t)count);
}

/* The first chunk of a fresh session holds the header: the layout follows from it. */
static int32_t take_header(session_t *state, int32_t image, const uint8_t *data, size_t count)
{
    if (state->next != 0 || count < NF_OTA_IFU_HEADER_LENGTH)
    {
        return NF_OTA_IFU_BAD_MAGIC;
    }
    nf_ota_ifu_header_t header;
    int32_t result = nf_ota_ifu_parse_header(data, &header);
    if (result == NF_OTA_IFU_SUCCESS)
    {
        result = check_layout(&header, state->total, nf_ota_ifu_partition(&state->pair, image));
    }
    if (result == NF_OTA_IFU_SUCCESS)
    {
        state->header = header;
        state->header_seen = true;
    }
    return result;
}

int32_t nf_ota_ifu_store(nf_ota_ifu_session_t *session, const uint8_t *data, size_t count)
{
    session_t *state = find(session);
    if (state == NULL)
    {
        return NF_OTA_IFU_BAD_TOKEN;
    }
    int32_t image = session->image;
    if (data == NULL && count > 0)
    {
        return NF_OTA_IFU_BAD_ARGUMENT;
    }
    if (count > state->total - state->next)
    {
        return NF_OTA_IFU_TOO_LARGE;
    }
    int32_t result = count == 0 || state->header_seen ? NF_OTA_IFU_SUCCESS : take_header(state, image, data, count);
    while (result == NF_OTA_IFU_SUCCESS && count > 0)
    {
        const esp_partition_t *partition;
        uint32_t offset, left;
        bool payload;
        locate(state, image, state->next, &partition, &offset, &left, &payload);
        uint32_t piece = count < left ? (uint32_t)count : left;
        int32_t status = payload && image == NF_OTA_IFU_IMAGE_NANOCLR ? write_firmware(state, offset, data, piece)
                                                                        : write_blocks(state, partition, offset, data, piece, piece == left);
        if (status != NF_OTA_OK)
        {
            result = NF_OTA_IFU_FLASH_ERROR;
            break;
        }
        state->next += piece;
        data += piece;
        count -= piece;
    }
    describe(state, image, session);
    return result;
}

/* --- resume ------------------------------------------------------------------------------------ */

/* Where writing can go on from, by what the secondary slot holds (see nf_ota_ifu_resume). */
static int32_t resume_point(session_t *state, int32_t image, uint32_t *next)
{
    const esp_partition_t *partition = nf_ota_ifu_partition(&state->pair, image);
    const nf_ota_ifu_header_t *header = &state->header;
    uint32_t tlv_length = nf_ota_ifu_tlv_length(header, state->total);
    uint32_t tlv_end = 0, payload_end = 0, header_end = 0;
    int32_t status = nf_ota_ifu_written_end(partition, nf_ota_ifu_tlv_at(partition), tlv_length, &tlv_end);
    if (status == NF_OTA_OK)
    {
        status = nf_ota_ifu_written_end(partition, 0, header->image_size, &payload_end);
    }
    if (status == NF_OTA_OK)
    {
        status = nf_ota_ifu_written_end(partition, nf_ota_ifu_header_sector_at(partition) + NF_OTA_IFU_HEADER_AT, header->header_size, &header_end);
    }
    if (status != NF_OTA_OK)
    {
        return NF_OTA_IFU_FLASH_ERROR;
    }
    uint32_t body = (uint32_t)header->header_size + header->image_size;
    /* A deployment whose every byte is there: nothing to erase, complete at once. */
    if (image == NF_OTA_IFU_IMAGE_DEPLOYMENT && tlv_end >= tlv_length)
    {
        *next = state->total;
        return NF_OTA_IFU_SUCCESS;
    }
    if (tlv_end > 0 || payload_end > 0)
    {
        /* Back to the start of the erase block holding the last payload byte written (a cut may
         * have left it half programmed); the TLVs, written after it, go too. A firmware payload
         * always goes on through esp_ota (its End needs a handle that saw the image's end). */
        uint32_t sector = payload_end > 0 ? ((payload_end - 1) / NF_OTA_IFU_SECTOR) * NF_OTA_IFU_SECTOR : 0;
#if ESP_IDF_VERSION < ESP_IDF_VERSION_VAL(5, 5, 0)
        /* No esp_ota_resume before ESP-IDF 5.5: the firmware payload starts over. */
        if (image == NF_OTA_IFU_IMAGE_NANOCLR)
        {
            sector = 0;
        }
#endif
        if (image == NF_OTA_IFU_IMAGE_DEPLOYMENT && tlv_end > 0)
        {
            sector = header->image_size;
        }
        uint32_t tail = nf_ota_ifu_tlv_at(partition);
        status = nf_ota_ifu_erase(&state->pair, partition, tail, NF_OTA_IFU_SECTOR);
        if (status == NF_OTA_OK && image == NF_OTA_IFU_IMAGE_DEPLOYMENT && sector < header->image_size)
        {
            status = nf_ota_ifu_erase(&state->pair, partition, sector, tail - sector);
        }
        *next = body - header->image_size + sector;
        return status == NF_OTA_OK ? NF_OTA_IFU_SUCCESS : NF_OTA_IFU_FLASH_ERROR;
    }
    /* Only the header so far: on from its last whole block (written 0xFF padding reads as erased
     * without flash encryption; writing it again changes nothing). */
    *next = header_end >= header->header_size ? header->header_size : header_end;
    return NF_OTA_IFU_SUCCESS;
}

int32_t nf_ota_ifu_resume(int32_t image, int32_t total_length, const uint8_t *expected_header, size_t expected_length,
    int32_t owner, nf_ota_ifu_session_t *session)
{
    if (session == NULL || (expected_header == NULL && expected_length > 0) || expected_length > NF_OTA_IFU_HEADER_LENGTH)
    {
        return NF_OTA_IFU_BAD_ARGUMENT;
    }
    nf_ota_ifu_pair_t pair;
    int32_t result = claim(image, total_length, owner, &pair);
    if (result != NF_OTA_IFU_SUCCESS)
    {
        return result;
    }
    const esp_partition_t *partition = nf_ota_ifu_partition(&pair, image);
    uint32_t at = nf_ota_ifu_header_sector_at(partition) + NF_OTA_IFU_HEADER_AT;
    uint8_t bytes[NF_OTA_IFU_HEADER_LENGTH];
    uint32_t written = 0;
    if (nf_ota_ifu_written_end(partition, at, sizeof(bytes), &written) != NF_OTA_OK || written < sizeof(bytes)
        || nf_ota_ifu_read(partition, at, bytes, sizeof(bytes)) != NF_OTA_OK)
    {
        return NF_OTA_IFU_NO_IMAGE;
    }
    nf_ota_ifu_header_t header;
    if (nf_ota_ifu_parse_header(bytes, &header) != NF_OTA_IFU_SUCCESS)
    {
        return NF_OTA_IFU_NO_IMAGE;
    }
    if (memcmp(bytes, expected_header, expected_length) != 0 || check_layout(&header, (uint32_t)total_length, partition) != NF_OTA_IFU_SUCCESS)
    {
        return NF_OTA_IFU_HEADER_MISMATCH;
    }
    session_t *state = &s_sessions[image];
    state->pair = pair;
    state->total = (uint32_t)total_length;
    state->header = header;
    state->header_seen = true;
    uint32_t next = 0;
    result = resume_point(state, image, &next);
    if (result != NF_OTA_IFU_SUCCESS)
    {
        memset(state, 0, sizeof(*state));
        return result;
    }
    state->open = true;
    state->owner = owner;
    state->token = new_token();
    state->next = next;
    state->resumed = true;
    describe(state, image, session);
    return NF_OTA_IFU_SUCCESS;
}

/* --- complete and abort ------------------------------------------------------------------------ */

int32_t nf_ota_ifu_complete(nf_ota_ifu_session_t *session)
{
    session_t *state = find(session);
    if (state == NULL)
    {
        return NF_OTA_IFU_BAD_TOKEN;
    }
    int32_t image = session->image;
    if (state->next != state->total || !state->header_seen)
    {
        describe(state, image, session);
        return NF_OTA_IFU_INCOMPLETE;
    }
    /* The other half of the pair is being written: staging now would copy over it. */
    if (s_sessions[1 - image].open)
    {
        describe(state, image, session);
        return NF_OTA_IFU_BUSY;
    }
    int32_t detail = NF_OTA_IFU_DETAIL_NONE;
    int32_t result = NF_OTA_IFU_SUCCESS;
    nf_ota_ifu_pair_t pair = state->pair;
    if (image == NF_OTA_IFU_IMAGE_NANOCLR)
    {
        /* esp_ota_end first: it writes what esp_ota_write still buffers (a partial 16-byte block
         * under flash encryption) and validates the app image, with its secure boot signature
         * when that is on; a refusal erases the image's header. */
        int32_t handle = state->handle;
        state->handle = 0;
        if (handle <= 0 || nf_ota_NativeOta_End(handle) != NF_OTA_OK)
        {
            result = NF_OTA_IFU_BAD_TLV;
            detail = NF_OTA_IFU_DETAIL_APP_IMAGE_INVALID;
        }
    }
    uint8_t payload_sha256[32];
    if (result == NF_OTA_IFU_SUCCESS)
    {
        result = nf_ota_ifu_verify(&pair, image, state->total, &detail, payload_sha256);
    }
    if (result == NF_OTA_IFU_SUCCESS)
    {
        result = nf_ota_ifu_stage(&pair, image, &state->header, payload_sha256, &detail);
    }
    if (result != NF_OTA_IFU_SUCCESS)
    {
        /* Nothing refused may boot: a firmware esp_ota_end accepted loses its header again (ESP-IDF
         * would set any valid app to boot), and a pair already set to boot is cancelled. */
        if (image == NF_OTA_IFU_IMAGE_NANOCLR)
        {
            nf_ota_unfinished_mark(pair.slot);
            (void)nf_ota_unfinished_scrub(pair.slot);
        }
        (void)nf_ota_ifu_cancel_staging(&pair);
    }
    s_last_detail = detail;
    state->next = state->total;
    describe(state, image, session);
    memset(state, 0, sizeof(*state));
    if (result == NF_OTA_IFU_SUCCESS)
    {
        s_staged[image] = true;
    }
    return result;
}

int32_t nf_ota_ifu_erase_image(const nf_ota_ifu_pair_t *pair, int32_t image);

int32_t nf_ota_ifu_abort(const nf_ota_ifu_session_t *session, bool erase_slot)
{
    session_t *state = find(session);
    if (state == NULL)
    {
        return NF_OTA_IFU_BAD_TOKEN;
    }
    nf_ota_ifu_pair_t pair = state->pair;
    close_session(state);
    return erase_slot ? nf_ota_ifu_erase_image(&pair, session->image) : NF_OTA_IFU_SUCCESS;
}

int32_t nf_ota_ifu_get_owner(int32_t image)
{
    if (image < 0 || image >= NF_OTA_IFU_IMAGE_COUNT)
    {
        return NF_OTA_IFU_OWNER_NONE;
    }
    return s_sessions[image].open ? s_sessions[image].owner : NF_OTA_IFU_OWNER_NONE;
}

#include "nf_ota_erase_ahead.h"

#include "nf_ota_errors.h"
#include "nf_ota_status.h"

static uint32_t sector_up(uint32_t value)
{
    return (uint32_t)(((uint64_t)value + NF_OTA_FLASH_SECTOR - 1) & ~(uint64_t)(NF_OTA_FLASH_SECTOR - 1));
}

void nf_ota_erase_ahead_start(nf_ota_erase_ahead_t *state, const esp_partition_t *slot, uint32_t from, uint32_t pre_erased, uint32_t limit)
{
    uint32_t extent = sector_up(limit);
    state->erased = from;
    state->pre_erased = pre_erased > from ? pre_erased : from;
    state->extent = extent < slot->size ? extent : slot->size;
}

static uint32_t need_for(const nf_ota_erase_ahead_t *state, uint32_t end)
{
    uint32_t need = sector_up(end);
    return need > state->extent ? state->extent : need;
}

int32_t nf_ota_erase_ahead_step(nf_ota_erase_ahead_t *state, const esp_partition_t *slot, uint32_t end)
{
    uint32_t need = need_for(state, end);
    if (state->erased >= need)
    {
        return NF_OTA_OK;
    }
    uint32_t at = state->erased;
    /* Blocks are aligned on the flash, not in the slot (app slots are 64 KiB aligned; a table may
     * still place one otherwise). */
    uint32_t block_end = at + (NF_OTA_FLASH_BLOCK - (slot->address + at) % NF_OTA_FLASH_BLOCK);
    uint32_t wanted_end = block_end < state->extent ? block_end : state->extent;
    uint32_t from = at > state->pre_erased ? at : state->pre_erased;
    uint32_t wanted = from < wanted_end ? (wanted_end - from) / NF_OTA_FLASH_SECTOR : 0;
    if ((slot->address + at) % NF_OTA_FLASH_BLOCK == 0 && block_end <= slot->size && wanted >= NF_OTA_BLOCK_WORTH_SECTORS)
    {
        /* One call for the aligned 64 KiB: ESP-IDF's region erase (esp_flash_api.c) issues one block erase. */
        int32_t status = nf_ota_fail(esp_partition_erase_range(slot, at, NF_OTA_FLASH_BLOCK));
        if (status == NF_OTA_OK)
        {
            state->erased = block_end;
        }
        return status;
    }
    /* The sectors this write enters, within this block (fewer than a block's worth, a partial
     * block at the slot's end, or a block already begun: resumed part-way), a few per step. */
    uint32_t stop = need < block_end ? need : block_end;
    if (from < stop)
    {
        uint32_t most = from + NF_OTA_STEP_SECTORS * NF_OTA_FLASH_SECTOR;
        stop = stop < most ? stop : most;
        int32_t status = nf_ota_fail(esp_partition_erase_range(slot, from, stop - from));
        if (status != NF_OTA_OK)
        {
            return status;
        }
    }
    state->erased = stop;
    return NF_OTA_OK;
}

int32_t nf_ota_erase_ahead(nf_ota_erase_ahead_t *state, const esp_partition_t *slot, uint32_t end)
{
    uint32_t need = need_for(state, end);
    while (state->erased < need)
    {
        int32_t status = nf_ota_erase_ahead_step(state, slot, end);
        if (status != NF_OTA_OK)
        {
            return status;
        }
    }
    return NF_OTA_OK;
}

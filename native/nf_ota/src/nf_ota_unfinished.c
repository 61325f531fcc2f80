#include "nf_ota_unfinished.h"

#include <string.h>

#include "nf_ota_errors.h"
#include "nf_ota_status.h"

/* ota_0 .. ota_15: at most 16 OTA app slots in a partition table. */
#define MAX_SLOTS 16
#define SECTOR_SIZE 4096u

/* Slot addresses (unique in a partition table); 0 marks a free entry (no app slot starts at 0). */
static uint32_t s_unfinished[MAX_SLOTS];

static int32_t index_of(uint32_t address)
{
    for (int32_t i = 0; i < MAX_SLOTS; i++)
    {
        if (s_unfinished[i] == address)
        {
            return i;
        }
    }
    return -1;
}

void nf_ota_unfinished_mark(const esp_partition_t *slot)
{
    if (slot == NULL || slot->address == 0 || index_of(slot->address) >= 0)
    {
        return;
    }
    int32_t free_entry = index_of(0);
    if (free_entry >= 0)
    {
        s_unfinished[free_entry] = slot->address;
    }
}

void nf_ota_unfinished_clear(const esp_partition_t *slot)
{
    int32_t entry = slot == NULL ? -1 : index_of(slot->address);
    if (entry >= 0)
    {
        s_unfinished[entry] = 0;
    }
}

bool nf_ota_unfinished_is(const esp_partition_t *slot)
{
    return slot != NULL && slot->address != 0 && index_of(slot->address) >= 0;
}

int32_t nf_ota_unfinished_scrub(const esp_partition_t *slot)
{
    if (slot == NULL)
    {
        return NF_OTA_NULL_ARGUMENT;
    }
    /* The image header (magic 0xE9) is the slot's first bytes: without it esp_image_verify, and so
     * esp_ota_set_boot_partition and the bootloader, refuse the slot. One sector is the least
     * esp_partition_erase_range takes. */
    uint32_t length = slot->erase_size > SECTOR_SIZE ? slot->erase_size : SECTOR_SIZE;
    if (length > slot->size)
    {
        length = slot->size;
    }
    return nf_ota_fail(esp_partition_erase_range(slot, 0, length));
}

void nf_ota_unfinished_reset(void)
{
    memset(s_unfinished, 0, sizeof(s_unfinished));
}

#include "nf_ota_handles.h"

#include <string.h>

#include "nf_ota_status.h"

static nf_ota_update_t s_updates[NF_OTA_MAX_HANDLES];
static uint32_t s_generation = 1;

nf_ota_update_t *nf_ota_handles_allocate(void)
{
    for (int32_t slot = 0; slot < NF_OTA_MAX_HANDLES; slot++)
    {
        nf_ota_update_t *update = &s_updates[slot];
        if (!update->in_use)
        {
            memset(update, 0, sizeof(*update));
            update->in_use = true;
            update->id = (int32_t)(((s_generation & 0x3FFFFFu) << 4) | (uint32_t)(slot + 1));
            s_generation = (s_generation & 0x3FFFFFu) + 1;
            return update;
        }
    }
    return NULL;
}

nf_ota_update_t *nf_ota_handles_find(int32_t id)
{
    int32_t slot = (id & 0xF) - 1;
    if (id <= 0 || slot < 0 || slot >= NF_OTA_MAX_HANDLES)
    {
        return NULL;
    }
    nf_ota_update_t *update = &s_updates[slot];
    return update->in_use && update->id == id ? update : NULL;
}

void nf_ota_handles_release(nf_ota_update_t *update)
{
    nf_ota_sha256_free(&update->digest);
    memset(update, 0, sizeof(*update));
}

void nf_ota_handles_reset(void)
{
    for (int32_t slot = 0; slot < NF_OTA_MAX_HANDLES; slot++)
    {
        if (s_updates[slot].in_use)
        {
            nf_ota_handles_release(&s_updates[slot]);
        }
    }
}

int32_t nf_ota_handles_open_count(void)
{
    int32_t count = 0;
    for (int32_t slot = 0; slot < NF_OTA_MAX_HANDLES; slot++)
    {
        count += s_updates[slot].in_use ? 1 : 0;
    }
    return count;
}

bool nf_ota_handles_writing(const esp_partition_t *slot)
{
    for (int32_t i = 0; i < NF_OTA_MAX_HANDLES; i++)
    {
        if (s_updates[i].in_use && s_updates[i].partition != NULL && slot != NULL && s_updates[i].partition->address == slot->address)
        {
            return true;
        }
    }
    return false;
}

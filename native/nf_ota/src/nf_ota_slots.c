#include "nf_ota_slots.h"

#include <string.h>

#include "nf_ota_status.h"

int32_t nf_ota_find_slot(const char *label, const esp_partition_t *fallback, const esp_partition_t **found)
{
    *found = NULL;
    if (label[0] == '\0')
    {
        *found = fallback;
        return fallback != NULL ? NF_OTA_OK : NF_OTA_NOT_FOUND;
    }
    /* Partition table labels hold at most 16 bytes; anything longer cannot match. */
    size_t length = 0;
    while (length <= 16 && label[length] != '\0')
    {
        length++;
    }
    if (length > 16)
    {
        return NF_OTA_INVALID_ARGUMENT;
    }
    *found = esp_partition_find_first(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, label);
    return *found != NULL ? NF_OTA_OK : NF_OTA_NOT_FOUND;
}

bool nf_ota_is_ota_app(const esp_partition_t *partition)
{
    return partition->type == ESP_PARTITION_TYPE_APP
           && partition->subtype >= ESP_PARTITION_SUBTYPE_APP_OTA_MIN
           && partition->subtype < ESP_PARTITION_SUBTYPE_APP_OTA_MAX;
}

static void put_u32(uint8_t *to, uint32_t value)
{
    to[0] = (uint8_t)value;
    to[1] = (uint8_t)(value >> 8);
    to[2] = (uint8_t)(value >> 16);
    to[3] = (uint8_t)(value >> 24);
}

void nf_ota_write_slot_record(const esp_partition_t *partition, uint8_t *record)
{
    memset(record, 0, NF_OTA_SLOT_RECORD_LENGTH);
    put_u32(record, partition->address);
    put_u32(record + 4, partition->size);
    record[8] = (uint8_t)partition->type;
    record[9] = (uint8_t)partition->subtype;
    record[10] = partition->encrypted ? 1 : 0;
    record[11] = partition->readonly ? 1 : 0;
    /* label[16] plus a terminating zero that memset already put there. */
    for (int i = 0; i < NF_OTA_SLOT_RECORD_LABEL_LENGTH - 1 && partition->label[i] != '\0'; i++)
    {
        record[NF_OTA_SLOT_RECORD_LABEL_OFFSET + i] = (uint8_t)partition->label[i];
    }
}

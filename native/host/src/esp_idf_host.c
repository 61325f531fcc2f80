/*
 * ESP-IDF's API for the host build of nf_ota, served by the callbacks of nf_ota_host.h.
 * Only the functions nf_ota uses exist here. Partition pointers stay valid for the life of a
 * boot, as on the chip; after a restart the cache and nf_ota's handle table start empty.
 */
#include <stdbool.h>
#include <string.h>

#include "esp_app_desc.h"
#include "esp_chip_info.h"
#include "esp_efuse.h"
#include "esp_flash_encrypt.h"
#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "esp_secure_boot.h"
#include "esp_private/startup_internal.h"
#include "esp_system.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "nf_ota_boot_guard.h"
#include "nf_ota_errors.h"
#include "nf_ota_enc_image.h"
#include "nf_ota_handles.h"
#include "nf_ota_host.h"
#include "nf_ota_ifu.h"
#include "nf_ota_native_table.h"
#include "nf_ota_unfinished.h"

static nf_ota_host_callbacks_t s_callbacks;
static bool s_attached = false;
static int32_t s_boot_seen = -1;
static esp_partition_t s_partitions[NF_OTA_HOST_MAX_PARTITIONS];
static int32_t s_partition_count = 0;
static esp_app_desc_t s_running_description;

/* The running firmware's native table, fetched once per boot and kept as nanoCLR keeps its own:
 * NUL-terminated names the caller may hold on to. */
#define HOST_MAX_NATIVES 64
static uint8_t s_native_record[2048];
static char s_native_names[HOST_MAX_NATIVES][256];
static uint32_t s_native_checksums[HOST_MAX_NATIVES];
static int32_t s_native_count = -1;

/* Abandon the call if the chip stopped inside the callback. */
static int32_t checked(int32_t result)
{
    if (result == NF_OTA_HOST_UNWIND)
    {
        nf_host_unwind(NF_HOST_UNWOUND_BY_DEVICE);
    }
    return result;
}

/* esp_timer's timers, in RAM: a restart forgets them. */
struct esp_timer {
    bool used;
    bool armed;
    int64_t deadline_us;
    esp_timer_cb_t callback;
    void *arg;
};
#define HOST_MAX_TIMERS 4
static struct esp_timer s_timers[HOST_MAX_TIMERS];

/* The component's ESP_SYSTEM_INIT_FN record (nf_ota_boot_guard.c): ESP-IDF runs it at each start-up. */
extern esp_system_init_fn_t esp_system_init_fn_nf_ota_boot_guard_init;

static void forget_ram(void)
{
    nf_ota_handles_reset();
    nf_ota_unfinished_reset();
    nf_ota_enc_image_close();
    nf_ota_errors_reset();
    nf_ota_boot_guard_reset();
    /* Sessions and what was staged live in RAM (the handles they held are gone already). */
    nf_ota_ifu_release_all();
    memset(s_timers, 0, sizeof(s_timers));
    s_partition_count = 0;
    s_native_count = -1;
}

/* Called on every entry: notice a restart since the last call and load the partition table. */
static void sync_device(void)
{
    if (!s_attached)
    {
        nf_host_unwind(NF_HOST_UNWOUND_NOT_ATTACHED);
    }
    int32_t boots = checked(s_callbacks.boot_count());
    if (boots != s_boot_seen)
    {
        forget_ram();
        s_boot_seen = boots;
        /* The chip started again: ESP-IDF's start-up runs the component's init hook before anything else. */
        (void)esp_system_init_fn_nf_ota_boot_guard_init.fn();
    }
    if (s_partition_count == 0)
    {
        int32_t count = checked(s_callbacks.partition_count());
        if (count > NF_OTA_HOST_MAX_PARTITIONS)
        {
            count = NF_OTA_HOST_MAX_PARTITIONS;
        }
        for (int32_t i = 0; i < count; i++)
        {
            nf_ota_host_partition_t described;
            memset(&described, 0, sizeof(described));
            checked(s_callbacks.partition_get(i, &described));
            esp_partition_t *partition = &s_partitions[i];
            memset(partition, 0, sizeof(*partition));
            partition->type = (esp_partition_type_t)described.type;
            partition->subtype = (esp_partition_subtype_t)described.subtype;
            partition->address = described.address;
            partition->size = described.size;
            partition->erase_size = described.erase_size;
            partition->encrypted = described.encrypted != 0;
            partition->readonly = described.readonly != 0;
            memcpy(partition->label, described.label, 16);
            partition->label[16] = '\0';
        }
        s_partition_count = count;
    }
}

void nf_host_before_call(void)
{
    sync_device();
}

static int32_t index_of(const esp_partition_t *partition)
{
    if (partition == NULL || partition < s_partitions || partition >= s_partitions + s_partition_count)
    {
        return -1;
    }
    return (int32_t)(partition - s_partitions);
}

static const esp_partition_t *partition_at(int32_t index)
{
    return index >= 0 && index < s_partition_count ? &s_partitions[index] : NULL;
}

NF_HOST_EXPORT void nf_ota_host_attach(const nf_ota_host_callbacks_t *callbacks)
{
    forget_ram();
    s_boot_seen = -1;
    s_attached = callbacks != NULL;
    if (callbacks != NULL)
    {
        s_callbacks = *callbacks;
    }
}

NF_HOST_EXPORT int32_t nf_ota_host_open_handles(void)
{
    return nf_ota_handles_open_count();
}

NF_HOST_EXPORT int32_t nf_ota_host_abi(int32_t which)
{
    return which == 0 ? (int32_t)sizeof(nf_ota_host_callbacks_t) : (int32_t)sizeof(nf_ota_host_partition_t);
}

const esp_partition_t *esp_partition_find_first(esp_partition_type_t type, esp_partition_subtype_t subtype, const char *label)
{
    sync_device();
    for (int32_t i = 0; i < s_partition_count; i++)
    {
        const esp_partition_t *p = &s_partitions[i];
        if ((type == ESP_PARTITION_TYPE_ANY || p->type == type)
            && (subtype == ESP_PARTITION_SUBTYPE_ANY || p->subtype == subtype)
            && (label == NULL || strncmp(p->label, label, sizeof(p->label)) == 0))
        {
            return p;
        }
    }
    return NULL;
}

esp_err_t esp_partition_read(const esp_partition_t *partition, size_t src_offset, void *dst, size_t size)
{
    sync_device();
    if (index_of(partition) < 0 || dst == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    return checked(s_callbacks.partition_read(index_of(partition), (uint32_t)src_offset, dst, (uint32_t)size));
}

esp_err_t esp_partition_read_raw(const esp_partition_t *partition, size_t src_offset, void *dst, size_t size)
{
    sync_device();
    if (index_of(partition) < 0 || dst == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    return checked(s_callbacks.partition_read_raw(index_of(partition), (uint32_t)src_offset, dst, (uint32_t)size));
}

esp_err_t esp_partition_write(const esp_partition_t *partition, size_t dst_offset, const void *src, size_t size)
{
    sync_device();
    if (index_of(partition) < 0 || src == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    return checked(s_callbacks.partition_write(index_of(partition), (uint32_t)dst_offset, src, (uint32_t)size));
}

esp_err_t esp_partition_erase_range(const esp_partition_t *partition, size_t offset, size_t size)
{
    sync_device();
    if (index_of(partition) < 0)
    {
        return ESP_ERR_INVALID_ARG;
    }
    return checked(s_callbacks.partition_erase_range(index_of(partition), (uint32_t)offset, (uint32_t)size));
}

static void load_native_table(void)
{
    s_native_count = 0;
    int32_t length = checked(s_callbacks.native_table(s_native_record, (uint32_t)sizeof(s_native_record)));
    if (length < 0 || (uint32_t)length > sizeof(s_native_record))
    {
        return;
    }
    for (int32_t at = 0; at + 5 <= length && s_native_count < HOST_MAX_NATIVES;)
    {
        uint32_t name_length = s_native_record[at + 4];
        if (at + 5 + (int32_t)name_length > length)
        {
            break;
        }
        s_native_checksums[s_native_count] = (uint32_t)s_native_record[at] | ((uint32_t)s_native_record[at + 1] << 8)
                                             | ((uint32_t)s_native_record[at + 2] << 16) | ((uint32_t)s_native_record[at + 3] << 24);
        memcpy(s_native_names[s_native_count], s_native_record + at + 5, name_length);
        s_native_names[s_native_count][name_length] = '\0';
        s_native_count++;
        at += 5 + (int32_t)name_length;
    }
}

bool nf_ota_native_table_available(void)
{
    return true; /* the emulated firmware is a nanoCLR build */
}

bool nf_ota_native_table_entry(int32_t index, const char **name, uint32_t *checksum)
{
    sync_device();
    if (s_native_count < 0)
    {
        load_native_table();
    }
    if (index < 0 || index >= s_native_count)
    {
        return false;
    }
    *name = s_native_names[index];
    *checksum = s_native_checksums[index];
    return true;
}

esp_err_t esp_partition_get_sha256(const esp_partition_t *partition, uint8_t *sha_256)
{
    sync_device();
    if (index_of(partition) < 0 || sha_256 == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    return checked(s_callbacks.partition_get_sha256(index_of(partition), sha_256));
}

esp_err_t esp_ota_begin(const esp_partition_t *partition, size_t image_size, esp_ota_handle_t *out_handle)
{
    sync_device();
    if (out_handle == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    uint32_t handle = 0;
    esp_err_t err = checked(s_callbacks.ota_begin(index_of(partition), (uint32_t)image_size, &handle));
    *out_handle = handle;
    return err;
}

esp_err_t esp_ota_resume(const esp_partition_t *partition, const size_t erase_size, const size_t image_offset, esp_ota_handle_t *out_handle)
{
    sync_device();
    if (out_handle == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    uint32_t handle = 0;
    esp_err_t err = checked(s_callbacks.ota_resume(index_of(partition), (uint32_t)erase_size, (uint32_t)image_offset, &handle));
    *out_handle = handle;
    return err;
}

esp_err_t esp_ota_write(esp_ota_handle_t handle, const void *data, size_t size)
{
    sync_device();
    return checked(s_callbacks.ota_write(handle, data, (uint32_t)size));
}

esp_err_t esp_ota_write_with_offset(esp_ota_handle_t handle, const void *data, size_t size, uint32_t offset)
{
    sync_device();
    return checked(s_callbacks.ota_write_with_offset(handle, data, (uint32_t)size, offset));
}

esp_err_t esp_ota_end(esp_ota_handle_t handle)
{
    sync_device();
    return checked(s_callbacks.ota_end(handle));
}

esp_err_t esp_ota_abort(esp_ota_handle_t handle)
{
    sync_device();
    return checked(s_callbacks.ota_abort(handle));
}

esp_err_t esp_ota_set_boot_partition(const esp_partition_t *partition)
{
    sync_device();
    return checked(s_callbacks.ota_set_boot_partition(index_of(partition)));
}

const esp_partition_t *esp_ota_get_boot_partition(void)
{
    sync_device();
    return partition_at(checked(s_callbacks.ota_get_boot_partition()));
}

const esp_partition_t *esp_ota_get_running_partition(void)
{
    sync_device();
    return partition_at(checked(s_callbacks.ota_get_running_partition()));
}

const esp_partition_t *esp_ota_get_next_update_partition(const esp_partition_t *start_from)
{
    sync_device();
    return partition_at(checked(s_callbacks.ota_get_next_update_partition(index_of(start_from))));
}

esp_err_t esp_ota_get_partition_description(const esp_partition_t *partition, esp_app_desc_t *app_desc)
{
    sync_device();
    if (app_desc == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    return checked(s_callbacks.ota_get_partition_description(index_of(partition), app_desc));
}

esp_err_t esp_ota_mark_app_valid_cancel_rollback(void)
{
    sync_device();
    return checked(s_callbacks.ota_mark_app_valid_cancel_rollback());
}

esp_err_t esp_ota_mark_app_invalid_rollback_and_reboot(void)
{
    sync_device();
    return checked(s_callbacks.ota_mark_app_invalid_rollback_and_reboot());
}

const esp_partition_t *esp_ota_get_last_invalid_partition(void)
{
    sync_device();
    return partition_at(checked(s_callbacks.ota_get_last_invalid_partition()));
}

esp_err_t esp_ota_get_state_partition(const esp_partition_t *partition, esp_ota_img_states_t *ota_state)
{
    sync_device();
    if (ota_state == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    uint32_t state = ESP_OTA_IMG_UNDEFINED;
    esp_err_t err = checked(s_callbacks.ota_get_state_partition(index_of(partition), &state));
    *ota_state = (esp_ota_img_states_t)state;
    return err;
}

bool esp_ota_check_rollback_is_possible(void)
{
    sync_device();
    return checked(s_callbacks.ota_check_rollback_is_possible()) != 0;
}

const esp_app_desc_t *esp_app_get_description(void)
{
    sync_device();
    checked(s_callbacks.app_get_description(&s_running_description));
    return &s_running_description;
}

bool esp_flash_encryption_enabled(void)
{
    return esp_get_flash_encryption_mode() != ESP_FLASH_ENC_MODE_DISABLED;
}

esp_flash_enc_mode_t esp_get_flash_encryption_mode(void)
{
    sync_device();
    return (esp_flash_enc_mode_t)checked(s_callbacks.flash_encryption_mode());
}

bool esp_secure_boot_enabled(void)
{
    sync_device();
    return checked(s_callbacks.secure_boot_enabled()) != 0;
}

uint32_t esp_efuse_read_secure_version(void)
{
    sync_device();
    return (uint32_t)checked(s_callbacks.efuse_read_secure_version());
}

void esp_chip_info(esp_chip_info_t *out_info)
{
    sync_device();
    int32_t chip = checked(s_callbacks.chip_id());
    out_info->model = chip == 0 ? CHIP_ESP32 : (esp_chip_model_t)chip;
    out_info->features = 0;
    out_info->revision = 0;
    out_info->cores = 1;
}

void esp_restart(void)
{
    sync_device();
    checked(s_callbacks.restart());
    /* The emulator restarted the chip; nothing after esp_restart() may run. */
    nf_host_unwind(NF_HOST_UNWOUND_BY_DEVICE);
}

const char *esp_err_to_name(esp_err_t code)
{
    return code == ESP_OK ? "ESP_OK" : "ESP_ERR";
}

int64_t esp_timer_get_time(void)
{
    sync_device();
    int64_t now = 0;
    checked(s_callbacks.uptime_us(&now));
    return now;
}

esp_err_t esp_timer_create(const esp_timer_create_args_t *create_args, esp_timer_handle_t *out_handle)
{
    if (create_args == NULL || create_args->callback == NULL || out_handle == NULL)
    {
        return ESP_ERR_INVALID_ARG;
    }
    for (int i = 0; i < HOST_MAX_TIMERS; i++)
    {
        if (!s_timers[i].used)
        {
            memset(&s_timers[i], 0, sizeof(s_timers[i]));
            s_timers[i].used = true;
            s_timers[i].callback = create_args->callback;
            s_timers[i].arg = create_args->arg;
            *out_handle = &s_timers[i];
            return ESP_OK;
        }
    }
    return ESP_ERR_NO_MEM;
}

esp_err_t esp_timer_start_once(esp_timer_handle_t timer, uint64_t timeout_us)
{
    if (timer == NULL || !timer->used)
    {
        return ESP_ERR_INVALID_ARG;
    }
    if (timer->armed)
    {
        return ESP_ERR_INVALID_STATE;
    }
    timer->deadline_us = esp_timer_get_time() + (int64_t)timeout_us;
    timer->armed = true;
    return ESP_OK;
}

esp_err_t esp_timer_stop(esp_timer_handle_t timer)
{
    if (timer == NULL || !timer->used)
    {
        return ESP_ERR_INVALID_ARG;
    }
    if (!timer->armed)
    {
        return ESP_ERR_INVALID_STATE;
    }
    timer->armed = false;
    return ESP_OK;
}

esp_err_t esp_timer_delete(esp_timer_handle_t timer)
{
    if (timer == NULL || !timer->used)
    {
        return ESP_ERR_INVALID_ARG;
    }
    if (timer->armed)
    {
        return ESP_ERR_INVALID_STATE;
    }
    timer->used = false;
    return ESP_OK;
}

NF_HOST_EXPORT int32_t nf_ota_host_run_due_timers(int32_t *unwound)
{
    nf_host_frame_t frame;
    volatile int32_t fired = 0;
    nf_host_enter(&frame);
    if (setjmp(frame.jump) == 0)
    {
        /* esp_timer_get_time() syncs first: a boot since the last call runs the start-up hook. */
        int64_t now = esp_timer_get_time();
        for (int i = 0; i < HOST_MAX_TIMERS; i++)
        {
            struct esp_timer *timer = &s_timers[i];
            if (timer->used && timer->armed && timer->deadline_us <= now)
            {
                timer->armed = false;
                fired = fired + 1;
                timer->callback(timer->arg);
            }
        }
    }
    *unwound = nf_host_leave(&frame);
    return fired;
}

NF_HOST_EXPORT int32_t nf_ota_host_boot_guard_armed(void)
{
    return nf_ota_boot_guard_armed() ? 1 : 0;
}

/* No scheduler off the device: a task runs to its end (or to a restart) inside xTaskCreate. */
BaseType_t xTaskCreate(TaskFunction_t pxTaskCode, const char *const pcName, const configSTACK_DEPTH_TYPE uxStackDepth,
                       void *const pvParameters, UBaseType_t uxPriority, TaskHandle_t *const pxCreatedTask)
{
    (void)pcName;
    (void)uxStackDepth;
    (void)uxPriority;
    if (pxCreatedTask != NULL)
    {
        *pxCreatedTask = NULL;
    }
    pxTaskCode(pvParameters);
    return pdPASS;
}

void vTaskDelete(TaskHandle_t xTaskToDelete)
{
    (void)xTaskToDelete;
}

#include "fake_esp_idf.h"

#include <cstring>

extern "C" {
#include "esp_chip_info.h"
#include "esp_efuse.h"
#include "esp_flash_encrypt.h"
#include "esp_secure_boot.h"
#include "esp_system.h"
#include "nf_ota_ifu.h"
#include "nf_ota_boot_guard.h"
#include "nf_ota_enc_image.h"
#include "nf_ota_errors.h"
#include "nf_ota_handles.h"
#include "nf_ota_native_table.h"
#include "nf_ota_unfinished.h"
}

static FakeEspIdf s_fake;
static std::jmp_buf s_restart;

// A partition's bytes, erased (0xFF) until something writes them: app slots come to life here
// when esp_ota_write or esp_partition_erase_range first touches them.
static std::vector<uint8_t> &bytes_of(const esp_partition_t *partition)
{
    auto &bytes = s_fake.data[partition->label];
    if (bytes.empty())
    {
        bytes.assign(partition->size, 0xFF);
    }
    return bytes;
}

static void put(const esp_partition_t *partition, size_t offset, const uint8_t *data, size_t size)
{
    auto &bytes = bytes_of(partition);
    if (offset + size <= bytes.size())
    {
        std::memcpy(bytes.data() + offset, data, size);
    }
}

// Records an erase of [offset, offset + size) of a partition, as the flash chip sees it.
static void record_erase(const esp_partition_t *partition, size_t offset, size_t size, const char *by)
{
    s_fake.erases.push_back(FakeErase{partition->label, offset, size, by});
    for (size_t at = offset; at < offset + size; at += 4096)
    {
        s_fake.erased_sectors[partition->label].insert(static_cast<uint32_t>(at / 4096));
    }
    auto &bytes = bytes_of(partition);
    if (offset + size <= bytes.size())
    {
        std::memset(bytes.data() + offset, 0xFF, size);
    }
}

// Counts a program of [offset, offset + size) that lands in a sector not erased since the handle began.
static void check_erased(const esp_partition_t *partition, size_t offset, size_t size)
{
    auto &erased = s_fake.erased_sectors[partition->label];
    for (size_t sector = offset / 4096; size > 0 && sector <= (offset + size - 1) / 4096; sector++)
    {
        if (erased.count(static_cast<uint32_t>(sector)) == 0)
        {
            s_fake.unerased_programs++;
            return;
        }
    }
}

FakeEspIdf &fake()
{
    return s_fake;
}

static esp_partition_t make(esp_partition_type_t type, int subtype, uint32_t address, uint32_t size, const char *label)
{
    esp_partition_t p{};
    p.type = type;
    p.subtype = static_cast<esp_partition_subtype_t>(subtype);
    p.address = address;
    p.size = size;
    p.erase_size = 4096;
    p.encrypted = type == ESP_PARTITION_TYPE_APP;
    std::strncpy(p.label, label, sizeof(p.label) - 1);
    return p;
}

void fake_reset()
{
    nf_ota_handles_reset();
    nf_ota_unfinished_reset();
    nf_ota_enc_image_close();
    nf_ota_errors_reset();
    nf_ota_boot_guard_reset();
    nf_ota_ifu_release_all();
    s_fake = FakeEspIdf{};
    s_fake.partitions = {
        make(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_FACTORY, 0x10000, 0x100000, "factory"),
        make(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, 0x110000, 0x100000, "ota_0"),
        make(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_1, 0x210000, 0x100000, "ota_1"),
        make(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_OTA, 0xd000, 0x2000, "otadata"),
        make(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_NVS, 0x9000, 0x4000, "nvs"),
        make(ESP_PARTITION_TYPE_DATA, 0x84, 0x310000, 0x40000, "deploy_0"),
        make(ESP_PARTITION_TYPE_DATA, 0x84, 0x350000, 0x40000, "deploy_1"),
    };
    s_fake.data["deploy_0"] = std::vector<uint8_t>(0x40000, 0xFF);
    s_fake.data["deploy_1"] = std::vector<uint8_t>(0x40000, 0xFF);
    s_fake.running_description.magic_word = ESP_APP_DESC_MAGIC_WORD;
    s_fake.running_description.secure_version = 2;
    std::strcpy(s_fake.running_description.version, "1.2.3");
    std::strcpy(s_fake.running_description.project_name, "app");
}

bool restarted_during(int32_t (*fn)(void), int32_t *result)
{
    if (setjmp(s_restart) == 0)
    {
        *result = fn();
        return false;
    }
    return true;
}

bool restarted_during_void(void (*fn)(void))
{
    if (setjmp(s_restart) == 0)
    {
        fn();
        return false;
    }
    return true;
}

static void fire_due_timers()
{
    for (auto &timer : s_fake.timers)
    {
        if (timer.armed && timer.deadline_us <= s_fake.now_us)
        {
            timer.armed = false;
            timer.callback(timer.arg);
        }
    }
}

bool fake_advance(int64_t microseconds)
{
    s_fake.now_us += microseconds;
    return restarted_during_void(fire_due_timers);
}

static void called(const char *name)
{
    s_fake.calls++;
    s_fake.log.emplace_back(name);
}

static const esp_partition_t *at(int index)
{
    return index >= 0 && index < static_cast<int>(s_fake.partitions.size()) ? &s_fake.partitions[index] : nullptr;
}

static esp_err_t take(esp_err_t &error)
{
    esp_err_t e = error;
    error = ESP_OK;
    return e;
}

extern "C" {

const esp_partition_t *esp_partition_find_first(esp_partition_type_t type, esp_partition_subtype_t subtype, const char *label)
{
    called("esp_partition_find_first");
    for (auto &p : s_fake.partitions)
    {
        if ((type == ESP_PARTITION_TYPE_ANY || p.type == type) && (subtype == ESP_PARTITION_SUBTYPE_ANY || p.subtype == subtype)
            && (label == nullptr || std::strncmp(p.label, label, sizeof(p.label)) == 0))
        {
            return &p;
        }
    }
    return nullptr;
}

esp_err_t esp_partition_read(const esp_partition_t *partition, size_t offset, void *destination, size_t size)
{
    called("esp_partition_read");
    auto found = s_fake.data.find(partition->label);
    if (found == s_fake.data.end())
    {
        return ESP_ERR_NOT_SUPPORTED;
    }
    if (offset + size > found->second.size())
    {
        return ESP_ERR_INVALID_SIZE;
    }
    for (size_t i = 0; i < size; i++)
    {
        static_cast<uint8_t *>(destination)[i] = found->second[offset + i] ^ s_fake.data_cipher;
    }
    return ESP_OK;
}

esp_err_t esp_partition_read_raw(const esp_partition_t *partition, size_t offset, void *destination, size_t size)
{
    called("esp_partition_read_raw");
    const auto &bytes = s_fake.data.at(partition->label);
    if (offset + size > bytes.size())
    {
        return ESP_ERR_INVALID_SIZE;
    }
    std::memcpy(destination, bytes.data() + offset, size);
    return ESP_OK;
}

esp_err_t esp_partition_write(const esp_partition_t *partition, size_t dst_offset, const void *src, size_t size)
{
    called("esp_partition_write");
    if (esp_err_t e = take(s_fake.partition_write_error))
    {
        return e;
    }
    auto &bytes = s_fake.data.at(partition->label);
    if (dst_offset + size > bytes.size())
    {
        return ESP_ERR_INVALID_SIZE;
    }
    // NOR: programming only clears bits.
    for (size_t i = 0; i < size; i++)
    {
        bytes[dst_offset + i] &= static_cast<uint8_t>(static_cast<const uint8_t *>(src)[i] ^ s_fake.data_cipher);
    }
    return ESP_OK;
}

esp_err_t esp_partition_erase_range(const esp_partition_t *partition, size_t offset, size_t size)
{
    called("esp_partition_erase_range");
    auto &bytes = bytes_of(partition);
    if (offset + size > bytes.size() || offset % 4096 != 0 || size % 4096 != 0)
    {
        return ESP_ERR_INVALID_ARG;
    }
    record_erase(partition, offset, size, "esp_partition_erase_range");
    return ESP_OK;
}

// NF_OTA_FAKE_NO_NATIVE_TABLE: the device's nf_ota_native_table_clr.c is linked instead (the
// link check without nanoCLR).
#ifndef NF_OTA_FAKE_NO_NATIVE_TABLE
bool nf_ota_native_table_available(void)
{
    return true;
}

bool nf_ota_native_table_entry(int32_t index, const char **name, uint32_t *checksum)
{
    if (index < 0 || static_cast<size_t>(index) >= s_fake.natives.size())
    {
        return false;
    }
    *name = s_fake.natives[index].first.c_str();
    *checksum = s_fake.natives[index].second;
    return true;
}
#endif

esp_err_t esp_partition_get_sha256(const esp_partition_t *partition, uint8_t *sha_256)
{
    called("esp_partition_get_sha256");
    if (esp_err_t e = take(s_fake.sha_error))
    {
        return e;
    }
    std::memset(sha_256, static_cast<int>(partition->address >> 16), 32);
    return ESP_OK;
}

esp_err_t esp_ota_begin(const esp_partition_t *partition, size_t image_size, esp_ota_handle_t *out_handle)
{
    called("esp_ota_begin");
    esp_ota_handle_t handle = s_fake.next_handle++;
    if (esp_err_t e = take(s_fake.begin_error))
    {
        if (s_fake.begin_error_keeps_handle)
        {
            // ESP-IDF 5.5 leaves the handle registered when the erase fails.
            s_fake.open[handle] = FakeOta{partition, image_size, {}, {}};
            *out_handle = handle;
        }
        return e;
    }
    s_fake.open[handle] = FakeOta{partition, image_size, {}, {}};
    s_fake.open[handle].need_erase = image_size == OTA_WITH_SEQUENTIAL_WRITES;
    s_fake.erased_sectors[partition->label].clear();
    // v5.5.4: a known size erases that much rounded up to a sector; 0 or OTA_SIZE_UNKNOWN the slot.
    if (image_size != OTA_WITH_SEQUENTIAL_WRITES)
    {
        size_t erase = image_size == 0 || image_size == OTA_SIZE_UNKNOWN ? partition->size : (image_size + 4095) / 4096 * 4096;
        record_erase(partition, 0, erase < partition->size ? erase : partition->size, "esp_ota_begin");
    }
    *out_handle = handle;
    return ESP_OK;
}

esp_err_t esp_ota_resume(const esp_partition_t *partition, const size_t erase_size, const size_t image_offset, esp_ota_handle_t *out_handle)
{
    called("esp_ota_resume");
    esp_ota_handle_t handle = s_fake.next_handle++;
    FakeOta ota{partition, 0, {}, {}};
    ota.resumed_at = image_offset;
    ota.erase_size = erase_size;
    ota.need_erase = erase_size == OTA_WITH_SEQUENTIAL_WRITES;
    s_fake.erased_sectors[partition->label].clear();
    s_fake.open[handle] = ota;
    *out_handle = handle;
    return ESP_OK;
}

esp_err_t esp_ota_write(esp_ota_handle_t handle, const void *data, size_t size)
{
    called("esp_ota_write");
    auto it = s_fake.open.find(handle);
    if (it == s_fake.open.end())
    {
        return ESP_ERR_INVALID_ARG;
    }
    if (esp_err_t e = take(s_fake.write_error))
    {
        return e;
    }
    auto bytes = static_cast<const uint8_t *>(data);
    size_t at = it->second.resumed_at + it->second.image.size();
    if (it->second.need_erase)
    {
        // v5.5.4 esp_ota_write: every sector the write enters (from its start when aligned).
        size_t first = at % 4096 == 0 ? at : (at / 4096 + 1) * 4096;
        size_t end = (at + size + 4095) / 4096 * 4096;
        if (first < end)
        {
            record_erase(it->second.partition, first, end - first, "esp_ota_write");
        }
    }
    check_erased(it->second.partition, at, size);
    put(it->second.partition, at, bytes, size);
    it->second.image.insert(it->second.image.end(), bytes, bytes + size);
    return ESP_OK;
}

esp_err_t esp_ota_write_with_offset(esp_ota_handle_t handle, const void *data, size_t size, uint32_t offset)
{
    called("esp_ota_write_with_offset");
    auto it = s_fake.open.find(handle);
    if (it == s_fake.open.end())
    {
        return ESP_ERR_INVALID_ARG;
    }
    if (esp_err_t e = take(s_fake.write_error))
    {
        return e;
    }
    auto bytes = static_cast<const uint8_t *>(data);
    auto &image = it->second.image;
    if (image.size() < offset + size)
    {
        image.resize(offset + size, 0xFF);
    }
    std::memcpy(image.data() + offset, bytes, size);
    check_erased(it->second.partition, offset, size);
    put(it->second.partition, offset, bytes, size);
    return ESP_OK;
}

esp_err_t esp_ota_end(esp_ota_handle_t handle)
{
    called("esp_ota_end");
    auto it = s_fake.open.find(handle);
    if (it == s_fake.open.end())
    {
        return ESP_ERR_NOT_FOUND;
    }
    s_fake.ended_image = it->second.image;
    s_fake.open.erase(it);
    return take(s_fake.end_error);
}

esp_err_t esp_ota_abort(esp_ota_handle_t handle)
{
    called("esp_ota_abort");
    return s_fake.open.erase(handle) == 1 ? ESP_OK : ESP_ERR_NOT_FOUND;
}

esp_err_t esp_ota_set_boot_partition(const esp_partition_t *partition)
{
    called("esp_ota_set_boot_partition");
    if (esp_err_t e = take(s_fake.set_boot_error))
    {
        return e;
    }
    // ESP-IDF validates the image first; an erased header (no 0xE9 magic) never passes.
    auto found = s_fake.data.find(partition->label);
    if (found != s_fake.data.end() && !found->second.empty() && found->second[0] == 0xFF)
    {
        return ESP_ERR_OTA_VALIDATE_FAILED;
    }
    s_fake.boot = static_cast<int>(partition - s_fake.partitions.data());
    return ESP_OK;
}

const esp_partition_t *esp_ota_get_boot_partition(void)
{
    called("esp_ota_get_boot_partition");
    return at(s_fake.boot);
}

const esp_partition_t *esp_ota_get_running_partition(void)
{
    called("esp_ota_get_running_partition");
    return at(s_fake.running);
}

const esp_partition_t *esp_ota_get_next_update_partition(const esp_partition_t *)
{
    called("esp_ota_get_next_update_partition");
    return at(s_fake.next_update);
}

esp_err_t esp_ota_get_partition_description(const esp_partition_t *, esp_app_desc_t *app_desc)
{
    called("esp_ota_get_partition_description");
    if (esp_err_t e = take(s_fake.description_error))
    {
        return e;
    }
    *app_desc = s_fake.running_description;
    std::strcpy(app_desc->version, "2.0.0");
    return ESP_OK;
}

esp_err_t esp_ota_mark_app_valid_cancel_rollback(void)
{
    called("esp_ota_mark_app_valid_cancel_rollback");
    return take(s_fake.mark_valid_error);
}

esp_err_t esp_ota_mark_app_invalid_rollback_and_reboot(void)
{
    called("esp_ota_mark_app_invalid_rollback_and_reboot");
    if (esp_err_t e = take(s_fake.rollback_error))
    {
        return e;
    }
    s_fake.restarts++;
    std::longjmp(s_restart, 1);
}

const esp_partition_t *esp_ota_get_last_invalid_partition(void)
{
    called("esp_ota_get_last_invalid_partition");
    return at(s_fake.last_invalid);
}

esp_err_t esp_ota_get_state_partition(const esp_partition_t *, esp_ota_img_states_t *ota_state)
{
    called("esp_ota_get_state_partition");
    if (esp_err_t e = take(s_fake.state_error))
    {
        return e;
    }
    *ota_state = s_fake.state;
    return ESP_OK;
}

bool esp_ota_check_rollback_is_possible(void)
{
    called("esp_ota_check_rollback_is_possible");
    return s_fake.rollback_possible;
}

const esp_app_desc_t *esp_app_get_description(void)
{
    called("esp_app_get_description");
    return &s_fake.running_description;
}

bool esp_flash_encryption_enabled(void)
{
    called("esp_flash_encryption_enabled");
    return s_fake.flash_encryption_mode != ESP_FLASH_ENC_MODE_DISABLED;
}

esp_flash_enc_mode_t esp_get_flash_encryption_mode(void)
{
    called("esp_get_flash_encryption_mode");
    return static_cast<esp_flash_enc_mode_t>(s_fake.flash_encryption_mode);
}

bool esp_secure_boot_enabled(void)
{
    called("esp_secure_boot_enabled");
    return s_fake.secure_boot;
}

uint32_t esp_efuse_read_secure_version(void)
{
    called("esp_efuse_read_secure_version");
    return s_fake.secure_version;
}

void esp_chip_info(esp_chip_info_t *out_info)
{
    called("esp_chip_info");
    out_info->model = static_cast<esp_chip_model_t>(s_fake.chip_model);
    out_info->features = 0;
    out_info->revision = 0;
    out_info->cores = 2;
}

void esp_restart(void)
{
    called("esp_restart");
    s_fake.restarts++;
    std::longjmp(s_restart, 1);
}

const char *esp_err_to_name(esp_err_t code)
{
    return code == ESP_OK ? "ESP_OK" : "ESP_ERR";
}

int64_t esp_timer_get_time(void)
{
    called("esp_timer_get_time");
    return s_fake.now_us;
}

esp_err_t esp_timer_create(const esp_timer_create_args_t *create_args, esp_timer_handle_t *out_handle)
{
    called("esp_timer_create");
    if (esp_err_t e = take(s_fake.timer_create_error))
    {
        return e;
    }
    // Handles are 1-based indexes: the vector may grow, so no pointers into it.
    s_fake.timers.push_back(FakeEspIdf::Timer{create_args->callback, create_args->arg, false, 0});
    *out_handle = reinterpret_cast<esp_timer_handle_t>(static_cast<uintptr_t>(s_fake.timers.size()));
    return ESP_OK;
}

static FakeEspIdf::Timer *timer_of(esp_timer_handle_t handle)
{
    auto index = reinterpret_cast<uintptr_t>(handle);
    return index >= 1 && index <= s_fake.timers.size() ? &s_fake.timers[index - 1] : nullptr;
}

esp_err_t esp_timer_start_once(esp_timer_handle_t handle, uint64_t timeout_us)
{
    called("esp_timer_start_once");
    auto *timer = timer_of(handle);
    if (timer == nullptr)
    {
        return ESP_ERR_INVALID_ARG;
    }
    if (timer->armed)
    {
        return ESP_ERR_INVALID_STATE;
    }
    timer->armed = true;
    timer->deadline_us = s_fake.now_us + static_cast<int64_t>(timeout_us);
    return ESP_OK;
}

esp_err_t esp_timer_stop(esp_timer_handle_t handle)
{
    called("esp_timer_stop");
    auto *timer = timer_of(handle);
    if (timer == nullptr)
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

esp_err_t esp_timer_delete(esp_timer_handle_t handle)
{
    called("esp_timer_delete");
    return timer_of(handle) == nullptr ? ESP_ERR_INVALID_ARG : ESP_OK;
}

BaseType_t xTaskCreate(TaskFunction_t pxTaskCode, const char *const, const configSTACK_DEPTH_TYPE, void *const pvParameters, UBaseType_t, TaskHandle_t *const)
{
    called("xTaskCreate");
    if (s_fake.task_create_fails)
    {
        return pdFAIL;
    }
    pxTaskCode(pvParameters);
    return pdPASS;
}

void vTaskDelete(TaskHandle_t)
{
    called("vTaskDelete");
}

}  // extern "C"

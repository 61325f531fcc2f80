// A scriptable ESP-IDF for the C tests: partitions, OTA handles, injected errors, and a count of
// every call, so a test can check that bad arguments never reach ESP-IDF.
#pragma once

#include <csetjmp>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

extern "C" {
#include "esp_app_desc.h"
#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
}

struct FakeOta
{
    const esp_partition_t *partition = nullptr;
    size_t image_size = 0;
    std::vector<uint8_t> image;       // what esp_ota_write appended
    std::map<uint32_t, std::vector<uint8_t>> at_offset;
    size_t resumed_at = 0;            // esp_ota_resume's image_offset (0: begun)
    size_t erase_size = 0;            // esp_ota_resume's erase_size
    bool need_erase = false;          // ESP-IDF's own erase as you go (OTA_WITH_SEQUENTIAL_WRITES)
};

// One erase of a partition's flash: by the partition erase call, or inside esp_ota_begin
// (a known size, or the whole slot) or esp_ota_write (a need_erase handle), as ESP-IDF does.
struct FakeErase
{
    std::string label;
    size_t offset;
    size_t size;
    std::string by;
};

struct FakeEspIdf
{
    std::vector<esp_partition_t> partitions;
    int running = 1;
    int boot = 1;
    int next_update = 2;
    int last_invalid = -1;
    std::map<esp_ota_handle_t, FakeOta> open;
    esp_ota_handle_t next_handle = 100;
    std::vector<uint8_t> ended_image;  // image of the last successful esp_ota_end

    // Errors to return from the next call of each kind (ESP_OK: behave).
    esp_err_t begin_error = ESP_OK;
    bool begin_error_keeps_handle = false;
    esp_err_t write_error = ESP_OK;
    esp_err_t end_error = ESP_OK;
    esp_err_t set_boot_error = ESP_OK;
    esp_err_t state_error = ESP_OK;
    esp_err_t description_error = ESP_OK;
    esp_err_t mark_valid_error = ESP_OK;
    esp_err_t rollback_error = ESP_OK;  // ESP_OK: the chip restarts
    esp_err_t sha_error = ESP_OK;

    esp_ota_img_states_t state = ESP_OTA_IMG_VALID;
    bool rollback_possible = true;
    int flash_encryption_mode = 1;
    bool secure_boot = true;
    uint32_t secure_version = 3;
    int chip_model = 1;  // CHIP_ESP32
    esp_app_desc_t running_description{};

    // esp_timer: one clock, the timers the component created.
    int64_t now_us = 0;
    struct Timer
    {
        esp_timer_cb_t callback = nullptr;
        void *arg = nullptr;
        bool armed = false;
        int64_t deadline_us = 0;
    };
    std::vector<Timer> timers;
    esp_err_t timer_create_error = ESP_OK;
    bool task_create_fails = false;

    // Data partitions' bytes by label (esp_partition_read/write/erase_range), erased = 0xFF.
    std::map<std::string, std::vector<uint8_t>> data;
    esp_err_t partition_write_error = ESP_OK;
    // Stands in for flash encryption on data partitions: stored = plaintext ^ this (0: none).
    uint8_t data_cipher = 0;
    // The firmware's native table (nf_ota_native_table_entry).
    std::vector<std::pair<std::string, uint32_t>> natives;
    // Every erase of every partition, in order; and the sectors of each partition erased since the
    // last esp_ota_begin/esp_ota_resume on it.
    std::vector<FakeErase> erases;
    std::map<std::string, std::set<uint32_t>> erased_sectors;
    // esp_ota_write / esp_ota_write_with_offset calls that programmed a sector not erased since
    // its handle began (NOR would keep old 0 bits: the image would be corrupt).
    int unerased_programs = 0;
    int calls = 0;                      // every ESP-IDF function counts
    std::vector<std::string> log;       // names of the calls, in order
    int restarts = 0;
};

FakeEspIdf &fake();

// A fresh fake: factory, ota_0 (running), ota_1, otadata, nvs, deploy_0, deploy_1 (256 KiB each, erased).
void fake_reset();

// Run fn; true if it restarted the chip (esp_restart or a successful rollback) instead of returning.
bool restarted_during(int32_t (*fn)(void), int32_t *result);
bool restarted_during_void(void (*fn)(void));

// Move the clock on and run the esp_timer callbacks that came due. True if one restarted the chip.
bool fake_advance(int64_t microseconds);

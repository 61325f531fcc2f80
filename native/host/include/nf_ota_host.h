/*
 * The host build of nf_ota: ESP-IDF's functions are served by an emulator (the C# virtual ESP32
 * of tools/NfOta.Emulator) through this table of callbacks. Every callback returns
 * NF_OTA_HOST_UNWIND when the emulated chip stopped running inside it (restart, power cut,
 * panic); the C stack is then abandoned, as on the chip.
 */
#ifndef NF_OTA_HOST_H
#define NF_OTA_HOST_H

#include <stdint.h>

#include "nf_host_unwind.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NF_OTA_HOST_UNWIND INT32_MIN
#define NF_OTA_HOST_MAX_PARTITIONS 32

/* esp_partition_t as the emulator describes it. */
typedef struct {
    uint32_t address;
    uint32_t size;
    uint32_t erase_size;
    int32_t type;
    int32_t subtype;
    int32_t encrypted;
    int32_t readonly;
    char label[20];
} nf_ota_host_partition_t;

/*
 * Partitions are named by their index in the partition table; -1 means "none" (NULL).
 * esp_err_t results are returned as is.
 */
typedef struct {
    /* Boots since the device was created: a change means RAM (handles, caches) was lost. */
    int32_t (*boot_count)(void);
    int32_t (*partition_count)(void);
    int32_t (*partition_get)(int32_t index, nf_ota_host_partition_t *out);
    int32_t (*partition_read)(int32_t index, uint32_t offset, void *destination, uint32_t size);
    int32_t (*partition_get_sha256)(int32_t index, uint8_t *sha256);
    int32_t (*ota_begin)(int32_t index, uint32_t image_size, uint32_t *out_handle);
    int32_t (*ota_write)(uint32_t handle, const void *data, uint32_t size);
    int32_t (*ota_write_with_offset)(uint32_t handle, const void *data, uint32_t size, uint32_t offset);
    int32_t (*ota_end)(uint32_t handle);
    int32_t (*ota_abort)(uint32_t handle);
    int32_t (*ota_set_boot_partition)(int32_t index);
    int32_t (*ota_get_boot_partition)(void);
    int32_t (*ota_get_running_partition)(void);
    int32_t (*ota_get_next_update_partition)(int32_t start_from);
    int32_t (*ota_get_partition_description)(int32_t index, void *description);
    int32_t (*ota_mark_app_valid_cancel_rollback)(void);
    int32_t (*ota_mark_app_invalid_rollback_and_reboot)(void);
    int32_t (*ota_get_last_invalid_partition)(void);
    int32_t (*ota_get_state_partition)(int32_t index, uint32_t *state);
    int32_t (*ota_check_rollback_is_possible)(void);
    int32_t (*app_get_description)(void *description);
    int32_t (*flash_encryption_mode)(void);
    int32_t (*secure_boot_enabled)(void);
    int32_t (*efuse_read_secure_version)(void);
    int32_t (*restart)(void);
    /* The chip as app images name it (esp_image_header_t.chip_id). */
    int32_t (*chip_id)(void);
    /* esp_timer_get_time: microseconds since this boot (the emulator's clock moves only when a test advances it). */
    int32_t (*uptime_us)(int64_t *out);
    /* esp_partition_write (encrypting on an encrypted partition) and esp_partition_erase_range. */
    int32_t (*partition_write)(int32_t index, uint32_t offset, const void *source, uint32_t size);
    int32_t (*partition_erase_range)(int32_t index, uint32_t offset, uint32_t size);
    /* The running firmware's native assembly table in GetNativeAssemblies' record form; returns its
     * length (which may exceed size: then only size bytes were copied). */
    int32_t (*native_table)(uint8_t *buffer, uint32_t size);
    /* esp_ota_resume. */
    int32_t (*ota_resume)(int32_t index, uint32_t erase_size, uint32_t image_offset, uint32_t *out_handle);
    /* esp_partition_read_raw: the stored bytes, never decrypted. */
    int32_t (*partition_read_raw)(int32_t index, uint32_t offset, void *destination, uint32_t size);
} nf_ota_host_callbacks_t;

/* Serve ESP-IDF from these callbacks (copied); NULL detaches. Forgets all RAM state. */
NF_HOST_EXPORT void nf_ota_host_attach(const nf_ota_host_callbacks_t *callbacks);

/* How many update handles are open in the component (for tests). */
NF_HOST_EXPORT int32_t nf_ota_host_open_handles(void);

/*
 * Fire the esp_timer timers whose time has come (the boot guard's among them), in the emulator's
 * time. Runs the component's start-up hook first if the chip booted since the last call. Returns
 * how many fired; *unwound as for the generated exports (a timer callback may restart the chip).
 */
NF_HOST_EXPORT int32_t nf_ota_host_run_due_timers(int32_t *unwound);

/* Whether the boot guard's timer is armed (for tests). */
NF_HOST_EXPORT int32_t nf_ota_host_boot_guard_armed(void);

/* sizeof(nf_ota_host_callbacks_t) and sizeof(nf_ota_host_partition_t), to check the managed layout. */
NF_HOST_EXPORT int32_t nf_ota_host_abi(int32_t which);

#ifdef __cplusplus
}
#endif

#endif /* NF_OTA_HOST_H */

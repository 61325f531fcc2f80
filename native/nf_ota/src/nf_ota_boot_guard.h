/*
 * The native boot guard. A firmware booted for the first time after an update runs
 * PENDING_VERIFY until the managed app confirms it (RollbackGuard -> MarkValid). If the new
 * firmware cannot run the managed app at all (a native checksum changed, the app throws at
 * start-up, nanoCLR faults), nothing managed ever confirms or rolls back, and nf-interpreter's
 * ESP32 builds have no task watchdog to reset the board. So at start-up the component arms a
 * one-shot timer (CONFIG_NF_OTA_CONFIRM_TIMEOUT_S, default 300 s) that rolls back to the previous
 * firmware unless the firmware is confirmed first.
 */
#ifndef NF_OTA_BOOT_GUARD_H
#define NF_OTA_BOOT_GUARD_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"

/*
 * Arm the guard if the running firmware is PENDING_VERIFY (start-up calls this once; a timeout
 * of 0 disables the guard). Never fails the boot: problems are logged and the board runs on.
 */
esp_err_t nf_ota_boot_guard_start(uint32_t timeout_s);

/* The firmware was confirmed (or is being rolled back by the app itself): stand down. */
void nf_ota_boot_guard_disarm(void);

bool nf_ota_boot_guard_armed(void);

/* Forget the timer (RAM is lost at a restart; used by the host build). */
void nf_ota_boot_guard_reset(void);

/*
 * Does nothing. The link option "-u nf_ota_boot_guard_include" (nf_ota/CMakeLists.txt) names it so
 * that the linker takes this file, and with it the start-up hook, out of the component's archive.
 */
void nf_ota_boot_guard_include(void);

#endif /* NF_OTA_BOOT_GUARD_H */

#include "nf_ota_boot_guard.h"

#include <stddef.h>

#include "esp_bit_defs.h"
#include "esp_idf_version.h"
#include "esp_log.h"
#include "esp_ota_ops.h"
#include "esp_private/startup_internal.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "sdkconfig.h"

/*
 * The rollback runs in a task of its own: esp_ota_mark_app_invalid_rollback_and_reboot() verifies
 * the fallback image (SHA-256, and its secure boot signature) before rewriting otadata, more
 * than the esp_timer task's 3.5 KiB default stack is sized for.
 */
#define NF_OTA_ROLLBACK_TASK_STACK 8192

static const char *TAG = "nf_ota";
static esp_timer_handle_t s_timer = NULL;
static bool s_armed = false;

static void rollback_task(void *arg)
{
    (void)arg;
    /* Returns only on failure: there is no valid firmware to go back to, so this one keeps running. */
    esp_err_t err = esp_ota_mark_app_invalid_rollback_and_reboot();
    ESP_LOGE(TAG, "rollback impossible (%s); staying on this firmware", esp_err_to_name(err));
    vTaskDelete(NULL);
}

/* Runs in the esp_timer task: hand the rollback to a task with room for it. */
static void on_confirm_timeout(void *arg)
{
    (void)arg;
    if (!s_armed)
    {
        return; /* confirmed while this callback was already queued */
    }
    s_armed = false;
    ESP_LOGE(TAG, "this firmware was not confirmed in time: rolling back");
    if (xTaskCreate(rollback_task, "nf_ota_rollback", NF_OTA_ROLLBACK_TASK_STACK, NULL, tskIDLE_PRIORITY + 5, NULL) != pdPASS)
    {
        ESP_LOGE(TAG, "no memory for the rollback task; staying on this firmware");
    }
}

esp_err_t nf_ota_boot_guard_start(uint32_t timeout_s)
{
    if (timeout_s == 0 || s_armed)
    {
        return ESP_OK;
    }
    const esp_partition_t *running = esp_ota_get_running_partition();
    esp_ota_img_states_t state = ESP_OTA_IMG_UNDEFINED;
    if (running == NULL || esp_ota_get_state_partition(running, &state) != ESP_OK || state != ESP_OTA_IMG_PENDING_VERIFY)
    {
        return ESP_OK;
    }
    if (s_timer == NULL)
    {
        const esp_timer_create_args_t args = {
            .callback = on_confirm_timeout,
            .arg = NULL,
            .dispatch_method = ESP_TIMER_TASK,
            .name = "nf_ota_guard",
            .skip_unhandled_events = false,
        };
        esp_err_t err = esp_timer_create(&args, &s_timer);
        if (err != ESP_OK)
        {
            s_timer = NULL;
            ESP_LOGE(TAG, "boot guard not armed: esp_timer_create: %s", esp_err_to_name(err));
            return err;
        }
    }
    esp_err_t err = esp_timer_start_once(s_timer, (uint64_t)timeout_s * 1000000u);
    if (err != ESP_OK)
    {
        ESP_LOGE(TAG, "boot guard not armed: esp_timer_start_once: %s", esp_err_to_name(err));
        return err;
    }
    s_armed = true;
    ESP_LOGW(TAG, "firmware pending verification: rolling back in %u s unless the app confirms it", (unsigned)timeout_s);
    return ESP_OK;
}

void nf_ota_boot_guard_disarm(void)
{
    if (s_armed)
    {
        (void)esp_timer_stop(s_timer);
        s_armed = false;
    }
}

bool nf_ota_boot_guard_armed(void)
{
    return s_armed;
}

void nf_ota_boot_guard_reset(void)
{
    s_timer = NULL;
    s_armed = false;
}

/*
 * ESP_SYSTEM_INIT_FN's record is static (esp_system_init_fn_nf_ota_boot_guard_init, a local
 * symbol in ESP-IDF 5.2 to 6.0), so no "-u" can name it, and nothing calls the hook. This global
 * is what the component's "-u" names: without it the archive member holding the hook would be
 * linked only when some other function of this file happens to be called. Defined whatever the
 * Kconfig, so the option always resolves.
 */
void nf_ota_boot_guard_include(void)
{
}

/*
 * Start-up hook: ESP-IDF runs it in the SECONDARY stage at priority 900, so after esp_timer is up
 * (esp_timer_init_os: SECONDARY, 100 in ESP-IDF v5.5.4's system_init_fn.txt) and before app_main:
 * the guard is armed whatever nanoCLR and the managed app do next.
 */
#if CONFIG_NF_OTA_BOOT_GUARD
#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(5, 3, 0)
ESP_SYSTEM_INIT_FN(nf_ota_boot_guard_init, SECONDARY, BIT(0), 900)
#else
ESP_SYSTEM_INIT_FN(nf_ota_boot_guard_init, BIT(0), 900)
#endif
{
    /* A guard that cannot be armed must not stop the board from booting. */
    (void)nf_ota_boot_guard_start(CONFIG_NF_OTA_CONFIRM_TIMEOUT_S);
    return ESP_OK;
}
#endif

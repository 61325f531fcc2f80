// The native boot guard: a firmware that boots PENDING_VERIFY is rolled back after the timeout
// unless it is confirmed first, whatever the managed side does (or fails to do).
#include <gtest/gtest.h>

#include <algorithm>

#include "fake_esp_idf.h"

extern "C" {
#include "nf_ota_boot_guard.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
}

namespace {

constexpr int64_t Second = 1000000;

class BootGuard : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        fake_reset();
        fake().state = ESP_OTA_IMG_PENDING_VERIFY;
    }

    static int RollbackCalls()
    {
        return static_cast<int>(std::count(fake().log.begin(), fake().log.end(), "esp_ota_mark_app_invalid_rollback_and_reboot"));
    }
};

TEST_F(BootGuard, RollsBackAPendingFirmwareWhenTheTimeoutPasses)
{
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    EXPECT_TRUE(nf_ota_boot_guard_armed());

    EXPECT_FALSE(fake_advance(299 * Second));
    EXPECT_EQ(0, RollbackCalls());
    EXPECT_EQ(0, fake().restarts);

    EXPECT_TRUE(fake_advance(1 * Second));
    EXPECT_EQ(1, RollbackCalls());
    EXPECT_EQ(1, fake().restarts);
    EXPECT_FALSE(nf_ota_boot_guard_armed());
}

TEST_F(BootGuard, ConfirmingDisarmsIt)
{
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_MarkValid());
    EXPECT_FALSE(nf_ota_boot_guard_armed());

    EXPECT_FALSE(fake_advance(3600 * Second));
    EXPECT_EQ(0, RollbackCalls());
}

TEST_F(BootGuard, AFailedConfirmLeavesItArmed)
{
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    fake().mark_valid_error = ESP_ERR_FLASH_BASE + 1;
    EXPECT_EQ(NF_OTA_FLASH_ERROR, nf_ota_NativeOta_MarkValid());
    EXPECT_TRUE(nf_ota_boot_guard_armed());

    EXPECT_TRUE(fake_advance(300 * Second));
    EXPECT_EQ(1, RollbackCalls());
}

TEST_F(BootGuard, ConfirmingASlotOtadataDoesNotTrackIsNothingToConfirm)
{
    // Blank otadata (or no valid entry): ESP-IDF answers ESP_FAIL, "running firmware is factory".
    // The bootloader cannot roll back a slot otadata does not track, so there is nothing to confirm.
    fake().mark_valid_error = ESP_FAIL;
    fake().state_error = ESP_ERR_NOT_FOUND;
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_MarkValid());
}

TEST_F(BootGuard, ConfirmingATrackedSlotThatFailsIsStillAFailure)
{
    // The running slot has an entry (e.g. ABORTED) but nothing is valid: confirming did not happen.
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    fake().mark_valid_error = ESP_FAIL;
    fake().state = ESP_OTA_IMG_ABORTED;
    EXPECT_EQ(NF_OTA_ESP_FAILURE, nf_ota_NativeOta_MarkValid());
    EXPECT_TRUE(nf_ota_boot_guard_armed());
}

TEST_F(BootGuard, LeavesAConfirmedFirmwareAlone)
{
    fake().state = ESP_OTA_IMG_VALID;
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    EXPECT_FALSE(nf_ota_boot_guard_armed());
    EXPECT_FALSE(fake_advance(3600 * Second));
    EXPECT_EQ(0, RollbackCalls());
}

TEST_F(BootGuard, AnUnreadableStateArmsNothing)
{
    fake().state_error = ESP_ERR_NOT_FOUND;  // otadata blank: a serial-flashed board, nothing to verify
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    EXPECT_FALSE(nf_ota_boot_guard_armed());
}

TEST_F(BootGuard, ATimeoutOfZeroDisablesIt)
{
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(0));
    EXPECT_FALSE(nf_ota_boot_guard_armed());
    EXPECT_EQ(0, static_cast<int>(fake().timers.size()));
}

TEST_F(BootGuard, WithNothingToRollBackToTheFirmwareRunsOn)
{
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    fake().rollback_error = ESP_ERR_OTA_ROLLBACK_FAILED;
    EXPECT_FALSE(fake_advance(300 * Second));
    EXPECT_EQ(1, RollbackCalls());
    EXPECT_EQ(0, fake().restarts);
    EXPECT_FALSE(nf_ota_boot_guard_armed());
}

TEST_F(BootGuard, RollsBackFromItsOwnTaskNotTheTimerTask)
{
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    EXPECT_TRUE(fake_advance(300 * Second));
    auto &log = fake().log;
    auto task = std::find(log.begin(), log.end(), "xTaskCreate");
    auto rollback = std::find(log.begin(), log.end(), "esp_ota_mark_app_invalid_rollback_and_reboot");
    ASSERT_NE(log.end(), task);
    EXPECT_LT(task, rollback);
}

TEST_F(BootGuard, NoMemoryForTheRollbackTaskLeavesTheFirmwareRunning)
{
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    fake().task_create_fails = true;
    EXPECT_FALSE(fake_advance(300 * Second));
    EXPECT_EQ(0, RollbackCalls());
    EXPECT_EQ(0, fake().restarts);
}

TEST_F(BootGuard, ATimerThatCannotBeCreatedIsReportedNotFatal)
{
    fake().timer_create_error = ESP_ERR_NO_MEM;
    EXPECT_EQ(ESP_ERR_NO_MEM, nf_ota_boot_guard_start(300));
    EXPECT_FALSE(nf_ota_boot_guard_armed());
}

TEST_F(BootGuard, ArmsOncePerBoot)
{
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    EXPECT_FALSE(fake_advance(200 * Second));
    // A second start (a repeated init) must not push the deadline back.
    ASSERT_EQ(ESP_OK, nf_ota_boot_guard_start(300));
    EXPECT_TRUE(fake_advance(100 * Second));
    EXPECT_EQ(1, RollbackCalls());
}

}  // namespace

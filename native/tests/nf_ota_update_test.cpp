// Updates through nf_ota against the fake ESP-IDF: the happy path, and what each refusal and
// each ESP-IDF failure does to the handle table and to ESP-IDF's own state.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "fake_esp_idf.h"
#include "spi_flash_mmap.h"
#include "mbedtls/md.h"

extern "C" {
#include "nf_ota_handles.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
}

namespace {

std::vector<uint8_t> Sha256(const uint8_t *data, size_t length)
{
    std::vector<uint8_t> digest(32);
    mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), data, length, digest.data());
    return digest;
}

std::vector<uint8_t> Image(size_t length)
{
    std::vector<uint8_t> image(length);
    for (size_t i = 0; i < length; i++)
    {
        image[i] = static_cast<uint8_t>(i * 7 + 3);
    }
    image[0] = 0xE9;
    return image;
}

class Update : public ::testing::Test
{
  protected:
    void SetUp() override { fake_reset(); }
};

TEST_F(Update, StreamsAnImageIntoTheNextSlotAndHashesWhatWasWritten)
{
    auto image = Image(10000);
    int32_t handle = nf_ota_NativeOta_Begin("", static_cast<int32_t>(image.size()), 0);
    ASSERT_GT(handle, 0);
    ASSERT_EQ(1, static_cast<int>(fake().open.size()));
    EXPECT_EQ(&fake().partitions[2], fake().open.begin()->second.partition);  // next update slot: ota_1
    EXPECT_EQ(image.size(), fake().open.begin()->second.image_size);

    for (size_t done = 0; done < image.size(); done += 4096)
    {
        int32_t count = static_cast<int32_t>(std::min<size_t>(4096, image.size() - done));
        ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), static_cast<int32_t>(done), count));
    }
    uint8_t digest[40];
    ASSERT_EQ(static_cast<int32_t>(image.size()), nf_ota_NativeOta_GetImageDigest(handle, digest, sizeof digest));
    EXPECT_EQ(Sha256(image.data(), image.size()), std::vector<uint8_t>(digest, digest + 32));
    // Asking twice does not disturb the running digest.
    uint8_t again[32];
    ASSERT_EQ(static_cast<int32_t>(image.size()), nf_ota_NativeOta_GetImageDigest(handle, again, sizeof again));
    EXPECT_EQ(0, std::memcmp(digest, again, 32));

    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_EQ(image, fake().ended_image);
    EXPECT_EQ(0, nf_ota_handles_open_count());
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_SetBootSlot("ota_1"));
    EXPECT_EQ(2, fake().boot);
}

TEST_F(Update, RefusesTheRunningSlotDataPartitionsAndOversizedImagesBeforeBegin)
{
    EXPECT_EQ(NF_OTA_IS_RUNNING_SLOT, nf_ota_NativeOta_Begin("ota_0", 100, 0));
    EXPECT_EQ(NF_OTA_NOT_AN_OTA_SLOT, nf_ota_NativeOta_Begin("otadata", 100, 0));
    EXPECT_EQ(NF_OTA_NOT_AN_OTA_SLOT, nf_ota_NativeOta_Begin("factory", 100, 0));
    EXPECT_EQ(NF_OTA_NOT_FOUND, nf_ota_NativeOta_Begin("ota_7", 100, 0));
    EXPECT_EQ(NF_OTA_IMAGE_TOO_LARGE, nf_ota_NativeOta_Begin("ota_1", 0x100001, 0));
    fake().next_update = -1;
    EXPECT_EQ(NF_OTA_NOT_FOUND, nf_ota_NativeOta_Begin("", 100, 0));
    for (const auto &call : fake().log)
    {
        EXPECT_NE("esp_ota_begin", call);
    }
    EXPECT_EQ(0, nf_ota_handles_open_count());
}

TEST_F(Update, TheHandleTableIsBounded)
{
    fake().partitions.push_back(fake().partitions[2]);
    std::strcpy(fake().partitions.back().label, "ota_2");
    fake().partitions.back().subtype = ESP_PARTITION_SUBTYPE_APP_OTA_MIN;
    int32_t first = nf_ota_NativeOta_Begin("ota_1", 100, 0);
    int32_t second = nf_ota_NativeOta_Begin("ota_1", 100, 0);
    ASSERT_GT(first, 0);
    ASSERT_GT(second, 0);
    size_t begun = fake().open.size();
    EXPECT_EQ(NF_OTA_NO_FREE_HANDLE, nf_ota_NativeOta_Begin("ota_1", 100, 0));
    EXPECT_EQ(begun, fake().open.size());  // ESP-IDF was not asked
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(first));
    EXPECT_GT(nf_ota_NativeOta_Begin("ota_1", 100, 0), 0);
}

TEST_F(Update, ABeginThatFailsInEspIdfFreesEverything)
{
    fake().begin_error = ESP_ERR_FLASH_OP_FAIL;
    fake().begin_error_keeps_handle = true;
    EXPECT_EQ(NF_OTA_FLASH_ERROR, nf_ota_NativeOta_Begin("ota_1", 100, 0));
    EXPECT_EQ(ESP_ERR_FLASH_OP_FAIL, nf_ota_NativeOta_GetLastEspError());
    EXPECT_TRUE(fake().open.empty()) << "the handle ESP-IDF kept must be aborted";
    EXPECT_EQ(0, nf_ota_handles_open_count());

    fake().begin_error = ESP_ERR_OTA_ROLLBACK_INVALID_STATE;
    EXPECT_EQ(NF_OTA_ROLLBACK_INVALID_STATE, nf_ota_NativeOta_Begin("ota_1", 100, 0));
    EXPECT_EQ(0, nf_ota_handles_open_count());
}

TEST_F(Update, WritesBeyondTheAnnouncedSizeNeverReachFlash)
{
    auto image = Image(200);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", 100, 0);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), 200, 0, 64));
    EXPECT_EQ(NF_OTA_IMAGE_TOO_LARGE, nf_ota_NativeOta_Write(handle, image.data(), 200, 64, 64));
    EXPECT_EQ(64u, fake().open.begin()->second.image.size());
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), 200, 64, 36));
    EXPECT_EQ(NF_OTA_IMAGE_TOO_LARGE, nf_ota_NativeOta_Write(handle, image.data(), 200, 100, 1));
}

TEST_F(Update, AFailedWriteLeavesOnlyEndOrAbort)
{
    auto image = Image(100);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", NF_OTA_SIZE_UNKNOWN, 0);
    fake().write_error = ESP_ERR_OTA_VALIDATE_FAILED;  // first byte is not 0xE9
    EXPECT_EQ(NF_OTA_IMAGE_INVALID, nf_ota_NativeOta_Write(handle, image.data(), 100, 0, 50));
    EXPECT_EQ(ESP_ERR_OTA_VALIDATE_FAILED, nf_ota_NativeOta_GetLastEspError());
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_Write(handle, image.data(), 100, 0, 50));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
    EXPECT_TRUE(fake().open.empty());
}

TEST_F(Update, EndingAnEmptyUpdateAbortsIt)
{
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", NF_OTA_SIZE_UNKNOWN, 0);
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_End(handle));
    EXPECT_TRUE(fake().open.empty());
    // Aborted, then the slot's header erased (nf_ota_unfinished_test.cpp).
    EXPECT_EQ("esp_ota_abort", fake().log.end()[-2]);
    EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_End(handle));
}

TEST_F(Update, EndReportsAnImageEspIdfRejectsAndStillFreesTheHandle)
{
    auto image = Image(64);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", NF_OTA_SIZE_UNKNOWN, 0);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), 64, 0, 64));
    fake().end_error = ESP_ERR_OTA_VALIDATE_FAILED;
    EXPECT_EQ(NF_OTA_IMAGE_INVALID, nf_ota_NativeOta_End(handle));
    EXPECT_EQ(0, nf_ota_handles_open_count());
    EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_Abort(handle));
}

TEST_F(Update, ResumingAtTheHashedEndKeepsTheDigestAndAGapLosesIt)
{
    auto image = Image(4096);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", 4096, 0);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_WriteAt(handle, 0, image.data(), 4096, 0, 1024));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_WriteAt(handle, 1024, image.data(), 4096, 1024, 3072));
    uint8_t digest[32];
    ASSERT_EQ(4096, nf_ota_NativeOta_GetImageDigest(handle, digest, sizeof digest));
    EXPECT_EQ(Sha256(image.data(), 4096), std::vector<uint8_t>(digest, digest + 32));
    EXPECT_EQ(image, fake().open.begin()->second.image);

    int32_t gap = nf_ota_NativeOta_Begin("ota_1", 4096, 0);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_WriteAt(gap, 1024, image.data(), 4096, 1024, 1024));
    EXPECT_EQ(NF_OTA_DIGEST_UNAVAILABLE, nf_ota_NativeOta_GetImageDigest(gap, digest, sizeof digest));
}

TEST_F(Update, SlotQueriesDescribeThePartitions)
{
    uint8_t record[NF_OTA_SLOT_RECORD_LENGTH];
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_GetSlotInfo(NF_OTA_SLOT_RUNNING, record, sizeof record));
    EXPECT_EQ(0x110000u, record[0] | record[1] << 8 | record[2] << 16 | static_cast<uint32_t>(record[3]) << 24);
    EXPECT_EQ(0x100000u, record[4] | record[5] << 8 | record[6] << 16 | static_cast<uint32_t>(record[7]) << 24);
    EXPECT_EQ(ESP_PARTITION_TYPE_APP, record[8]);
    EXPECT_EQ(ESP_PARTITION_SUBTYPE_APP_OTA_0, record[9]);
    EXPECT_EQ(1, record[10]);
    EXPECT_STREQ("ota_0", reinterpret_cast<const char *>(record + NF_OTA_SLOT_RECORD_LABEL_OFFSET));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_GetSlotInfo(NF_OTA_SLOT_NEXT_UPDATE, record, sizeof record));
    EXPECT_STREQ("ota_1", reinterpret_cast<const char *>(record + NF_OTA_SLOT_RECORD_LABEL_OFFSET));
    EXPECT_EQ(NF_OTA_NOT_FOUND, nf_ota_NativeOta_GetSlotInfo(NF_OTA_SLOT_LAST_INVALID, record, sizeof record));

    fake().state = ESP_OTA_IMG_PENDING_VERIFY;
    EXPECT_EQ(NF_OTA_STATE_PENDING_VERIFY, nf_ota_NativeOta_GetSlotState(""));
    fake().state = ESP_OTA_IMG_UNDEFINED;
    EXPECT_EQ(NF_OTA_STATE_UNDEFINED, nf_ota_NativeOta_GetSlotState("ota_1"));
    fake().state_error = ESP_ERR_NOT_SUPPORTED;
    EXPECT_EQ(NF_OTA_NOT_SUPPORTED, nf_ota_NativeOta_GetSlotState("factory"));

    uint8_t description[NF_OTA_APP_DESCRIPTION_LENGTH];
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_GetAppDescription("", description, sizeof description));
    EXPECT_STREQ("1.2.3", reinterpret_cast<const char *>(description + 16));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_GetAppDescription("ota_1", description, sizeof description));
    EXPECT_STREQ("2.0.0", reinterpret_cast<const char *>(description + 16));
    EXPECT_EQ(NF_OTA_NOT_AN_OTA_SLOT, nf_ota_NativeOta_GetAppDescription("nvs", description, sizeof description));
    fake().description_error = ESP_ERR_NOT_FOUND;
    EXPECT_EQ(NF_OTA_NOT_FOUND, nf_ota_NativeOta_GetAppDescription("ota_1", description, sizeof description));

    EXPECT_EQ(0, nf_ota_NativeOta_GetChipId());  // CHIP_ESP32 (1) is chip id 0 in images
    fake().chip_model = 5;                        // CHIP_ESP32C3
    EXPECT_EQ(5, nf_ota_NativeOta_GetChipId());
    EXPECT_EQ(1, nf_ota_NativeOta_GetFlashEncryptionMode());
    EXPECT_TRUE(nf_ota_NativeOta_IsSecureBootEnabled());
    EXPECT_EQ(3, nf_ota_NativeOta_GetDeviceSecureVersion());
    uint8_t sha[32];
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_GetSlotSha256("", sha, sizeof sha));
    EXPECT_EQ(0x11, sha[0]);
}

TEST_F(Update, RollbackRestartsOnSuccessAndReportsFailure)
{
    int32_t result = 0;
    EXPECT_TRUE(restarted_during(nf_ota_NativeOta_MarkInvalidAndRollback, &result));
    EXPECT_EQ(1, fake().restarts);
    fake().rollback_error = ESP_ERR_OTA_ROLLBACK_FAILED;
    EXPECT_FALSE(restarted_during(nf_ota_NativeOta_MarkInvalidAndRollback, &result));
    EXPECT_EQ(NF_OTA_ROLLBACK_FAILED, result);
    EXPECT_TRUE(restarted_during_void(nf_ota_NativeOta_Reboot));
    EXPECT_EQ(2, fake().restarts);
    fake().mark_valid_error = ESP_ERR_NOT_FOUND;
    EXPECT_EQ(NF_OTA_NOT_FOUND, nf_ota_NativeOta_MarkValid());
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_MarkValid());
}

TEST_F(Update, SetBootSlotMapsEspIdfRefusals)
{
    fake().set_boot_error = ESP_ERR_OTA_VALIDATE_FAILED;
    EXPECT_EQ(NF_OTA_IMAGE_INVALID, nf_ota_NativeOta_SetBootSlot("ota_1"));
    fake().set_boot_error = ESP_ERR_OTA_SMALL_SEC_VER;
    EXPECT_EQ(NF_OTA_SECURE_VERSION_TOO_LOW, nf_ota_NativeOta_SetBootSlot("ota_1"));
    EXPECT_EQ(NF_OTA_NOT_AN_OTA_SLOT, nf_ota_NativeOta_SetBootSlot("nvs"));
    EXPECT_EQ(NF_OTA_NOT_FOUND, nf_ota_NativeOta_SetBootSlot("nope"));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_SetBootSlot("factory"));
}

TEST(Resume, GoesOnAtASectorOfTheNextSlotErasingAsItWritesAndHasNoDigest)
{
    fake_reset();
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Resume("ota_1", 100, 8192));   // not a sector
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Resume("ota_1", 8192, 4096));  // past the image
    EXPECT_EQ(NF_OTA_IS_RUNNING_SLOT, nf_ota_NativeOta_Resume("ota_0", 4096, 8192));
    EXPECT_EQ(NF_OTA_NOT_AN_OTA_SLOT, nf_ota_NativeOta_Resume("factory", 4096, 8192));
    EXPECT_EQ(0, fake().open.size());

    int32_t handle = nf_ota_NativeOta_Resume("ota_1", 4096, 8192);
    ASSERT_GT(handle, 0);
    ASSERT_EQ(1u, fake().open.size());
    const FakeOta &ota = fake().open.begin()->second;
    EXPECT_EQ(4096u, ota.resumed_at);
    // nf_ota erases ahead itself (nf_ota_erase_ahead_test.cpp): ESP-IDF's handle must not.
    EXPECT_FALSE(ota.need_erase);
    EXPECT_STREQ("ota_1", ota.partition->label);

    uint8_t chunk[4096] = {0xE9};
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, chunk, sizeof(chunk), 0, 4096));
    EXPECT_EQ(0, fake().unerased_programs);  // the sector at 4096 was erased before the write
    EXPECT_EQ(NF_OTA_IMAGE_TOO_LARGE, nf_ota_NativeOta_Write(handle, chunk, sizeof(chunk), 0, 16));  // 4096 + 4096 = the announced size
    uint8_t digest[32];
    EXPECT_EQ(NF_OTA_DIGEST_UNAVAILABLE, nf_ota_NativeOta_GetImageDigest(handle, digest, sizeof(digest)));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
}

}  // namespace

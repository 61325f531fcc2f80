// A slot whose last write session did not end cleanly can never be set to boot: SetBootSlot refuses
// it in RAM for the rest of the session, and its first sector is erased so that ESP-IDF's own
// validation refuses it after a restart too. Plain images here; the pre-encrypted ones (a bad tag,
// an image cut short) are in nf_ota_enc_image_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fake_esp_idf.h"

extern "C" {
#include "nf_ota_handles.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
#include "nf_ota_unfinished.h"
}

namespace {

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

class Unfinished : public ::testing::Test
{
  protected:
    void SetUp() override { fake_reset(); }

    // Begin on ota_1 and write `count` bytes of the image.
    static int32_t Write(std::vector<uint8_t> &image, size_t count, int32_t flags = 0)
    {
        int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), flags);
        EXPECT_GT(handle, 0);
        EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), 0, static_cast<int32_t>(count)));
        return handle;
    }

    static bool HeaderErased()
    {
        const auto &slot = fake().data["ota_1"];
        return slot.size() >= 4096 && std::all_of(slot.begin(), slot.begin() + 4096, [](uint8_t b) { return b == 0xFF; });
    }

    static int Count(const char *call) { return static_cast<int>(std::count(fake().log.begin(), fake().log.end(), std::string(call))); }

    // RAM is lost, flash stays: what a restart leaves.
    static void Restart()
    {
        nf_ota_handles_reset();
        nf_ota_unfinished_reset();
    }
};

TEST_F(Unfinished, ACleanEndLeavesTheSlotBootable)
{
    auto image = Image(10000);
    int32_t handle = Write(image, image.size());
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1"));  // still being written
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_FALSE(HeaderErased());
    EXPECT_EQ(0, Count("esp_partition_erase_range"));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_SetBootSlot("ota_1"));
}

TEST_F(Unfinished, AnImageEspIdfRefusesAtEndIsErasedAndNeverSetToBoot)
{
    auto image = Image(10000);
    int32_t handle = Write(image, image.size());
    fake().end_error = ESP_ERR_OTA_VALIDATE_FAILED;
    EXPECT_EQ(NF_OTA_IMAGE_INVALID, nf_ota_NativeOta_End(handle));
    EXPECT_TRUE(HeaderErased());
    fake().log.clear();
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1"));
    EXPECT_EQ(0, Count("esp_ota_set_boot_partition"));  // refused before ESP-IDF
    Restart();
    EXPECT_EQ(NF_OTA_IMAGE_INVALID, nf_ota_NativeOta_SetBootSlot("ota_1"));  // ESP-IDF finds no image
}

TEST_F(Unfinished, AnEmptyEndIsErasedToo)
{
    auto image = Image(10000);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", 10000, NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_End(handle));
    EXPECT_TRUE(HeaderErased());
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1"));
}

TEST_F(Unfinished, AbortingAWholeImageErasesItsHeader)
{
    // The engine aborts a written image whose digest is not the signed one.
    auto image = Image(10000);
    int32_t handle = Write(image, image.size());
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
    EXPECT_TRUE(HeaderErased());
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1"));
    Restart();
    EXPECT_EQ(NF_OTA_IMAGE_INVALID, nf_ota_NativeOta_SetBootSlot("ota_1"));
}

TEST_F(Unfinished, AbortingAnImageOfUnknownSizeErasesItsHeader)
{
    auto image = Image(10000);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", NF_OTA_SIZE_UNKNOWN, 0);
    ASSERT_GT(handle, 0);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), 10000, 0, 10000));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
    EXPECT_TRUE(HeaderErased());
}

TEST_F(Unfinished, AbortingPartWayKeepsThePrefixForResumeButRefusesTheSlot)
{
    // A download cut short (cancelled, the network gone): the verified prefix stays for Resume.
    auto image = Image(10000);
    int32_t handle = Write(image, 8192);
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
    EXPECT_FALSE(HeaderErased());
    EXPECT_EQ(0, Count("esp_partition_erase_range"));
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1"));

    int32_t resumed = nf_ota_NativeOta_Resume("ota_1", 8192, 10000);
    ASSERT_GT(resumed, 0);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(resumed, image.data(), 10000, 8192, 10000 - 8192));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(resumed));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_SetBootSlot("ota_1"));
}

TEST_F(Unfinished, AHandleResumedBeforeTheOldOneIsAbortedCarriesTheSessionOn)
{
    // The engine rewrites a damaged last block: Resume at its start, then let the old handle go.
    auto image = Image(10000);
    int32_t old = Write(image, image.size());
    int32_t resumed = nf_ota_NativeOta_Resume("ota_1", 8192, 10000);
    ASSERT_GT(resumed, 0);
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(old));
    EXPECT_FALSE(HeaderErased());
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1"));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(resumed, image.data(), 10000, 8192, 10000 - 8192));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(resumed));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_SetBootSlot("ota_1"));
}

TEST_F(Unfinished, AFailedWriteThenEndOrAbortErases)
{
    for (bool end : {true, false})
    {
        fake_reset();
        auto image = Image(10000);
        int32_t handle = Write(image, 4096);
        fake().write_error = ESP_FAIL;
        EXPECT_NE(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), 10000, 4096, 5904));
        fake().end_error = ESP_ERR_OTA_VALIDATE_FAILED;
        if (end)
        {
            EXPECT_NE(NF_OTA_OK, nf_ota_NativeOta_End(handle));
            EXPECT_TRUE(HeaderErased());
        }
        else
        {
            EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
        }
        EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1")) << (end ? "end" : "abort");
    }
}

TEST_F(Unfinished, OnlyTheSlotWrittenIsRefused)
{
    auto image = Image(10000);
    int32_t handle = Write(image, image.size());
    fake().end_error = ESP_ERR_OTA_VALIDATE_FAILED;
    (void)nf_ota_NativeOta_End(handle);
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_SetBootSlot("ota_0"));
    EXPECT_EQ(0, fake().data.count("ota_0"));  // nothing erased there
}

TEST_F(Unfinished, AnotherSessionThatEndsCleanlyMakesTheSlotBootableAgain)
{
    auto image = Image(10000);
    int32_t handle = Write(image, image.size());
    (void)nf_ota_NativeOta_Abort(handle);
    ASSERT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1"));
    handle = Write(image, image.size());
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_SetBootSlot("ota_1"));
}

}  // namespace

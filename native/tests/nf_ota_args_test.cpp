// Every argument is checked before ESP-IDF is called: these calls must fail with the right
// status and leave the fake ESP-IDF untouched (fake().calls == 0).
#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <string>

#include "fake_esp_idf.h"

extern "C" {
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
}

namespace {

class Arguments : public ::testing::Test
{
  protected:
    void SetUp() override { fake_reset(); }

    // Begin on ota_1 with real ESP-IDF calls, then forget those calls.
    int32_t OpenUpdate(int32_t size = 4096, int32_t flags = 0)
    {
        int32_t handle = nf_ota_NativeOta_Begin("ota_1", size, flags);
        EXPECT_GT(handle, 0);
        fake().calls = 0;
        fake().log.clear();
        return handle;
    }

    uint8_t buffer[64] = {0xE9};
};

TEST_F(Arguments, BeginRefusesNullLabelBadFlagsAndSizesWithoutCallingEspIdf)
{
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_Begin(nullptr, 100, 0));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Begin("", 100, 4));
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_Begin("", 100, NF_OTA_BEGIN_DECRYPT));  // no image opened
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Begin("", 100, -1));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Begin("", 0, 0));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Begin("", -2, 0));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Begin("", INT_MIN, 0));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Begin("a_label_of_17_chr", 100, 0));
    EXPECT_EQ(0, fake().calls);
}

TEST_F(Arguments, WriteChecksBufferSpanBeforeTheHandle)
{
    int32_t handle = OpenUpdate();
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_Write(handle, nullptr, 0, 0, 0));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, -1, 1));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, 0, -1));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, 65, 0));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, 60, 5));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, 1, 64));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, INT_MAX, INT_MAX));
    // The span check wins over an unknown handle: both are the caller's mistakes, the first is reported.
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_Write(12345, buffer, sizeof buffer, 0, 65));
    EXPECT_EQ(0, fake().calls);
    // The edges are fine: an empty write at the end, the whole buffer.
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, 64, 0));
    EXPECT_EQ(0, fake().calls);
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, 0, 64));
}

TEST_F(Arguments, UnknownAndStaleHandlesAreRefused)
{
    for (int32_t bad : {0, -1, 1, 2, 3, 15, 16, 17, INT_MAX, INT_MIN})
    {
        EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_Write(bad, buffer, sizeof buffer, 0, 1)) << bad;
        EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_WriteAt(bad, 0, buffer, sizeof buffer, 0, 16)) << bad;
        EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_End(bad)) << bad;
        EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_Abort(bad)) << bad;
        uint8_t digest[32];
        EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_GetImageDigest(bad, digest, sizeof digest)) << bad;
    }
    EXPECT_EQ(0, fake().calls);

    int32_t handle = OpenUpdate();
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
    fake().calls = 0;
    EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, 0, 1));
    EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_Abort(handle));
    EXPECT_EQ(0, fake().calls);

    // The slot is reused with a new id: the old handle still does not work.
    int32_t again = OpenUpdate();
    EXPECT_NE(handle, again);
    EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_Write(handle, buffer, sizeof buffer, 0, 1));
    EXPECT_EQ(0, fake().calls);
}

TEST_F(Arguments, WriteAtChecksOffsetAlignmentAndSequentialHandles)
{
    int32_t handle = OpenUpdate(4096);
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_WriteAt(handle, -16, buffer, sizeof buffer, 0, 16));
    fake().calls = 0;
    // Flash encryption is on in the fake: WriteAt takes whole 16-byte blocks.
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_WriteAt(handle, 8, buffer, sizeof buffer, 0, 16));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_WriteAt(handle, 0, buffer, sizeof buffer, 0, 10));
    EXPECT_EQ(NF_OTA_IMAGE_TOO_LARGE, nf_ota_NativeOta_WriteAt(handle, 4096, buffer, sizeof buffer, 0, 16));
    for (const auto &call : fake().log)
    {
        EXPECT_NE("esp_ota_write_with_offset", call);
    }

    int32_t sequential = nf_ota_NativeOta_Begin("ota_1", NF_OTA_SIZE_UNKNOWN, NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_EQ(NF_OTA_NO_FREE_HANDLE == sequential, false);
    ASSERT_GT(sequential, 0);
    fake().log.clear();
    // esp_ota_write_with_offset would assert (and the chip abort) on a sequential-erase handle.
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_WriteAt(sequential, 0, buffer, sizeof buffer, 0, 16));
    EXPECT_TRUE(fake().log.empty());
}

TEST_F(Arguments, RecordsAndDigestsMustBeLargeEnough)
{
    uint8_t small[31];
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_GetSlotInfo(NF_OTA_SLOT_RUNNING, small, sizeof small));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_GetSlotInfo(NF_OTA_SLOT_RUNNING, nullptr, 0));
    uint8_t record[32];
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_GetSlotInfo(4, record, sizeof record));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_GetSlotInfo(-1, record, sizeof record));
    uint8_t description[255];
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_GetAppDescription("", description, sizeof description));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_GetAppDescription(nullptr, description, sizeof description));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_GetSlotSha256("", small, sizeof small));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_GetSlotSha256("", nullptr, 0));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_GetSlotState(nullptr));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_SetBootSlot(nullptr));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_SetBootSlot(""));
    EXPECT_EQ(0, fake().calls);

    int32_t handle = OpenUpdate();
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_GetImageDigest(handle, small, sizeof small));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_GetImageDigest(handle, nullptr, 0));
    EXPECT_EQ(0, fake().calls);
}

TEST_F(Arguments, VerifyP256ChecksLengthsBeforeAnyCrypto)
{
    uint8_t key[65] = {0x04};
    uint8_t message[10] = {};
    uint8_t signature[64] = {};
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_VerifyP256(nullptr, 0, message, sizeof message, 10, signature, sizeof signature));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_VerifyP256(key, sizeof key, nullptr, 0, 0, signature, sizeof signature));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_VerifyP256(key, sizeof key, message, sizeof message, 10, nullptr, 0));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_VerifyP256(key, sizeof key, message, sizeof message, 11, signature, sizeof signature));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_VerifyP256(key, sizeof key, message, sizeof message, -1, signature, sizeof signature));
    EXPECT_EQ(NF_OTA_KEY_INVALID, nf_ota_NativeOta_VerifyP256(key, 64, message, sizeof message, 10, signature, sizeof signature));
    EXPECT_EQ(NF_OTA_SIGNATURE_INVALID, nf_ota_NativeOta_VerifyP256(key, sizeof key, message, sizeof message, 10, signature, 63));
    EXPECT_EQ(0, fake().calls);
}

}  // namespace

// The managed app's deploy partitions: pairing with OTA slots, the running app never touched,
// 16-byte writes, read-back hashing, and the firmware's native table.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "fake_esp_idf.h"

extern "C" {
#include "spi_flash_mmap.h"
#include "nf_ota_deploy.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
}

namespace {

class App : public ::testing::Test
{
  protected:
    void SetUp() override { fake_reset(); }

    static std::string Label(const uint8_t *record) { return reinterpret_cast<const char *>(record + NF_OTA_SLOT_RECORD_LABEL_OFFSET); }

    uint8_t record[NF_OTA_SLOT_RECORD_LENGTH] = {};
    uint8_t data[64] = {};
};

TEST_F(App, EachOtaSlotIsPairedWithItsOwnDeployPartition)
{
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_GetAppPartition("ota_1", record, sizeof(record)));
    EXPECT_EQ("deploy_1", Label(record));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_GetAppPartition("", record, sizeof(record)));  // running: ota_0
    EXPECT_EQ("deploy_0", Label(record));
    EXPECT_EQ(NF_OTA_NOT_AN_OTA_SLOT, nf_ota_NativeOta_GetAppPartition("factory", record, sizeof(record)));
    EXPECT_EQ(NF_OTA_NOT_AN_OTA_SLOT, nf_ota_NativeOta_GetAppPartition("nvs", record, sizeof(record)));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_GetAppPartition("ota_1", record, sizeof(record) - 1));
}

TEST_F(App, OneSharedDeployPartitionIsNotAPair)
{
    for (auto &p : fake().partitions)
    {
        if (std::string(p.label) == "deploy_1")
        {
            std::strcpy(p.label, "deploy");
        }
    }
    EXPECT_EQ(NF_OTA_NOT_FOUND, nf_ota_NativeOta_GetAppPartition("ota_1", record, sizeof(record)));
    EXPECT_EQ(NF_OTA_NOT_FOUND, nf_ota_NativeOta_WriteApp("ota_1", 0, data, sizeof(data), 0, 16));
}

TEST_F(App, TheRunningSlotsAppIsNeverErasedOrWritten)
{
    fake().calls = 0;
    fake().log.clear();
    EXPECT_EQ(NF_OTA_IS_RUNNING_SLOT, nf_ota_NativeOta_EraseApp("ota_0", 0, 4096, 0));
    EXPECT_EQ(NF_OTA_IS_RUNNING_SLOT, nf_ota_NativeOta_EraseApp("", 0, 4096, 0));
    EXPECT_EQ(NF_OTA_IS_RUNNING_SLOT, nf_ota_NativeOta_WriteApp("ota_0", 0, data, sizeof(data), 0, 16));
    EXPECT_EQ(NF_OTA_IS_RUNNING_SLOT, nf_ota_NativeOta_WriteApp("", 0, data, sizeof(data), 0, 16));
    for (const auto &call : fake().log)
    {
        EXPECT_NE("esp_partition_write", call);
        EXPECT_NE("esp_partition_erase_range", call);
    }
    EXPECT_EQ(std::vector<uint8_t>(0x40000, 0xFF), fake().data["deploy_0"]);
}

TEST_F(App, WritesAreWholeSixteenByteBlocksInsideThePartition)
{
    fake().log.clear();
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_WriteApp("ota_1", 8, data, sizeof(data), 0, 16));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_WriteApp("ota_1", 0, data, sizeof(data), 0, 20));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_WriteApp("ota_1", 0, data, sizeof(data), 56, 16));
    EXPECT_EQ(NF_OTA_IMAGE_TOO_LARGE, nf_ota_NativeOta_WriteApp("ota_1", 0x40000 - 16, data, sizeof(data), 0, 32));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_WriteApp(nullptr, 0, data, sizeof(data), 0, 16));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_EraseApp("ota_1", 0x800, 4096, 0));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_EraseApp("ota_1", 0x3F000, 0x2000, 0));
    for (const auto &call : fake().log)
    {
        EXPECT_TRUE(call == "esp_partition_find_first" || call == "esp_ota_get_running_partition") << "a refused call reached ESP-IDF's " << call;
    }
}

TEST_F(App, WrittenBytesLandInThePairedPartitionAndHashOnReadBack)
{
    for (int i = 0; i < 32; i++)
    {
        data[i] = static_cast<uint8_t>(i);
    }
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_EraseApp("ota_1", 0, 4096, 0));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_WriteApp("ota_1", 0x20, data, sizeof(data), 0, 32));
    EXPECT_EQ(0, std::memcmp(fake().data["deploy_1"].data() + 0x20, data, 32));
    EXPECT_EQ(0xFF, fake().data["deploy_1"][0x1F]);
    EXPECT_EQ(std::vector<uint8_t>(0x40000, 0xFF), fake().data["deploy_0"]);

    uint8_t digest[32] = {};
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_HashPartition("deploy_1", 0x20, 32, digest, sizeof(digest)));
    // SHA-256 of the bytes 0..31 (python3: hashlib.sha256(bytes(range(32))))
    const uint8_t expected[32] = {0x63, 0x0d, 0xcd, 0x29, 0x66, 0xc4, 0x33, 0x66, 0x91, 0x12, 0x54, 0x48, 0xbb, 0xb2, 0x5b, 0x4f,
                                  0xf4, 0x12, 0xa4, 0x9c, 0x73, 0x2d, 0xb2, 0xc8, 0xab, 0xc1, 0xb8, 0x58, 0x1b, 0xd7, 0x10, 0xdd};
    EXPECT_EQ(0, std::memcmp(expected, digest, 32));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_HashPartition("deploy_1", 0x3FFF0, 32, digest, sizeof(digest)));

    uint8_t back[32] = {};
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_ReadPartition("deploy_1", 0x20, back, sizeof(back), 0, 32));
    EXPECT_EQ(0, std::memcmp(back, data, 32));
}

TEST_F(App, EraseSkipsSectorsThatAreAlreadyBlankAndErasesTheRest)
{
    fake().data["deploy_1"][0x1000 + 77] = 0x00;  // one programmed byte in the second sector
    fake().log.clear();
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_EraseApp("ota_1", 0, 0x3000, 0));
    int erases = 0;
    for (const auto &call : fake().log)
    {
        erases += call == "esp_partition_erase_range";
    }
    EXPECT_EQ(1, erases);
    EXPECT_EQ(std::vector<uint8_t>(0x40000, 0xFF), fake().data["deploy_1"]);
}

TEST_F(App, AnAligned64KiBSpanWithEnoughToEraseIsOneBlockEraseAndAFewSectorsStaySectors)
{
    // deploy_1 starts at 0x350000: its offsets 0 and 0x10000 are flash blocks.
    std::fill(fake().data["deploy_1"].begin(), fake().data["deploy_1"].begin() + 0x10000, static_cast<uint8_t>(0x00));
    fake().data["deploy_1"][0x10000 + 5] = 0x00;  // block 1: two sectors hold something
    fake().data["deploy_1"][0x1F000 + 5] = 0x00;
    fake().data["deploy_1"][0x20000 + 5] = 0x00;  // a lone sector past the blocks
    fake().erases.clear();
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_EraseApp("ota_1", 0, 0x21000, 0));
    std::vector<std::pair<size_t, size_t>> erases;
    for (const auto &e : fake().erases)
    {
        erases.emplace_back(e.offset, e.size);
    }
    EXPECT_EQ((std::vector<std::pair<size_t, size_t>>{{0, 0x10000}, {0x10000, 0x1000}, {0x1F000, 0x1000}, {0x20000, 0x1000}}), erases);
    EXPECT_EQ(std::vector<uint8_t>(0x40000, 0xFF), fake().data["deploy_1"]);
}

TEST_F(App, OnRequestEraseAlsoSkipsSectorsThatReadErasedThroughDecryption)
{
    // Flash encryption's first boot leaves a data partition as ciphertext of 0xFF.
    fake().data_cipher = 0x5A;
    std::fill(fake().data["deploy_1"].begin(), fake().data["deploy_1"].begin() + 0x2000, static_cast<uint8_t>(0xFF ^ 0x5A));
    fake().data["deploy_1"][0x1000 + 9] = 0x00;  // the second sector holds something
    auto erases = [] {
        int n = 0;
        for (const auto &call : fake().log)
        {
            n += call == "esp_partition_erase_range";
        }
        return n;
    };
    fake().log.clear();
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_EraseApp("ota_1", 0, 0x2000, NF_OTA_ERASE_SKIP_BLANK_PLAINTEXT));
    EXPECT_EQ(1, erases());
    EXPECT_EQ(0xFF ^ 0x5A, fake().data["deploy_1"][0]);
    fake().log.clear();
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_EraseApp("ota_1", 0, 0x1000, 0));  // to be written: must be erased
    EXPECT_EQ(1, erases());
    EXPECT_EQ(0xFF, fake().data["deploy_1"][0]);
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_EraseApp("ota_1", 0, 0x1000, 2));
}

TEST_F(App, AFailedPartitionWriteIsAStatusNotASuccess)
{
    fake().partition_write_error = ESP_ERR_FLASH_OP_FAIL;
    EXPECT_EQ(NF_OTA_FLASH_ERROR, nf_ota_NativeOta_WriteApp("ota_1", 0, data, sizeof(data), 0, 16));
}

TEST_F(App, TheNativeTableIsChecksumLengthNamePerEntry)
{
    fake().natives = {{"mscorlib", 0x1549C856}, {"NfOta.Interop", 0x59A9024B}};
    uint8_t table[64] = {};
    ASSERT_EQ(5 + 8 + 5 + 13, nf_ota_NativeOta_GetNativeAssemblies(table, sizeof(table)));
    const uint8_t head[] = {0x56, 0xC8, 0x49, 0x15, 8, 'm', 's', 'c', 'o', 'r', 'l', 'i', 'b', 0x4B, 0x02, 0xA9, 0x59, 13, 'N'};
    EXPECT_EQ(0, std::memcmp(head, table, sizeof(head)));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_GetNativeAssemblies(table, 20));
    fake().natives.clear();
    EXPECT_EQ(0, nf_ota_NativeOta_GetNativeAssemblies(table, sizeof(table)));
}

TEST_F(App, NanoClrMapsTheDeployPartitionPairedWithTheRunningSlot)
{
    EXPECT_STREQ("deploy_0", nf_ota_deploy_partition()->label);
    fake().running = 2;  // ota_1
    EXPECT_STREQ("deploy_1", nf_ota_deploy_partition()->label);
    for (auto &p : fake().partitions)
    {
        if (std::string(p.label) == "deploy_1")
        {
            std::strcpy(p.label, "deploy");  // one shared partition: the first data/0x84 one
        }
    }
    EXPECT_STREQ("deploy_0", nf_ota_deploy_partition()->label);
}

TEST_F(App, DevelopmentDeploysPadTheLastChunkOnAnEncryptedPartition)
{
    esp_partition_t *deploy = nullptr;
    for (auto &p : fake().partitions)
    {
        if (std::string(p.label) == "deploy_1")
        {
            deploy = &p;
        }
    }
    EXPECT_EQ(0u, nf_ota_deploy_region_attributes(deploy));
    deploy->encrypted = true;
    EXPECT_EQ(static_cast<uint32_t>(NF_OTA_BLOCK_REGION_PROGRAM_WIDTH_128), nf_ota_deploy_region_attributes(deploy));

    uint8_t chunk[1012];
    for (size_t i = 0; i < sizeof(chunk); i++)
    {
        chunk[i] = static_cast<uint8_t>(i * 7);
    }
    // The debugger's chunks are 1008 bytes once the region says 128-bit; the last is whatever is left.
    ASSERT_EQ(ESP_OK, nf_ota_deploy_write(deploy, 0, chunk, 1008));
    ASSERT_EQ(ESP_OK, nf_ota_deploy_write(deploy, 1008, chunk + 1008, 4));
    auto &bytes = fake().data["deploy_1"];
    EXPECT_EQ(0, std::memcmp(bytes.data(), chunk, sizeof(chunk)));
    for (size_t i = sizeof(chunk); i < 1024; i++)
    {
        EXPECT_EQ(0xFF, bytes[i]) << "byte " << i;
    }
    fake().log.clear();
    EXPECT_EQ(ESP_ERR_INVALID_ARG, nf_ota_deploy_write(deploy, 1016, chunk, 20));
    EXPECT_TRUE(fake().log.empty());
}

}  // namespace

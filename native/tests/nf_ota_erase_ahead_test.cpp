// Erase as you go, in 64 KiB blocks (issue 23): esp_ota_begin erases the first sector only and its
// handle erases nothing itself; nf_ota erases each next aligned 64 KiB block with one partition
// erase call just before the writes enter it, and only sectors where a block is not
// worth it (the end of the image, a slot not aligned on 64 KiB, a block resumed part-way). Every
// programmed sector was erased in the session, and no sector is erased twice but the first (the
// least esp_ota_begin erases, taken again by block 0's erase).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fake_esp_idf.h"

extern "C" {
#include "esp_ota_ops.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
}

namespace {

std::vector<uint8_t> Image(size_t length)
{
    std::vector<uint8_t> image(length);
    for (size_t i = 0; i < length; i++)
    {
        image[i] = static_cast<uint8_t>(i * 13 + 5);
    }
    image[0] = 0xE9;
    return image;
}

class EraseAhead : public ::testing::Test
{
  protected:
    void SetUp() override { fake_reset(); }

    // Writes image[from, end) in chunks of `chunk` bytes.
    static void WriteAll(int32_t handle, std::vector<uint8_t> &image, size_t from, size_t chunk)
    {
        for (size_t at = from; at < image.size(); at += chunk)
        {
            size_t n = std::min(chunk, image.size() - at);
            ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), static_cast<int32_t>(at), static_cast<int32_t>(n)));
        }
    }

    // The erases of ota_1, as "by offset+size".
    static std::vector<std::string> Erases()
    {
        std::vector<std::string> out;
        for (const auto &e : fake().erases)
        {
            if (e.label == "ota_1")
            {
                char line[96];
                snprintf(line, sizeof(line), "%s 0x%zx+0x%zx", e.by.c_str(), e.offset, e.size);
                out.push_back(line);
            }
        }
        return out;
    }

    // Sectors of ota_1 erased more than once.
    static std::vector<uint32_t> ErasedTwice()
    {
        std::map<uint32_t, int> count;
        for (const auto &e : fake().erases)
        {
            for (size_t at = e.offset; e.label == "ota_1" && at < e.offset + e.size; at += 4096)
            {
                count[static_cast<uint32_t>(at / 4096)]++;
            }
        }
        std::vector<uint32_t> twice;
        for (auto [sector, n] : count)
        {
            if (n > 1)
            {
                twice.push_back(sector);
            }
        }
        return twice;
    }
};

TEST_F(EraseAhead, OneBlockErasePer64KiBAndNoSectorErasedTwiceButTheFirst)
{
    // 300,000 bytes: blocks 0-3 whole, block 4 needs 10 of its sectors (worth a block erase).
    auto image = Image(300000);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    // Not ESP-IDF's OTA_WITH_SEQUENTIAL_WRITES (its esp_ota_write erases each 4 KiB sector):
    // the smallest known size, so esp_ota_begin erases one sector and need_erase stays off.
    EXPECT_EQ(4096u, fake().open.begin()->second.image_size);
    EXPECT_FALSE(fake().open.begin()->second.need_erase);
    WriteAll(handle, image, 0, 4096);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));

    EXPECT_EQ((std::vector<std::string>{
                  "esp_ota_begin 0x0+0x1000",
                  "esp_partition_erase_range 0x0+0x10000",
                  "esp_partition_erase_range 0x10000+0x10000",
                  "esp_partition_erase_range 0x20000+0x10000",
                  "esp_partition_erase_range 0x30000+0x10000",
                  "esp_partition_erase_range 0x40000+0x10000",
              }),
              Erases());
    EXPECT_EQ(std::vector<uint32_t>{0}, ErasedTwice());
    EXPECT_EQ(0, fake().unerased_programs);
    EXPECT_EQ(image, fake().ended_image);
}

TEST_F(EraseAhead, EachBlockIsErasedJustBeforeTheWritesEnterIt)
{
    auto image = Image(0x30000);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    EXPECT_EQ(1u, Erases().size());  // only esp_ota_begin's sector so far
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), 0, 0x10000));
    EXPECT_EQ(2u, Erases().size());  // block 0, not block 1: nothing was written there yet
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), 0x10000, 16));
    EXPECT_EQ("esp_partition_erase_range 0x10000+0x10000", Erases().back());
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
}

TEST_F(EraseAhead, TheImagesLastFewSectorsAreErasedOneWriteAtATime)
{
    // Block 1 holds two sectors of the image: cheaper as two sector erases than one block erase.
    auto image = Image(0x10000 + 0x1800);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    WriteAll(handle, image, 0, 4096);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_EQ((std::vector<std::string>{
                  "esp_ota_begin 0x0+0x1000",
                  "esp_partition_erase_range 0x0+0x10000",
                  "esp_partition_erase_range 0x10000+0x1000",
                  "esp_partition_erase_range 0x11000+0x1000",
              }),
              Erases());
    EXPECT_EQ(0, fake().unerased_programs);
}

TEST_F(EraseAhead, ATinyImageNeedsNothingButEspOtaBeginsSector)
{
    auto image = Image(1700);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    WriteAll(handle, image, 0, 1024);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_EQ(std::vector<std::string>{"esp_ota_begin 0x0+0x1000"}, Erases());
    EXPECT_TRUE(ErasedTwice().empty());
    EXPECT_EQ(0, fake().unerased_programs);
}

TEST_F(EraseAhead, AnUnknownSizeErasesBlocksUpToTheSlotsEnd)
{
    auto image = Image(0x20000 + 100);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", NF_OTA_SIZE_UNKNOWN, NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    WriteAll(handle, image, 0, 4096);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_EQ("esp_partition_erase_range 0x20000+0x10000", Erases().back());
    EXPECT_EQ(4u, Erases().size());
    EXPECT_EQ(0, fake().unerased_programs);
}

TEST_F(EraseAhead, ASlotNotAlignedOn64KiBIsErasedSectorBySector)
{
    // A table may place a slot on a 4 KiB boundary only: an aligned 64 KiB range of the slot is
    // then not a flash block, and ESP-IDF's region erase would issue 16 sector erases in one call.
    fake().partitions[2].address = 0x211000;
    auto image = Image(0x20000);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    WriteAll(handle, image, 0, 4096);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    // Sectors 1-14 one by one up to the flash block at slot offset 0xF000, then blocks.
    auto erases = Erases();
    EXPECT_EQ("esp_partition_erase_range 0x1000+0x1000", erases[1]);
    EXPECT_EQ("esp_partition_erase_range 0xe000+0x1000", erases[14]);
    EXPECT_EQ("esp_partition_erase_range 0xf000+0x10000", erases[15]);
    for (const auto &e : fake().erases)
    {
        EXPECT_TRUE(e.size == 0x1000 || (e.size == 0x10000 && (0x211000 + e.offset) % 0x10000 == 0)) << e.offset;
    }
    EXPECT_TRUE(ErasedTwice().empty());
    EXPECT_EQ(0, fake().unerased_programs);
}

TEST_F(EraseAhead, AResumedBlockIsFinishedBySectorsThenBlocksFollow)
{
    auto image = Image(0x30000);
    int32_t handle = nf_ota_NativeOta_Resume("ota_1", 0xD000, static_cast<int32_t>(image.size()));
    if (handle == NF_OTA_NOT_SUPPORTED)
    {
        GTEST_SKIP() << "esp_ota_resume needs ESP-IDF 5.5";
    }
    ASSERT_GT(handle, 0);
    // esp_ota_resume's handle must not erase as it goes itself.
    EXPECT_NE(static_cast<size_t>(OTA_WITH_SEQUENTIAL_WRITES), fake().open.begin()->second.erase_size);
    WriteAll(handle, image, 0xD000, 4096);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_EQ((std::vector<std::string>{
                  "esp_partition_erase_range 0xd000+0x1000",
                  "esp_partition_erase_range 0xe000+0x1000",
                  "esp_partition_erase_range 0xf000+0x1000",
                  "esp_partition_erase_range 0x10000+0x10000",
                  "esp_partition_erase_range 0x20000+0x10000",
              }),
              Erases());
    EXPECT_EQ(0, fake().unerased_programs);
}

TEST_F(EraseAhead, AFailedBlockEraseFailsTheWriteAndWritesNothing)
{
    auto image = Image(0x20000);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    // The slot shrinks under the handle: the block no longer fits, the erase is refused.
    fake().data["ota_1"].resize(0x8000);
    EXPECT_LT(nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), 0, 4096), 0);
    EXPECT_TRUE(fake().open.begin()->second.image.empty());
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), 0, 4096));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
}

// EraseAhead is the erase as a native call of its own: one erase per call at most, each no longer
// than a block erase, and the writes that follow erase nothing (issue 23: no call over ~150 ms).
TEST_F(EraseAhead, EraseAheadMakesOneEraseACallAndTheWritesThenEraseNothing)
{
    auto image = Image(0x30000 + 0x1800);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    int32_t headroom = 0;
    int calls = 0;
    for (size_t at = 0; at < image.size(); at += 4096)
    {
        int32_t n = static_cast<int32_t>(std::min<size_t>(4096, image.size() - at));
        while (headroom < n)
        {
            size_t before = Erases().size();
            headroom = nf_ota_NativeOta_EraseAhead(handle, n);
            ASSERT_GE(headroom, 0);
            ASSERT_LE(Erases().size(), before + 1);
            calls++;
        }
        size_t before = Erases().size();
        ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), static_cast<int32_t>(at), n));
        EXPECT_EQ(before, Erases().size()) << "the write at " << at << " erased";
        headroom -= n;
    }
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    // The same erases as the writes alone make, one call for each.
    EXPECT_EQ((std::vector<std::string>{
                  "esp_ota_begin 0x0+0x1000",
                  "esp_partition_erase_range 0x0+0x10000",
                  "esp_partition_erase_range 0x10000+0x10000",
                  "esp_partition_erase_range 0x20000+0x10000",
                  "esp_partition_erase_range 0x30000+0x1000",
                  "esp_partition_erase_range 0x31000+0x1000",
              }),
              Erases());
    EXPECT_EQ(5, calls);
    EXPECT_EQ(0, fake().unerased_programs);
    EXPECT_EQ(image, fake().ended_image);
}

TEST_F(EraseAhead, AStepErasesAtMostThreeSectorsAndSaysHowFarItIsErased)
{
    auto image = Image(0x30000);
    int32_t handle = nf_ota_NativeOta_Resume("ota_1", 0x1000, static_cast<int32_t>(image.size()));
    if (handle == NF_OTA_NOT_SUPPORTED)
    {
        GTEST_SKIP() << "esp_ota_resume needs ESP-IDF 5.5";
    }
    ASSERT_GT(handle, 0);
    // A caller asking for 32 KiB at once, in a block begun before the cut: three sectors a call.
    EXPECT_EQ(0x3000, nf_ota_NativeOta_EraseAhead(handle, 0x8000));
    EXPECT_EQ("esp_partition_erase_range 0x1000+0x3000", Erases().back());
    EXPECT_EQ(0x6000, nf_ota_NativeOta_EraseAhead(handle, 0x8000));
    EXPECT_EQ(0x8000, nf_ota_NativeOta_EraseAhead(handle, 0x8000));
    EXPECT_EQ("esp_partition_erase_range 0x7000+0x2000", Erases().back());
    size_t erases = Erases().size();
    EXPECT_EQ(0x8000, nf_ota_NativeOta_EraseAhead(handle, 0x8000));  // already erased: nothing more
    EXPECT_EQ(erases, Erases().size());
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
}

TEST_F(EraseAhead, EraseAheadChecksItsArgumentsAndNeverErasesABulkErasedSlot)
{
    EXPECT_EQ(NF_OTA_UNKNOWN_HANDLE, nf_ota_NativeOta_EraseAhead(12345, 4096));
    auto image = Image(0x20000);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), 0);
    ASSERT_GT(handle, 0);
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_EraseAhead(handle, -1));
    size_t erases = Erases().size();
    // Erased whole by esp_ota_begin: all of the image is room, and nothing is erased again.
    EXPECT_EQ(0x20000, nf_ota_NativeOta_EraseAhead(handle, 4096));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), 0, 4096));
    EXPECT_EQ(0x1F000, nf_ota_NativeOta_EraseAhead(handle, 4096));
    EXPECT_EQ(erases, Erases().size());
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
}

TEST_F(EraseAhead, AFailedEraseAheadFailsTheSession)
{
    auto image = Image(0x20000);
    int32_t handle = nf_ota_NativeOta_Begin("ota_1", static_cast<int32_t>(image.size()), NF_OTA_BEGIN_SEQUENTIAL_ERASE);
    ASSERT_GT(handle, 0);
    fake().data["ota_1"].resize(0x8000);
    EXPECT_LT(nf_ota_NativeOta_EraseAhead(handle, 4096), 0);
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_EraseAhead(handle, 4096));
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_Write(handle, image.data(), static_cast<uint32_t>(image.size()), 0, 4096));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
}

}  // namespace

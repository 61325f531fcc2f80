// The handle table: positive ids, never reused for a slot's next use, bounded.
#include <gtest/gtest.h>

#include <set>

extern "C" {
#include "nf_ota_handles.h"
#include "nf_ota_status.h"
}

namespace {

TEST(Handles, IdsArePositiveAndNeverRepeatForAReusedSlot)
{
    nf_ota_handles_reset();
    std::set<int32_t> seen;
    for (int round = 0; round < 1000; round++)
    {
        nf_ota_update_t *update = nf_ota_handles_allocate();
        ASSERT_NE(nullptr, update);
        EXPECT_GT(update->id, 0);
        EXPECT_TRUE(seen.insert(update->id).second) << "id " << update->id << " repeated";
        EXPECT_EQ(update, nf_ota_handles_find(update->id));
        int32_t id = update->id;
        nf_ota_handles_release(update);
        EXPECT_EQ(nullptr, nf_ota_handles_find(id));
    }
}

TEST(Handles, AtMostMaxHandlesAreOpen)
{
    nf_ota_handles_reset();
    for (int i = 0; i < NF_OTA_MAX_HANDLES; i++)
    {
        ASSERT_NE(nullptr, nf_ota_handles_allocate());
    }
    EXPECT_EQ(nullptr, nf_ota_handles_allocate());
    EXPECT_EQ(NF_OTA_MAX_HANDLES, nf_ota_handles_open_count());
    nf_ota_handles_reset();
    EXPECT_EQ(0, nf_ota_handles_open_count());
    EXPECT_NE(nullptr, nf_ota_handles_allocate());
    nf_ota_handles_reset();
}

TEST(Handles, ForgedIdsDoNotMatch)
{
    nf_ota_handles_reset();
    nf_ota_update_t *update = nf_ota_handles_allocate();
    int32_t id = update->id;
    EXPECT_EQ(nullptr, nf_ota_handles_find(id + 16));   // same slot, other generation
    EXPECT_EQ(nullptr, nf_ota_handles_find(id + 1));    // other slot
    EXPECT_EQ(nullptr, nf_ota_handles_find(id & 0xF));  // generation 0
    EXPECT_EQ(nullptr, nf_ota_handles_find(-id));
    nf_ota_handles_reset();
}

}  // namespace

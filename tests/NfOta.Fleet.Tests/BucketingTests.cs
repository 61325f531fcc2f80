using NfOta.Fleet.Rollouts;

namespace NfOta.Fleet.Tests;

public class BucketingTests
{
    [Fact]
    public void A_board_lands_in_the_same_bucket_every_time()
    {
        Assert.Equal(Bucketing.BucketOf(7, "board-42"), Bucketing.BucketOf(7, "board-42"));
    }

    [Fact]
    public void The_bucket_is_the_documented_hash_so_it_survives_a_new_build()
    {
        // SHA-256("7\nboard-42"), first 8 bytes big-endian, mod 10000: a change of formula would move boards between waves.
        var digest = System.Security.Cryptography.SHA256.HashData("7\nboard-42"u8);
        var expected = (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest) % 10_000);
        Assert.Equal(expected, Bucketing.BucketOf(7, "board-42"));
    }

    [Fact]
    public void Another_rollout_draws_another_first_wave()
    {
        var boards = Enumerable.Range(0, 1000).Select(i => $"b{i}").ToList();
        var firstA = boards.Where(b => WavePlan.Default.WaveOf(Bucketing.BucketOf(1, b)) == 0).ToHashSet();
        var firstB = boards.Where(b => WavePlan.Default.WaveOf(Bucketing.BucketOf(2, b)) == 0).ToHashSet();
        Assert.NotEqual(firstA, firstB);
    }

    [Fact]
    public void Waves_take_about_their_share_of_a_large_fleet()
    {
        var counts = new int[4];
        for (var i = 0; i < 20_000; i++)
        {
            counts[WavePlan.Default.WaveOf(Bucketing.BucketOf(3, $"board-{i}"))]++;
        }
        // 1 %, then 9 %, 40 %, 50 % of 20 000 (within a few standard deviations).
        Assert.InRange(counts[0], 140, 260);
        Assert.InRange(counts[1], 1600, 2000);
        Assert.InRange(counts[2], 7600, 8400);
        Assert.InRange(counts[3], 9600, 10400);
    }
}

public class WavePlanTests
{
    [Fact]
    public void A_bucket_belongs_to_the_first_wave_whose_size_it_is_under()
    {
        var plan = WavePlan.Parse("1,10,50,100");
        Assert.Equal(0, plan.WaveOf(0));
        Assert.Equal(0, plan.WaveOf(99));
        Assert.Equal(1, plan.WaveOf(100));
        Assert.Equal(2, plan.WaveOf(4999));
        Assert.Equal(3, plan.WaveOf(5000));
        Assert.Equal(3, plan.WaveOf(9999));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10,5,100")]
    [InlineData("1,10,50")]
    [InlineData("0,100")]
    [InlineData("1,x,100")]
    [InlineData("50,50,100")]
    public void A_plan_that_skips_boards_or_goes_backwards_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => WavePlan.Parse(text));
    }

    [Fact]
    public void A_plan_reads_back_as_written()
    {
        Assert.Equal("0.5,10,100", WavePlan.Parse("0.5, 10, 100").ToString());
    }
}

using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.NativeHost.Tests;

namespace NfOta.Core.Tests;

/// <summary>
/// Signed block hashes (issue 15), over the real server: each block is read back and checked as it
/// lands, a bad one is fetched and written again alone, and an update cut short by a reboot keeps
/// its verified blocks.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class BlockVerificationTests
{
    private const int Block = 4096;

    /// <summary>
    /// The image requests, in the order they finished: a request the engine cut off to fetch a block
    /// again may finish after the request that followed it (the server notices the closed connection
    /// late under load), so tests look for a range, not at a position.
    /// </summary>
    private static List<Server.RequestLogEntry> ImageRequests(UpdateRig rig) => [.. rig.Server.Requests.Where(r => r.Path.EndsWith(".bin"))];

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public async Task ABlockDamagedOnTheWayOnceCostsOneBlockNotARestart(string chip)
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Parse(chip));
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: Block);
        rig.Faults.Add(UpdateRig.ImageFile("2.0.0"), new Fault(FaultKind.FlipByte, 2 * Block + 100));
        UpdateResult? result = null;
        var updater = rig.Updater();
        updater.Reboot = () => { };
        result = updater.Update(rig.LatestUrl);

        Assert.NotNull(result);
        Assert.Equal(1, result!.BlockRefetches);
        Assert.InRange(result.BytesReceived, image.Length + 1, image.Length + Block);
        var requests = ImageRequests(rig);
        Assert.Equal(2, requests.Count);
        Assert.Single(requests, r => r.Range is null);
        Assert.Single(requests, r => r.Range == $"bytes={2 * Block}-");
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("2.0.0", rig.Device.Restart().Partition is { } p && p.Name == "ota_1" ? rig.Device.RunningVersion() : "not booted");
    }

    [Fact]
    public async Task ALastBlockDamagedOnTheWayOnceIsWrittenAgainAndTheImageBoots()
    {
        // The whole image is in flash when the last block fails: the engine resumes at that block
        // before it lets the old handle go, so nf_ota does not erase the header of a slot whose
        // session goes on (issue 22).
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: Block);
        Assert.Equal(0, image.Length % 16);
        var last = (image.Length - 1) / Block * Block;
        rig.Faults.Add(UpdateRig.ImageFile("2.0.0"), new Fault(FaultKind.FlipByte, last + 5));
        var updater = rig.Updater();
        updater.Reboot = () => { };
        var result = updater.Update(rig.LatestUrl);

        Assert.Equal(1, result!.BlockRefetches);
        Assert.Single(ImageRequests(rig), r => r.Range == $"bytes={last}-");
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
    }

    [Fact]
    public async Task ABlockWrongEveryTimeIsAHashMismatchNamingItAndNothingBoots()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: Block);
        var path = Path.Combine(rig.Directory, UpdateRig.ImageFile("2.0.0"));
        var bytes = File.ReadAllBytes(path);
        bytes[3 * Block + 7] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        var before = rig.Snapshot();

        var e = Assert.Throws<OtaException>(() => rig.Updater().Update(rig.LatestUrl));
        Assert.Equal(OtaError.HashMismatch, e.Error);
        Assert.Contains($"block 3 (bytes {3 * Block} to {4 * Block - 1})", e.Message);
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(0, rig.OpenNativeHandles);
        Assert.Equal(2, ImageRequests(rig).Count); // the block was fetched once more, then given up
    }

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public async Task AnUpdateCutByAPowerLossGoesOnFromItsLastVerifiedBlock(string chip)
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Parse(chip));
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: Block);
        // Cut the power once five blocks and a bit are in flash.
        var updater = rig.Updater(new UpdateOptions { ChunkSize = 1024 });
        updater.Reboot = () => throw new InvalidOperationException("the cut update finished");
        updater.Progress = (done, _) =>
        {
            if (done == 5 * Block + 2048) rig.Device.Flash.ArmPowerCut(new Emulator.Flash.PowerCut(1));
        };
        Assert.Throws<Emulator.Flash.PowerLossException>(() => updater.Update(rig.LatestUrl));
        Assert.True(rig.Device.PowerOn().Booted);
        Assert.Equal("1.0.0", rig.Device.RunningVersion());
        var served = ImageRequests(rig).Sum(r => r.BodyBytes);

        var again = rig.Updater();
        again.Reboot = () => { };
        var result = again.Update(rig.LatestUrl)!;
        Assert.Equal(5 * Block, result.ResumedAt);
        Assert.Single(ImageRequests(rig), r => r.Range == $"bytes={5 * Block}-");
        Assert.Equal(image.Length - 5 * Block, result.BytesReceived);
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
    }

    [Fact]
    public async Task AnotherReleaseInTheSlotIsNotKept()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: Block);
        var updater = rig.Updater();
        updater.Reboot = () => throw new InvalidOperationException("the cut update finished");
        updater.Progress = (done, _) =>
        {
            if (done == 5 * Block) rig.Device.Flash.ArmPowerCut(new Emulator.Flash.PowerCut(1));
        };
        Assert.Throws<Emulator.Flash.PowerLossException>(() => updater.Update(rig.LatestUrl));
        Assert.True(rig.Device.PowerOn().Booted);

        // 2.0.1 is published meanwhile: nothing of 2.0.0's blocks matches it.
        rig.Publish(Boards.Image(rig.Chip, "2.0.1", codeBytes: 30_000), blockSize: Block);
        var again = rig.Updater();
        again.Reboot = () => { };
        Assert.Equal(0, again.Update(rig.LatestUrl)!.ResumedAt);
        Assert.Equal("2.0.1", rig.Device.Restart() is { Booted: true } ? rig.Device.RunningVersion() : "not booted");
    }

    [Fact]
    public async Task ABoardThatSleepsBetweenShortWakeUpsFinishesTheUpdateOneStretchAtATime()
    {
        // OtaSample's battery mode: each wake-up may download ~3 blocks, then the board deep-sleeps
        // (on an ESP32 a reboot) and the next wake-up goes on from the last verified block.
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: Block);
        var wakes = 0;
        var stretches = new List<(int From, int To)>(); // what each wake-up wrote, from the progress callbacks
        while (true)
        {
            wakes++;
            Assert.True(wakes < 20, "the update never finished");
            var updater = rig.Updater(new UpdateOptions { ChunkSize = 1024 });
            var chunks = 0;
            var installed = false;
            int from = -1, to = 0;
            updater.Reboot = () => installed = true;
            updater.Progress = (done, _) =>
            {
                if (from < 0) from = done - 1024;
                to = done;
                if (++chunks == 3 * Block / 1024 + 2) updater.Cancel.Cancel(); // the awake budget is spent
            };
            try
            {
                var result = updater.Update(rig.LatestUrl)!;
                stretches.Add((from, to));
                Assert.Equal(from, result.ResumedAt);
                Assert.True(installed);
                break;
            }
            catch (OtaException e) when (e.Error == OtaError.Cancelled)
            {
                stretches.Add((from, to));
                Assert.Equal(0, rig.OpenNativeHandles);
                rig.Device.Restart(); // deep sleep, then the timer wakes the board: a reboot
                Assert.Equal("1.0.0", rig.Device.RunningVersion());
            }
        }
        Assert.InRange(wakes, 3, 12);
        Assert.Equal(0, stretches[0].From);
        Assert.Equal(image.Length, stretches[^1].To);
        for (var i = 1; i < stretches.Count; i++)
        {
            // Each wake-up goes on from the last block the previous one verified: it writes again
            // at most the part of a block that had not been verified yet.
            Assert.True(stretches[i].From > stretches[i - 1].From, $"wake-up {i + 1} did not move on: {string.Join(", ", stretches)}");
            Assert.True(stretches[i - 1].To - stretches[i].From < Block, $"wake-up {i + 1} wrote more than a block again: {string.Join(", ", stretches)}");
            Assert.Equal(0, stretches[i].From % Block);
        }
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
    }
}

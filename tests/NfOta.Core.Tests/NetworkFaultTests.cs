using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.NativeHost.Tests;

namespace NfOta.Core.Tests;

/// <summary>
/// Network faults against the real server (Kestrel on loopback): each ends in a clear error with
/// nothing changed, or in a resumed, byte-identical image.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class NetworkFaultTests
{
    private static readonly string File2 = UpdateRig.ImageFile("2.0.0");

    private static OtaException Refused(UpdateRig rig, UpdateOptions? options = null)
    {
        var before = rig.Snapshot();
        var e = Assert.Throws<OtaException>(() => rig.Updater(options).Update(rig.LatestUrl));
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(0, rig.OpenNativeHandles);
        Assert.Equal("1.0.0", rig.Device.RunningVersion());
        return e;
    }

    private static (UpdateResult Result, byte[] Image) Installed(UpdateRig rig, byte[] image)
    {
        var updater = rig.Updater();
        updater.Reboot = () => { };
        var result = updater.Update(rig.LatestUrl)!;
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
        return (result, image);
    }

    [Fact]
    public async Task NotFoundIsNotRetried()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        rig.Publish("2.0.0");
        File.Delete(Path.Combine(rig.Directory, File2));
        var e = Refused(rig);
        Assert.Equal(OtaError.HttpStatus, e.Error);
        Assert.Equal(404, e.HttpStatus);
        Assert.False(e.IsTransient);
        Assert.Contains("was not found (404)", e.Message);
        Assert.Empty(rig.Sleeps);
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackOffThenReported()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        rig.Publish("2.0.0");
        rig.Faults.Add(File2, new Fault(FaultKind.Status, 500, Times: 0));
        var e = Refused(rig);
        Assert.Equal(500, e.HttpStatus);
        Assert.True(e.IsTransient);
        Assert.Equal([500, 1000, 2000, 4000, 8000], rig.Sleeps);
        Assert.Equal(6, rig.Server.Requests.Count(r => r.Path == "/" + File2));
    }

    [Fact]
    public async Task AFewServerErrorsAreRiddenOut()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish("2.0.0");
        rig.Faults.Add(File2, new Fault(FaultKind.Status, 503, Times: 2));
        Installed(rig, image);
        Assert.Equal([500, 1000], rig.Sleeps);
    }

    [Fact]
    public async Task RepeatedResetsResumeEachTimeWithoutRefetching()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        var image = rig.Publish("2.0.0", codeBytes: 200_000);
        rig.Faults.Add(File2, new Fault(FaultKind.ResetAfter, 50_000, Times: 3));
        var (result, _) = Installed(rig, image);
        Assert.Equal(3, result.Resumes);
        Assert.Equal(image.Length, result.BytesReceived);
        var ranges = rig.Server.Requests.Where(r => r.Path == "/" + File2).Select(r => r.Range).ToList();
        Assert.Equal(4, ranges.Count);
        Assert.Null(ranges[0]);
        Assert.All(ranges.Skip(1), r => Assert.StartsWith("bytes=", r));
    }

    [Fact]
    public async Task AServerWithoutRangeSupportStillGivesAByteIdenticalImage()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish("2.0.0", codeBytes: 100_000);
        rig.Faults.Add(File2, new Fault(FaultKind.ResetAfter, 40_000));
        rig.Faults.Add(File2, new Fault(FaultKind.IgnoreRange, Times: 0));
        var (result, _) = Installed(rig, image);
        Assert.Equal(1, result.Resumes);
        var gets = rig.Server.Requests.Where(r => r.Path == "/" + File2).ToList();
        Assert.Equal([200, 200], gets.Select(r => r.Status));
        // The good prefix stays in flash: the repeated bytes are received and skipped, not rewritten.
        Assert.Equal(image.Length, result.BytesWritten);
        // The server sent 40,000 bytes, reset, then the whole file again; the image source drops the
        // repeated prefix itself, so the engine takes each byte once.
        Assert.Equal(40_000, gets[0].BodyBytes);
        Assert.Equal(image.Length, gets[1].BodyBytes);
        Assert.Equal(image.Length, result.BytesReceived);
    }

    [Fact]
    public async Task AStalledConnectionTimesOutAndResumes()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish("2.0.0", codeBytes: 100_000);
        rig.Faults.Add(File2, new Fault(FaultKind.StallAfter, 30_000));
        var (result, _) = Installed(rig, image);
        Assert.Equal(1, result.Resumes);
        Assert.Equal(image.Length, result.BytesReceived);
    }

    [Fact]
    public async Task AStallThatNeverEndsIsANetworkError()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        rig.Publish("2.0.0", codeBytes: 60_000);
        rig.Faults.Add(File2, new Fault(FaultKind.StallAfter, 0, Times: 0));
        var e = Refused(rig, new UpdateOptions { MaxRetries = 1 });
        Assert.Equal(OtaError.Network, e.Error);
        Assert.Contains("stalled", e.Message);
    }

    [Fact]
    public async Task ARedirectLoopIsReported()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        rig.Publish("2.0.0");
        rig.Faults.Add(File2, new Fault(FaultKind.RedirectLoop, Times: 0));
        var e = Refused(rig);
        Assert.Equal(OtaError.HttpStatus, e.Error);
        Assert.Equal(302, e.HttpStatus);
        Assert.Contains("redirected too many times", e.Message);
    }

    [Fact]
    public async Task ABodyLongerThanTheManifestSaysIsRefused()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish("2.0.0");
        File.WriteAllBytes(Path.Combine(rig.Directory, File2), [.. image, .. new byte[100]]);
        var e = Refused(rig);
        Assert.Equal(OtaError.SizeMismatch, e.Error);
    }

    [Fact]
    public async Task ABodyShorterThanTheManifestSaysIsRefused()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        var image = rig.Publish("2.0.0");
        File.WriteAllBytes(Path.Combine(rig.Directory, File2), image[..^100]);
        var e = Refused(rig);
        Assert.Equal(OtaError.SizeMismatch, e.Error);
    }

    [Fact]
    public async Task AnUnreachableServerIsANetworkError()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var e = Assert.Throws<OtaException>(() => rig.Updater(new UpdateOptions { MaxRetries = 2 }).CheckForUpdate($"http://127.0.0.1:{port}/latest.manifest"));
        Assert.Equal(OtaError.Network, e.Error);
        Assert.True(e.IsTransient);
        Assert.Contains("cannot reach", e.Message);
        Assert.Equal(2, rig.Sleeps.Count);
    }

    [Fact]
    public async Task ATransientFailureAfterTheLastByteDoesNotFailACompleteImage()
    {
        // The one-byte "is there more?" probe after the announced length fails; every byte is in
        // flash and the size and SHA-256 checks decide, so the update goes on.
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish("2.0.0");
        var source = new FailingAtTheEnd(rig.Source);
        var updater = new OtaUpdater(source, rig.Key.PublicKeyBytes(), new UpdateOptions { MaxRetries = 0 }) { Reboot = () => { } };

        var result = updater.Update(rig.LatestUrl)!;

        Assert.Equal(1, source.ProbesFailed);
        Assert.Equal(image.Length, result.BytesWritten);
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
    }

    /// <summary>An image source whose streams throw a transient network error when read past their end.</summary>
    private sealed class FailingAtTheEnd(NfOta.Transfer.IImageSource inner) : NfOta.Transfer.IImageSource
    {
        public int ProbesFailed { get; private set; }

        public NfOta.Transfer.IImageStream Open(string url, int offset) =>
            url.EndsWith(".bin", StringComparison.Ordinal) ? new Stream(this, inner.Open(url, offset), offset) : inner.Open(url, offset);

        private sealed class Stream(FailingAtTheEnd owner, NfOta.Transfer.IImageStream inner, int position) : NfOta.Transfer.IImageStream
        {
            public int TotalLength => inner.TotalLength;

            public int Read(byte[] buffer, int offset, int count)
            {
                if (position >= inner.TotalLength)
                {
                    owner.ProbesFailed++;
                    throw new OtaException(OtaError.Network, "connection reset") { IsTransient = true };
                }
                var n = inner.Read(buffer, offset, count);
                position += n;
                return n;
            }

            public void Close() => inner.Close();
        }
    }
}

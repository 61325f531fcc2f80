using IfuUpdateSample;
using nanoFramework.Runtime.InFieldUpdate;
using NfOta.Core.Tests;
using NfOta.NativeHost.Tests;

namespace NfOta.InFieldUpdate.Tests;

/// <summary>firmware/samples/IfuUpdate (the README's app) on the emulated secured ESP32.</summary>
[Collection(NativeCollection.Name)]
public sealed class IfuSampleTests
{
    /// <summary>A transport over the signed file that fails once after <paramref name="failAfter"/> bytes.</summary>
    private static ReadAt Transport(byte[] file, int failAfter)
    {
        bool failed = false;
        return (offset, buffer) =>
        {
            if (!failed && offset + buffer.Length > failAfter)
            {
                failed = true;
                return -1;
            }
            int n = Math.Min(buffer.Length, file.Length - offset);
            Array.Copy(file, offset, buffer, 0, n);
            return n;
        };
    }

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void TheSampleResumesAnInterruptedDownloadStagesTheAppAndConfirmsItAfterTheReboot(string chip)
    {
        using var rig = IfuRig.Start(chip);
        var file = McuBootImages.Build(AppReleases.App("1.1.0", codeBytes: 30_000).Image, "1.1.0", McuBootImages.Key);
        var offered = new Version(1, 1, 0);
        var read = Transport(file, failAfter: 20_000);
        var chunk = new byte[4096];

        Assert.Equal(IfuOutcome.Paused, IfuUpdate.Run(ImageType.Deployment, offered, file.Length, read, chunk, out _));
        Assert.Equal(IfuOutcome.Staged, IfuUpdate.Run(ImageType.Deployment, offered, file.Length, read, chunk, out var result));
        Assert.Equal(UpdateSessionResult.Success, result);
        // A timer's next run before the reboot: still staged, nothing fetched again.
        Assert.Equal(IfuOutcome.Staged, IfuUpdate.Run(ImageType.Deployment, offered, file.Length, (_, _) => throw new InvalidOperationException("fetched again"), chunk, out _));
        rig.Restart();
        Assert.Equal("1.0.0 + 1.1.0", AppReleases.Pair(rig.Device));

        Assert.Equal(IfuOutcome.Confirmed, IfuUpdate.Run(ImageType.Deployment, offered, file.Length, read, chunk, out _));
        Assert.Equal(IfuOutcome.UpToDate, IfuUpdate.Run(ImageType.Deployment, offered, file.Length, read, chunk, out _));
        rig.Restart();
        Assert.Equal("1.0.0 + 1.1.0", AppReleases.Pair(rig.Device));
    }

    [Fact]
    public void TheSampleStagesNothingFromAnImageSignedWithAnotherKey()
    {
        using var rig = IfuRig.Start("esp32c3");
        var file = McuBootImages.Build(AppReleases.App("1.1.0").Image, "1.1.0", McuBootImages.OtherKey);

        Assert.Equal(IfuOutcome.Refused, IfuUpdate.Run(ImageType.Deployment, new Version(1, 1, 0), file.Length, Transport(file, int.MaxValue), new byte[4096], out var result));

        Assert.Equal(UpdateSessionResult.BadTlv, result);
        // What was written is erased: nothing for a later run to resume, nothing described as an app.
        Assert.Null(UpdateManager.GetSecondaryImageInfo(ImageType.Deployment));
        rig.Restart();
        Assert.Equal("1.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
    }
}

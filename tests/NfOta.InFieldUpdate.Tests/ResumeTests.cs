using nanoFramework.Runtime.InFieldUpdate;
using NfOta.Core.Tests;
using NfOta.InFieldUpdate.Host;
using NfOta.NativeHost.Tests;

namespace NfOta.InFieldUpdate.Tests;

/// <summary>
/// Resuming from what the secondary slot holds (nothing else is kept): after a pause, a CLR
/// restart and a chip restart, for both image types; the caller's expected header guards against
/// resuming another image.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class ResumeTests
{
    public enum Interruption { Pause, ClrRestart, ChipRestart }

    public static TheoryData<string, ImageType, Interruption> Cases => new()
    {
        { "esp32", ImageType.Deployment, Interruption.Pause },
        { "esp32c3", ImageType.Deployment, Interruption.ClrRestart },
        { "esp32", ImageType.Deployment, Interruption.ChipRestart },
        { "esp32c3", ImageType.NanoClr, Interruption.Pause },
        { "esp32", ImageType.NanoClr, Interruption.ClrRestart },
        { "esp32c3", ImageType.NanoClr, Interruption.ChipRestart },
    };

    private static byte[] Image(IfuRig rig, ImageType image) => image == ImageType.NanoClr
        ? McuBootImages.Build(AppReleases.Firmware(rig.Chip, "2.0.0", gpio: false, codeBytes: 30_000), "2.0.0", McuBootImages.Key)
        : McuBootImages.Build(AppReleases.App("1.1.0", codeBytes: 30_000).Image, "1.1.0", McuBootImages.Key);

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnInterruptedSessionResumesFromTheSlotAndCompletes(string chip, ImageType image, Interruption interruption)
    {
        using var rig = IfuRig.Start(chip);
        var bytes = Image(rig, image);
        int half = 0x200 + 17_000;
        var (session, stored) = IfuRig.Write(image, bytes, chunk: 1000, upTo: half);
        Assert.Equal(UpdateSessionResult.Success, stored);
        switch (interruption)
        {
            case Interruption.Pause:
                Assert.Equal(UpdateSessionResult.Success, UpdateManager.AbortUpdateSession(session, eraseSlot: false));
                break;
            case Interruption.ClrRestart:
                IfuNative.ReleaseAll();
                break;
            default:
                rig.Restart();
                break;
        }
        Assert.Equal(UpdateSessionOwner.None, UpdateManager.GetUpdateSessionOwner(image));
        Assert.Equal(UpdateSessionResult.BadToken, session.Write(bytes[half..(half + 10)]));

        Assert.Equal(UpdateSessionResult.Success, UpdateManager.ResumeUpdateSession(image, bytes.Length, bytes[..32], out var resumed));

        Assert.True(resumed!.IsResumed);
        Assert.Equal(new Version(image == ImageType.NanoClr ? 2 : 1, image == ImageType.NanoClr ? 0 : 1, 0, 0), resumed.Version);
        // Back to the start of the 4 KiB sector that held the last byte written, never past it.
        Assert.InRange(resumed.NextOffset, half - 4096 - 1000, half);
        Assert.Equal(0, (resumed.NextOffset - 0x200) % 4096);
        Assert.Equal(UpdateSessionResult.Success, IfuRig.StoreFrom(resumed, bytes));
        Assert.Equal(UpdateSessionResult.Success, UpdateManager.CompleteUpdateSession(resumed));
        rig.Restart();
        Assert.Equal(image == ImageType.NanoClr ? "2.0.0 + 1.0.0" : "1.0.0 + 1.1.0", AppReleases.Pair(rig.Device));
    }

    [Fact]
    public void ADeploymentWhoseEveryByteIsThereIsReadyToComplete()
    {
        using var rig = IfuRig.Start("esp32");
        var bytes = Image(rig, ImageType.Deployment);
        var (session, _) = IfuRig.Write(ImageType.Deployment, bytes);
        UpdateManager.AbortUpdateSession(session, eraseSlot: false);

        Assert.Equal(UpdateSessionResult.Success, UpdateManager.ResumeUpdateSession(ImageType.Deployment, bytes.Length, null, out var resumed));

        Assert.True(resumed!.IsComplete);
        Assert.Equal(UpdateSessionResult.Success, UpdateManager.CompleteUpdateSession(resumed));
    }

    [Fact]
    public void AnotherImagesHeaderOrAnErasedSlotIsNotResumed()
    {
        using var rig = IfuRig.Start("esp32c3");
        var bytes = Image(rig, ImageType.Deployment);
        var (session, _) = IfuRig.Write(ImageType.Deployment, bytes, upTo: 9000);
        UpdateManager.AbortUpdateSession(session, eraseSlot: false);
        var other = McuBootImages.Build(AppReleases.App("1.2.0", codeBytes: 30_000).Image, "1.2.0", McuBootImages.Key);

        Assert.Equal(UpdateSessionResult.HeaderMismatch, UpdateManager.ResumeUpdateSession(ImageType.Deployment, other.Length, other[..32], out var none));
        Assert.Null(none);
        Assert.Equal(UpdateSessionResult.HeaderMismatch, UpdateManager.ResumeUpdateSession(ImageType.Deployment, 0x200 + 100, bytes[..32], out _));

        Assert.Equal(UpdateSessionResult.Success, UpdateManager.EraseSecondaryImage(ImageType.Deployment));
        Assert.Equal(UpdateSessionResult.NoImage, UpdateManager.ResumeUpdateSession(ImageType.Deployment, bytes.Length, bytes[..32], out _));
    }
}

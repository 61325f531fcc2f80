using nanoFramework.Runtime.InFieldUpdate;
using NfOta.Core.Tests;
using NfOta.InFieldUpdate.Host;
using NfOta.NativeHost.Tests;

namespace NfOta.InFieldUpdate.Tests;

/// <summary>The session rules the library documents: one writer per image, tokens, bounds, headers, results.</summary>
[Collection(NativeCollection.Name)]
public sealed class SessionRuleTests
{
    private static readonly byte[] Image = McuBootImages.Vector("ec256-h200-65549.bin");

    [Fact]
    public void AnotherOwnerGetsBusyAndTheSameOwnerReplacesItsSession()
    {
        using var rig = IfuRig.Start("esp32c3");
        Assert.Equal(UpdateSessionResult.Success, UpdateManager.StartUpdateSession(ImageType.Deployment, Image.Length, out var first));
        Assert.Equal(UpdateSessionOwner.Managed, UpdateManager.GetUpdateSessionOwner(ImageType.Deployment));
        Assert.Equal(UpdateSessionOwner.None, UpdateManager.GetUpdateSessionOwner(ImageType.NanoClr));

        Assert.Equal((int)UpdateSessionResult.Busy, IfuNative.Start((int)ImageType.Deployment, Image.Length, (int)UpdateSessionOwner.WireProtocol, out _));
        Assert.Equal(UpdateSessionResult.Busy, UpdateManager.EraseSecondaryImage(ImageType.NanoClr));

        Assert.Equal(UpdateSessionResult.Success, UpdateManager.StartUpdateSession(ImageType.Deployment, Image.Length, out var second));
        Assert.NotEqual(first!.Token, second!.Token);
        Assert.Equal(UpdateSessionResult.BadToken, first.Write(Image[..4096]));
        Assert.Equal(UpdateSessionResult.Success, second.Write(Image[..4096]));
    }

    [Fact]
    public void TheFirstChunkMustHoldTheHeaderAndTheHeaderMustFitTheTotal()
    {
        using var rig = IfuRig.Start("esp32");
        UpdateManager.StartUpdateSession(ImageType.Deployment, Image.Length, out var session);
        Assert.Equal(UpdateSessionResult.BadMagic, session!.Write(Image[..31]));
        var wrongMagic = (byte[])Image.Clone();
        wrongMagic[0] ^= 1;
        Assert.Equal(UpdateSessionResult.BadMagic, session.Write(wrongMagic[..4096]));
        Assert.Equal(0, session.NextOffset);

        // A total too short for the header's own layout.
        UpdateManager.StartUpdateSession(ImageType.Deployment, 0x200 + 1000, out var tooShort);
        Assert.Equal(UpdateSessionResult.TooLarge, tooShort!.Write(Image[..4096]));
        Assert.Equal(UpdateSessionResult.BadMagic, tooShort.Write(Image[..(0x200 + 1000)]));

        UpdateManager.StartUpdateSession(ImageType.Deployment, Image.Length, out var good);
        Assert.Equal(UpdateSessionResult.Success, good!.Write(Image[..40]));
        Assert.Equal(new Version(1, 2, 3, 4), good.Version);
        Assert.Equal(0x200, good.HeaderSize);
        Assert.Equal(65549, good.ImageSize);
        Assert.Equal(40, good.NextOffset);
    }

    [Fact]
    public void BytesPastTheTotalAreTooLargeAndAnUnfinishedImageIsIncomplete()
    {
        using var rig = IfuRig.Start("esp32");
        var (session, stored) = IfuRig.Write(ImageType.Deployment, Image, upTo: Image.Length - 10);
        Assert.Equal(UpdateSessionResult.Success, stored);
        Assert.Equal(UpdateSessionResult.TooLarge, UpdateManager.StoreImageChunk(session, new byte[11], 0, 11));
        Assert.Equal(UpdateSessionResult.Incomplete, UpdateManager.CompleteUpdateSession(session));
        // Incomplete leaves the session open: the rest, then Complete.
        Assert.Equal(UpdateSessionResult.Success, IfuRig.StoreFrom(session, Image));
        Assert.Equal(UpdateSessionResult.Success, UpdateManager.CompleteUpdateSession(session));
        Assert.Equal(UpdateSessionResult.BadToken, UpdateManager.CompleteUpdateSession(session));
    }

    [Fact]
    public void ASlotLargerThanThePartitionRoomIsTooLarge()
    {
        using var rig = IfuRig.Start("esp32");
        Assert.Equal(UpdateSessionResult.TooLarge, UpdateManager.StartUpdateSession(ImageType.Deployment, 0x60000 + 0x10000, out var none));
        Assert.Null(none);
        Assert.Throws<ArgumentOutOfRangeException>(() => UpdateManager.StartUpdateSession(ImageType.Deployment, 0, out _));
    }

    [Fact]
    public void ACompletedImageCannotBeRewrittenBeforeTheRestart()
    {
        using var rig = IfuRig.Start("esp32c3");
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, Image));
        Assert.Equal(UpdateSessionResult.SwapInFlight, UpdateManager.StartUpdateSession(ImageType.Deployment, Image.Length, out _));
        rig.Restart();
        Assert.True(UpdateManager.ConfirmDeploymentImage());
        Assert.Equal(UpdateSessionResult.Success, UpdateManager.StartUpdateSession(ImageType.Deployment, Image.Length, out _));
    }

    [Theory]
    [InlineData(ImageType.Deployment)]
    [InlineData(ImageType.NanoClr)]
    public void NoSessionStartsWhileTheRunningPairIsOnTrial(ImageType image)
    {
        using var rig = IfuRig.Start("esp32");
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, Image));
        rig.Restart();
        Assert.Equal(UpdateStatus.Testing, UpdateManager.GetStatus(ImageType.Deployment));

        // ESP-IDF would refuse the other slot's write at Complete, after the whole download.
        Assert.Equal(UpdateSessionResult.SwapInFlight, UpdateManager.StartUpdateSession(image, Image.Length, out var none));
        Assert.Null(none);
        Assert.True(UpdateManager.ConfirmDeploymentImage());
        Assert.Equal(UpdateSessionResult.Success, UpdateManager.StartUpdateSession(image, Image.Length, out _));
    }

    [Fact]
    public void ErasingTheSecondaryImageUnstagesThePair()
    {
        using var rig = IfuRig.Start("esp32c3");
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, Image));
        Assert.Equal(UpdateStatus.TestPending, UpdateManager.GetStatus(ImageType.Deployment));

        Assert.Equal(UpdateSessionResult.Success, UpdateManager.EraseSecondaryImage(ImageType.Deployment));

        Assert.Equal(UpdateStatus.Confirmed, UpdateManager.GetStatus(ImageType.Deployment));
        Assert.Null(UpdateManager.GetSecondaryImageInfo(ImageType.Deployment));
        rig.Restart();
        Assert.Equal("1.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
    }

    [Fact]
    public void TheClrRevertBootsTheOtherPairAgain()
    {
        using var rig = IfuRig.Start("esp32");
        var firmware = AppReleases.Firmware(rig.Chip, "2.0.0", gpio: false);
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.NanoClr, McuBootImages.Build(firmware, "2.0.0", McuBootImages.Key)));
        rig.Restart();
        Assert.True(UpdateManager.ConfirmDeploymentImage());
        Assert.False(UpdateManager.RequestDeploymentRevert());

        Assert.True(UpdateManager.RequestClrRevert());
        Assert.Equal(UpdateStatus.TestPending, UpdateManager.GetStatus(ImageType.NanoClr));
        rig.Restart();

        Assert.Equal("1.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
    }

    [Fact]
    public void AnUnconfirmedPairRevertsByItselfAtTheNextReset()
    {
        using var rig = IfuRig.Start("esp32c3");
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, McuBootImages.Build(AppReleases.App("1.1.0").Image, "1.1.0", McuBootImages.Key)));
        rig.Restart();
        Assert.Equal("1.0.0 + 1.1.0", AppReleases.Pair(rig.Device));

        Assert.True(UpdateManager.RequestDeploymentRevert());
        rig.Restart();

        Assert.Equal("1.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
        Assert.Equal(UpdateStatus.Confirmed, UpdateManager.GetStatus(ImageType.Deployment));
    }

    [Fact]
    public void TheImageListDescribesBothSlotsOfBothImages()
    {
        using var rig = IfuRig.Start("esp32");
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, Image));

        var list = UpdateManager.GetImageList();

        // The running app has no version of its own (deployed without one): 0.0.0, as an agent compares offers with it.
        Assert.Equal(["NanoClr Primary: v1.0.0.0", "NanoClr Secondary: v1.0.0.0", "Deployment Primary: v0.0.0.0", "Deployment Secondary: v1.2.3.4"], list.Select(i => i.ToString()));
        Assert.True(list[0].IsActive && list[0].IsConfirmed && list[0].IsBootable);
        Assert.True(list[1].IsPending && !list[1].IsActive);
    }

    [Fact]
    public void TheImageListHasAnEntryForAnEmptySlotToo()
    {
        using var rig = IfuRig.Start("esp32c3");

        var list = UpdateManager.GetImageList();

        Assert.Equal(["NanoClr Primary: v1.0.0.0", "NanoClr Secondary: v-", "Deployment Primary: v0.0.0.0", "Deployment Secondary: v-"], list.Select(i => i.ToString()));
        Assert.False(list[1].IsBootable || list[1].IsActive || list[1].HasValidHeader);
        Assert.Null(UpdateManager.GetSecondaryImageInfo(ImageType.NanoClr));
    }

    [Fact]
    public void AStagingErasedBeforeTheRestartCanBeStagedAgain()
    {
        using var rig = IfuRig.Start("esp32");
        var app = McuBootImages.Build(AppReleases.App("1.1.0").Image, "1.1.0", McuBootImages.Key);
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, app));
        Assert.Equal(UpdateSessionResult.Success, UpdateManager.EraseSecondaryImage(ImageType.Deployment));
        rig.Restart();

        // otadata still selects the cancelled pair's slot (its header erased): the next staging copies the firmware again.
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, app));
        rig.Restart();

        Assert.Equal("1.0.0 + 1.1.0", AppReleases.Pair(rig.Device));
    }
}

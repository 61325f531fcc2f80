using nanoFramework.Runtime.InFieldUpdate;
using NfOta.Core.Tests;
using NfOta.InFieldUpdate.Host;
using NfOta.NativeHost.Tests;

namespace NfOta.InFieldUpdate.Tests;

/// <summary>
/// Updates through nanoFramework.Runtime.InFieldUpdate's session API on a secured board: what is
/// staged, what boots after the restart, and that the pair (firmware with its app) moves together.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class SessionUpdateTests
{
    public static TheoryData<string> Chips => ["esp32", "esp32c3"];

    [Theory]
    [MemberData(nameof(Chips))]
    public void ImgtoolsSignedImageIsStagedAsTheDeploymentWithTheRunningFirmware(string chip)
    {
        using var rig = IfuRig.Start(chip);
        var image = McuBootImages.Vector("ec256-h200-65549.bin");
        var payload = McuBootImages.Vector("plain-65549.bin");

        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, image));

        Assert.Equal(UpdateStatus.TestPending, UpdateManager.GetStatus(ImageType.Deployment));
        var staged = UpdateManager.GetSecondaryImageInfo(ImageType.Deployment)!;
        Assert.Equal(new Version(1, 2, 3, 4), staged.Version);
        Assert.True(staged.IsPending);
        Assert.False(staged.IsConfirmed);
        Assert.True(staged.HasValidHeader);
        var hashTlv = NfOta.McuBoot.Images.McuBootImage.Parse(image).UnprotectedTlvs.Single(t => t.Type == NfOta.McuBoot.Tlvs.TlvTypes.Sha256);
        Assert.Equal(hashTlv.Data.ToArray(), staged.ImageHash);

        rig.Restart();
        Assert.Equal("ota_1", rig.Running);
        Assert.Equal(payload, rig.Read("deploy_1", 0, payload.Length));
        // The firmware came along from the running slot, byte for byte (its length: signing is randomised, the size is not).
        int firmware = AppReleases.Firmware(rig.Chip, "1.0.0", gpio: false).Length;
        Assert.Equal(rig.Read("ota_0", 0, firmware), rig.Read("ota_1", 0, firmware));
        Assert.Equal(UpdateStatus.Testing, UpdateManager.GetStatus(ImageType.Deployment));
        Assert.True(UpdateManager.GetPrimaryImageInfo(ImageType.Deployment)!.IsRollbackPending);

        Assert.True(UpdateManager.ConfirmDeploymentImage());
        Assert.Equal(UpdateStatus.Confirmed, UpdateManager.GetStatus(ImageType.Deployment));
        Assert.Equal(new Version(1, 2, 3, 4), UpdateManager.GetPrimaryImageInfo(ImageType.Deployment)!.Version);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void AnAppImageBootsWithTheRunningFirmware(string chip)
    {
        using var rig = IfuRig.Start(chip);
        var app = AppReleases.App("1.1.0", codeBytes: 9000);

        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, McuBootImages.Build(app.Image, "1.1.0", McuBootImages.Key)));
        rig.Restart();

        Assert.Equal("1.0.0 + 1.1.0", AppReleases.Pair(rig.Device));
        Assert.Equal("deploy_1", rig.Device.App!.AppPartition);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void AFirmwareImageBootsWithTheRunningApp(string chip)
    {
        using var rig = IfuRig.Start(chip);
        var firmware = AppReleases.Firmware(rig.Chip, "2.0.0", gpio: false);

        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.NanoClr, McuBootImages.Build(firmware, "2.0.0", McuBootImages.Key)));
        Assert.Equal(UpdateStatus.TestPending, UpdateManager.GetStatus(ImageType.NanoClr));
        rig.Restart();

        Assert.Equal("2.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
        Assert.Equal(new Version(2, 0, 0, 0), UpdateManager.GetPrimaryImageInfo(ImageType.NanoClr)!.Version);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void AFirmwareAndItsAppStagedTogetherBootTogether(string chip)
    {
        using var rig = IfuRig.Start(chip);
        var firmware = AppReleases.Firmware(rig.Chip, "2.0.0", gpio: true);
        var app = AppReleases.App("2.0.0", gpio: true);

        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.NanoClr, McuBootImages.Build(firmware, "2.0.0", McuBootImages.Key)));
        var dependsOnIt = new[] { new McuBootImages.Dependency(0, 2, 0, 0) };
        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, McuBootImages.Build(app.Image, "2.0.0", McuBootImages.Key, dependencies: dependsOnIt)));
        rig.Restart();

        Assert.Equal("2.0.0 + 2.0.0", AppReleases.Pair(rig.Device));
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void AnAppThatNeedsANewerFirmwareIsRefusedAndNothingIsStaged(string chip)
    {
        using var rig = IfuRig.Start(chip);

        // imgtool's own image depends on image 0 at 1.5.0; the board runs 1.0.0.
        Assert.Equal(UpdateSessionResult.BadTlv, IfuRig.Install(ImageType.Deployment, McuBootImages.Vector("ec256-dep-65549.bin")));
        Assert.Equal(NfOtaIfuDetail.DependencyUnmet, IfuNative.LastDetail);
        AssertNothingStaged(rig);
    }

    [Theory]
    [InlineData("esp32", "unsigned-1000.bin", UpdateSessionResult.BadTlv, NfOtaIfuDetail.NoSignature)]
    [InlineData("esp32c3", "tampered-payload-ec256-h200-65549.bin", UpdateSessionResult.HashMismatch, NfOtaIfuDetail.HashMismatch)]
    public void ImgtoolImagesTheKeyDoesNotVouchForAreRefused(string chip, string vector, UpdateSessionResult expected, int detail)
    {
        using var rig = IfuRig.Start(chip);

        Assert.Equal(expected, IfuRig.Install(ImageType.Deployment, McuBootImages.Vector(vector)));
        Assert.Equal(detail, IfuNative.LastDetail);
        AssertNothingStaged(rig);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void AFirmwareSignedWithAnotherKeyIsRefusedAndCannotBoot(string chip)
    {
        using var rig = IfuRig.Start(chip);
        var firmware = AppReleases.Firmware(rig.Chip, "2.0.0", gpio: false);

        Assert.Equal(UpdateSessionResult.BadTlv, IfuRig.Install(ImageType.NanoClr, McuBootImages.Build(firmware, "2.0.0", McuBootImages.OtherKey)));
        Assert.Equal(NfOtaIfuDetail.UnknownKey, IfuNative.LastDetail);
        AssertNothingStaged(rig);
        // esp_ota_end had accepted the app image; its header is erased again, so ESP-IDF finds no image to set to boot.
        Assert.Equal((int)NfOta.Interop.NativeOtaStatus.ImageInvalid, NfOta.Interop.NativeOta.SetBootSlot("ota_1"));
        Assert.Null(UpdateManager.GetSecondaryImageInfo(ImageType.NanoClr));
    }

    [Fact]
    public void AnUnsignedImageIsAcceptedOnlyWhereTheBuildSaysSo()
    {
        using var rig = IfuRig.Start("esp32c3", acceptUnsigned: true);

        Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, McuBootImages.Vector("unsigned-1000.bin")));
        Assert.Equal(UpdateStatus.TestPending, UpdateManager.GetStatus(ImageType.Deployment));
    }

    private static void AssertNothingStaged(IfuRig rig)
    {
        Assert.Equal(UpdateStatus.Confirmed, UpdateManager.GetStatus(ImageType.Deployment));
        Assert.False(UpdateManager.GetSecondaryImageInfo(ImageType.Deployment)?.IsPending ?? false);
        rig.Restart();
        Assert.Equal("ota_0", rig.Running);
        Assert.Equal("1.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
    }
}

/// <summary>nf_ota_ifu.h's NF_OTA_IFU_DETAIL_* values.</summary>
internal static class NfOtaIfuDetail
{
    public const int NoHashTlv = 1;
    public const int HashMismatch = 2;
    public const int NoSignature = 3;
    public const int UnknownKey = 4;
    public const int SignatureInvalid = 5;
    public const int DependencyUnmet = 7;
    public const int AppImageInvalid = 10;
}

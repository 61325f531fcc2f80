using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>
/// Every refusal of the engine: the named error, a message that says what to do, and the running
/// firmware and otadata untouched (raw flash compared byte for byte), no native handle left open.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class FailureTests
{
    private static OtaException Refused(UpdateRig rig, Action<OtaUpdater>? setUp = null, UpdateOptions? options = null)
    {
        var before = rig.Snapshot();
        var updater = rig.Updater(options);
        updater.Reboot = () => Assert.Fail("must not reboot");
        setUp?.Invoke(updater);
        var e = Assert.Throws<OtaException>(() => updater.Apply(updater.FetchManifest(rig.LatestUrl)));
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(0, rig.OpenNativeHandles);
        Assert.Equal("ota_0", rig.Device.Restart().Partition!.Name);
        Assert.Equal("1.0.0", rig.Device.RunningVersion());
        return e;
    }

    [Fact]
    public async Task WrongChip()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        rig.Publish("2.0.0", chip: EspChip.Esp32C3);
        var e = Refused(rig);
        Assert.Equal(OtaError.WrongChip, e.Error);
        Assert.Equal("image is for chip ESP32-C3 (id 5) but this board is ESP32 (id 0)", e.Message);
    }

    [Fact]
    public async Task AnInFieldUpdatePackageIsNeverInstalled()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        // A newer release for this chip whose file is an MCUboot image for UpdateManager (format 3).
        var body = "nfota-manifest 3\nchip=esp32\nversion=2.0.0\nifu-image=nanoclr\nifu-version=2.0.0+0\n"
            + $"size=66232\nsha256={new string('a', 64)}\nurl={rig.Server.UrlOf("fw-2.0.0.ifu.bin")}\n";
        File.WriteAllBytes(Path.Combine(rig.Directory, ReleasePackage.LatestManifest), SignedManifest.SignBody(rig.Key, System.Text.Encoding.ASCII.GetBytes(body)));
        var e = Refused(rig);
        Assert.Equal(OtaError.IfuRelease, e.Error);
        Assert.Equal("ifu-release", OtaErrors.Code(e.Error));
        Assert.Contains("release 2.0.0 is an in-field-update package", e.Message);
        // Update, the front door most apps use, refuses it the same way.
        var updater = rig.Updater();
        updater.Reboot = () => Assert.Fail("must not reboot");
        Assert.Equal(OtaError.IfuRelease, Assert.Throws<OtaException>(() => updater.Update(rig.LatestUrl)).Error);
    }

    [Fact]
    public async Task ImageLargerThanTheSlot()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var slot = (int)rig.Device.Partitions!.FindByLabel("ota_1")!.Size;
        rig.PublishManifest("2.0.0", slot + 1, new byte[32], UpdateRig.ImageFile("2.0.0"));
        var e = Refused(rig);
        Assert.Equal(OtaError.ImageTooLarge, e.Error);
        Assert.Contains($"but slot ota_1 holds {slot}", e.Message);
    }

    [Fact]
    public async Task NotNewerUnlessForced()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        rig.Publish("1.0.0");
        Assert.Null(rig.Updater().CheckForUpdate(rig.LatestUrl));
        var e = Refused(rig);
        Assert.Equal(OtaError.NotNewer, e.Error);
        Assert.Contains("not newer than the running 1.0.0", e.Message);

        var forced = rig.Updater(new UpdateOptions { AllowSameOrOlder = true });
        forced.Reboot = () => { };
        Assert.Equal("ota_1", forced.Update(rig.LatestUrl)!.Slot);
    }

    [Fact]
    public async Task RunningVersionBelowTheMinimum()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        rig.Publish("3.0.0", minVersion: "2.0.0");
        var e = Refused(rig);
        Assert.Equal(OtaError.VersionTooOld, e.Error);
        Assert.Contains("can only replace 2.0.0 or later, but this board runs 1.0.0", e.Message);
    }

    [Fact]
    public async Task SecureVersionBelowTheDevicesCounter()
    {
        var spec = Boards.Spec(EspChip.Esp32, new DeviceConfig { AntiRollback = true }) with
        {
            SecureVersion = 2,
            Images = new Dictionary<string, byte[]> { ["ota_0"] = Boards.Image(EspChip.Esp32, "1.0.0", secureVersion: 2) },
        };
        await using var rig = await UpdateRig.StartAsync(spec);
        rig.Publish("2.0.0", secureVersion: 1);
        var e = Refused(rig);
        Assert.Equal(OtaError.SecureVersionTooLow, e.Error);
        Assert.Contains("secure_version 1 but this board only boots 2 or higher", e.Message);
    }

    [Fact]
    public async Task HashMismatchIsFoundBeforeTheImageIsFinished()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        var image = rig.Publish("2.0.0");
        var wrong = SHA256.HashData(image);
        wrong[7] ^= 1;
        rig.PublishManifest("2.0.0", image.Length, wrong, UpdateRig.ImageFile("2.0.0"));
        var e = Refused(rig);
        Assert.Equal(OtaError.HashMismatch, e.Error);
        Assert.Contains(Convert.ToHexStringLower(wrong), e.Message);
    }

    [Fact]
    public async Task ServerHoldsAnotherSize()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish("2.0.0");
        rig.PublishManifest("2.0.0", image.Length - 16, SHA256.HashData(image), UpdateRig.ImageFile("2.0.0"));
        var e = Refused(rig);
        Assert.Equal(OtaError.SizeMismatch, e.Error);
        Assert.Contains($"is {image.Length} bytes but the manifest says {image.Length - 16}", e.Message);
    }

    /// <summary>A board that went 1.0.0 → 2.0.0 and confirmed it: ota_0 holds 1.0.0, both otadata entries are in use.</summary>
    private static async Task<UpdateRig> UpdatedAndConfirmed(EspChip chip)
    {
        var rig = await UpdateRig.StartAsync(chip);
        rig.Publish("2.0.0");
        var updater = rig.Updater();
        updater.Reboot = () => { };
        Assert.NotNull(updater.Update(rig.LatestUrl));
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal(EspErr.ESP_OK, rig.Device.Ota!.MarkAppValidCancelRollback());
        return rig;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AServerWithAnotherSizeIsFoundBeforeAnyFlashIsTouched(bool eraseAsYouGo)
    {
        // Before the fix esp_ota_begin ran first: it invalidated the fallback's otadata entry (and,
        // without erase-as-you-go, erased the slot holding 1.0.0) before the length was known.
        await using var rig = await UpdatedAndConfirmed(EspChip.Esp32);
        var image = rig.Publish("3.0.0");
        rig.PublishManifest("3.0.0", image.Length + 16, SHA256.HashData(image), UpdateRig.ImageFile("3.0.0"));
        var flash = rig.Device.Flash.Dump();

        var updater = rig.Updater(new UpdateOptions { EraseAsYouGo = eraseAsYouGo });
        updater.Reboot = () => Assert.Fail("must not reboot");
        var e = Assert.Throws<OtaException>(() => updater.Apply(updater.FetchManifest(rig.LatestUrl)));

        Assert.Equal(OtaError.SizeMismatch, e.Error);
        Assert.Equal(flash, rig.Device.Flash.Dump());
        Assert.Equal(0, rig.OpenNativeHandles);
    }

    [Fact]
    public async Task AFinishedUpdateAwaitingItsRebootBlocksAnother()
    {
        // ESP-IDF v5.5 would write the second update's otadata entry over the running firmware's.
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        rig.Publish("2.0.0");
        var updater = rig.Updater();
        updater.Reboot = () => { }; // the app postpones the reboot
        Assert.NotNull(updater.Update(rig.LatestUrl));
        rig.Publish("3.0.0");
        var flash = rig.Device.Flash.Dump();

        var e = Assert.Throws<OtaException>(() => updater.Update(rig.LatestUrl));

        Assert.Equal(OtaError.RebootPending, e.Error);
        Assert.Equal("reboot-pending", OtaErrors.Code(e.Error));
        Assert.Contains("ota_1 is installed and waits for a reboot", e.Message);
        Assert.Equal(flash, rig.Device.Flash.Dump());
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
    }

    [Fact]
    public async Task ImageSignedWithAnUntrustedSecureBootKeyIsRejectedByEspIdf()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        rig.Publish("2.0.0", signer: Boards.OtherKey);
        var e = Refused(rig);
        Assert.Equal(OtaError.ImageRejected, e.Error);
        Assert.Equal(NativeOtaStatus.ImageInvalid, e.NativeStatus);
        Assert.NotEqual(0, e.EspError);
        Assert.Contains("ESP-IDF rejected the image", e.Message);
    }

    [Fact]
    public async Task ManifestSignedWithAnotherKeyOrTampered()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var image = rig.Publish("2.0.0");
        using (var other = ManifestKey.Create())
        {
            rig.PublishManifest("2.0.0", image.Length, SHA256.HashData(image), UpdateRig.ImageFile("2.0.0"), key: other);
        }
        Assert.Equal(OtaError.ManifestSignature, Assert.Throws<OtaException>(() => rig.Updater().CheckForUpdate(rig.LatestUrl)).Error);

        rig.Publish("2.0.0");
        var path = Path.Combine(rig.Directory, ReleasePackage.LatestManifest);
        File.WriteAllText(path, File.ReadAllText(path).Replace("version=2.0.0", "version=2.0.9"));
        var e = Assert.Throws<OtaException>(() => rig.Updater().CheckForUpdate(rig.LatestUrl));
        Assert.Equal(OtaError.ManifestSignature, e.Error);
        Assert.Contains("does not verify with this app's key", e.Message);
    }

    [Fact]
    public async Task CancelledBetweenChunks()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        rig.Publish("2.0.0", codeBytes: 100_000);
        var chunks = 0;
        var e = Refused(rig, updater => updater.Progress = (_, _) =>
        {
            if (++chunks == 3) updater.Cancel.Cancel();
        });
        Assert.Equal(OtaError.Cancelled, e.Error);
        Assert.Equal(3, chunks);
        Assert.Contains("after 12288 of", e.Message);
    }

    [Fact]
    public async Task AnUpdateWhileThePreviousOneIsUnconfirmedIsRefused()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        rig.Publish("2.0.0");
        Assert.Throws<DeviceRestartedException>(() => rig.Updater().Update(rig.LatestUrl));
        rig.Publish("3.0.0");
        var e = Assert.Throws<OtaException>(() => rig.Updater().Update(rig.LatestUrl));
        Assert.Equal(OtaError.PendingVerify, e.Error);
        Assert.Contains("RollbackGuard", e.Message);
        Assert.Equal(0, rig.OpenNativeHandles);
    }
}

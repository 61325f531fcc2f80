using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.Interop;
using NfOta.NativeHost.Tests;

namespace NfOta.Core.Tests;

/// <summary>
/// Pre-encrypted releases (issue 13) over the real server, end to end: nfota pack's
/// esp_encrypted_img file, the engine handing ciphertext to the C component, decryption with the
/// key in the board's encrypted nfota_key partition, the GCM tag checked before esp_ota_end.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class EncryptedUpdateTests
{
    private static async Task<UpdateRig> Rig(string chip, DeviceKey? boardKey) =>
        await UpdateRig.StartAsync(EncryptedBoards.Spec(EspChip.Parse(chip), boardKey));

    private static OtaUpdater NoReboot(UpdateRig rig, UpdateOptions? options = null)
    {
        var updater = rig.Updater(options);
        updater.Reboot = () => { };
        return updater;
    }

    /// <summary>The raw flash of a slot: what must stay as it was when an update is refused before it starts.</summary>
    private static byte[] RawSlot(UpdateRig rig, string label)
    {
        var slot = rig.Device.Partitions!.FindByLabel(label)!;
        var bytes = new byte[slot.Size];
        rig.Device.Driver.Read(slot.Address, bytes);
        return bytes;
    }

    /// <summary>
    /// A refused image in ota_1 can never boot: its header is erased, SetBootSlot refuses it now
    /// (the RAM mark) and after a restart into 1.0.0 (ESP-IDF finds no image there).
    /// </summary>
    private static void AssertNeverBootable(UpdateRig rig)
    {
        Assert.True(HeaderErased(rig));
        Assert.Equal(NativeOtaStatus.InvalidState, NativeOta.SetBootSlot("ota_1"));
        Assert.Equal("ota_0", rig.Device.Restart().Partition!.Name);
        Assert.Equal("1.0.0", rig.Device.RunningVersion());
        Assert.Equal(NativeOtaStatus.ImageInvalid, NativeOta.SetBootSlot("ota_1"));
    }

    /// <summary>ota_1's first sector is erased in flash: no image header for ESP-IDF to accept.</summary>
    private static bool HeaderErased(UpdateRig rig) => RawSlot(rig, "ota_1").AsSpan(0, 4096).IndexOfAnyExcept((byte)0xFF) < 0;

    /// <summary>
    /// Re-sign latest.manifest without the lines that start with these keys: an older manifest
    /// (no encrypted-sha256), or one without block hashes, so the check under test is the one that tells.
    /// </summary>
    private static void ResignWithout(UpdateRig rig, params string[] keys)
    {
        var path = Path.Combine(rig.Directory, "latest.manifest");
        var lines = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("signature=", StringComparison.Ordinal) && !keys.Any(k => l.StartsWith(k + "=", StringComparison.Ordinal)))
            .ToList();
        Assert.True(lines.Count > 5);
        File.WriteAllBytes(path, Packaging.SignedManifest.SignBody(rig.Key, System.Text.Encoding.ASCII.GetBytes(string.Join("\n", lines) + "\n")));
    }

    private static void Tamper(UpdateRig rig, string version, int offset)
    {
        var path = Path.Combine(rig.Directory, UpdateRig.EncryptedFile(version));
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    [Theory]
    [InlineData("esp32", "rsa3072")]
    [InlineData("esp32", "ecies-p256")]
    [InlineData("esp32c3", "rsa3072")]
    [InlineData("esp32c3", "ecies-p256")]
    public async Task APreEncryptedReleaseInstallsAndBootsAndTheServerNeverHoldsThePlaintext(string chip, string scheme)
    {
        using var key = EncryptedBoards.ForScheme(scheme);
        await using var rig = await Rig(chip, key);
        using var publicOnly = DeviceKey.FromPem(key.PublicKeyPem());
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: 4096, encryptFor: publicOnly);

        var served = File.ReadAllBytes(Path.Combine(rig.Directory, UpdateRig.EncryptedFile("2.0.0")));
        Assert.False(File.Exists(Path.Combine(rig.Directory, UpdateRig.ImageFile("2.0.0"))));
        Assert.Equal(image.Length + 512, served.Length);
        // A 64-byte run of the image's code (not padding: many distinct bytes) is nowhere in the file on the server.
        var at = Enumerable.Range(0, image.Length / 64).Select(i => i * 64).First(o => image.AsSpan(o, 64).ToArray().Distinct().Count() > 32);
        Assert.Equal(-1, served.AsSpan().IndexOf(image.AsSpan(at, 64)));
        Assert.True(image.AsSpan().IndexOf(image.AsSpan(at, 64)) >= 0);

        var progress = new List<(int Done, int Total)>();
        var updater = NoReboot(rig);
        updater.Progress = (done, total) => progress.Add((done, total));
        var result = updater.Update(rig.LatestUrl);
        Assert.Equal(image.Length + 512, result.BytesReceived);
        // Progress counts the file as fetched, its header included.
        Assert.Equal((served.Length, served.Length), progress[^1]);
        Assert.All(progress, p => Assert.Equal(served.Length, p.Total));
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal(0, rig.OpenNativeHandles);
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
    }

    [Theory]
    [InlineData("rsa3072", "other-rsa3072")]
    [InlineData("rsa3072", "ecies-p256")]
    [InlineData("ecies-p256", "rsa3072")]
    public async Task AReleaseForAnotherDeviceKeyIsRefusedBeforeAnythingIsWritten(string boardScheme, string releaseFor)
    {
        using var boardKey = EncryptedBoards.ForScheme(boardScheme);
        await using var rig = await Rig("esp32", boardKey);
        using var other = releaseFor == "other-rsa3072" ? DeviceKey.NewRsa3072() : EncryptedBoards.ForScheme(releaseFor);
        rig.Publish(Boards.Image(rig.Chip, "2.0.0"), encryptFor: other);
        var before = rig.Snapshot();
        var slot = RawSlot(rig, "ota_1");

        var e = Assert.Throws<OtaException>(() => NoReboot(rig).Update(rig.LatestUrl));
        Assert.Equal(OtaError.WrongDeviceKey, e.Error);
        Assert.Equal("wrong-device-key", e.Code);
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(slot, RawSlot(rig, "ota_1"));
        Assert.Equal(0, rig.OpenNativeHandles);
    }

    [Fact]
    public async Task ABoardWithoutADeviceKeyRefusesAPreEncryptedReleaseAndWritesNothing()
    {
        await using var rig = await Rig("esp32c3", boardKey: null);
        using var key = EncryptedBoards.Rsa();
        rig.Publish(Boards.Image(rig.Chip, "2.0.0"), encryptFor: key);
        var before = rig.Snapshot();
        var slot = RawSlot(rig, "ota_1");

        var e = Assert.Throws<OtaException>(() => NoReboot(rig).Update(rig.LatestUrl));
        Assert.Equal(OtaError.NoDeviceKey, e.Error);
        Assert.Contains("missing or blank", e.Message);
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(slot, RawSlot(rig, "ota_1"));
    }

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public async Task ATamperedTagIsImageRejectedAndNothingIsSetToBoot(string chip)
    {
        using var key = EncryptedBoards.Ecies();
        await using var rig = await Rig(chip, key);
        rig.Publish(Boards.Image(rig.Chip, "2.0.0"), encryptFor: key);
        ResignWithout(rig, "encrypted-sha256"); // a manifest from before encrypted-sha256: only the tag tells
        Tamper(rig, "2.0.0", 408); // the header's GCM tag: the plaintext is intact, only the tag tells
        var before = rig.Snapshot();

        var e = Assert.Throws<OtaException>(() => NoReboot(rig).Update(rig.LatestUrl));
        Assert.Equal(OtaError.ImageRejected, e.Error);
        Assert.Contains("GCM tag", e.Message);
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(0, rig.OpenNativeHandles);
        // The decrypted image is complete and valid, but it can never be set to boot (issue 22:
        // ESP-IDF 6.0.1 took it): refused now, and its header is erased for after a restart.
        AssertNeverBootable(rig);
    }

    /// <summary>
    /// encrypted-sha256 checked on the device: a ciphertext byte changed on the server (the
    /// manifest without block hashes, so no block check runs first) is refused at End by the file's
    /// digest, before the GCM tag and esp_ota_end, with the slot's header erased; the board boots 1.0.0.
    /// </summary>
    [Theory]
    [InlineData("esp32", "rsa3072")]
    [InlineData("esp32c3", "ecies-p256")]
    public async Task CiphertextChangedOnTheServerIsAHashMismatchAgainstEncryptedSha256(string chip, string scheme)
    {
        using var key = EncryptedBoards.ForScheme(scheme);
        await using var rig = await Rig(chip, key);
        rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), encryptFor: key);
        ResignWithout(rig, "block-size", "block-sha256");
        Assert.Contains("encrypted-sha256=", File.ReadAllText(Path.Combine(rig.Directory, "latest.manifest")));
        Tamper(rig, "2.0.0", 512 + 5 * 1024 + 9);
        var before = rig.Snapshot();

        var e = Assert.Throws<OtaException>(() => NoReboot(rig).Update(rig.LatestUrl));
        Assert.Equal(OtaError.HashMismatch, e.Error);
        Assert.Equal("hash-mismatch", e.Code);
        Assert.Equal(NativeOtaStatus.HashMismatch, e.NativeStatus);
        Assert.Contains("encrypted-sha256", e.Message);
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(0, rig.OpenNativeHandles);
        AssertNeverBootable(rig);
    }

    /// <summary>
    /// A byte of the header's reserved area changed on the server: the tag, the plaintext and every
    /// block hash are intact, so before encrypted-sha256 was checked on the device this installed.
    /// </summary>
    [Fact]
    public async Task AHeaderByteNothingElseCoversIsAHashMismatchAndNothingIsSetToBoot()
    {
        using var key = EncryptedBoards.Rsa();
        await using var rig = await Rig("esp32", key);
        rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: 4096, encryptFor: key);
        Tamper(rig, "2.0.0", 480); // reserved: esp_encrypted_img reads nothing after the tag (408..424)
        var before = rig.Snapshot();

        var e = Assert.Throws<OtaException>(() => NoReboot(rig).Update(rig.LatestUrl));
        Assert.Equal(OtaError.HashMismatch, e.Error);
        Assert.Equal(NativeOtaStatus.HashMismatch, e.NativeStatus);
        Assert.Equal(before, rig.Snapshot());
        Assert.True(HeaderErased(rig));
        Assert.Equal("ota_0", rig.Device.Restart().Partition!.Name);
        Assert.Equal("1.0.0", rig.Device.RunningVersion());
    }

    /// <summary>The same file with a manifest from before encrypted-sha256: installed, as before (nothing checks those bytes).</summary>
    [Fact]
    public async Task WithoutEncryptedSha256TheEngineBehavesAsBefore()
    {
        using var key = EncryptedBoards.Rsa();
        await using var rig = await Rig("esp32", key);
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: 4096, encryptFor: key);
        ResignWithout(rig, "encrypted-sha256");
        Tamper(rig, "2.0.0", 480);

        NoReboot(rig).Update(rig.LatestUrl);
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("2.0.0", rig.Device.Restart() is { Booted: true } ? rig.Device.RunningVersion() : "not booted");
    }

    [Fact]
    public async Task AnImageCutShortAtEndOrAbortedWhileDecryptingCanNeverBeSetToBoot()
    {
        using var key = EncryptedBoards.Rsa();
        await using var rig = await Rig("esp32c3", key);
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), encryptFor: key);
        var file = File.ReadAllBytes(Path.Combine(rig.Directory, UpdateRig.EncryptedFile("2.0.0")));
        foreach (var end in new[] { true, false })
        {
            Assert.Equal(NativeOtaStatus.Ok, NativeOta.OpenEncryptedImage(file[..NativeOtaStatus.EncryptedHeaderLength], []));
            var handle = NativeOta.Begin("ota_1", image.Length, NativeOtaStatus.BeginDecrypt);
            Assert.True(handle > 0, $"Begin returned {handle}");
            // Everything but the last 100 bytes: the plaintext's first sector is a valid header.
            var body = file.Length - NativeOtaStatus.EncryptedHeaderLength - 100;
            Assert.Equal(NativeOtaStatus.Ok, NativeOta.Write(handle, file, NativeOtaStatus.EncryptedHeaderLength, body));
            Assert.Equal(end ? NativeOtaStatus.EncryptedImageInvalid : NativeOtaStatus.Ok, end ? NativeOta.End(handle) : NativeOta.Abort(handle));
            Assert.True(HeaderErased(rig), end ? "end" : "abort");
            Assert.Equal(NativeOtaStatus.InvalidState, NativeOta.SetBootSlot("ota_1"));
            rig.Device.Restart();
            Assert.Equal(NativeOtaStatus.ImageInvalid, NativeOta.SetBootSlot("ota_1"));
        }
    }

    [Fact]
    public async Task TamperedCiphertextFailsItsBlockAndIsNotFetchedAgain()
    {
        using var key = EncryptedBoards.Rsa();
        await using var rig = await Rig("esp32", key);
        rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: 4096, encryptFor: key);
        Tamper(rig, "2.0.0", 512 + 3 * 4096 + 7);
        var before = rig.Snapshot();

        var e = Assert.Throws<OtaException>(() => NoReboot(rig).Update(rig.LatestUrl));
        Assert.Equal(OtaError.HashMismatch, e.Error);
        Assert.Contains("block 3", e.Message);
        Assert.Equal(before, rig.Snapshot());
        Assert.Single(rig.Server.Requests, r => r.Path.EndsWith(".enc.bin"));
    }

    [Fact]
    public async Task ATruncatedFileIsASizeMismatchBeforeAnythingIsWritten()
    {
        using var key = EncryptedBoards.Rsa();
        await using var rig = await Rig("esp32", key);
        rig.Publish(Boards.Image(rig.Chip, "2.0.0"), encryptFor: key);
        var path = Path.Combine(rig.Directory, UpdateRig.EncryptedFile("2.0.0"));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^100]);
        var slot = RawSlot(rig, "ota_1");

        var e = Assert.Throws<OtaException>(() => NoReboot(rig).Update(rig.LatestUrl));
        Assert.Equal(OtaError.SizeMismatch, e.Error);
        Assert.Equal(slot, RawSlot(rig, "ota_1"));
    }

    [Fact]
    public async Task AConnectionLostMidwayGoesOnWithARangeAndDecryptionContinues()
    {
        using var key = EncryptedBoards.Ecies();
        await using var rig = await Rig("esp32c3", key);
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), encryptFor: key);
        // The file's digest is checked at End (encrypted-sha256): it runs on across the resume.
        Assert.Contains("encrypted-sha256=", File.ReadAllText(Path.Combine(rig.Directory, "latest.manifest")));
        rig.Faults.Add(UpdateRig.EncryptedFile("2.0.0"), new Fault(FaultKind.ResetAfter, 10_000));

        var result = NoReboot(rig).Update(rig.LatestUrl);
        Assert.Equal(1, result.Resumes);
        var requests = rig.Server.Requests.Where(r => r.Path.EndsWith(".enc.bin")).ToList();
        Assert.Equal(2, requests.Count);
        Assert.StartsWith("bytes=", requests[1].Range);
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
    }

    [Fact]
    public async Task AnUpdateCutByAPowerLossStartsOverAndFinishes()
    {
        using var key = EncryptedBoards.Rsa();
        await using var rig = await Rig("esp32", key);
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: 4096, encryptFor: key);
        var updater = rig.Updater(new UpdateOptions { ChunkSize = 1024 });
        updater.Reboot = () => throw new InvalidOperationException("the cut update finished");
        updater.Progress = (done, _) =>
        {
            if (done == NfOta.Manifest.ManifestFormat.EncryptedHeaderLength + 5 * 4096 + 2048) rig.Device.Flash.ArmPowerCut(new Emulator.Flash.PowerCut(1));
        };
        Assert.Throws<Emulator.Flash.PowerLossException>(() => updater.Update(rig.LatestUrl));
        Assert.True(rig.Device.PowerOn().Booted);
        Assert.Equal("1.0.0", rig.Device.RunningVersion());

        var result = NoReboot(rig).Update(rig.LatestUrl);
        Assert.Equal(0, result.ResumedAt); // GCM runs from the start: no verified prefix is kept
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("2.0.0", rig.Device.Restart() is { Booted: true } ? rig.Device.RunningVersion() : "not booted");
    }
}

using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;
using NfOta.Interop;

namespace NfOta.NativeHost.Tests;

/// <summary>Each argument error and each ESP-IDF error, seen from managed code.</summary>
[Collection(NativeCollection.Name)]
public sealed class ArgumentAndErrorTests
{
    private static readonly EspChip Chip = EspChip.Esp32;

    [Fact]
    public void NullStringsAndArraysThrowBeforeNativeCodeRunsAsNanoClrDoes()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        var handle = NativeOta.Begin("", 100_000, 0);
        Assert.Throws<NullReferenceException>(() => NativeOta.Begin(null!, 100, 0));
        Assert.Throws<NullReferenceException>(() => NativeOta.Write(handle, null!, 0, 0));
        Assert.Throws<NullReferenceException>(() => NativeOta.GetSlotInfo(0, null!));
        Assert.Throws<NullReferenceException>(() => NativeOta.VerifyP256(new byte[65], null!, 0, new byte[64]));
        Assert.Equal(1, session.OpenNativeHandles);
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Abort(handle));
    }

    [Fact]
    public void OutOfRangeSpansUnknownHandlesAndBadRecordsAreStatusCodes()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        var handle = NativeOta.Begin("", 100_000, 0);
        var buffer = new byte[64];
        Assert.Equal(NativeOtaStatus.OutOfRange, NativeOta.Write(handle, buffer, -1, 1));
        Assert.Equal(NativeOtaStatus.OutOfRange, NativeOta.Write(handle, buffer, 0, 65));
        Assert.Equal(NativeOtaStatus.OutOfRange, NativeOta.Write(handle, buffer, 60, 5));
        Assert.Equal(NativeOtaStatus.OutOfRange, NativeOta.Write(handle, buffer, int.MaxValue, int.MaxValue));
        Assert.Equal(NativeOtaStatus.UnknownHandle, NativeOta.Write(handle + 16, buffer, 0, 1));
        Assert.Equal(NativeOtaStatus.UnknownHandle, NativeOta.End(0));
        Assert.Equal(NativeOtaStatus.OutOfRange, NativeOta.GetSlotInfo(NativeOtaStatus.SlotRunning, new byte[31]));
        Assert.Equal(NativeOtaStatus.InvalidArgument, NativeOta.GetSlotInfo(9, new byte[32]));
        Assert.Equal(NativeOtaStatus.OutOfRange, NativeOta.GetAppDescription("", new byte[255]));
        Assert.Equal(NativeOtaStatus.OutOfRange, NativeOta.GetImageDigest(handle, new byte[31]));
        Assert.Equal(NativeOtaStatus.InvalidArgument, NativeOta.Begin("", 100, 4));
        Assert.Equal(NativeOtaStatus.InvalidArgument, NativeOta.Begin("a-label-too-long!", 100, 0));
        Assert.Equal(NativeOtaStatus.NotFound, NativeOta.Begin("ota_9", 100, 0));
        // Nothing above reached flash: the image area is still erased.
        Assert.Equal(0, session.Device.Flash.Log.Count(o => o.Kind == Emulator.Flash.FlashOperationKind.Program && o.Address >= 0x200000));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Abort(handle));
        Assert.Equal(NativeOtaStatus.UnknownHandle, NativeOta.Abort(handle));
    }

    [Fact]
    public void TheRunningSlotDataPartitionsAndOversizedImagesAreRefused()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        Assert.Equal(NativeOtaStatus.IsRunningSlot, NativeOta.Begin("ota_0", 1000, 0));
        Assert.Equal(NativeOtaStatus.NotAnOtaSlot, NativeOta.Begin("otadata", 1000, 0));
        Assert.Equal(NativeOtaStatus.NotAnOtaSlot, NativeOta.SetBootSlot("nvs"));
        Assert.Equal(NativeOtaStatus.ImageTooLarge, NativeOta.Begin("ota_1", 0x1F0001, 0));
        Assert.Equal(0, session.OpenNativeHandles);
    }

    [Fact]
    public void ATamperedImageIsRejectedByEspOtaEndWithItsEspError()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        var image = Boards.Image(Chip, "2.0.0");
        image[image.Length / 2] ^= 0x01;
        var handle = Native.Stream(image);
        Assert.Equal(NativeOtaStatus.ImageInvalid, NativeOta.End(handle));
        Assert.Equal((int)EspErr.ESP_ERR_OTA_VALIDATE_FAILED, NativeOta.GetLastEspError());
        Assert.Equal(0, session.OpenNativeHandles);
        Assert.Equal("ota_0", Native.Slot(NativeOtaStatus.SlotBoot).Label);
    }

    [Fact]
    public void AnImageSignedWithAnotherKeyIsRejected()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        var handle = Native.Stream(Boards.Image(Chip, "2.0.0", key: Boards.OtherKey));
        Assert.Equal(NativeOtaStatus.ImageInvalid, NativeOta.End(handle));
    }

    [Fact]
    public void DataThatIsNotAnImageIsRejectedAtTheFirstWriteAndTheHandleOnlyAborts()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        var handle = NativeOta.Begin("", NativeOtaStatus.SizeUnknown, 0);
        var junk = new byte[4096];
        Assert.Equal(NativeOtaStatus.ImageInvalid, NativeOta.Write(handle, junk, 0, junk.Length));
        Assert.Equal((int)EspErr.ESP_ERR_OTA_VALIDATE_FAILED, NativeOta.GetLastEspError());
        Assert.Equal(NativeOtaStatus.InvalidState, NativeOta.Write(handle, junk, 0, junk.Length));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Abort(handle));
    }

    [Fact]
    public void WriteAtIsRefusedWhereEspIdfWouldAssertOrMisalign()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        var sequential = NativeOta.Begin("", NativeOtaStatus.SizeUnknown, NativeOtaStatus.BeginSequentialErase);
        Assert.True(sequential > 0);
        // esp_ota_write_with_offset asserts on this handle; the chip would abort. nf_ota refuses first.
        Assert.Equal(NativeOtaStatus.InvalidState, NativeOta.WriteAt(sequential, 0, new byte[16], 0, 16));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Abort(sequential));
        var handle = NativeOta.Begin("", 4096, 0);
        Assert.Equal(NativeOtaStatus.InvalidArgument, NativeOta.WriteAt(handle, 8, new byte[16], 0, 16));
        Assert.Equal(NativeOtaStatus.InvalidArgument, NativeOta.WriteAt(handle, 0, new byte[16], 0, 10));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Abort(handle));
    }

    [Fact]
    public void AnUpdateCannotStartWhileTheRunningAppIsPendingVerify()
    {
        var device = Boards.Secured(Chip);
        using var session = NativeHost.Attach(device);
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.End(Native.Stream(Boards.Image(Chip, "2.0.0"))));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.SetBootSlot("ota_1"));
        Assert.Throws<DeviceRestartedException>(NativeOta.Reboot);
        Assert.Equal(NativeOtaStatus.RollbackInvalidState, NativeOta.Begin("", 1000, 0));
        Assert.Equal((int)EspErr.ESP_ERR_OTA_ROLLBACK_INVALID_STATE, NativeOta.GetLastEspError());
        Assert.Equal(0, session.OpenNativeHandles);
    }

    [Fact]
    public void RollbackWithNothingToRollBackToFails()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        Assert.False(NativeOta.IsRollbackPossible());
        Assert.Equal(NativeOtaStatus.RollbackFailed, NativeOta.MarkInvalidAndRollback());
        Assert.Equal("ota_0", Native.Slot(NativeOtaStatus.SlotRunning).Label);
    }

    [Fact]
    public void WithAntiRollbackAnOlderSecureVersionCannotBecomeTheBootSlot()
    {
        var spec = Boards.Spec(Chip, new DeviceConfig { AntiRollback = true }) with
        {
            Images = new Dictionary<string, byte[]> { ["ota_0"] = Boards.Image(Chip, "1.0.0", secureVersion: 3) },
            SecureVersion = 3,
        };
        var device = Provisioner.Create(spec);
        Assert.True(device.PowerOn().Booted);
        using var session = NativeHost.Attach(device);
        Assert.Equal(3, NativeOta.GetDeviceSecureVersion());
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.End(Native.Stream(Boards.Image(Chip, "2.0.0", secureVersion: 2))));
        Assert.Equal(NativeOtaStatus.SecureVersionTooLow, NativeOta.SetBootSlot("ota_1"));
        Assert.Equal((int)EspErr.ESP_ERR_OTA_SMALL_SEC_VER, NativeOta.GetLastEspError());
        Assert.Equal("ota_0", Native.Slot(NativeOtaStatus.SlotBoot).Label);
    }

    [Fact]
    public void StaleHandlesFromBeforeARestartAreUnknown()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        var handle = NativeOta.Begin("", 100_000, 0);
        Assert.Equal(1, session.OpenNativeHandles);
        session.Device.Restart();
        Assert.Equal(NativeOtaStatus.UnknownHandle, NativeOta.Write(handle, new byte[16], 0, 16));
        Assert.Equal(0, session.OpenNativeHandles);
    }

    [Fact]
    public void WithoutAnAttachedDeviceCallsFailClearly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NativeOta.GetFlashEncryptionMode());
        Assert.Contains("no emulated device", error.Message);
    }

    [Fact]
    public void VerifiesDotNetP256SignaturesThroughMbedTls()
    {
        using var session = NativeHost.Attach(Boards.Secured(Chip));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(false);
        var publicKey = new byte[65];
        publicKey[0] = 0x04;
        parameters.Q.X!.CopyTo(publicKey, 1);
        parameters.Q.Y!.CopyTo(publicKey, 33);
        var message = "{\"chip\":\"esp32\",\"version\":\"2.0.0\"} and some padding"u8.ToArray();
        var buffer = new byte[message.Length + 10];
        message.CopyTo(buffer, 0);
        var signature = key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.Equal(NativeOtaStatus.Ok, NativeOta.VerifyP256(publicKey, buffer, message.Length, signature));
        Assert.Equal(NativeOtaStatus.SignatureInvalid, NativeOta.VerifyP256(publicKey, buffer, message.Length - 1, signature));
        var tampered = (byte[])signature.Clone();
        tampered[10] ^= 1;
        Assert.Equal(NativeOtaStatus.SignatureInvalid, NativeOta.VerifyP256(publicKey, buffer, message.Length, tampered));
        var wrongKey = (byte[])publicKey.Clone();
        wrongKey[64] ^= 1;
        Assert.Equal(NativeOtaStatus.KeyInvalid, NativeOta.VerifyP256(wrongKey, buffer, message.Length, signature));
        Assert.Equal(NativeOtaStatus.KeyInvalid, NativeOta.VerifyP256(new byte[64], buffer, message.Length, signature));
        Assert.Equal(NativeOtaStatus.SignatureInvalid, NativeOta.VerifyP256(publicKey, buffer, message.Length, new byte[63]));
        Assert.Equal(NativeOtaStatus.OutOfRange, NativeOta.VerifyP256(publicKey, buffer, buffer.Length + 1, signature));
    }

    [Fact]
    public void SlotSha256IsTheImageDigestEspIdfComputes()
    {
        var device = Boards.Secured(Chip);
        using var session = NativeHost.Attach(device);
        var digest = new byte[32];
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.GetSlotSha256("", digest));
        var expected = new byte[32];
        Assert.Equal(EspErr.ESP_OK, device.Ota!.GetPartitionSha256(device.RunningPartition, expected));
        Assert.Equal(expected, digest);
        Assert.Equal(NativeOtaStatus.NotFound, NativeOta.GetSlotSha256("nope", digest));
    }
}

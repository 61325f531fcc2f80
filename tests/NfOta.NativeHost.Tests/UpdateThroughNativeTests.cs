using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Interop;

namespace NfOta.NativeHost.Tests;

/// <summary>Whole updates driven from managed code through the generated binding and nf_ota's C.</summary>
[Collection(NativeCollection.Name)]
public sealed class UpdateThroughNativeTests
{
    [Theory]
    [MemberData(nameof(Boards.SecuredChips), MemberType = typeof(Boards))]
    public void UpdatesRebootsIntoPendingVerifyAndConfirms(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var device = Boards.Secured(chip);
        var image = Boards.Image(chip, "2.0.0");
        using var session = NativeHost.Attach(device);

        Assert.Equal("ota_0", Native.Slot(NativeOtaStatus.SlotRunning).Label);
        Assert.Equal("ota_1", Native.Slot(NativeOtaStatus.SlotNextUpdate).Label);
        Assert.Equal("1.0.0", Native.Version());
        Assert.Equal(chip.ChipId, NativeOta.GetChipId());
        Assert.Equal(2, NativeOta.GetFlashEncryptionMode());
        Assert.True(NativeOta.IsSecureBootEnabled());

        var handle = Native.Stream(image);
        var digest = new byte[32];
        Assert.Equal(image.Length, NativeOta.GetImageDigest(handle, digest));
        Assert.Equal(SHA256.HashData(image), digest);
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.End(handle));
        Assert.Equal(0, session.OpenNativeHandles);

        // The image went through the encryption engine: flash holds ciphertext, reads decrypt.
        var slot = device.Partitions!.FindByLabel("ota_1")!;
        var raw = new byte[image.Length];
        device.Driver.Read(slot.Address, raw);
        Assert.NotEqual(image.AsSpan(0, 64).ToArray(), raw.AsSpan(0, 64).ToArray());
        var plain = new byte[image.Length];
        Assert.Equal(EspErr.ESP_OK, device.Partitions.Read(slot, 0, plain));
        Assert.Equal(image, plain);

        Assert.Equal(NativeOtaStatus.Ok, NativeOta.SetBootSlot("ota_1"));
        Assert.Equal("ota_1", Native.Slot(NativeOtaStatus.SlotBoot).Label);
        Assert.Equal("2.0.0", Native.Version("ota_1"));

        var restart = Assert.Throws<DeviceRestartedException>(NativeOta.Reboot);
        Assert.True(restart.Boot.Booted);
        Assert.Equal("ota_1", restart.Boot.Partition!.Name);

        // A new boot: the bootloader read the otadata nf_ota wrote through the encrypted path.
        Assert.Equal("2.0.0", Native.Version());
        Assert.Equal(NativeOtaStatus.StatePendingVerify, NativeOta.GetSlotState(""));
        Assert.True(NativeOta.IsRollbackPossible());
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.MarkValid());
        Assert.Equal(NativeOtaStatus.StateValid, NativeOta.GetSlotState(""));
        Assert.Equal(OtaImageState.Valid, Native.StateOf(device, "ota_1"));
    }

    [Fact]
    public void AFailedHealthCheckRollsBackToThePreviousSlot()
    {
        var device = Boards.Secured(EspChip.Esp32);
        using var session = NativeHost.Attach(device);
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.End(Native.Stream(Boards.Image(EspChip.Esp32, "2.0.0"))));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.SetBootSlot("ota_1"));
        Assert.Throws<DeviceRestartedException>(NativeOta.Reboot);
        Assert.Equal(NativeOtaStatus.StatePendingVerify, NativeOta.GetSlotState(""));

        var rollback = Assert.Throws<DeviceRestartedException>(() => NativeOta.MarkInvalidAndRollback());
        Assert.Equal("ota_0", rollback.Boot.Partition!.Name);
        Assert.Equal("1.0.0", Native.Version());
        Assert.Equal("ota_1", Native.Slot(NativeOtaStatus.SlotLastInvalid).Label);
        Assert.Equal(NativeOtaStatus.StateInvalid, NativeOta.GetSlotState("ota_1"));
    }

    [Fact]
    public void ResumingWithWriteAtAtTheWrittenEndGivesTheSameImageAndDigest()
    {
        var device = Boards.Secured(EspChip.Esp32C3);
        var image = Boards.Image(EspChip.Esp32C3, "2.0.0");
        using var session = NativeHost.Attach(device);
        var handle = NativeOta.Begin("ota_1", image.Length, 0);
        var cut = image.Length / 2 / 16 * 16;
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.WriteAt(handle, 0, image, 0, cut));
        // ... the connection drops; the engine asks for bytes from `cut` on and continues.
        var tail = image.AsSpan(cut).ToArray();
        // Past the announced size nothing is written (only that much was erased).
        Assert.Equal(NativeOtaStatus.ImageTooLarge, NativeOta.WriteAt(handle, (image.Length + 15) / 16 * 16, new byte[16], 0, 16));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Write(handle, tail, 0, tail.Length));
        var digest = new byte[32];
        Assert.Equal(image.Length, NativeOta.GetImageDigest(handle, digest));
        Assert.Equal(SHA256.HashData(image), digest);
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.End(handle));
    }

    [Fact]
    public void APowerCutDuringWriteStopsTheNativeCallAndLeavesTheOldFirmwareBooting()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var image = Boards.Image(EspChip.Esp32, "2.0.0");
        using var session = NativeHost.Attach(device);
        var handle = NativeOta.Begin("", image.Length, 0);
        device.Flash.ArmPowerCut(new Emulator.Flash.PowerCut(20, 0.5));
        var buffer = new byte[4096];
        Exception? stopped = null;
        for (var done = 0; done < image.Length && stopped is null; done += 4096)
        {
            var count = Math.Min(4096, image.Length - done);
            Buffer.BlockCopy(image, done, buffer, 0, count);
            stopped = Record.Exception(() => NativeOta.Write(handle, buffer, 0, count));
        }
        Assert.IsType<Emulator.Flash.PowerLossException>(stopped);

        var boot = device.PowerOn();
        Assert.Equal("ota_0", boot.Partition!.Name);
        // RAM was lost: the old handle means nothing on the new boot.
        Assert.Equal(NativeOtaStatus.UnknownHandle, NativeOta.Write(handle, buffer, 0, 1));
        Assert.Equal(0, session.OpenNativeHandles);
        Assert.Equal("1.0.0", Native.Version());
    }
}

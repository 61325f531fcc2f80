using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Interop;

namespace NfOta.NativeHost.Tests;

/// <summary>
/// A slot whose last write session did not end cleanly is never set to boot (issue 22, item 8):
/// SetBootSlot refuses it until the next clean End, and nf_ota erases its first sector so that
/// ESP-IDF's own validation refuses it after a restart too. Through the binding, the C and the
/// emulated ESP-IDF (which, like ESP-IDF, takes any slot holding a valid app).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class UnfinishedSlotTests
{
    /// <summary>The slot's first sector in flash (raw: erased flash reads as noise through decryption) is all 0xFF.</summary>
    internal static bool HeaderErased(VirtualEsp32 device, string label)
    {
        var sector = new byte[4096];
        device.Driver.Read(device.Partitions!.FindByLabel(label)!.Address, sector);
        return sector.All(b => b == 0xFF);
    }

    [Fact]
    public void AWholeImageAbortedIsErasedAndRefusedBeforeAndAfterARestart()
    {
        // What the engine does when the written image's digest is not the signed one.
        var device = Boards.Secured(EspChip.Esp32);
        using var session = NativeHost.Attach(device);
        var handle = Native.Stream(Boards.Image(EspChip.Esp32, "2.0.0"), "ota_1");
        Assert.Equal(NativeOtaStatus.InvalidState, NativeOta.SetBootSlot("ota_1")); // still being written
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Abort(handle));
        Assert.True(HeaderErased(device, "ota_1"));
        Assert.Equal(NativeOtaStatus.InvalidState, NativeOta.SetBootSlot("ota_1"));

        device.Restart(); // RAM is gone; the erased header stays
        Assert.Equal(NativeOtaStatus.ImageInvalid, NativeOta.SetBootSlot("ota_1"));
        Assert.Equal("ota_0", device.Restart().Partition!.Name);
    }

    [Fact]
    public void AnImageEspOtaEndRefusesIsErased()
    {
        var device = Boards.Secured(EspChip.Esp32C3);
        using var session = NativeHost.Attach(device);
        var image = Boards.Image(EspChip.Esp32C3, "2.0.0");
        image[image.Length / 2] ^= 0x40; // its appended SHA-256 no longer matches
        var handle = Native.Stream(image, "ota_1");
        Assert.Equal(NativeOtaStatus.ImageInvalid, NativeOta.End(handle));
        Assert.True(HeaderErased(device, "ota_1"));
        Assert.Equal(NativeOtaStatus.InvalidState, NativeOta.SetBootSlot("ota_1"));
        device.Restart();
        Assert.Equal(NativeOtaStatus.ImageInvalid, NativeOta.SetBootSlot("ota_1"));
    }

    [Fact]
    public void AnUpdateAbortedPartWayKeepsItsPrefixForResumeAndBootsOnceEndedCleanly()
    {
        var device = Boards.Secured(EspChip.Esp32);
        using var session = NativeHost.Attach(device);
        var image = Boards.Image(EspChip.Esp32, "2.0.0", codeBytes: 30_000);
        var handle = NativeOta.Begin("ota_1", image.Length, NativeOtaStatus.BeginSequentialErase);
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Write(handle, image, 0, 8192));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Abort(handle)); // a download cut short
        Assert.False(HeaderErased(device, "ota_1"));
        Assert.Equal(NativeOtaStatus.InvalidState, NativeOta.SetBootSlot("ota_1"));

        var resumed = NativeOta.Resume("ota_1", 8192, image.Length);
        Assert.True(resumed > 0, $"Resume returned {resumed}");
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.Write(resumed, image, 8192, image.Length - 8192));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.End(resumed));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.SetBootSlot("ota_1"));
        Assert.Equal("ota_1", device.Restart().Partition!.Name);
    }
}

using NfOta.Emulator.Device;
using NfOta.Esp32.OtaData;
using NfOta.Interop;

namespace NfOta.NativeHost.Tests;

/// <summary>Small readers for NativeOta's records, as the managed engine will read them.</summary>
internal static class Native
{
    public static (uint Address, uint Size, byte Type, byte Subtype, bool Encrypted, string Label) Slot(int which)
    {
        var record = new byte[NativeOtaStatus.SlotRecordLength];
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.GetSlotInfo(which, record));
        var label = System.Text.Encoding.ASCII.GetString(record, NativeOtaStatus.SlotRecordLabelOffset, NativeOtaStatus.SlotRecordLabelLength).TrimEnd('\0');
        return (BitConverter.ToUInt32(record, 0), BitConverter.ToUInt32(record, 4), record[8], record[9], record[10] != 0, label);
    }

    public static string Version(string slot = "")
    {
        var description = new byte[NativeOtaStatus.AppDescriptionLength];
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.GetAppDescription(slot, description));
        return System.Text.Encoding.ASCII.GetString(description, 16, 32).TrimEnd('\0');
    }

    /// <summary>Stream an image through Begin/Write in chunks; returns the handle, still open.</summary>
    public static int Stream(byte[] image, string slot = "", int chunk = 4096, int flags = 0, bool announceSize = true)
    {
        var handle = NativeOta.Begin(slot, announceSize ? image.Length : NativeOtaStatus.SizeUnknown, flags);
        Assert.True(handle > 0, $"Begin returned {handle}");
        var buffer = new byte[chunk];
        for (var done = 0; done < image.Length; done += chunk)
        {
            var count = Math.Min(chunk, image.Length - done);
            Buffer.BlockCopy(image, done, buffer, 0, count);
            Assert.Equal(NativeOtaStatus.Ok, NativeOta.Write(handle, buffer, 0, count));
        }
        return handle;
    }

    /// <summary>A slot's otadata state as ESP-IDF reads it on the device (not through nf_ota).</summary>
    public static OtaImageState StateOf(VirtualEsp32 device, string label)
    {
        Assert.Equal(EspErr.ESP_OK, device.Ota!.GetStatePartition(device.Partitions!.FindByLabel(label), out var state));
        return state;
    }
}

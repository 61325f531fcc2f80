using nanoFramework.Runtime.InFieldUpdate;
using NfOta.Core.Tests;
using NfOta.Emulator.Device;
using NfOta.Esp32.Chips;
using NfOta.InFieldUpdate.Host;
using NfOta.NativeHost;

namespace NfOta.InFieldUpdate.Tests;

/// <summary>
/// A secured board with paired deploy partitions (firmware 1.0.0 in ota_0, app 1.0.0 in deploy_0),
/// nf_ota attached, and the firmware's trusted image key set to tests/vectors' key-ec256.pem.
/// </summary>
internal sealed class IfuRig : IDisposable
{
    private readonly NativeSession _session;

    private IfuRig(EspChip chip, VirtualEsp32 device, NativeSession session)
    {
        Chip = chip;
        Device = device;
        _session = session;
    }

    public EspChip Chip { get; }

    public VirtualEsp32 Device { get; }

    public static IfuRig Start(string chip, bool acceptUnsigned = false)
    {
        var espChip = EspChip.Parse(chip);
        var device = NfOta.Emulator.Provisioning.Provisioner.Create(AppReleases.Spec(espChip));
        var boot = device.PowerOn();
        Assert.True(boot.Booted, boot.ToString());
        var session = NfOta.NativeHost.NativeHost.Attach(device);
        IfuNative.SetPolicy([McuBootImages.Point(McuBootImages.Key)], acceptUnsigned);
        return new IfuRig(espChip, device, session);
    }

    /// <summary>Start a session and store the image in chunks; the session, and the first result that was not Success.</summary>
    public static (UpdateSession Session, UpdateSessionResult Result) Write(ImageType image, byte[] bytes, int chunk = 4096, int upTo = int.MaxValue)
    {
        var started = UpdateManager.StartUpdateSession(image, bytes.Length, out var session);
        Assert.Equal(UpdateSessionResult.Success, started);
        return (session!, StoreFrom(session!, bytes, chunk, upTo));
    }

    /// <summary>Store bytes from the session's NextOffset on, up to <paramref name="upTo"/>.</summary>
    public static UpdateSessionResult StoreFrom(UpdateSession session, byte[] bytes, int chunk = 4096, int upTo = int.MaxValue)
    {
        int end = Math.Min(upTo, bytes.Length);
        while (session.NextOffset < end)
        {
            int n = Math.Min(chunk, end - session.NextOffset);
            var piece = bytes.AsSpan(session.NextOffset, n).ToArray();
            var result = UpdateManager.StoreImageChunk(session, piece, 0, n);
            if (result != UpdateSessionResult.Success)
            {
                return result;
            }
        }
        return UpdateSessionResult.Success;
    }

    /// <summary>Write, complete, and say what Complete returned.</summary>
    public static UpdateSessionResult Install(ImageType image, byte[] bytes)
    {
        var (session, stored) = Write(image, bytes);
        Assert.Equal(UpdateSessionResult.Success, stored);
        return UpdateManager.CompleteUpdateSession(session);
    }

    public void Restart()
    {
        var boot = Device.Restart();
        Assert.True(boot.Booted, boot.ToString());
    }

    public string Running => Device.RunningPartition!.Label;

    public byte[] Read(string label, int offset, int length)
    {
        var bytes = new byte[length];
        Assert.Equal(EspErr.ESP_OK, Device.Partitions!.Read(Device.Partitions!.FindByLabel(label)!, (uint)offset, bytes));
        return bytes;
    }

    public void Dispose()
    {
        _session.Dispose();
    }
}

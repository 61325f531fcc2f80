using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;
using NfOta.Esp32.Partitions;
using NfOta.Http;
using NfOta.NativeHost;
using NfOta.Packaging;
using NfOta.Server;

namespace NfOta.Core.Tests;

/// <summary>
/// One secured board (flash encryption + secure boot v2, v1.0.0 in ota_0) attached to the native
/// component, a release directory served by the real update server, and an updater over HTTP.
/// </summary>
public sealed class UpdateRig : IAsyncDisposable
{
    private readonly NativeSession _session;

    private UpdateRig(EspChip chip, VirtualEsp32 device, NativeSession session, string directory, ManifestKey key, UpdateServer server, FaultPlan faults)
    {
        Chip = chip;
        Device = device;
        _session = session;
        Directory = directory;
        Key = key;
        Server = server;
        Faults = faults;
        Source = new HttpImageSource { ReadTimeout = TimeSpan.FromSeconds(2) };
    }

    public EspChip Chip { get; }
    public VirtualEsp32 Device { get; }
    public string Directory { get; }
    public ManifestKey Key { get; }
    public UpdateServer Server { get; }
    public FaultPlan Faults { get; }
    public HttpImageSource Source { get; }
    public List<int> Sleeps { get; } = [];

    public int OpenNativeHandles => _session.OpenNativeHandles;

    /// <summary>The native component attached to <see cref="Device"/> (timers, open handles).</summary>
    public NativeSession Session => _session;

    public string LatestUrl => Server.UrlOf(ReleasePackage.LatestManifest).ToString();

    public static Task<UpdateRig> StartAsync(EspChip chip, DeviceConfig? config = null) => StartAsync(Boards.Spec(chip, config));

    public static async Task<UpdateRig> StartAsync(DeviceSpec spec)
    {
        var chip = spec.Chip;
        var device = Provisioner.Create(spec);
        var boot = device.PowerOn();
        Assert.True(boot.Booted, boot.ToString());
        var directory = Path.Combine(Path.GetTempPath(), "nfota-rig-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var faults = new FaultPlan();
        var server = await UpdateServer.StartAsync(new UpdateServerOptions { Root = directory, Before = faults.Install });
        var session = NfOta.NativeHost.NativeHost.Attach(device);
        return new UpdateRig(chip, device, session, directory, ManifestKey.Create(), server, faults);
    }

    /// <summary>Sign and publish a release; returns its image.</summary>
    public byte[] Publish(string version, uint secureVersion = 0, int codeBytes = 20_000, string? minVersion = null, EspChip? chip = null, SecureBootKey? signer = null)
    {
        var image = Boards.Image(chip ?? Chip, version, secureVersion, codeBytes, signer);
        Publish(image, minVersion);
        return image;
    }

    public byte[] Publish(byte[] image, string? minVersion = null, int? blockSize = null, NfOta.Esp32.EncryptedImages.DeviceKey? encryptFor = null)
    {
        ReleasePackage.Create(image, Key, Server.BaseUri.ToString(), Directory, minVersion, blockSize, encryptFor);
        return image;
    }

    /// <summary>Replace latest.manifest with one signed for these fields (true or not).</summary>
    public void PublishManifest(string version, int size, byte[] sha256, string imageFile, uint secureVersion = 0, string? chip = null, ManifestKey? key = null)
    {
        var manifest = SignedManifest.Create(key ?? Key, chip ?? Chip.Name, version, (int)secureVersion, size, sha256, Server.UrlOf(imageFile).ToString(), null);
        File.WriteAllBytes(Path.Combine(Directory, ReleasePackage.LatestManifest), manifest);
    }

    public static string ImageFile(string version) => $"nf-ota-test-{version}.bin";

    /// <summary>The file of a release pre-encrypted for a device key.</summary>
    public static string EncryptedFile(string version) => $"nf-ota-test-{version}.enc.bin";

    public OtaUpdater Updater(UpdateOptions? options = null) => new(Source, Key.PublicKeyBytes(), options ?? new UpdateOptions())
    {
        Sleep = ms => Sleeps.Add(ms), // no real waiting in tests; the delays are asserted
    };

    /// <summary>The raw (encrypted) bytes of otadata and the running slot: what must not change when an update fails.</summary>
    public byte[] Snapshot() => RawState(Device);

    /// <inheritdoc cref="Snapshot"/>
    public static byte[] RawState(VirtualEsp32 device)
    {
        var otadata = device.Partitions!.FindFirst(PartitionKinds.Data, PartitionKinds.DataOta)!;
        var running = device.RunningPartition!;
        var bytes = new byte[otadata.Size + running.Size];
        device.Driver.Read(otadata.Address, bytes.AsSpan(0, (int)otadata.Size));
        device.Driver.Read(running.Address, bytes.AsSpan((int)otadata.Size));
        return bytes;
    }

    public byte[] SlotBytes(string label, int length)
    {
        var bytes = new byte[length];
        Assert.Equal(EspErr.ESP_OK, Device.Partitions!.Read(Device.Partitions.FindByLabel(label)!, 0, bytes));
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        Source.Dispose();
        _session.Dispose();
        await Server.DisposeAsync();
        Key.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
    }
}

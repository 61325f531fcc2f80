using NfOta.Emulator.Device;
using NfOta.Emulator.Flash;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>
/// Erase as you go, in 64 KiB blocks (issue 23), through the engine, the C component and the
/// emulated ESP-IDF and flash: during a firmware + app update no sector of the update slot or its
/// deploy partition is erased twice (but the slot's first, which esp_ota_begin erases before block
/// 0 is), whole blocks are erased with block erases, and nothing is programmed where it was not
/// erased (the NOR model reports a 0 bit programmed back to 1).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class EraseAheadTests
{
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public async Task AFirmwareAndAppUpdateErasesEachSectorOnceInBlocks(string chip)
    {
        await using var rig = await UpdateRig.StartAsync(AppReleases.Spec(EspChip.Parse(chip), DeviceSpec.PairedCsv));
        // 300 KB of firmware and ~150 KB of app: several whole blocks each, and a tail.
        var firmware = AppReleases.Firmware(rig.Chip, "2.0.0", gpio: false, codeBytes: 300_000);
        var app = AppReleases.App("2.0.0", codeBytes: 150_000);
        ReleasePackage.CreateRelease(new ReleaseRequest
        {
            Firmware = firmware, App = app, UrlBase = rig.Server.BaseUri.ToString(), OutDirectory = rig.Directory,
        }, rig.Key);
        var from = rig.Device.Flash.Log.Count;
        var violations = rig.Device.Flash.Violations.Count;

        Assert.Throws<DeviceRestartedException>(() => rig.Updater().Update(rig.LatestUrl));

        Assert.Equal(violations, rig.Device.Flash.Violations.Count);
        var slot = rig.Device.Partitions!.FindByLabel("ota_1")!;
        var deploy = rig.Device.Partitions!.FindByLabel("deploy_1")!;
        var erases = rig.Device.Flash.Log.Skip(from)
            .Where(o => o.Kind is FlashOperationKind.EraseSector or FlashOperationKind.EraseBlock).ToList();
        var twice = erases
            .SelectMany(o => Enumerable.Range(0, o.Length / FlashTiming.SectorSize).Select(i => o.Address + (uint)(i * FlashTiming.SectorSize)))
            .Where(a => (a >= slot.Address && a < slot.Address + slot.Size) || (a >= deploy.Address && a < deploy.Address + deploy.Size))
            .GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        // The firmware's whole blocks are block erases: at most a block's worth of sector erases in the slot
        // besides esp_ota_begin's first one (the image's tail).
        Assert.True(erases.Count(o => o.Kind == FlashOperationKind.EraseBlock && o.Address >= slot.Address && o.Address < slot.Address + slot.Size) >= firmware.Length / FlashTiming.BlockSize);
        Assert.True(erases.Count(o => o.Kind == FlashOperationKind.EraseSector && o.Address >= slot.Address && o.Address < slot.Address + slot.Size) <= 1 + 3);
        Assert.True(erases.Count(o => o.Kind == FlashOperationKind.EraseBlock && o.Address >= deploy.Address && o.Address < deploy.Address + deploy.Size) >= app.Image.Length / FlashTiming.BlockSize);
        Assert.Equal([slot.Address], twice);

        Assert.Equal("2.0.0 + 2.0.0", AppReleases.Pair(rig.Device));
    }
}

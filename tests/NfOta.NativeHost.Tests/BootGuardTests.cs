using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Interop;

namespace NfOta.NativeHost.Tests;

/// <summary>
/// nf_ota's native boot guard on the emulated board: armed by the component's start-up hook when
/// the firmware boots PENDING_VERIFY, it rolls back after CONFIG_NF_OTA_CONFIRM_TIMEOUT_S (300 s)
/// unless the firmware is confirmed first, with no managed code involved.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class BootGuardTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(300);

    /// <summary>A board that has just rebooted into 2.0.0 (PENDING_VERIFY), with 1.0.0 valid in ota_0.</summary>
    private static VirtualEsp32 PendingBoard(EspChip chip, NativeSession session)
    {
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.End(Native.Stream(Boards.Image(chip, "2.0.0"))));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.SetBootSlot("ota_1"));
        Assert.False(session.BootGuardArmed); // 1.0.0 is valid: nothing to guard
        Assert.Throws<DeviceRestartedException>(NativeOta.Reboot);
        return session.Device;
    }

    [Theory]
    [MemberData(nameof(Boards.SecuredChips), MemberType = typeof(Boards))]
    public void AnUnconfirmedFirmwareIsRolledBackWhenTheTimeoutPasses(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        using var session = NativeHost.Attach(Boards.Secured(chip));
        var device = PendingBoard(chip, session);
        Assert.True(session.BootGuardArmed);

        Assert.Null(session.AdvanceTime(Timeout - TimeSpan.FromSeconds(1)));
        Assert.Equal("2.0.0", device.RunningVersion());

        var restart = session.AdvanceTime(TimeSpan.FromSeconds(1));
        Assert.NotNull(restart);
        Assert.Equal("ota_0", restart.Partition!.Name);
        Assert.Equal("1.0.0", device.RunningVersion());
        Assert.Equal(NativeOtaStatus.StateInvalid, NativeOta.GetSlotState("ota_1"));
        Assert.Equal("ota_1", Native.Slot(NativeOtaStatus.SlotLastInvalid).Label);
        Assert.False(session.BootGuardArmed);
    }

    [Fact]
    public void ConfirmingWithBlankOtadataIsNothingToConfirm()
    {
        // A board serial-flashed with blank otadata and booted from ota_0: ESP-IDF's
        // esp_ota_mark_app_valid_cancel_rollback says ESP_FAIL, nf_ota says there was nothing to do.
        var device = Boards.Secured(EspChip.Esp32C3);
        var otadata = device.Partitions!.FindFirst(NfOta.Esp32.Partitions.PartitionKinds.Data, NfOta.Esp32.Partitions.PartitionKinds.DataOta)!;
        Assert.Equal(EspErr.ESP_OK, device.Partitions.EraseRange(otadata, 0, otadata.Size));
        Assert.Equal(EspErr.ESP_FAIL, device.Ota!.MarkAppValidCancelRollback());
        using var session = NativeHost.Attach(device);

        Assert.Equal(NativeOtaStatus.NotFound, NativeOta.GetSlotState(""));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.MarkValid());
        Assert.False(session.BootGuardArmed);
    }

    [Fact]
    public void ConfirmingInTimeKeepsTheNewFirmware()
    {
        using var session = NativeHost.Attach(Boards.Secured(EspChip.Esp32));
        var device = PendingBoard(EspChip.Esp32, session);
        session.AdvanceTime(TimeSpan.FromSeconds(200));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.MarkValid());
        Assert.False(session.BootGuardArmed);

        Assert.Null(session.AdvanceTime(TimeSpan.FromHours(1)));
        Assert.Equal("2.0.0", device.RunningVersion());
        Assert.Equal(NativeOtaStatus.StateValid, NativeOta.GetSlotState(""));
    }

    [Fact]
    public void ARestartBeforeTheTimeoutLetsTheBootloaderRollBackInstead()
    {
        // ESP-IDF's own rule: a firmware still PENDING_VERIFY at the next boot is ABORTED.
        using var session = NativeHost.Attach(Boards.Secured(EspChip.Esp32C3));
        var device = PendingBoard(EspChip.Esp32C3, session);
        session.AdvanceTime(TimeSpan.FromSeconds(100));
        var boot = device.Restart();
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.Equal(OtaImageState.Aborted, Native.StateOf(device, "ota_1"));
        Assert.False(session.BootGuardArmed);
        Assert.Null(session.AdvanceTime(Timeout));
        Assert.Equal("1.0.0", device.RunningVersion());
    }

    [Fact]
    public void WithRollbackDisabledTheGuardNeverArms()
    {
        var device = Boards.Secured(EspChip.Esp32, new DeviceConfig { AppRollback = false });
        using var session = NativeHost.Attach(device);
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.End(Native.Stream(Boards.Image(EspChip.Esp32, "2.0.0"))));
        Assert.Equal(NativeOtaStatus.Ok, NativeOta.SetBootSlot("ota_1"));
        Assert.Throws<DeviceRestartedException>(NativeOta.Reboot);
        Assert.False(session.BootGuardArmed);
        Assert.Null(session.AdvanceTime(Timeout * 2));
        Assert.Equal("2.0.0", device.RunningVersion());
    }
}

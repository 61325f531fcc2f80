using NfOta.Emulator.Device;
using NfOta.Esp32.Errors;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Boot;

/// <summary>
/// ESP-IDF's second-stage bootloader deciding what to run (bootloader_utility.c, v5.x):
/// <c>bootloader_utility_get_selected_boot_partition</c> reads both otadata entries, turns a
/// PENDING_VERIFY it finds into ABORTED and a NEW into PENDING_VERIFY, and picks the valid entry
/// with the highest seq; <c>bootloader_utility_load_boot_image</c> then tries that slot, falls
/// back towards the factory app, then forward through the other slots, then the test app,
/// verifying each image (and its signature under secure boot, and its secure_version under
/// anti-rollback) before accepting it.
/// </summary>
public static class Bootloader
{
    public const int FactoryIndex = -1;
    public const int TestIndex = -2;
    private const int InvalidIndex = int.MinValue;

    public static BootReport Boot(IBootMedia media)
    {
        var log = new List<string>();
        var config = media.Config;
        var efuses = media.EFuses;

        // Partition table.
        var raw = new byte[PartitionTableBinary.MaxLength];
        if (media.Read(config.PartitionTableOffset, raw) != EspErr.ESP_OK)
        {
            return Fail(log, "cannot read the partition table");
        }
        PartitionTable table;
        try
        {
            table = PartitionTableBinary.Parse(raw, requireMd5: config.PartitionTableMd5);
        }
        catch (Esp32FormatException e)
        {
            log.Add($"partition table at 0x{config.PartitionTableOffset:X} is invalid: {e.Message}");
            return Fail(log, efuses.FlashEncryptionEnabled
                ? "the partition table does not read back as valid through flash decryption"
                : "the partition table is invalid");
        }
        log.Add($"partition table: {table.Count} entries");

        var state = BootState.From(table);
        var selection = SelectBootIndex(media, state, log, out var before, out var initialContents);
        if (selection == InvalidIndex)
        {
            return Fail(log, "otadata could not be read", before);
        }

        var selectionReason = log.LastOrDefault() ?? "";
        var report = LoadBootImage(media, state, selection, initialContents, selectionReason, log);
        return report with
        {
            OtadataBefore = before,
            OtadataAfter = state.OtaData is { } otadata ? ReadOtadata(media, otadata) : null,
        };
    }

    /// <summary>bootloader_utility_get_selected_boot_partition.</summary>
    private static int SelectBootIndex(IBootMedia media, BootState state, List<string> log, out OtaDataSectors? before, out bool initialContents)
    {
        before = null;
        initialContents = false;
        var config = media.Config;
        if (state.OtaData is not { } otadataPartition)
        {
            log.Add("no otadata partition: booting the factory app");
            return FactoryIndex;
        }
        var otadata = ReadOtadata(media, otadataPartition);
        if (otadata is null) return InvalidIndex;
        before = otadata;
        for (var i = 0; i < 2; i++) log.Add($"otadata[{i}]: {Describe(otadata[i])}");

        if (config.AppRollback)
        {
            for (var i = 0; i < 2; i++)
            {
                if (otadata[i].State == OtaImageState.PendingVerify)
                {
                    log.Add($"otadata[{i}] was still PENDING_VERIFY: the app never confirmed itself, marking it ABORTED");
                    otadata = otadata.With(i, otadata[i].WithState(OtaImageState.Aborted));
                    media.WriteOtadataEntry(otadataPartition.Offset + (uint)(i * OtaDataSectors.SectorSize), otadata[i]);
                }
            }
        }

        int active;
        if (!config.AntiRollback)
        {
            if ((otadata.First.IsInvalid && otadata.Second.IsInvalid) || state.AppCount == 0)
            {
                if (state.Factory is not null)
                {
                    log.Add("no usable otadata entry (both erased or rejected): defaulting to the factory app");
                    return FactoryIndex;
                }
                log.Add("no usable otadata entry and no factory app: trying ota_0");
                initialContents = IsInitial(otadata.First) && IsInitial(otadata.Second);
                return 0;
            }
            active = otadata.ActiveIndex;
        }
        else
        {
            if (IsInitial(otadata.First) && IsInitial(otadata.Second))
            {
                log.Add("otadata in its initial state (erased or bad CRC)");
                initialContents = true;
                return FactoryIndex;
            }
            var usable = new bool[2];
            for (var i = 0; i < 2; i++)
            {
                if (!otadata[i].IsValid) continue;
                var slot = otadata[i].SlotFor(state.AppCount);
                usable[i] = CheckAntiRollback(media, state.Ota[slot], log);
                if (!usable[i]) log.Add($"otadata[{i}] points to ota_{slot}, whose secure_version is below the eFuse counter {media.EFuses.SecureVersion}: not selectable");
            }
            active = otadata.Select(usable[0], usable[1], max: true);
        }

        if (active == -1)
        {
            log.Add(state.Factory is not null
                ? "otadata invalid: falling back to the factory app"
                : "otadata invalid and no factory app: trying every partition");
            return FactoryIndex;
        }

        var index = otadata[active].SlotFor(state.AppCount);
        log.Add($"otadata[{active}] is active (seq {otadata[active].Seq}, {otadata[active].State.ToShortName()}): selects ota_{index}");
        if (config.AppRollback && otadata[active].State == OtaImageState.New)
        {
            log.Add($"ota_{index} is NEW: marking it PENDING_VERIFY for its first boot");
            otadata = otadata.With(active, otadata[active].WithState(OtaImageState.PendingVerify));
            media.WriteOtadataEntry(otadataPartition.Offset + (uint)(active * OtaDataSectors.SectorSize), otadata[active]);
        }
        if (config.AntiRollback && otadata[active].State == OtaImageState.Valid && state.Ota[index] is { } confirmed)
        {
            UpdateAntiRollback(media, confirmed, log);
        }
        return index;
    }

    /// <summary>bootloader_utility_load_boot_image.</summary>
    private static BootReport LoadBootImage(IBootMedia media, BootState state, int start, bool initialContents, string selectionReason, List<string> log)
    {
        var reasons = new List<string>();
        for (var index = start; index >= FactoryIndex; index--)
        {
            if (TryBoot(media, state, index, initialContents, log, reasons, selectionReason) is { } report)
            {
                return report;
            }
        }
        for (var index = start + 1; index < state.AppCount; index++)
        {
            if (TryBoot(media, state, index, initialContents, log, reasons, selectionReason) is { } report)
            {
                return report;
            }
        }
        if (state.Test is not null && TryBoot(media, state, TestIndex, initialContents, log, reasons, selectionReason) is { } test)
        {
            return test;
        }
        log.Add("no bootable app partitions in the partition table");
        return Fail(log, "no partition holds a bootable app: " + string.Join("; ", reasons));
    }

    private static BootReport? TryBoot(IBootMedia media, BootState state, int index, bool initialContents, List<string> log, List<string> reasons, string selectionReason)
    {
        var partition = state.At(index);
        if (partition is null || partition.Size == 0) return null;
        if (!CheckAntiRollback(media, partition, log))
        {
            var message = $"{partition.Name}: secure_version below the eFuse counter {media.EFuses.SecureVersion}";
            log.Add(message + ", not bootable");
            reasons.Add(message);
            return null;
        }
        var check = ImageVerifier.Verify((offset, dst) => media.Read(partition.Offset + offset, dst), partition.Size,
            media.EFuses, media.EFuses.SecureBootEnabled);
        if (!check.Ok)
        {
            log.Add($"{partition.Name} is not bootable: {check.Reason}");
            reasons.Add($"{partition.Name}: {check.Reason}");
            return null;
        }
        log.Add($"loaded app from {partition.Name} at 0x{partition.Offset:X}: {check.Reason}");

        if (index > FactoryIndex && initialContents && state.OtaData is { } otadata)
        {
            // set_actual_ota_seq: first boot from ota_N without factory and with blank otadata.
            var entry = OtaSelectEntry.Create((uint)index + 1, OtaImageState.Valid);
            media.WriteOtadataEntry(otadata.Offset, entry);
            log.Add($"set otadata[0] to seq {entry.Seq} (VALID) for {partition.Name}");
            if (media.Config.AntiRollback) UpdateAntiRollback(media, partition, log);
        }
        var reason = reasons.Count == 0
            ? selectionReason
            : $"fell back to {Name(index)} because {string.Join("; ", reasons)}";
        return new BootReport
        {
            Partition = partition,
            Index = index,
            App = check.Image?.Description,
            Reason = reason,
            Log = log,
        };
    }

    private static bool CheckAntiRollback(IBootMedia media, PartitionEntry? partition, List<string> log)
    {
        if (!media.Config.AntiRollback || partition is null) return true;
        var description = ReadDescription(media, partition);
        return description is not null && media.EFuses.CheckSecureVersion(description.SecureVersion);
    }

    private static void UpdateAntiRollback(IBootMedia media, PartitionEntry partition, List<string> log)
    {
        if (ReadDescription(media, partition) is { } description && description.SecureVersion > media.EFuses.SecureVersion)
        {
            media.EFuses.UpdateSecureVersion(description.SecureVersion);
            log.Add($"anti-rollback: eFuse secure_version raised to {description.SecureVersion}");
        }
    }

    private static Esp32.Images.AppDescription? ReadDescription(IBootMedia media, PartitionEntry partition)
    {
        var raw = new byte[Esp32.Images.AppDescription.Size];
        return media.Read(partition.Offset + Esp32.Images.AppDescription.ImageOffset, raw) == EspErr.ESP_OK
            ? Esp32.Images.AppDescription.TryParse(raw)
            : null;
    }

    internal static OtaDataSectors? ReadOtadata(IBootMedia media, PartitionEntry otadata)
    {
        var first = new byte[OtaSelectEntry.Size];
        var second = new byte[OtaSelectEntry.Size];
        if (media.Read(otadata.Offset, first) != EspErr.ESP_OK) return null;
        if (media.Read(otadata.Offset + OtaDataSectors.SectorSize, second) != EspErr.ESP_OK) return null;
        return new OtaDataSectors(OtaSelectEntry.Parse(first), OtaSelectEntry.Parse(second));
    }

    /// <summary>Erased, or a CRC that does not match: what the bootloader calls "initial" contents.</summary>
    private static bool IsInitial(OtaSelectEntry e) => e.Seq == OtaSelectEntry.EmptySeq || !e.CrcMatches;

    private static string Describe(OtaSelectEntry e) =>
        e.IsErased ? "erased" : $"seq {e.Seq}, {e.State.ToShortName()}, CRC {(e.CrcMatches ? "ok" : "BAD")}{(e.IsValid ? "" : " (not usable)")}";

    private static string Name(int index) => index switch
    {
        FactoryIndex => "factory",
        TestIndex => "test",
        _ => $"ota_{index}",
    };

    private static BootReport Fail(List<string> log, string reason, OtaDataSectors? before = null) =>
        new() { Reason = reason, Log = log, OtadataBefore = before };

    /// <summary>bootloader_state_t: the app partitions by role.</summary>
    private sealed record BootState(PartitionEntry? Factory, PartitionEntry? Test, PartitionEntry?[] Ota, int AppCount, PartitionEntry? OtaData)
    {
        public static BootState From(PartitionTable table)
        {
            var ota = new PartitionEntry?[PartitionKinds.AppOtaCount];
            var count = 0;
            foreach (var e in table.Where(e => e.IsOtaApp))
            {
                ota[e.OtaSlot] = e;
                count++;
            }
            return new BootState(table.Factory, table.Test, ota, count, table.OtaData);
        }

        public PartitionEntry? At(int index) => index switch
        {
            FactoryIndex => Factory,
            TestIndex => Test,
            >= 0 when index < AppCount && index < Ota.Length => Ota[index],
            _ => null,
        };
    }
}

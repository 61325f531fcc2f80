using NfOta.Emulator.Boot;
using NfOta.Emulator.Device;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.Errors;
using NfOta.Esp32.FlashEncryption;
using NfOta.Esp32.Images;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;
using NfOta.Esp32.SecureBoot;
using static NfOta.Emulator.Inspection.InspectionReport;

namespace NfOta.Emulator.Inspection;

/// <summary>
/// Explains a raw flash dump: the partition table, both otadata sectors (as the bootloader reads
/// them and as raw bytes), every app slot, and which slot the bootloader will boot and why. It
/// runs the same bootloader model as the emulator, read-only.
/// </summary>
public static class FlashInspector
{
    public static InspectionReport Inspect(byte[] dump, InspectionOptions options)
    {
        var findings = new List<Finding>();
        var chip = options.Chip ?? DetectChip(dump, options, findings);
        using var cipher = options.Key is { } key ? FlashCipher.Create(chip, key, options.FlashCryptConfig) : null;

        var (table, tableInfo) = ReadTable(dump, options, cipher, findings);
        var encrypted = tableInfo.Encrypted;
        var view = encrypted ? cipher : null;
        if (table is null) return NoTable(dump, chip, options, tableInfo, findings);

        var truncated = CheckDumpCoversTable(dump, table, findings);
        NameDeviceKeyPartitions(table, encrypted, findings);
        var otadata = ReadOtadata(dump, table, view, encrypted, findings);
        var apps = table.Where(e => e.IsApp).ToList();
        var slots = apps.Select(e => InspectSlot(dump, table, e, chip, view, encrypted, options, findings)).ToList();
        var (boot, before, after) = truncated is null
            ? PredictBoot(dump, chip, view, encrypted, options, findings)
            : (new BootInfo(null, null, truncated, [], false), null, null);
        if (before is not null && after is not null)
        {
            slots = [.. slots.Zip(apps, (s, e) => SlotRollback.Annotate(s, e, table.OtaSlots.Count, before, after, boot.Partition))];
        }

        return new InspectionReport
        {
            Chip = chip.Name,
            FlashSize = dump.Length,
            KeyGiven = options.Key is not null,
            FlashEncrypted = encrypted,
            PartitionTable = tableInfo,
            Otadata = otadata,
            Slots = slots,
            Boot = boot,
            Findings = findings,
        };
    }

    /// <summary>No partition table: the board boots nothing, or, when the dump is ciphertext we cannot read, we cannot tell.</summary>
    private static InspectionReport NoTable(byte[] dump, EspChip chip, InspectionOptions options, TableInfo tableInfo, List<Finding> findings)
    {
        var unreadable = findings.FirstOrDefault(f => f.Code is DumpEncryption.NoKeyCode or DumpEncryption.WrongKeyCode);
        var reason = unreadable is null
            ? "the bootloader cannot read a valid partition table, so nothing boots"
            : "cannot tell: " + unreadable.Message;
        return new InspectionReport
        {
            Chip = chip.Name,
            FlashSize = dump.Length,
            KeyGiven = options.Key is not null,
            FlashEncrypted = false,
            PartitionTable = tableInfo,
            Boot = new BootInfo(null, null, reason, [], false),
            Findings = findings,
            Unreadable = unreadable,
        };
    }

    /// <summary>
    /// A dump shorter than the flash its table describes cannot say what boots: the bootloader
    /// would read the missing bytes, the dump does not have them. Returns the reason, or null.
    /// </summary>
    private static string? CheckDumpCoversTable(byte[] dump, PartitionTable table, List<Finding> findings)
    {
        var last = table.MaxBy(e => (ulong)e.Offset + e.Size);
        if (last is null || (ulong)last.Offset + last.Size <= (ulong)dump.Length) return null;
        var end = (ulong)last.Offset + last.Size;
        findings.Add(new Finding("error", "dump-truncated",
            $"the dump is {dump.Length} bytes (0x{dump.Length:X}) but the partition table places {last.Name} up to 0x{end:X}: " +
            $"read the whole flash (esptool.py read_flash 0 0x{AlignToMiB(end):X} dump.bin)"));
        return $"the dump is shorter than the partition table says (it ends at 0x{dump.Length:X}, {last.Name} ends at 0x{end:X}), " +
            "so what boots cannot be predicted";
    }

    private static ulong AlignToMiB(ulong value) => (value + 0xFFFFF) & ~0xFFFFFUL;

    private static bool Covers(byte[] dump, uint offset, ulong length) => (ulong)offset + length <= (ulong)dump.Length;

    private static EspChip DetectChip(byte[] dump, InspectionOptions options, List<Finding> findings)
    {
        foreach (var chip in EspChip.All)
        {
            if (HeaderAt(dump, chip.BootloaderOffset, null) is { } id && id == chip.ChipId) return chip;
        }
        if (options.Key is { } key)
        {
            foreach (var chip in EspChip.All)
            {
                IFlashCipher cipher;
                try
                {
                    cipher = FlashCipher.Create(chip, key, options.FlashCryptConfig);
                }
                catch (Esp32FormatException)
                {
                    continue; // key length not usable for this chip's scheme
                }
                using (cipher)
                {
                    if (HeaderAt(dump, chip.BootloaderOffset, cipher) is { } id && id == chip.ChipId) return chip;
                }
            }
        }
        findings.Add(new Finding("warning", "chip-not-detected",
            "could not tell the chip from the bootloader header; assuming esp32 (pass --chip to be sure)"));
        return EspChip.Esp32;
    }

    internal static ushort? HeaderAt(byte[] dump, uint offset, IFlashCipher? cipher)
    {
        if (!Covers(dump, offset, 32)) return null;
        var header = dump.AsSpan((int)offset, 32).ToArray();
        cipher?.Decrypt(header, header, offset);
        return header[0] == ImageHeader.Magic ? ImageHeader.Parse(header).ChipId : null;
    }

    /// <summary>Says where the board's device private key lives; its bytes are never read into the report.</summary>
    private static void NameDeviceKeyPartitions(PartitionTable table, bool encrypted, List<Finding> findings)
    {
        foreach (var e in table.Where(e => e.Type == DeviceKeyPartition.Type && e.Subtype == DeviceKeyPartition.Subtype))
        {
            findings.Add(new Finding("info", "device-key-partition",
                $"{e.Name} at 0x{e.Offset:X} ({e.Size} bytes) holds the board's device private key for pre-encrypted releases" +
                $"{(encrypted ? "" : ", readable by anyone with this dump, as flash encryption is off")}; its content is not shown"));
        }
    }

    private static (PartitionTable?, TableInfo) ReadTable(byte[] dump, InspectionOptions options, IFlashCipher? cipher, List<Finding> findings)
    {
        var offset = options.PartitionTableOffset;
        if (!Covers(dump, offset, PartitionTableBinary.MaxLength))
        {
            findings.Add(new Finding("error", "dump-too-small", $"the dump ({dump.Length} bytes) ends before the partition table at 0x{offset:X}"));
            return (null, new TableInfo(offset, false, false, "dump too small", []));
        }
        var raw = dump.AsSpan((int)offset, PartitionTableBinary.MaxLength).ToArray();
        string? plainError;
        try
        {
            var table = PartitionTableBinary.Parse(raw);
            if (cipher is not null)
            {
                findings.Add(new Finding("info", "flash-not-encrypted",
                    "the partition table is stored in plaintext, so flash encryption was not on when this dump was taken; the key is not used"));
            }
            return (table, Describe(table, offset, encrypted: false, null));
        }
        catch (Esp32FormatException e)
        {
            plainError = e.Message;
        }
        if (cipher is null)
        {
            findings.Add(DumpEncryption.WhyUnreadable(dump, options) ?? new Finding("error", "partition-table-unreadable",
                $"no valid partition table at 0x{offset:X} ({plainError}); if this board has flash encryption on, pass --key"));
            return (null, new TableInfo(offset, false, false, plainError, []));
        }
        cipher.Decrypt(raw, raw, offset);
        try
        {
            var table = PartitionTableBinary.Parse(raw);
            return (table, Describe(table, offset, encrypted: true, null));
        }
        catch (Esp32FormatException e)
        {
            findings.Add(DumpEncryption.WhyUnreadable(dump, options) ?? new Finding("error", "partition-table-unreadable",
                $"no valid partition table at 0x{offset:X}, in plaintext ({plainError}) or decrypted with the given key ({e.Message}): wrong key, wrong chip, or wrong --table-offset?"));
            return (null, new TableInfo(offset, false, true, e.Message, []));
        }
    }

    private static TableInfo Describe(PartitionTable table, uint offset, bool encrypted, string? error) =>
        new(offset, true, encrypted, error, table.Select(e => new PartitionInfo(e.Name, e.TypeName, e.SubtypeName, e.Offset, e.Size,
            encrypted && e.StoredEncrypted, e.ReadOnly)
        {
            TypeId = e.Type,
            SubtypeId = e.Subtype,
            KnownAs = PartitionKindNames.KnownAs(e.Type, e.Subtype),
        }).ToList());

    private static OtadataInfo? ReadOtadata(byte[] dump, PartitionTable table, IFlashCipher? view, bool encrypted, List<Finding> findings)
    {
        if (table.OtaData is not { } partition) return null;
        if (!Covers(dump, partition.Offset, OtaDataSectors.SectorSize + OtaSelectEntry.Size)) return null; // dump-truncated says why
        var slots = table.OtaSlots.Count;
        var sectors = new List<OtadataSector>();
        var seen = new OtaSelectEntry[2];
        for (var i = 0; i < 2; i++)
        {
            var address = partition.Offset + (uint)(i * OtaDataSectors.SectorSize);
            var raw = OtaSelectEntry.Parse(dump.AsSpan((int)address, OtaSelectEntry.Size));
            var decrypted = raw;
            if (view is not null)
            {
                var bytes = dump.AsSpan((int)address, OtaSelectEntry.Size).ToArray();
                view.Decrypt(bytes, bytes, address);
                decrypted = OtaSelectEntry.Parse(bytes);
            }
            seen[i] = decrypted;
            string verdict;
            if (raw.IsErased)
            {
                verdict = "empty (erased)";
            }
            else if (encrypted && decrypted.IsErased)
            {
                // Flash encryption encrypts all of otadata on first boot: an unused sector is
                // ciphertext of 0xFF, which the bootloader reads back as empty.
                verdict = "empty (encrypted blank sector)";
            }
            else if (decrypted.CrcMatches)
            {
                verdict = decrypted.IsValid ? "valid" : $"readable but not usable ({decrypted.State.ToShortName()})";
            }
            else if (encrypted && raw.CrcMatches && raw.Seq != OtaSelectEntry.EmptySeq)
            {
                verdict = "written in PLAINTEXT on an encrypted board: the bootloader sees garbage";
                findings.Add(new Finding("error", "otadata-plaintext",
                    $"otadata[{i}] at 0x{address:X} holds a well-formed entry (seq {raw.Seq}, {raw.State.ToShortName()}, selects {SlotName(raw, slots)}) " +
                    "stored WITHOUT encryption. The bootloader reads otadata through flash decryption, gets garbage and ignores it. " +
                    "This is what happens when otadata is written with a raw flash write; write it with esp_ota_set_boot_partition " +
                    "(esp_partition_write on the encrypted otadata partition) instead."));
            }
            else
            {
                verdict = "unreadable (CRC mismatch): partly written, corrupted, or encrypted with another key";
                findings.Add(new Finding("warning", "otadata-corrupt", $"otadata[{i}] at 0x{address:X} has a CRC mismatch and is ignored by the bootloader"));
            }
            sectors.Add(new OtadataSector(i, address, Entry(decrypted, slots), Entry(raw, slots), verdict));
        }
        var sectorsView = new OtaDataSectors(seen[0], seen[1]);
        var active = sectorsView.ActiveIndex;
        return new OtadataInfo(partition.Offset, sectors, active, active >= 0 ? SlotName(sectorsView[active], slots) : null);
    }

    private static EntryInfo Entry(OtaSelectEntry e, int slots) =>
        new(e.IsErased, e.Seq, e.State.ToShortName(), e.Crc, e.CrcMatches, e.IsValid, e.CrcMatches && e.Seq != OtaSelectEntry.EmptySeq ? SlotName(e, slots) : null);

    private static string SlotName(OtaSelectEntry e, int slots) => slots == 0 ? "no OTA slot" : $"ota_{e.SlotFor(slots)}";

    private static SlotInfo InspectSlot(byte[] dump, PartitionTable table, PartitionEntry partition, EspChip chip, IFlashCipher? view, bool encrypted, InspectionOptions options, List<Finding> findings)
    {
        if (!Covers(dump, partition.Offset, partition.Size))
        {
            return new SlotInfo(partition.Name, partition.Offset, partition.Size, false, "not in the dump (truncated)", null,
                null, null, null, null, null, null, null, null, null);
        }
        var size = (int)partition.Size;
        var raw = dump.AsSpan((int)partition.Offset, size);
        if (!raw[..Math.Min(4096, size)].ContainsAnyExcept((byte)0xFF))
        {
            return new SlotInfo(partition.Name, partition.Offset, partition.Size, false, "empty", null,
                null, null, null, null, null, null, null, null, null);
        }
        var bytes = raw.ToArray();
        if (view is not null) view.Decrypt(bytes.AsSpan(0, size / 16 * 16), bytes.AsSpan(0, size / 16 * 16), partition.Offset);
        AppImage image;
        try
        {
            image = AppImage.Parse(bytes, chip);
        }
        catch (Esp32FormatException e)
        {
            if (encrypted && raw[0] == ImageHeader.Magic && TryParse(raw.ToArray(), chip) is not null)
            {
                findings.Add(new Finding("error", "image-plaintext",
                    $"{partition.Name} holds a plaintext app image on an encrypted board: it was written raw, bypassing the encryption engine, and will not boot"));
                return new SlotInfo(partition.Name, partition.Offset, partition.Size, true, "plaintext image (written raw)", e.Message,
                    null, null, null, null, null, null, null, null, null);
            }
            findings.Add(new Finding("warning", "image-invalid", $"{partition.Name}: {e.Message}"));
            return new SlotInfo(partition.Name, partition.Offset, partition.Size, true, "invalid", e.Message,
                null, null, null, null, null, null, null, null, null);
        }

        var description = image.Description;
        return new SlotInfo(partition.Name, partition.Offset, partition.Size, true, "valid", null,
            image.Chip?.Name ?? $"id {image.Header.ChipId}", image.Length, description?.Version, description?.ProjectName,
            description?.SecureVersion, description?.IdfVersion, Convert.ToHexStringLower(image.Digest), image.Header.HashAppended,
            InspectSignature(bytes, image, chip, options))
        {
            App = InspectApp(dump, table, partition, bytes.AsSpan(0, image.Length), view),
        };
    }

    /// <summary>The deploy partition this slot's firmware maps (deploy_N for ota_N, else the one shared), walked as nanoCLR walks it.</summary>
    private static PairedAppInfo? InspectApp(byte[] dump, PartitionTable table, PartitionEntry slot, ReadOnlySpan<byte> image, IFlashCipher? view)
    {
        var deploys = table.Where(e => e.Type == 0x01 && e.Subtype == NanoClr.DeploySubtype).ToList();
        var deploy = deploys.FirstOrDefault(e => e.Name == NanoClr.PairedLabel(slot.Subtype)) ?? deploys.FirstOrDefault();
        if (deploy is null || !Covers(dump, deploy.Offset, deploy.Size)) return null;
        var region = dump.AsSpan((int)deploy.Offset, (int)deploy.Size).ToArray();
        if (view is not null && deploy.StoredEncrypted) view.Decrypt(region, region, deploy.Offset);

        var natives = NfOta.NanoFramework.NativeAssemblyTable.FindIn(image);
        var app = NanoClr.Load(deploy.Name, region, natives);
        var record = NfOta.Model.AppRecord.Parse(region[NfOta.Model.AppRecord.OffsetIn(region.Length)..]);
        var release = record is not null && record.AppLength <= region.Length
            && System.Security.Cryptography.SHA256.HashData(region.AsSpan(0, record.AppLength)).AsSpan().SequenceEqual(record.Sha256)
                ? record.Version
                : null;
        return new PairedAppInfo(deploy.Name,
            [.. app.Assemblies.Select(a => new AssemblyInfo(NfOta.NanoFramework.AppBinding.DisplayName(a.Name), a.Version.ToString(), $"0x{a.NativeChecksum:X8}", a.TotalSize))],
            [.. app.Skipped.Where(e => e.Code is not null).Select(e => $"at byte {e.Offset}: {e.Skipped}")],
            release, natives is null ? null : app.Started, [.. app.Problems.Select(p => $"{p.Message} [{p.Code}]")]);
    }

    private static AppImage? TryParse(byte[] bytes, EspChip chip)
    {
        try
        {
            return AppImage.Parse(bytes, chip);
        }
        catch (Esp32FormatException)
        {
            return null;
        }
    }

    private static SignatureInfo InspectSignature(byte[] bytes, AppImage image, EspChip chip, InspectionOptions options)
    {
        var start = image.SignatureSectorOffset;
        if (start + SignatureSector.Size > bytes.Length) return new SignatureInfo(false, 0, null, null, null, null, "no room for a signature sector");
        var sector = bytes.AsSpan(start, SignatureSector.Size);
        var blocks = SignatureSector.ValidBlocks(sector);
        if (blocks.Count == 0) return new SignatureInfo(false, 0, null, null, null, null, "not signed (no signature block after the image)");
        var block = blocks[0].Block;
        var contents = bytes.AsSpan(0, start);
        var self = SecureBootV2.VerifyWithDigests(contents, sector, [block.KeyDigest], chip);
        bool? trusted = options.SecureBootKeyDigests.Count == 0
            ? null
            : SecureBootV2.VerifyWithDigests(contents, sector, options.SecureBootKeyDigests, chip).Valid;
        var detail = self.Valid
            ? trusted switch
            {
                true => "signed by a key whose digest is in eFuse",
                false => "signed, but not by a key whose digest was given",
                null => "signed (signature verifies with the key in the block; pass --secure-boot-key to check it is trusted)",
            }
            : $"signature does not verify: {self.Message}";
        return new SignatureInfo(true, blocks.Count, block.Scheme.ToString(), Convert.ToHexStringLower(block.KeyDigest), self.Valid, trusted, detail);
    }

    private static (BootInfo, OtaDataSectors? Before, OtaDataSectors? After) PredictBoot(byte[] dump, EspChip chip, IFlashCipher? view, bool encrypted, InspectionOptions options, List<Finding> findings)
    {
        var efuses = new EFuses(chip);
        if (encrypted) efuses.AssumeFlashEncryptionOn();
        foreach (var digest in options.SecureBootKeyDigests) efuses.BurnSecureBootKeyDigest(digest);
        if (options.SecureBootKeyDigests.Count > 0) efuses.EnableSecureBoot();
        efuses.UpdateSecureVersion(options.SecureVersion);
        var config = new DeviceConfig
        {
            AppRollback = options.AppRollback,
            AntiRollback = options.AntiRollback,
            FlashEncryption = encrypted,
            SecureBoot = options.SecureBootKeyDigests.Count > 0,
            PartitionTableOffset = options.PartitionTableOffset,
        };
        var media = new DumpMedia(dump, view, efuses, config);
        var report = Bootloader.Boot(media);
        if (!report.Booted)
        {
            findings.Add(new Finding("error", "no-bootable-app", $"the bootloader will not find anything to boot: {report.Reason}"));
        }
        return (new BootInfo(report.Partition?.Name, report.App?.Version, report.Reason, [.. report.Log, .. media.Writes], config.SecureBoot),
            report.OtadataBefore, report.OtadataAfter);
    }
}

using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;
using static NfOta.Emulator.Inspection.InspectionReport;

namespace NfOta.Emulator.Inspection;

/// <summary>
/// What the bootloader does with an OTA slot whose image is valid, from the otadata entries that
/// select it: an entry INVALID (the app rejected itself) or ABORTED (it never confirmed) is not
/// selectable (bootloader_common_ota_select_invalid), so the slot is skipped unless no entry
/// selects it validly. Read from otadata as the predicted boot leaves it: a PENDING_VERIFY entry
/// is turned ABORTED by that very boot (with app rollback on).
/// </summary>
internal static class SlotRollback
{
    public static SlotInfo Annotate(SlotInfo slot, PartitionEntry partition, int slotCount, OtaDataSectors before, OtaDataSectors after, string? booted)
    {
        if (!partition.IsOtaApp) return slot;
        var entries = Selecting(after, partition.OtaSlot, slotCount).ToList();
        if (entries.Count == 0) return slot;
        var latest = entries.MaxBy(e => e.Seq);
        var state = latest.State.ToShortName();
        if (entries.Any(e => e.IsValid)) return slot with { OtadataState = state };
        return slot with { OtadataState = state, RolledBack = true, Verdict = slot.Status == "valid" ? Verdict(slot, before, latest, slotCount, booted) : null };
    }

    /// <summary>Entries the bootloader can read (CRC matches, not erased) that select this slot.</summary>
    private static IEnumerable<OtaSelectEntry> Selecting(OtaDataSectors otadata, int slot, int slotCount) =>
        new[] { otadata.First, otadata.Second }.Where(e => e.CrcMatches && e.Seq != OtaSelectEntry.EmptySeq && e.SlotFor(slotCount) == slot);

    private static string Verdict(SlotInfo slot, OtaDataSectors before, OtaSelectEntry latest, int slotCount, string? booted)
    {
        var wasPending = Selecting(before, latest.SlotFor(slotCount), slotCount).Any(e => e.Seq == latest.Seq && e.State == OtaImageState.PendingVerify);
        if (booted == slot.Name)
        {
            return $"rolled back (otadata {latest.State.ToShortName()}), booted only as a fallback: the slot otadata selects does not load";
        }
        return wasPending
            ? "never confirmed (otadata PENDING_VERIFY): this boot marks it ABORTED and skips it"
            : latest.State == OtaImageState.Aborted
                ? "rolled back (otadata ABORTED: it never confirmed itself): the bootloader skips it"
                : "rolled back (otadata INVALID: the app rejected it): the bootloader skips it";
    }
}

namespace NfOta.Emulator.Device;

/// <summary>
/// The ESP-IDF release whose app_update behaviour the virtual board follows, where releases differ.
/// nf-interpreter builds against v5.5.4, so that is the default.
/// </summary>
public enum EspIdfRelease
{
    /// <summary>
    /// v5.5: <c>esp_ota_set_boot_partition</c> always writes the inactive otadata entry, even when the
    /// active one already selects the slot. Two updates to one slot without a reboot therefore
    /// overwrite the running firmware's entry: the fallback is gone from otadata.
    /// </summary>
    V5_5,

    /// <summary>v6.0 (commit 996a9ca): when the active entry already selects the slot, only its state is rewritten.</summary>
    V6_0,
}

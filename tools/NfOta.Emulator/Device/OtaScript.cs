namespace NfOta.Emulator.Device;

/// <summary>
/// The textbook update through ESP-IDF's OTA API, for tests: begin on the next slot, write in
/// chunks, end, set the boot partition. Stops at the first error and says which call failed.
/// </summary>
public static class OtaScript
{
    public sealed record Result(EspErr Error, string FailedCall, EspPartition? Target)
    {
        public bool Ok => Error == EspErr.ESP_OK;

        public override string ToString() => Ok ? $"updated {Target}" : $"{FailedCall} returned {Error}";
    }

    /// <param name="target">The slot to write; null for esp_ota_get_next_update_partition(NULL).</param>
    public static Result Update(VirtualEsp32 device, ReadOnlySpan<byte> image, int chunkSize = 4096, bool setBoot = true, uint? declaredSize = null,
        EspPartition? target = null)
    {
        var ota = device.Ota ?? throw new InvalidOperationException("the device is not running an app");
        target ??= ota.GetNextUpdatePartition(null);
        var err = ota.Begin(target, declaredSize ?? (uint)image.Length, out var handle);
        if (err != EspErr.ESP_OK) return new Result(err, "esp_ota_begin", target);
        for (var offset = 0; offset < image.Length; offset += chunkSize)
        {
            err = ota.Write(handle, image.Slice(offset, Math.Min(chunkSize, image.Length - offset)));
            if (err != EspErr.ESP_OK)
            {
                ota.Abort(handle);
                return new Result(err, "esp_ota_write", target);
            }
        }
        err = ota.End(handle);
        if (err != EspErr.ESP_OK) return new Result(err, "esp_ota_end", target);
        if (!setBoot) return new Result(EspErr.ESP_OK, "", target);
        err = ota.SetBootPartition(target);
        return new Result(err, err == EspErr.ESP_OK ? "" : "esp_ota_set_boot_partition", target);
    }
}

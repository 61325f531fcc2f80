using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;

namespace NfOta.Core.Tests;

/// <summary>
/// Secured boards with a device key in their nfota_key partition (flashed in plaintext, encrypted
/// by the provisioning as the first boot would), and the device keys of Espressif's vectors.
/// </summary>
internal static class EncryptedBoards
{
    /// <summary>The two-slot layout plus the device key partition (the row nf-ota's shipped tables carry).</summary>
    public const string Csv = DeviceSpec.TwoSlotCsv + "\nnfota_key, 0x40, 0x4B, 0x3F0000, 0x1000, encrypted\n";

    public static DeviceKey Rsa() => Load("key-rsa3072.pem");

    public static DeviceKey Ecies() => Load("key-ecies-p256.pem");

    public static DeviceKey Load(string name) =>
        DeviceKey.FromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "pre-encrypted-ota", name)));

    public static DeviceKey ForScheme(string scheme) => scheme == "rsa3072" ? Rsa() : Ecies();

    /// <summary>A secured board with 1.0.0 in ota_0 and <paramref name="key"/> (null: a blank nfota_key).</summary>
    public static DeviceSpec Spec(EspChip chip, DeviceKey? key, byte[]? running = null)
    {
        var images = new Dictionary<string, byte[]> { ["ota_0"] = running ?? Boards.Image(chip, "1.0.0") };
        if (key is not null) images["nfota_key"] = DeviceKeyPartition.Build(key);
        return Boards.Spec(chip) with { PartitionCsv = Csv, Images = images };
    }
}

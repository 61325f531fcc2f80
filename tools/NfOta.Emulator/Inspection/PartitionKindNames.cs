using NfOta.Emulator.Boot;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Inspection;

/// <summary>
/// How inspect names a partition's type and subtype: ESP-IDF's keyword when there is one (app,
/// data; ota_0, ota, nvs, phy), else the number in hex, as partition tables write it, followed by
/// the name nanoFramework or nf-ota gives it. (gen_esp32part.py and <see cref="PartitionKinds"/>
/// write unknown numbers in decimal; that is CSV's business, not a reader's.)
/// </summary>
public static class PartitionKindNames
{
    /// <summary>The name of a kind ESP-IDF has no keyword for; null for any other.</summary>
    public static string? KnownAs(int type, int subtype) => (type, subtype) switch
    {
        (PartitionKinds.Data, NanoClr.DeploySubtype) => "nanoFramework deploy",
        (DeviceKeyPartition.Type, DeviceKeyPartition.Subtype) => DeviceKeyPartition.Label,
        _ => null,
    };

    /// <summary><c>app</c>, <c>data</c>, or <c>0x40</c>.</summary>
    public static string Type(int type) => Keyword(PartitionKinds.TypeKeywords, type) ?? Hex(type);

    /// <summary><c>ota_0</c>, <c>nvs</c>, <c>0x84 nanoFramework deploy</c>, <c>0x4B nfota_key</c>, or <c>0x05</c>.</summary>
    public static string Subtype(int type, int subtype) =>
        Keyword(PartitionKinds.SubtypeKeywords((byte)type), subtype)
        ?? (KnownAs(type, subtype) is { } name ? $"{Hex(subtype)} {name}" : Hex(subtype));

    private static string? Keyword(IReadOnlyList<KeyValuePair<string, byte>> keywords, int value) =>
        keywords.FirstOrDefault(k => k.Value == value).Key;

    private static string Hex(int value) => $"0x{value:X2}";
}

namespace NfOta.Esp32.Partitions;

/// <summary>
/// Partition type and subtype numbers and the keywords ESP-IDF's CSV uses for them
/// (<c>esp_partition_type_t</c>/<c>esp_partition_subtype_t</c>, gen_esp32part.py v1.4).
/// Keyword order matters: binary-to-CSV picks the first keyword that has the value, as ESP-IDF does.
/// </summary>
public static class PartitionKinds
{
    public const byte App = 0x00;
    public const byte Data = 0x01;
    public const byte Bootloader = 0x02;
    public const byte PartitionTable = 0x03;

    public const byte AppFactory = 0x00;
    public const byte AppOtaMin = 0x10;
    public const int AppOtaCount = 16;
    public const byte AppTest = 0x20;
    public const byte AppTeeMin = 0x30;

    public const byte DataOta = 0x00;
    public const byte DataPhy = 0x01;
    public const byte DataNvs = 0x02;
    public const byte DataCoredump = 0x03;
    public const byte DataNvsKeys = 0x04;
    public const byte DataEfuse = 0x05;
    public const byte DataUndefined = 0x06;
    public const byte DataTeeOta = 0x90;

    public static IReadOnlyList<KeyValuePair<string, byte>> TypeKeywords { get; } =
    [
        new("bootloader", Bootloader),
        new("partition_table", PartitionTable),
        new("app", App),
        new("data", Data),
    ];

    private static readonly IReadOnlyList<KeyValuePair<string, byte>> AppSubtypes = BuildAppSubtypes();

    private static readonly IReadOnlyList<KeyValuePair<string, byte>> DataSubtypes =
    [
        new("ota", DataOta),
        new("phy", DataPhy),
        new("nvs", DataNvs),
        new("coredump", DataCoredump),
        new("nvs_keys", DataNvsKeys),
        new("efuse", DataEfuse),
        new("undefined", DataUndefined),
        new("esphttpd", 0x80),
        new("fat", 0x81),
        new("spiffs", 0x82),
        new("littlefs", 0x83),
        new("tee_ota", DataTeeOta),
        new("tee_sec_stg", 0x91),
    ];

    private static readonly IReadOnlyList<KeyValuePair<string, byte>> BootloaderSubtypes =
    [
        new("primary", 0x00),
        new("ota", 0x01),
        new("recovery", 0x02),
    ];

    private static readonly IReadOnlyList<KeyValuePair<string, byte>> TableSubtypes =
    [
        new("primary", 0x00),
        new("ota", 0x01),
    ];

    /// <summary>Subtype keywords valid for a type (empty for custom types).</summary>
    public static IReadOnlyList<KeyValuePair<string, byte>> SubtypeKeywords(byte type) => type switch
    {
        App => AppSubtypes,
        Data => DataSubtypes,
        Bootloader => BootloaderSubtypes,
        PartitionTable => TableSubtypes,
        _ => [],
    };

    public static string TypeName(byte type) => KeywordFor(TypeKeywords, type) ?? type.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string SubtypeName(byte type, byte subtype) =>
        KeywordFor(SubtypeKeywords(type), subtype) ?? subtype.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>App partitions start on the 64 KiB MMU page; everything else on a 4 KiB sector.</summary>
    public static uint OffsetAlignment(byte type) => type == App ? 0x10000u : 0x1000u;

    internal static string? KeywordFor(IReadOnlyList<KeyValuePair<string, byte>> keywords, byte value)
    {
        foreach (var (name, v) in keywords)
        {
            if (v == value) return name;
        }
        return null;
    }

    private static List<KeyValuePair<string, byte>> BuildAppSubtypes()
    {
        var list = new List<KeyValuePair<string, byte>> { new("factory", AppFactory), new("test", AppTest) };
        for (var slot = 0; slot < AppOtaCount; slot++) list.Add(new($"ota_{slot}", (byte)(AppOtaMin + slot)));
        list.Add(new("tee_0", AppTeeMin));
        list.Add(new("tee_1", AppTeeMin + 1));
        return list;
    }
}

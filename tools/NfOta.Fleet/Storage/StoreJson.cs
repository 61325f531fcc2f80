using System.Text.Json;

namespace NfOta.Fleet.Storage;

/// <summary>How the few structured columns (attributes, files, thresholds) are written: JSON text, the same on both databases.</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string text) => JsonSerializer.Deserialize<T>(text, Options)
        ?? throw new InvalidDataException("stored JSON column is null");
}

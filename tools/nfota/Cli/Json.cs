using System.Text.Json;
using System.Text.Json.Serialization;

namespace NfOta.Cli.Cli;

/// <summary>The one JSON style every --json output uses: camelCase, indented, nulls kept so the shape is stable.</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}

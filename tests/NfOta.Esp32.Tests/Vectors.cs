using System.Text.Json;

namespace NfOta.Esp32.Tests;

/// <summary>Espressif's reference vectors, produced by espsecure 5.3.1 (see tests/vectors/README.md).</summary>
public static class Vectors
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "vectors");

    public static byte[] Read(string folder, string file) => File.ReadAllBytes(Path.Combine(Root, folder, file));

    public static string PathOf(string folder, string file) => Path.Combine(Root, folder, file);

    public sealed record FlashCase(
        string Algorithm, string Key, int KeyBytes, uint Address, int? FlashCryptConf,
        string Plaintext, string Ciphertext, string Sha256)
    {
        public override string ToString() => Path.GetFileNameWithoutExtension(Ciphertext);
    }

    public sealed record SecureBootCase(
        string Scheme, string PrivateKey, string Unsigned, string Signed, int SignedSize,
        string Tampered, bool TamperedValid, string PubkeyDigestSha256)
    {
        public override string ToString() => Scheme;
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IReadOnlyList<FlashCase> FlashCases { get; } = Load<FlashCase>("flash-encryption");

    public static IReadOnlyList<SecureBootCase> SecureBootCases { get; } = Load<SecureBootCase>("secure-boot-v2");

    public static TheoryData<FlashCase> FlashTheory() => new(FlashCases);

    public static TheoryData<SecureBootCase> SecureBootTheory() => new(SecureBootCases);

    private static List<T> Load<T>(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, folder, "vectors.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(e => e.Deserialize<T>(Json)!)
            .ToList();
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace NfOta.Cli.Demo.Fleet;

/// <summary>The fleet demo's operator: the fleet server's admin API, over HTTP, as `nfota fleet` would use it.</summary>
public sealed class FleetAdmin(HttpClient http, string adminToken, string tenant) : IDisposable
{
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"admin/v1/tenants/{tenant}{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"fleet admin {method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A release's files as the rollout lists them: name, size and hashes of each file in the release folder.</summary>
    public static object[] Files(string folder, params string[] names) =>
        names.Select(name =>
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, name));
            return (object)new
            {
                filename = name,
                size = bytes.Length,
                sha1 = Convert.ToHexStringLower(SHA1.HashData(bytes)),
                md5 = Convert.ToHexStringLower(MD5.HashData(bytes)),
                sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            };
        }).ToArray();

    public void Dispose() => http.Dispose();
}

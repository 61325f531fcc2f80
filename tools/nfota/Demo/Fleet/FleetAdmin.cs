using System.Net.Http.Headers;
using System.Net.Http.Json;
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

    public void Dispose() => http.Dispose();
}

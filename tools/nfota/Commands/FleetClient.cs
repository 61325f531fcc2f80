using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NfOta.Cli.Cli;

namespace NfOta.Cli.Commands;

/// <summary>
/// The admin API as `nfota fleet` speaks it: one request, and the server's refusal (its errorCode
/// and message) or an unreachable server becomes one error line with a stable code.
/// </summary>
public sealed class FleetClient(Uri server, string token, string tenant) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<JsonElement?> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, $"admin/v1/tenants/{Uri.EscapeDataString(tenant)}{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException("fleet-unreachable", $"cannot reach the fleet server at {server}: {e.Message} (is `nfota serve --fleet` running? --server)", ExitCodes.Failure);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException("fleet-unreachable", $"the fleet server at {server} did not answer in 30 s", ExitCodes.Failure);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Refusal((int)response.StatusCode, text);
            }
            return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    public void Dispose() => _http.Dispose();

    private CliException Refusal(int status, string text)
    {
        try
        {
            var json = JsonDocument.Parse(text).RootElement;
            var code = json.GetProperty("errorCode").GetString() ?? "fleet-refused";
            var exit = status is 400 or 404 or 409 ? ExitCodes.BadInput : ExitCodes.Failure;
            return new CliException(code, $"the fleet server refused ({status}): {json.GetProperty("message").GetString()}", exit);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new CliException("fleet-refused", $"{server} answered {status} without a fleet error body: is it an nfota fleet server?", ExitCodes.Failure);
        }
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace NfOta.Fleet.Hosting;

/// <summary>
/// Reads a request body as JSON with a hard size cap: a body over the cap is refused (413) before
/// it is parsed, whatever Content-Length claims; anything not JSON of the expected shape is a 400.
/// </summary>
public static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, int maxBytes, JsonSerializerOptions options)
        where T : class
    {
        var type = context.Request.ContentType ?? "";
        if (!type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !(type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new FleetException(415, "unsupported-media-type", "send the body as application/json");
        }
        if (context.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
        {
            length += read;
        }
        if (length > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        try
        {
            return JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), options)
                ?? throw FleetException.BadRequest("malformed-json", "the body is JSON null; an object was expected");
        }
        catch (JsonException e)
        {
            // The parser's message names the place (line, byte) without echoing the body.
            throw FleetException.BadRequest("malformed-json", $"the body is not the expected JSON: {FirstSentence(e.Message)}");
        }
    }

    private static FleetException TooLarge(int maxBytes) => new(413, "body-too-large", $"request bodies are limited to {maxBytes} bytes");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var text = end < 0 ? message : message[..(end + 1)];
        return text.Length <= 200 ? text : text[..200];
    }
}

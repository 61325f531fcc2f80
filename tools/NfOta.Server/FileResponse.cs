using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace NfOta.Server;

/// <summary>Answers a GET or HEAD with one file of the served folder, read from the handle that was opened for it.</summary>
internal static class FileResponse
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();

    public static async Task SendAsync(HttpContext context, ServedRoot root)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        var path = context.Request.Path.Value ?? "/";
        using var file = root.Open(path);
        if (file is null)
        {
            // Missing, a folder, a link anywhere on the path, or a dot-name: answered as if nothing were there.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!ContentTypes.TryGetContentType(path, out var contentType))
        {
            contentType = "application/octet-stream";
        }
        var result = Results.File(file.Stream, contentType, lastModified: file.LastModified,
            entityTag: Microsoft.Net.Http.Headers.EntityTagHeaderValue.Parse(file.ETag), enableRangeProcessing: true);
        await result.ExecuteAsync(context);
    }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".bin"] = "application/octet-stream";
        types.Mappings[".manifest"] = "text/plain; charset=us-ascii";
        return types;
    }
}

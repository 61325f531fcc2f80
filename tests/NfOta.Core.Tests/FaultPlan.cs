using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NfOta.Core.Tests;

/// <summary>
/// Network faults injected into the real update server, per file: the server stays Kestrel and
/// static files; this middleware only breaks what a bad network or a bad server would break.
/// </summary>
public sealed class FaultPlan
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new();

    /// <summary>Add a fault for a file; several may apply to one request (e.g. reset once, and never honour Range).</summary>
    public void Add(string file, Fault fault) => _faults.GetOrAdd(file, _ => new ConcurrentQueue<Fault>()).Enqueue(fault);

    public void Install(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var file = context.Request.Path.Value?.TrimStart('/') ?? "";
        if (!_faults.TryGetValue(file, out var faults))
        {
            await next(context);
            return;
        }
        foreach (var fault in faults.Where(f => f.Take()).ToList())
        {
            switch (fault.Kind)
            {
                case FaultKind.Status:
                    context.Response.StatusCode = fault.Argument;
                    return;
                case FaultKind.RedirectLoop:
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = context.Request.Path.Value;
                    return;
                case FaultKind.IgnoreRange:
                    context.Request.Headers.Remove("Range");
                    break;
                case FaultKind.FlipByte:
                    var range = context.Request.Headers.Range.ToString();
                    var start = range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(range[6..].Split('-')[0]) : 0;
                    context.Response.Body = new FlippingStream(context.Response.Body, fault.Argument - start);
                    break;
                case FaultKind.ResetAfter:
                case FaultKind.StallAfter:
                    context.Response.Body = new BreakingStream(context, context.Response.Body, fault.Argument, fault.Kind == FaultKind.StallAfter);
                    break;
            }
        }
        await next(context);
    });
}

public enum FaultKind
{
    /// <summary>Answer with status <see cref="Fault.Argument"/> and no body.</summary>
    Status,
    /// <summary>Redirect to itself, forever.</summary>
    RedirectLoop,
    /// <summary>Serve as a server without Range support: always the whole file with 200.</summary>
    IgnoreRange,
    /// <summary>Send <see cref="Fault.Argument"/> body bytes, then reset the connection.</summary>
    ResetAfter,
    /// <summary>Send <see cref="Fault.Argument"/> body bytes, then send nothing more.</summary>
    StallAfter,
    /// <summary>Flip one bit of the file's byte at offset <see cref="Fault.Argument"/> on its way (when the response carries it).</summary>
    FlipByte,
}

/// <summary>A fault that fires for the first <paramref name="Times"/> requests of its file (0: always).</summary>
public sealed record Fault(FaultKind Kind, int Argument = 0, int Times = 1)
{
    private int _fired;

    public int Fired => _fired;

    public bool Take() => Times == 0 ? Interlocked.Increment(ref _fired) > 0 : Interlocked.Increment(ref _fired) <= Times;
}

/// <summary>Lets <c>limit</c> bytes through, then resets the connection or stalls until the client gives up.</summary>
internal sealed class BreakingStream(HttpContext context, Stream inner, int limit, bool stall) : Stream
{
    private long _sent;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var allowed = (int)Math.Max(0, Math.Min(buffer.Length, limit - _sent));
        if (allowed > 0)
        {
            await inner.WriteAsync(buffer[..allowed], cancellationToken);
            _sent += allowed;
        }
        if (allowed < buffer.Length)
        {
            await inner.FlushAsync(cancellationToken);
            // Let the client read what was sent: a reset discards data still unread in its socket.
            await Task.Delay(100, cancellationToken);
            if (stall)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            context.Abort();
            throw new IOException("fault injected: connection reset");
        }
    }
}

/// <summary>Passes the body through with one byte (at <c>at</c> from the body's start) changed, as a bad link might.</summary>
internal sealed class FlippingStream(Stream inner, long at) : Stream
{
    private long _position;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (at >= _position && at < _position + buffer.Length)
        {
            var copy = buffer.ToArray();
            copy[at - _position] ^= 0x04;
            buffer = copy;
        }
        _position += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}

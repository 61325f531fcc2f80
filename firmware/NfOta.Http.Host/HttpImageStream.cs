using NfOta.Transfer;

namespace NfOta.Http;

/// <summary>An open response body: reads with a timeout, failures as transient network errors.</summary>
internal sealed class HttpImageStream(HttpResponseMessage response, Stream body, int totalLength, TimeSpan readTimeout, int skip) : IImageStream
{
    private readonly CancellationTokenSource _timeout = new();
    private int _skip = skip;

    public int TotalLength => totalLength;

    public int Read(byte[] buffer, int offset, int count)
    {
        while (_skip > 0)
        {
            var n = ReadBody(buffer, offset, Math.Min(count, _skip));
            if (n == 0)
            {
                return 0;
            }
            _skip -= n;
        }
        return ReadBody(buffer, offset, count);
    }

    private int ReadBody(byte[] buffer, int offset, int count)
    {
        _timeout.CancelAfter(readTimeout);
        try
        {
            return body.ReadAsync(buffer.AsMemory(offset, count), _timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e)
        {
            throw HttpImageSource.Network($"the download stalled: no data for {readTimeout.TotalSeconds:0.#} s", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw HttpImageSource.Network($"the connection failed mid-download: {e.Message}", e);
        }
        finally
        {
            _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    public void Close()
    {
        body.Dispose();
        response.Dispose();
        _timeout.Dispose();
    }
}

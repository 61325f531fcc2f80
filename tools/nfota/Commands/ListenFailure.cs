using System.Net;
using System.Net.Sockets;
using NfOta.Cli.Cli;

namespace NfOta.Cli.Commands;

/// <summary>Why the server could not listen, said in one line: the machine refused, not the user's files.</summary>
public static class ListenFailure
{
    public static CliException Explain(Exception e, IPAddress address, int port)
    {
        var where = $"{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{port}";
        var socket = Chain(e).OfType<SocketException>().FirstOrDefault();
        var inUse = Chain(e).Any(x => x.GetType().Name == "AddressInUseException");
        return (inUse ? SocketError.AddressAlreadyInUse : socket?.SocketErrorCode) switch
        {
            SocketError.AddressAlreadyInUse => new CliException("port-in-use",
                $"cannot listen on {where}: another program uses that port; stop it or pick another --port (0 picks a free one)", ExitCodes.Failure),
            SocketError.AddressNotAvailable => new CliException("address-not-local",
                $"cannot listen on {where}: {address} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its own addresses", ExitCodes.Failure),
            SocketError.AccessDenied => new CliException("port-not-permitted",
                $"cannot listen on {where}: ports below 1024 need administrator rights; use a port such as 8080", ExitCodes.Failure),
            _ => new CliException("listen-failed", $"cannot listen on {where}: {Chain(e).Last().Message}", ExitCodes.Failure),
        };
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException) yield return x;
    }
}

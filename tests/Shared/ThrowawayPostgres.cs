using System.Diagnostics;

namespace NfOta.Testing;

/// <summary>
/// A real PostgreSQL for the fleet tests and benchmark: the server NFOTA_TEST_POSTGRES names when it is set, else a
/// throw-away cluster of Debian's PostgreSQL (native/scripts/install-deps.sh installs it) in a
/// temporary folder, listening on a unix socket only, stopped and deleted at the end. When neither is
/// possible, <see cref="Unavailable"/> says why (the tests then fail rather than pass unseen, unless
/// NFOTA_TEST_POSTGRES=skip).
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string? _folder;
    private readonly bool _asPostgresUser;

    public ThrowawayPostgres()
    {
        var given = Environment.GetEnvironmentVariable("NFOTA_TEST_POSTGRES");
        if (!string.IsNullOrEmpty(given))
        {
            if (given == "skip") Unavailable = "NFOTA_TEST_POSTGRES=skip";
            else ConnectionString = given;
            return;
        }
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            Unavailable = "no PostgreSQL server binaries under /usr/lib/postgresql (native/scripts/install-deps.sh installs Debian's postgresql)";
            return;
        }
        RemoveStopped();
        _folder = Directory.CreateTempSubdirectory(Prefix).FullName;
        // initdb refuses to run as root: the cluster then belongs to Debian's postgres user.
        _asPostgresUser = Environment.UserName == "root";
        if (_asPostgresUser) Run("chown", "postgres", _folder);
        var data = Path.Combine(_folder, "data");
        var port = 20000 + Random.Shared.Next(20000);
        RunServer(Path.Combine(bin, "initdb"), "-D", data, "-A", "trust", "-U", "nfota", "--no-sync", "-E", "UTF8");
        RunServer(Path.Combine(bin, "pg_ctl"), "-D", data, "-w", "-l", Path.Combine(_folder, "log"), "-o",
            $"-k {_folder} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off", "start");
        ConnectionString = $"Host={_folder};Port={port};Username=nfota;Database=postgres";
        _stop = () => RunServer(Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop");
    }

    private const string Prefix = "nfota-pg-";

    private readonly Action? _stop;

    /// <summary>
    /// Clusters of earlier runs whose server has stopped (no postmaster.pid): a test host may be
    /// ended right after the server stops, before its folder is deleted.
    /// </summary>
    private static void RemoveStopped()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid"))) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // another run's, being set up or taken down right now
            }
            catch (UnauthorizedAccessException)
            {
                // another user's
            }
        }
    }

    public string? ConnectionString { get; }

    public string? Unavailable { get; }

    private void RunServer(string program, params string[] args)
    {
        if (_asPostgresUser) Run("runuser", ["-u", "postgres", "--", program, .. args]);
        else Run(program, args);
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {output.Result}{error.Result}");
        }
    }

    public void Dispose()
    {
        try
        {
            _stop?.Invoke();
        }
        finally
        {
            if (_folder is not null) Directory.Delete(_folder, recursive: true);
        }
    }
}

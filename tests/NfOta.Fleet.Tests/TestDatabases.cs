using Npgsql;
using NfOta.Testing;

namespace NfOta.Fleet.Tests;

/// <summary>
/// The databases the shared tests run against: SQLite, and a real PostgreSQL (each test gets a
/// schema of its own, dropped afterwards): the server NFOTA_TEST_POSTGRES names, else a throw-away
/// cluster of Debian's PostgreSQL this test run starts itself (<see cref="ThrowawayPostgres"/>;
/// native/scripts/install-deps.sh installs it). NFOTA_TEST_POSTGRES=skip leaves PostgreSQL out.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "NFOTA_TEST_POSTGRES";

    private static readonly Lazy<ThrowawayPostgres> Server = new(() =>
    {
        var server = new ThrowawayPostgres();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    public static bool PostgresSkipped => Environment.GetEnvironmentVariable(PostgresVariable) == "skip";

    /// <summary>The PostgreSQL to test against, started on first use; a clear failure when there is none.</summary>
    public static string PostgresConnectionString =>
        Server.Value.ConnectionString ?? throw new InvalidOperationException($"no PostgreSQL to test against: {Server.Value.Unavailable}");

    /// <summary>Theory data: "sqlite", and "postgres" unless NFOTA_TEST_POSTGRES=skip (<see cref="PostgresFactAttribute"/> says so then).</summary>
    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string> { "sqlite" };
        if (!PostgresSkipped)
        {
            data.Add("postgres");
        }
        return data;
    }

    public static async Task<TestDatabase> CreateAsync(string kind)
    {
        if (kind == "sqlite")
        {
            var dir = Directory.CreateTempSubdirectory("nfota-fleet-");
            var path = Path.Combine(dir.FullName, "fleet.db");
            return new TestDatabase(path, () => { TryDelete(dir.FullName); return Task.CompletedTask; });
        }
        var baseString = PostgresConnectionString;
        var schema = "nfota_test_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(baseString, $"CREATE SCHEMA {schema}");
        var builder = new NpgsqlConnectionStringBuilder(baseString) { SearchPath = schema };
        return new TestDatabase(builder.ToString(), () => ExecuteAsync(baseString, $"DROP SCHEMA {schema} CASCADE"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // a pooled handle may linger a moment; the temp folder is cleaned eventually
        }
    }
}

public sealed class TestDatabase(string db, Func<Task> cleanup) : IAsyncDisposable
{
    /// <summary>What --db takes: the SQLite file or the PostgreSQL connection string.</summary>
    public string Db { get; } = db;

    public ValueTask DisposeAsync() => new(cleanup());
}

/// <summary>A fact that reports itself skipped, with the reason, when NFOTA_TEST_POSTGRES=skip.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabases.PostgresSkipped)
        {
            Skip = $"{TestDatabases.PostgresVariable}=skip: the PostgreSQL runs of the store and rollout tests were skipped (SQLite ran)";
        }
    }
}

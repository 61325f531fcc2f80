using Npgsql;

namespace NfOta.Fleet.Tests;

/// <summary>
/// The databases the shared tests run against: SQLite always; PostgreSQL when NFOTA_TEST_POSTGRES
/// holds a connection string (each test gets a schema of its own, dropped afterwards).
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "NFOTA_TEST_POSTGRES";

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>Theory data: "sqlite", and "postgres" when it is configured (<see cref="PostgresFactAttribute"/> says when it is not).</summary>
    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string> { "sqlite" };
        if (PostgresConnectionString is not null)
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
        var baseString = PostgresConnectionString ?? throw new InvalidOperationException($"{PostgresVariable} is not set");
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

/// <summary>A fact that reports itself skipped, with the reason, when PostgreSQL is not configured.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabases.PostgresConnectionString is null)
        {
            Skip = $"{TestDatabases.PostgresVariable} is not set: the PostgreSQL runs of the store and rollout tests were skipped (SQLite ran)";
        }
    }
}

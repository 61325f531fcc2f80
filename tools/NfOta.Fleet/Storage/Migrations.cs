namespace NfOta.Fleet.Storage;

/// <summary>
/// The one schema, as numbered steps applied in order, each in its own transaction with its number
/// recorded in schema_version. {id} is the generated primary key column of the database at hand.
/// A step is never edited once shipped: change the schema by adding the next one.
/// </summary>
public static class Migrations
{
    public static readonly IReadOnlyList<(int Version, string Sql)> Steps =
    [
        (1, """
            CREATE TABLE tenants (
                name TEXT PRIMARY KEY,
                gateway_token_hash TEXT,
                created_ms BIGINT NOT NULL);
            CREATE TABLE devices (
                tenant TEXT NOT NULL REFERENCES tenants(name),
                controller_id TEXT NOT NULL,
                token_hash TEXT,
                created_ms BIGINT NOT NULL,
                last_seen_ms BIGINT,
                request_attributes INTEGER NOT NULL,
                attributes TEXT NOT NULL,
                PRIMARY KEY (tenant, controller_id));
            CREATE TABLE cohorts (
                tenant TEXT NOT NULL REFERENCES tenants(name),
                name TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                PRIMARY KEY (tenant, name));
            CREATE TABLE cohort_members (
                tenant TEXT NOT NULL,
                cohort TEXT NOT NULL,
                controller_id TEXT NOT NULL,
                PRIMARY KEY (tenant, cohort, controller_id),
                FOREIGN KEY (tenant, cohort) REFERENCES cohorts(tenant, name),
                FOREIGN KEY (tenant, controller_id) REFERENCES devices(tenant, controller_id));
            CREATE TABLE rollouts (
                id {id},
                tenant TEXT NOT NULL,
                cohort TEXT NOT NULL,
                version TEXT NOT NULL,
                base_url TEXT NOT NULL,
                files TEXT NOT NULL,
                waves TEXT NOT NULL,
                wave INTEGER NOT NULL,
                state TEXT NOT NULL,
                reason TEXT,
                thresholds TEXT NOT NULL,
                forgiven_failed INTEGER NOT NULL,
                forgiven_finished INTEGER NOT NULL,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                FOREIGN KEY (tenant, cohort) REFERENCES cohorts(tenant, name));
            CREATE TABLE actions (
                id {id},
                rollout_id BIGINT NOT NULL REFERENCES rollouts(id),
                tenant TEXT NOT NULL,
                controller_id TEXT NOT NULL,
                wave INTEGER NOT NULL,
                state TEXT NOT NULL,
                error_code TEXT,
                offered_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                UNIQUE (rollout_id, controller_id),
                FOREIGN KEY (tenant, controller_id) REFERENCES devices(tenant, controller_id));
            CREATE INDEX actions_by_device ON actions (tenant, controller_id);
            CREATE TABLE action_status (
                id {id},
                action_id BIGINT NOT NULL REFERENCES actions(id),
                at_ms BIGINT NOT NULL,
                device_ms BIGINT,
                execution TEXT NOT NULL,
                finished TEXT NOT NULL,
                state TEXT NOT NULL,
                details TEXT NOT NULL);
            """),
    ];

    public static int Latest => Steps[^1].Version;

    /// <summary>Brings the database up to <see cref="Latest"/>; returns the version it was at.</summary>
    public static async Task<int> ApplyAsync(FleetDatabase database, CancellationToken cancellationToken = default)
    {
        if (database.Kind == DatabaseKind.Sqlite)
        {
            // Readers do not wait for the writer; kept in the file, so once is enough.
            await using var connection = await database.ConnectAsync(cancellationToken);
            await using var wal = Sql.Command(connection, null, "PRAGMA journal_mode = WAL");
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        var current = await CurrentAsync(database, cancellationToken);
        if (current > Latest)
        {
            throw new InvalidOperationException($"database schema {current} is newer than this nfota ({Latest}): upgrade nfota");
        }
        foreach (var (version, sql) in Steps.Where(s => s.Version > current))
        {
            await using var unit = await database.BeginAsync(cancellationToken);
            foreach (var statement in sql.Replace("{id}", database.IdentityColumn).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await unit.ExecuteAsync(statement);
            }
            await unit.ExecuteAsync("INSERT INTO schema_version (version) VALUES (@v)", ("v", version));
            await unit.CommitAsync(cancellationToken);
        }
        return current;
    }

    private static async Task<int> CurrentAsync(FleetDatabase database, CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginAsync(cancellationToken);
        await unit.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var max = await unit.ScalarAsync("SELECT MAX(version) FROM schema_version");
        await unit.CommitAsync(cancellationToken);
        return max is null ? 0 : Convert.ToInt32(max, System.Globalization.CultureInfo.InvariantCulture);
    }
}

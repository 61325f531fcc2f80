using System.Net;
using Microsoft.Data.Sqlite;
using static NfOta.Fleet.Tests.FleetHarness;

namespace NfOta.Fleet.Tests;

/// <summary>A database that is locked or gone: 503 with a JSON body, nothing half-written, and the server keeps serving.</summary>
public class DatabaseOutageTests
{
    [Fact]
    public async Task A_locked_database_is_503_and_the_same_request_succeeds_once_it_is_free()
    {
        await using var test = await TestDatabases.CreateAsync("sqlite");
        await using var fleet = await FleetHarness.StartAsync(test.Db, lockTimeoutSeconds: 1);
        await fleet.SetUpFleetAsync(2);
        await fleet.StartRolloutAsync(waves: "100");
        var action = (await fleet.PendingActionAsync(Id(0)))!.Value;

        await using (var other = new SqliteConnection($"Data Source={test.Db};Pooling=False"))
        {
            await other.OpenAsync();
            await using var hold = other.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE"; // another process writing, and not letting go
            await hold.ExecuteNonQueryAsync();
            var locked = await fleet.FeedbackAsync(Id(0), action, "closed", "success");
            Assert.Equal("database-unavailable", await ErrorCode(locked, HttpStatusCode.ServiceUnavailable));
            hold.CommandText = "ROLLBACK";
            await hold.ExecuteNonQueryAsync();
        }
        var devices = await Json(await Ok(await fleet.AdminAsync(HttpMethod.Get, "/devices")));
        Assert.Equal("pending", devices[0].GetProperty("state").GetString());
        await Ok(await fleet.FeedbackAsync(Id(0), action, "closed", "success"));
    }

    [Fact]
    public async Task A_database_file_that_is_gone_is_503_and_the_server_keeps_answering()
    {
        await using var test = await TestDatabases.CreateAsync("sqlite");
        await using var fleet = await FleetHarness.StartAsync(test.Db, lockTimeoutSeconds: 1);
        await fleet.SetUpFleetAsync(1);
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { test.Db, test.Db + "-wal", test.Db + "-shm" })
        {
            System.IO.File.Delete(file);
        }
        Assert.Equal("database-unavailable", await ErrorCode(await fleet.DeviceAsync(HttpMethod.Get, Id(0)), HttpStatusCode.ServiceUnavailable));
        Assert.Equal("not-found", await ErrorCode(await fleet.Http.GetAsync("still/here"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_database_that_is_not_there_at_start_fails_the_start()
    {
        var start = FleetHarness.StartAsync("Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=2");
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => start);
    }
}

using NfOta.Fleet.Rollouts;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Tests;

/// <summary>The storage contract, run on SQLite always and on PostgreSQL when NFOTA_TEST_POSTGRES is set.</summary>
public class StoreTests
{
    [PostgresFact]
    public void A_real_PostgreSQL_is_there_for_the_store_and_rollout_tests()
    {
        Assert.NotNull(TestDatabases.PostgresConnectionString);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Migrations_apply_once_and_record_their_number(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var db = FleetDatabase.Open(test.Db);
        Assert.Equal(0, await Migrations.ApplyAsync(db));
        Assert.Equal(Migrations.Latest, await Migrations.ApplyAsync(db));
        await using var unit = await db.BeginAsync();
        Assert.Equal(Migrations.Latest, Convert.ToInt32(await unit.ScalarAsync("SELECT MAX(version) FROM schema_version")));
        Assert.Equal(1L, Convert.ToInt64(await unit.ScalarAsync("SELECT COUNT(*) FROM schema_version WHERE version = 1")));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_device_keeps_its_token_unless_a_new_one_is_given(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var db = await MigratedAsync(test);
        var devices = new DeviceStore(db);
        await devices.AddDevicesAsync("T", [("a", "hash-1")], 1);
        await devices.AddDevicesAsync("T", [("a", null)], 2);
        await devices.RegisterAsync("T", "a", 3);
        var a = await devices.FindAsync("T", "a");
        Assert.Equal("hash-1", a!.TokenHash);
        Assert.True(a.RequestAttributes);
        await devices.SetAttributesAsync("T", "a", new Dictionary<string, string> { ["fw"] = "2.0.0" });
        a = await devices.FindAsync("T", "a");
        Assert.Equal("2.0.0", a!.Attributes["fw"]);
        Assert.False(a.RequestAttributes);
        Assert.Null(await devices.FindAsync("T", "b"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Adding_cohort_members_is_all_or_nothing(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var db = await MigratedAsync(test);
        await new DeviceStore(db).AddDevicesAsync("T", [("a", null), ("b", null)], 1);
        var cohorts = new CohortStore(db);
        Assert.True(await cohorts.CreateAsync("T", "c", 1));
        Assert.False(await cohorts.CreateAsync("T", "c", 2));
        Assert.Equal(["zz"], await cohorts.AddMembersAsync("T", "c", ["a", "zz", "b"]));
        await using (var unit = await db.BeginAsync())
        {
            Assert.Empty(await CohortStore.MembersAsync(unit, "T", "c"));
        }
        Assert.Empty(await cohorts.AddMembersAsync("T", "c", ["a", "b", "a"]));
        await using (var unit = await db.BeginAsync())
        {
            Assert.Equal(["a", "b"], await CohortStore.MembersAsync(unit, "T", "c"));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_rollout_reads_back_as_written_and_a_board_is_offered_once(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var db = await MigratedAsync(test);
        await new DeviceStore(db).AddDevicesAsync("T", [("a", null)], 1);
        await new CohortStore(db).CreateAsync("T", "c", 1);
        var draft = Draft();
        await using var unit = await db.BeginAsync();
        var id = await RolloutStore.InsertRolloutAsync(unit, draft, 5);
        var read = await RolloutStore.FindAsync(unit, id);
        Assert.Equal(draft.Files, read!.Files);
        Assert.Equal(draft.Thresholds, read.Thresholds);
        Assert.Equal("1,10,50,100", read.Waves.ToString());
        Assert.Equal(RolloutState.Running, read.State);
        Assert.Equal(1, await RolloutStore.OfferAsync(unit, read, "a", 0, 6));
        Assert.Equal(0, await RolloutStore.OfferAsync(unit, read, "a", 0, 7));
        var action = await RolloutStore.OpenActionForAsync(unit, "T", "a");
        Assert.Equal(ActionState.Pending, action!.State);
        // Moving from a state the action is not in changes nothing (a concurrent feedback won).
        Assert.False(await RolloutStore.MoveActionAsync(unit, action.Id, ActionState.Downloading, ActionState.Installing, null, 8));
        Assert.True(await RolloutStore.MoveActionAsync(unit, action.Id, ActionState.Pending, ActionState.Failed, "boom", 8));
        Assert.Equal(ActionState.Failed, (await RolloutStore.FindActionAsync(unit, action.Id))!.State);
        Assert.Null(await RolloutStore.OpenActionForAsync(unit, "T", "a"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_unit_not_committed_leaves_nothing(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var db = await MigratedAsync(test);
        await using (var unit = await db.BeginAsync())
        {
            await DeviceStore.EnsureTenantAsync(unit, "T", 1);
            await unit.ExecuteAsync("INSERT INTO cohorts (tenant, name, created_ms) VALUES ('T', 'c', 1)");
            // disposed without commit
        }
        Assert.False(await new CohortStore(db).ExistsAsync("T", "c"));
    }

    internal static RolloutRecord Draft() => new(0, "T", "c", "1.2.0", "https://cdn.example.com/r/",
        [new ReleaseFile("app.manifest", 10, new string('a', 40), new string('b', 32), new string('c', 64))],
        WavePlan.Default, 0, RolloutState.Running, null, new RolloutThresholds { MaxFailures = 3, ConfirmDeadline = TimeSpan.FromMinutes(5) }, 0);

    private static async Task<FleetDatabase> MigratedAsync(TestDatabase test)
    {
        var db = FleetDatabase.Open(test.Db);
        await Migrations.ApplyAsync(db);
        return db;
    }
}

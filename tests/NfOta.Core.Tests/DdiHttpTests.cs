using NfOta.Ddi;
using NfOta.Emulator.Device;
using NfOta.Esp32.Chips;
using NfOta.Http;
using NfOta.NativeHost.Tests;
using NfOta.Rollback;

namespace NfOta.Core.Tests;

/// <summary>The DDI client over real HTTP (Kestrel, HttpJsonClient) with its token, on the emulated board.</summary>
[Collection(NativeCollection.Name)]
public sealed class DdiHttpTests
{
    [Theory]
    [InlineData(false, "TargetToken ")]
    [InlineData(true, "GatewayToken ")]
    public async Task OverRealHttpTheTokenIsSentAndAWrongOneIsA401(bool gateway, string scheme)
    {
        var ddiHolder = new DdiProtocolTests.Holder();
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        await using var app = await DdiProtocolTests.Host(ddiHolder);
        var baseUrl = app.Urls.First();
        var ddi = new FakeDdiServer(baseUrl) { Authorization = scheme + FakeDdiServer.Token };
        ddiHolder.Server = ddi;
        using var http = new HttpJsonClient();
        var settings = DdiRig.Settings(baseUrl);
        settings.GatewayToken = gateway;
        var client = new DdiClient(http, settings, new HttpImageSource(), null, null);
        ddi.Sleep = "00:00:30";
        Assert.Equal(DdiOutcome.Idle, client.Poll());
        Assert.Equal(30, client.PollSeconds);
        Assert.Equal(["GET /DEFAULT/controller/v1/board-7", "PUT /DEFAULT/controller/v1/board-7/configData"], ddi.Log);
        Assert.Equal("valid", ddi.ConfigData[0]["state"]);

        // A release, installed over real HTTP from poll to confirmation.
        rig.Publish("2.0.0");
        DdiRig.Assign(rig, ddi, "40", DdiRig.ReleaseFiles(rig, "2.0.0"));
        Assert.Throws<DeviceRestartedException>(() => new DdiClient(http, settings, rig.Source, rig.Key.PublicKeyBytes(), null).Poll());
        var after = new DdiClient(http, settings, rig.Source, rig.Key.PublicKeyBytes(), null);
        Assert.Equal(DdiOutcome.RebootedPending, after.Poll());
        Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
        Assert.Equal(DdiOutcome.Confirmed, after.Poll());
        Assert.Equal(["download/none", "downloaded/none", "proceeding/none [installing]", "proceeding/none [rebooted-pending]", "closed/success [confirmed]"], DdiRig.Seen(ddi));

        settings.Token = "wrong";
        var e = Assert.Throws<OtaException>(() => new DdiClient(http, settings, new HttpImageSource(), null, null).Poll());
        Assert.Equal((OtaError.HttpStatus, 401, false), (e.Error, e.HttpStatus, e.IsTransient));
    }

}

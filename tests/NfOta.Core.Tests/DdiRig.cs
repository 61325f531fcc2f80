using NfOta.Ddi;
using NfOta.Engine;
using NfOta.Transfer;

namespace NfOta.Core.Tests;

/// <summary>
/// An <see cref="UpdateRig"/> board with a fake hawkBit server: a deployment's artifacts are copies
/// of released files under ddi/{action}/ on the rig's update server, so the engine downloads the
/// server's links (not the manifest's URLs) and the rig's faults apply to them.
/// </summary>
internal static class DdiRig
{
    public static FakeDdiServer Server() => new("http://ddi.test");

    public static DdiSettings Settings(string baseUrl) => new()
    {
        BaseUrl = baseUrl, Tenant = FakeDdiServer.Tenant, ControllerId = FakeDdiServer.Controller, Token = FakeDdiServer.Token,
    };

    /// <summary>A client as the board builds one after each start: nothing in RAM from before.</summary>
    public static DdiClient Client(UpdateRig rig, FakeDdiServer ddi, IJsonHttp? http = null, UpdateOptions? options = null) =>
        new(http ?? ddi, Settings(ddi.BaseUrl), rig.Source, rig.Key.PublicKeyBytes(), options ?? new UpdateOptions())
        {
            Sleep = ms => rig.Sleeps.Add(ms),
        };

    /// <summary>Open action <paramref name="id"/> with these files of the rig's release directory as artifacts.</summary>
    public static void Assign(UpdateRig rig, FakeDdiServer ddi, string id, params string[] files)
    {
        var folder = Path.Combine(rig.Directory, "ddi", id);
        Directory.CreateDirectory(folder);
        var artifacts = new List<(string, byte[], string)>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(rig.Directory, file));
            File.WriteAllBytes(Path.Combine(folder, file), bytes);
            artifacts.Add((file, bytes, rig.Server.UrlOf($"ddi/{id}/{file}").ToString()));
        }
        ddi.Assign(id, artifacts);
    }

    /// <summary>The files one release added to the rig's directory (its manifest and images; not latest.manifest).</summary>
    public static string[] ReleaseFiles(UpdateRig rig, string version) =>
        Directory.GetFiles(rig.Directory).Select(Path.GetFileName).Where(f => f!.Contains("-" + version + ".")).Select(f => f!).ToArray();

    /// <summary>What the server saw, one line per feedback: "execution/finished detail-prefix".</summary>
    public static List<string> Seen(FakeDdiServer ddi) =>
        ddi.Feedback.Select(f => $"{f.Execution}/{f.Finished} {Code(f.Detail)}".TrimEnd()).ToList();

    private static string Code(string? detail) => detail is not null && detail.StartsWith('[') ? detail[..(detail.IndexOf(']') + 1)] : "";
}

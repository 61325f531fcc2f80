using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Ddi;

/// <summary>The absolute links DDI answers carry: to this server's own resources, and to a release's files where they are hosted.</summary>
public static class DdiLinks
{
    public static string Controller(string serverBase, string tenant, string controllerId) =>
        $"{serverBase.TrimEnd('/')}/{Uri.EscapeDataString(tenant)}/controller/v1/{Uri.EscapeDataString(controllerId)}";

    /// <summary>hawkBit appends ?c= (a value that changes when the action does) so a cached poll answer is not reused.</summary>
    public static string DeploymentBase(string serverBase, string tenant, string controllerId, ActionRecord action) =>
        $"{Controller(serverBase, tenant, controllerId)}/deploymentBase/{action.Id}?c={Etag(action)}";

    public static string ConfigData(string serverBase, string tenant, string controllerId) =>
        $"{Controller(serverBase, tenant, controllerId)}/configData";

    /// <summary>The file under the release's base URL: "download" and "download-http" as hawkBit names them (hawkBit's default resolver gives both).</summary>
    public static Dictionary<string, DdiLink> Artifact(string releaseBase, string filename)
    {
        var href = new DdiLink(new Uri(new Uri(releaseBase), Uri.EscapeDataString(filename)).AbsoluteUri);
        return new Dictionary<string, DdiLink> { ["download"] = href, ["download-http"] = href };
    }

    private static long Etag(ActionRecord action) => (action.Id * 2654435761L + action.RolloutId) & 0x7fffffff;
}

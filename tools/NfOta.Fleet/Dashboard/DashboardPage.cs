using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using NfOta.Fleet.Admin;

namespace NfOta.Fleet.Dashboard;

/// <summary>
/// The read-only dashboard as one HTML page, rendered on the server (no script): cohorts, each
/// rollout with its state, failure rate and waves, and each device's state. Every value from the
/// database or a device is HTML-encoded (controller ids and error codes come from devices).
/// </summary>
public static class DashboardPage
{
    public static string Render(DashboardView view)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"15\">")
            .Append("<title>nf-ota fleet: ").Append(E(view.Tenant)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1.5em}")
            .Append("th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}.paused,.failed,.aborted{color:#b00}</style></head><body>")
            .Append("<h1>Fleet <span id=\"tenant\">").Append(E(view.Tenant)).Append("</span></h1>")
            .Append("<p>as of ").Append(E(view.At.ToString("u", CultureInfo.InvariantCulture))).Append(" (refreshes every 15 s)</p>");
        Cohorts(html, view.Cohorts);
        foreach (var rollout in view.Rollouts)
        {
            Rollout(html, rollout);
        }
        if (view.Rollouts.Count == 0)
        {
            html.Append("<p id=\"no-rollouts\">No rollouts yet.</p>");
        }
        Devices(html, view.Devices);
        return html.Append("</body></html>").ToString();
    }

    private static void Cohorts(StringBuilder html, IReadOnlyList<(string Name, int Members)> cohorts)
    {
        html.Append("<h2>Cohorts</h2><table id=\"cohorts\"><tr><th>cohort</th><th>devices</th></tr>");
        foreach (var (name, members) in cohorts)
        {
            html.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(members).Append("</td></tr>");
        }
        html.Append("</table>");
    }

    private static void Rollout(StringBuilder html, RolloutOut r)
    {
        html.Append("<h2>Rollout ").Append(r.Id).Append(": ").Append(E(r.Version)).Append(" to ").Append(E(r.Cohort)).Append("</h2>")
            .Append("<p id=\"rollout-").Append(r.Id).Append("\">state <b class=\"").Append(E(r.State)).Append("\">").Append(E(r.State)).Append("</b>")
            .Append(r.Reason is null ? "" : " (" + E(r.Reason) + ")")
            .Append(", wave ").Append(r.Wave).Append(" of ").Append(r.Waves.Count)
            .Append(", failure rate ").Append(Percent(r.Counts.FailureRate))
            .Append(" (").Append(r.Counts.Failed).Append(" failed of ").Append(r.Counts.Finished).Append(" finished), ")
            .Append(r.CohortSize - r.Counts.Offered).Append(" of ").Append(r.CohortSize).Append(" boards not offered it</p>")
            .Append("<table id=\"waves-").Append(r.Id).Append("\"><tr><th>wave</th><th>share</th><th>open</th><th>offered</th><th>confirmed</th><th>failed</th><th>in progress</th><th>failure rate</th></tr>");
        foreach (var w in r.Waves)
        {
            html.Append("<tr><td>").Append(w.Wave).Append("</td><td>").Append(w.Percent.ToString("0.##", CultureInfo.InvariantCulture)).Append(" %</td><td>")
                .Append(w.Open ? "yes" : "no").Append("</td><td>").Append(w.Counts.Offered).Append("</td><td>").Append(w.Counts.Confirmed)
                .Append("</td><td>").Append(w.Counts.Failed).Append("</td><td>").Append(w.Counts.Open).Append("</td><td>")
                .Append(Percent(w.Counts.FailureRate)).Append("</td></tr>");
        }
        html.Append("</table>");
    }

    private static void Devices(StringBuilder html, IReadOnlyList<DeviceOut> devices)
    {
        html.Append("<h2>Devices</h2><table id=\"devices\"><tr><th>device</th><th>last seen</th><th>rollout</th><th>version</th><th>state</th><th>error</th><th>running</th></tr>");
        foreach (var d in devices)
        {
            d.Attributes.TryGetValue("firmware", out var firmware);
            html.Append("<tr><td>").Append(E(d.ControllerId)).Append("</td><td>")
                .Append(d.LastSeen is { } seen ? E(seen.ToString("u", CultureInfo.InvariantCulture)) : "never").Append("</td><td>")
                .Append(d.Rollout?.ToString(CultureInfo.InvariantCulture) ?? "").Append("</td><td>").Append(E(d.Version ?? ""))
                .Append("</td><td class=\"").Append(E(d.State ?? "")).Append("\">").Append(E(d.State ?? "")).Append("</td><td>")
                .Append(E(d.ErrorCode ?? "")).Append("</td><td>").Append(E(firmware ?? "")).Append("</td></tr>");
        }
        html.Append("</table>");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}

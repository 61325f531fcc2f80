using System.Reflection;
using System.Text.RegularExpressions;
using NfOta.Interop;

namespace NfOta.NativeHost.Tests;

/// <summary>nf_ota_status.h and NativeOtaStatus.cs must say the same thing.</summary>
public sealed partial class ContractTests
{
    [Fact]
    public void EveryStatusConstantHasTheSameValueInCAndCSharp()
    {
        var header = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contract", "nf_ota_status.h"));
        var c = Define().Matches(header).ToDictionary(m => Pascal(m.Groups[1].Value), m => int.Parse(m.Groups[2].Value));
        var managed = typeof(NativeOtaStatus).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);

        Assert.True(c.Count >= 40, $"only {c.Count} constants parsed from nf_ota_status.h");
        Assert.Equal(c.Keys.Order(), managed.Keys.Order());
        foreach (var (name, value) in c)
        {
            Assert.True(value == managed[name], $"{name}: C {value}, C# {managed[name]}");
        }
    }

        /// <summary>SLOT_RECORD_LENGTH (of NF_OTA_SLOT_RECORD_LENGTH) -> SlotRecordLength.</summary>
    private static string Pascal(string macro) =>
        string.Concat(macro.Split('_').Select(w => w[0] + w[1..].ToLowerInvariant()));

    [GeneratedRegex(@"^#define NF_OTA_([A-Z0-9_]+) \(?(-?\d+)\)?\s*$", RegexOptions.Multiline)]
    private static partial Regex Define();
}

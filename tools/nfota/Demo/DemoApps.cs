using NfOta.NanoFramework;
using NfOta.Packaging;

namespace NfOta.Cli.Demo;

/// <summary>
/// The demo's managed apps and the native tables of its firmware. Each app is nanoFramework's own
/// mscorlib.pe (from the CoreLibrary package) plus .pe files written by <see cref="PeWriter"/>:
/// NfOta.Interop (with nf-ota's native checksum), optionally System.Device.Gpio, and the app
/// itself, "DemoApp", whose version names the release. MetadataProcessor does not run here, so
/// the app's own assemblies are synthetic; everything nanoCLR checks before it starts an app is real.
/// </summary>
public static class DemoApps
{
    /// <summary>NfOta.Interop's native checksum as nfgen computes it (native/nf_ota/nanoclr/NfOta_Interop.cpp).</summary>
    public const uint InteropChecksum = 0x2B3B2E87;

    /// <summary>A driver the 2.0.0 firmware adds (demo value).</summary>
    public const uint GpioChecksum = 0x4D8A1F60;

    private static readonly Version InteropVersion = new(1, 0, 0, 0);
    private static readonly Version GpioVersion = new(1, 1, 62, 0);

    public static byte[] Mscorlib()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "demo", "mscorlib.pe");
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new InvalidOperationException($"{path} is missing: the demo needs nanoFramework's mscorlib.pe (restored with the nanoFramework.CoreLibrary package)");
    }

    /// <summary>What a demo firmware provides: mscorlib, NfOta.Interop and, from 2.0.0, System.Device.Gpio.</summary>
    public static NativeAssemblyTable Firmware(bool gpio)
    {
        var corlib = PeAssembly.Parse(Mscorlib());
        var list = new List<NativeAssembly> { new("mscorlib", corlib.NativeChecksum), new("NfOta.Interop", InteropChecksum) };
        if (gpio) list.Add(new("System.Device.Gpio", GpioChecksum));
        return new NativeAssemblyTable(list);
    }

    /// <summary>
    /// The app of a release: DemoApp <paramref name="version"/> (about <paramref name="codeBytes"/>
    /// of byte code), over NfOta.Interop with <paramref name="interopChecksum"/> and, with
    /// <paramref name="gpio"/>, System.Device.Gpio.
    /// </summary>
    public static AppPart Build(string version, bool gpio, int codeBytes, uint interopChecksum = InteropChecksum)
    {
        var corlibVersion = new Version(1, 17, 11, 0);
        var files = new List<(string, byte[])>
        {
            ("mscorlib.pe", Mscorlib()),
            ("NfOta.Interop.pe", PeWriter.Write("NfOta.Interop", InteropVersion, interopChecksum, [("mscorlib", corlibVersion)], 6 * 1024, seed: 2)),
        };
        var references = new List<(string, Version)> { ("mscorlib", corlibVersion), ("NfOta.Interop", InteropVersion) };
        if (gpio)
        {
            files.Add(("System.Device.Gpio.pe", PeWriter.Write("System.Device.Gpio", GpioVersion, GpioChecksum, [("mscorlib", corlibVersion)], 12 * 1024, seed: 3)));
            references.Add(("System.Device.Gpio", GpioVersion));
        }
        var appVersion = System.Version.Parse(version);
        files.Add(("DemoApp.pe", PeWriter.Write("DemoApp", appVersion, 0, references, codeBytes, seed: appVersion.GetHashCode())));
        return AppPart.FromFiles(files);
    }
}

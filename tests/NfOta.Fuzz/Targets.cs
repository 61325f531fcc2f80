using System.Security.Cryptography;
using System.Text;
using NfOta.Emulator.Inspection;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;
using NfOta.Esp32.Images;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;
using NfOta.Esp32.SecureBoot;
using NfOta.Manifest;
using NfOta.Packaging;

namespace NfOta.Fuzz;

/// <summary>Every parser of bytes a device or the tools take from outside, with valid seeds.</summary>
public static class Targets
{
    public static IReadOnlyList<FuzzTarget> All { get; } = Build();

    private static bool Format(Exception e) => e is Esp32FormatException;

    private static IReadOnlyList<FuzzTarget> Build()
    {
        var key = SecureBootKey.FromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "secure-boot-v2", "key-rsa3072.pem")));
        var images = new[] { EspChip.Esp32, EspChip.Esp32C3 }.Select(chip => SecureBootV2.Sign(SeedImage(chip), key)).ToList();
        var plainImages = new[] { EspChip.Esp32, EspChip.Esp32C3 }.Select(SeedImage).ToList();

        using var manifestKey = ManifestKey.Create();
        var manifests = new List<byte[]>
        {
            SignedManifest.Create(manifestKey, "esp32", "2.0.0", 1, 123456, SHA256.HashData(images[0]), "https://u.example/app-2.0.0.bin", "1.0.0"),
            SignedManifest.Create(manifestKey, "esp32c3", "10.20.30.40", 0, 1, new byte[32], "http://h/x.bin", null),
            // Format 2: a firmware with block hashes and its native table, and an app part.
            SignedManifest.SignBody(manifestKey, System.Text.Encoding.ASCII.GetBytes(
                "nfota-manifest 2\nchip=esp32\nversion=2.0.0\nsecure-version=0\nsize=8192\nsha256=" + new string('a', 64)
                + "\nurl=https://u.example/fw.bin\nblock-size=4096\nblock-sha256=" + new string('b', 128)
                + "\nfirmware-natives=mscorlib:1549C856,NfOta.Interop:2B3B2E87\napp-size=2048\napp-sha256=" + new string('c', 64)
                + "\napp-url=https://u.example/app.app\napp-natives=mscorlib:1549C856\n")),
        };

        var table = PartitionTableCsv.Parse(DeviceSpec.TwoSlotCsv);
        var otadata = new byte[2 * OtaDataSectors.SectorSize];
        otadata.AsSpan().Fill(0xFF);
        OtaSelectEntry.Create(1, OtaImageState.Valid).WriteTo(otadata);
        OtaSelectEntry.Create(2, OtaImageState.PendingVerify).WriteTo(otadata.AsSpan(OtaDataSectors.SectorSize));

        var parsed = AppImage.Parse(images[0]);
        var sectorSeed = images[0][parsed.SignatureSectorOffset..];
        var digest = SecureBootV2.PublicKeyDigest(key);

        return
        [
            new FuzzTarget("manifest", manifests, b => UpdateManifest.Parse(b, b.Length) is not null, e => e is OtaException),
            new FuzzTarget("app-image", [.. images, .. plainImages], b => AppImage.Parse(b) is not null, Format),
            new FuzzTarget("app-description", images.Select(i => i[AppDescription.ImageOffset..(AppDescription.ImageOffset + AppDescription.Size)]).ToList(),
                b => AppDescription.TryParse(b) is not null, _ => false),
            new FuzzTarget("partition-table", [PartitionTableBinary.Serialize(table)], b => PartitionTableBinary.Parse(b, requireMd5: true) is not null, Format),
            new FuzzTarget("partition-csv", [Encoding.ASCII.GetBytes(DeviceSpec.TwoSlotCsv)],
                b => PartitionTableCsv.Parse(Encoding.Latin1.GetString(b)) is not null, Format),
            new FuzzTarget("otadata", [otadata], b => OtaDataSectors.Parse(b) is not null, Format),
            new FuzzTarget("signature-sector", [sectorSeed], b =>
            {
                var contents = images[0].AsSpan(0, parsed.SignatureSectorOffset);
                return SecureBootV2.VerifyWithDigests(contents, b, [digest], EspChip.Esp32).Valid;
            }, Format),
            // A dump is whatever a user points nfota inspect at: it reports, it never throws.
            new FuzzTarget("flash-dump", [SmallBoardDump(plainImages[1], null), SmallBoardDump(plainImages[1], DumpKey)],
                b => FlashInspector.Inspect(b, new InspectionOptions { Chip = EspChip.Esp32C3, Key = DumpKey }).Boot.Partition is not null,
                _ => false),
            // The C# app's formats: a .pe (pack, the emulated nanoCLR), a deploy partition as nanoCLR
            // walks it (it reports, it never throws), a firmware's native table, nf-ota's app record.
            new FuzzTarget("pe", [.. AppSeeds()], b => NanoFramework.PeAssembly.Parse(b) is not null, e => e is NanoFramework.PeFormatException),
            new FuzzTarget("deployment", [NanoFramework.DeploymentImage.Build(AppSeeds())], b => NanoFramework.DeploymentImage.Walk(b).All(e => e.Assembly is not null), _ => false),
            new FuzzTarget("native-table", [NativeTableSeed().ToRecord()], b => NanoFramework.NativeAssemblyTable.FromRecord(b) is not null, e => e is NanoFramework.PeFormatException),
            new FuzzTarget("app-record", [Model.AppRecord.Build(2048, new byte[32], "1.2.3")], b => Model.AppRecord.Parse(b) is not null, _ => false),
            // What a DDI server (or whoever answers in its place) sends a board: JSON, then hawkBit's shapes.
            new FuzzTarget("json", [.. DdiSeeds(), "[0,-1.5e+3,true,false,null,\"\\ud83d\\ude00 \u00e9\",[],{}]"u8.ToArray()],
                b => Json.JsonDocument.Parse(b, b.Length, null).ValueCount > 0, e => e is OtaException),
            new FuzzTarget("ddi", [.. DdiSeeds()], b => ReadDdi(b), e => e is OtaException),
        ];
    }

    private static List<byte[]> DdiSeeds() =>
    [
        """{"config":{"polling":{"sleep":"12:00:00"}},"_links":{"deploymentBase":{"href":"https://h/T/controller/v1/C/deploymentBase/5?c=-2127183556"},"configData":{"href":"https://h/T/controller/v1/C/configData"}}}"""u8.ToArray(),
        """{"id":"8","deployment":{"download":"forced","update":"forced","maintenanceWindow":"available","chunks":[{"part":"os","version":"2.0.0","name":"fw","artifacts":[{"filename":"nf-2.0.0.manifest","hashes":{"sha1":"98","md5":"d0","sha256":"b3"},"size":13,"_links":{"download":{"href":"https://cdn/sm/23/nf-2.0.0.manifest"},"download-http":{"href":"http://cdn/sm/23/nf-2.0.0.manifest"}}}]}]},"actionHistory":{"status":"RUNNING","messages":["a \u00e9 \"b\""]}}"""u8.ToArray(),
    ];

    /// <summary>A base poll or a deployment, read as the DDI client reads them.</summary>
    private static bool ReadDdi(byte[] bytes)
    {
        var json = Json.JsonDocument.Parse(bytes, bytes.Length, null);
        if (json.Member(Json.JsonDocument.Root, "id") < 0)
        {
            return Ddi.DdiPoll.Parse(json).DeploymentUrl is not null;
        }
        return Ddi.DdiDeployment.Parse(json).Manifest is not null;
    }

    private static List<byte[]> AppSeeds()
    {
        var corlib = new Version(1, 17, 11, 0);
        return
        [
            NanoFramework.PeWriter.Write("mscorlib", corlib, 0x1549C856, [], 200),
            NanoFramework.PeWriter.Write("App", new Version(1, 2, 0, 0), 0, [("mscorlib", corlib), ("Lib", new Version(2, 0, 0, 0))], 300, seed: 2),
        ];
    }

    private static NanoFramework.NativeAssemblyTable NativeTableSeed() =>
        new([new("mscorlib", 0x1549C856), new("NfOta.Interop", 0x2B3B2E87)]);

    private static readonly byte[] DumpKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 11 + 3)).ToArray();

    /// <summary>The first 320 KiB of an esp32c3 board whose table ends there (two 128 KiB slots), so each run is quick.</summary>
    private static byte[] SmallBoardDump(byte[] image, byte[]? flashKey)
    {
        var device = Provisioner.Create(new DeviceSpec
        {
            Chip = EspChip.Esp32C3,
            
            PartitionCsv = """
                nvs,      data, nvs,     0x9000,   0x4000
                otadata,  data, ota,     0xd000,   0x2000
                phy_init, data, phy,     0xf000,   0x1000
                ota_0,    app,  ota_0,   0x10000,  0x20000
                ota_1,    app,  ota_1,   0x30000,  0x20000
                """,
            Images = new Dictionary<string, byte[]> { ["ota_0"] = image, ["ota_1"] = image },
            FlashEncryptionKey = flashKey,
        });
        device.PowerOn();
        return device.Flash.Dump()[..0x50000]; // the table ends there; the rest is erased flash

    }

    private static byte[] SeedImage(EspChip chip)
    {
        var builder = new AppImageBuilder(chip)
        {
            EntryAddress = chip.Irom.Start + 0x100,
            Description = new AppDescription { Version = "2.0.0", ProjectName = "fuzz", IdfVersion = "v5.5" },
        };
        builder.AddSegment(chip.Drom.Start + 0x20, Enumerable.Range(0, 300).Select(i => (byte)i).ToArray());
        builder.AddSegment(chip.Irom.Start + 0x20, Enumerable.Range(0, 700).Select(i => (byte)(i * 3)).ToArray());
        builder.AddSegment(chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u, new byte[64]);
        return builder.Build();
    }
}

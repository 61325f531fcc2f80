using System.Text.Json;
using NfOta.McuBoot.Images;

namespace NfOta.McuBoot.Tests;

/// <summary>ImageDump is what imgtool 2.3.0's dumpinfo -o wrote for each vector: the same text, field by field.</summary>
public sealed class DumpTests
{
    [Theory]
    [MemberData(nameof(ImgtoolVectors.ValidTheory), MemberType = typeof(ImgtoolVectors))]
    public void Yaml_is_the_text_imgtool_wrote(string name)
    {
        var expected = File.ReadAllText(Path.Combine(ImgtoolVectors.Root, name + ".dumpinfo.yaml"));

        Assert.Equal(expected, ImageDump.Read(ImgtoolVectors.Image(name)).ToYaml());
    }

    [Theory]
    [MemberData(nameof(ImgtoolVectors.ValidTheory), MemberType = typeof(ImgtoolVectors))]
    public void Fields_are_the_ones_imgtool_wrote(string name)
    {
        var dump = ImageDump.Read(ImgtoolVectors.Image(name));
        var imgtool = ImgtoolVectors.Dump(name);

        Assert.Equal(imgtool.Header["magic"], dump.Header.Magic.ToString());
        Assert.Equal(imgtool.Header["load_addr"], dump.Header.LoadAddr.ToString());
        Assert.Equal(imgtool.Header["hdr_size"], dump.Header.HdrSize.ToString());
        Assert.Equal(imgtool.Header["protected_tlv_size"], dump.Header.ProtectedTlvSize.ToString());
        Assert.Equal(imgtool.Header["img_size"], dump.Header.ImgSize.ToString());
        Assert.Equal(imgtool.Header["flags"], dump.Header.Flags.ToString());
        Assert.Equal(imgtool.Header["version"], dump.Header.Version);
        Assert.Equal(imgtool.Protected?.Magic, (int?)dump.TlvArea.TlvHdrProt.Magic);
        Assert.Equal(imgtool.Protected?.Total, dump.TlvArea.TlvHdrProt.TlvTot);
        Assert.Equal(imgtool.Protected?.Tlvs.Select(t => (t.Type, t.Length, Convert.ToHexString(t.Data))) ?? [],
            dump.TlvArea.TlvsProt.Select(t => ((int)t.Type, t.Len, Convert.ToHexString(t.Data))));
        Assert.Equal(imgtool.Unprotected.Magic, (int?)dump.TlvArea.TlvHdr.Magic);
        Assert.Equal(imgtool.Unprotected.Total, (int?)dump.TlvArea.TlvHdr.TlvTot);
        Assert.Equal(imgtool.Unprotected.Tlvs.Select(t => (t.Type, t.Length, Convert.ToHexString(t.Data))),
            dump.TlvArea.Tlvs.Select(t => ((int)t.Type, t.Len, Convert.ToHexString(t.Data))));
        Assert.Null(dump.Trailer.Magic);
    }

    [Fact]
    public void Json_has_imgtools_names_and_empty_objects()
    {
        var json = JsonSerializer.Serialize(ImageDump.Read(ImgtoolVectors.Image("ec256-h20-1000")));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        Assert.Equal(["header", "tlv_area", "trailer"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2532554813u, root.GetProperty("header").GetProperty("magic").GetUInt32());
        Assert.Equal("{}", root.GetProperty("tlv_area").GetProperty("tlv_hdr_prot").GetRawText());
        Assert.Equal("{}", root.GetProperty("trailer").GetRawText());
        Assert.Equal("Gwc5EbSgM0M8DgTbqoS2NCzkFKo1P8PmkglXjSKbmhI=", root.GetProperty("tlv_area").GetProperty("tlvs")[0].GetProperty("data").GetString());
    }

    /// <summary>
    /// The trailer part of what imgtool 2.3.0's dumpinfo -o wrote for an image it padded with
    /// --confirm (-S 0x4000 --align 4; this session's cross-check, tools/NfOta.McuBoot/README.md).
    /// </summary>
    [Fact]
    public void A_confirmed_trailer_reads_as_imgtool_writes_it()
    {
        var options = ImgtoolSignings.Of("ec256-h20-1000").Options with { SlotSize = 0x4000, Confirm = true };
        var file = Writing.ImageWriter.Write(ImgtoolSignings.Input("ec256-h20-1000"), options, null);

        var yaml = ImageDump.Read(file).ToYaml();

        Assert.EndsWith("""
            trailer:
              magic: !!binary |
                d8KV82DS7381UlAPLLZ5gA==
              image_ok: 1
              copy_done: 255
              swap_info: 255
              swap_size: 4294967295

            """.ReplaceLineEndings("\n"), yaml);
    }
}

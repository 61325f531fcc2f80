using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Serialization;
using NfOta.McuBoot.Tlvs;
using NfOta.McuBoot.Writing;

namespace NfOta.McuBoot.Images;

/// <summary>
/// What imgtool 2.3.0's <c>dumpinfo</c> reports of an image file (dumpinfo.py, the document its
/// <c>-o</c> writes): the header fields, each TLV area's info and TLVs as they are, and, when
/// bytes follow the image, the slot trailer read back from the file's end. Property names are
/// imgtool's, so the JSON form is the same document as the YAML one.
/// </summary>
public sealed record ImageDump(
    [property: JsonPropertyName("header")] ImageDump.HeaderFields Header,
    [property: JsonPropertyName("tlv_area")] ImageDump.TlvAreas TlvArea,
    [property: JsonPropertyName("trailer")] ImageDump.TrailerFields Trailer)
{
    public sealed record HeaderFields(
        [property: JsonPropertyName("magic")] uint Magic,
        [property: JsonPropertyName("load_addr")] uint LoadAddr,
        [property: JsonPropertyName("hdr_size")] ushort HdrSize,
        [property: JsonPropertyName("protected_tlv_size")] ushort ProtectedTlvSize,
        [property: JsonPropertyName("img_size")] uint ImgSize,
        [property: JsonPropertyName("flags")] uint Flags,
        [property: JsonPropertyName("version")] string Version);

    /// <summary>A TLV area's info; both null (imgtool's <c>{}</c>) for an absent protected area.</summary>
    public sealed record TlvInfo(
        [property: JsonPropertyName("magic"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ushort? Magic,
        [property: JsonPropertyName("tlv_tot"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TlvTot);

    public sealed record TlvEntry(
        [property: JsonPropertyName("type")] ushort Type,
        [property: JsonPropertyName("len")] int Len,
        [property: JsonPropertyName("data")] byte[] Data);

    public sealed record TlvAreas(
        [property: JsonPropertyName("tlv_hdr_prot")] TlvInfo TlvHdrProt,
        [property: JsonPropertyName("tlvs_prot")] IReadOnlyList<TlvEntry> TlvsProt,
        [property: JsonPropertyName("tlv_hdr")] TlvInfo TlvHdr,
        [property: JsonPropertyName("tlvs")] IReadOnlyList<TlvEntry> Tlvs);

    /// <summary>The trailer (imgtool's <c>{}</c> when nothing follows the image; only the magic when it is not a boot magic).</summary>
    public sealed record TrailerFields(
        [property: JsonPropertyName("magic"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte[]? Magic,
        [property: JsonPropertyName("image_ok"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte? ImageOk,
        [property: JsonPropertyName("copy_done"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte? CopyDone,
        [property: JsonPropertyName("swap_info"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte? SwapInfo,
        [property: JsonPropertyName("swap_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? SwapSize);

    /// <summary>Reads an image file (the image, then any padding and trailer imgtool's --pad added).</summary>
    /// <exception cref="Errors.McuBootFormatException">Not a well-formed MCUboot image (imgtool would print what it finds; nfota refuses).</exception>
    public static ImageDump Read(ReadOnlyMemory<byte> file)
    {
        var image = McuBootImage.Parse(file);
        var h = image.Header;
        var header = new HeaderFields(ImageHeader.Magic, h.LoadAddress, h.HeaderSize, h.ProtectedTlvSize, h.ImageSize, h.Flags, h.Version.ToString());
        var areas = new TlvAreas(
            Info(image.ProtectedArea), Entries(image.ProtectedTlvs),
            Info(image.UnprotectedArea), Entries(image.UnprotectedTlvs));
        var trailer = file.Length > image.Length ? ReadTrailer(file) : new TrailerFields(null, null, null, null, null);
        return new ImageDump(header, areas, trailer);
    }

    private static TlvInfo Info(TlvArea? area) => new(area?.Magic, area?.TotalLength);

    private static List<TlvEntry> Entries(IReadOnlyList<Tlv> tlvs) => tlvs.Select(t => new TlvEntry(t.Type, t.Length, t.Data.ToArray())).ToList();

    /// <summary>dumpinfo.py: the magic is the file's last 16 bytes, each flag a max-align unit before it.</summary>
    private static TrailerFields ReadTrailer(ReadOnlyMemory<byte> bytes)
    {
        var file = bytes.Span;
        var magic = file[^SlotTrailer.MagicSize..];
        int maxAlign;
        if (magic.SequenceEqual(SlotTrailer.Magic)) maxAlign = 8;
        else if (magic[2..].SequenceEqual(SlotTrailer.AlignedMagicTail)) maxAlign = BinaryPrimitives.ReadUInt16LittleEndian(magic);
        else return new TrailerFields(magic.ToArray(), null, null, null, null);
        var at = file.Length - SlotTrailer.MagicSize;
        if (maxAlign > SlotTrailer.MagicSize) at -= maxAlign - SlotTrailer.MagicSize;
        byte? Next()
        {
            at -= maxAlign;
            return at >= 0 ? bytes.Span[at] : null;
        }
        var imageOk = Next();
        var copyDone = Next();
        var swapInfo = Next();
        at -= maxAlign;
        uint? swapSize = at >= 0 && at + 4 <= file.Length ? BinaryPrimitives.ReadUInt32LittleEndian(file[at..]) : null;
        return new TrailerFields(magic.ToArray(), imageOk, copyDone, swapInfo, swapSize);
    }

    /// <summary>The YAML imgtool's <c>dumpinfo -o</c> writes (PyYAML's block style; bytes as <c>!!binary</c> base64 in 76-character lines).</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("header:\n");
        Field(yaml, 1, "magic", Header.Magic);
        Field(yaml, 1, "load_addr", Header.LoadAddr);
        Field(yaml, 1, "hdr_size", Header.HdrSize);
        Field(yaml, 1, "protected_tlv_size", Header.ProtectedTlvSize);
        Field(yaml, 1, "img_size", Header.ImgSize);
        Field(yaml, 1, "flags", Header.Flags);
        Field(yaml, 1, "version", Header.Version);
        yaml.Append("tlv_area:\n");
        Info(yaml, "tlv_hdr_prot", TlvArea.TlvHdrProt);
        Tlvs(yaml, "tlvs_prot", TlvArea.TlvsProt);
        Info(yaml, "tlv_hdr", TlvArea.TlvHdr);
        Tlvs(yaml, "tlvs", TlvArea.Tlvs);
        if (Trailer.Magic is null)
        {
            yaml.Append("trailer: {}\n");
            return yaml.ToString();
        }
        yaml.Append("trailer:\n");
        Binary(yaml, 1, "magic", Trailer.Magic);
        if (Trailer.ImageOk is { } ok) Field(yaml, 1, "image_ok", ok);
        if (Trailer.CopyDone is { } done) Field(yaml, 1, "copy_done", done);
        if (Trailer.SwapInfo is { } info) Field(yaml, 1, "swap_info", info);
        if (Trailer.SwapSize is { } size) Field(yaml, 1, "swap_size", size);
        return yaml.ToString();
    }

    private static void Field(StringBuilder yaml, int depth, string name, object value) =>
        yaml.Append(' ', depth * 2).Append(name).Append(": ").Append(value).Append('\n');

    private static void Info(StringBuilder yaml, string name, TlvInfo info)
    {
        if (info.Magic is null)
        {
            yaml.Append("  ").Append(name).Append(": {}\n");
            return;
        }
        yaml.Append("  ").Append(name).Append(":\n");
        Field(yaml, 2, "magic", info.Magic);
        Field(yaml, 2, "tlv_tot", info.TlvTot!);
    }

    private static void Tlvs(StringBuilder yaml, string name, IReadOnlyList<TlvEntry> tlvs)
    {
        if (tlvs.Count == 0)
        {
            yaml.Append("  ").Append(name).Append(": []\n");
            return;
        }
        yaml.Append("  ").Append(name).Append(":\n");
        foreach (var tlv in tlvs)
        {
            yaml.Append("  - type: ").Append(tlv.Type).Append('\n');
            Field(yaml, 2, "len", tlv.Len);
            Binary(yaml, 2, "data", tlv.Data);
        }
    }

    /// <summary>Python's base64.encodebytes, as PyYAML writes a bytes value: lines of 76 characters under a literal block.</summary>
    private static void Binary(StringBuilder yaml, int depth, string name, byte[] data)
    {
        yaml.Append(' ', depth * 2).Append(name).Append(": !!binary |\n");
        var text = Convert.ToBase64String(data);
        for (var at = 0; at < text.Length; at += 76)
            yaml.Append(' ', (depth + 1) * 2).Append(text.AsSpan(at, Math.Min(76, text.Length - at))).Append('\n');
    }
}

using System.Buffers.Binary;
using System.Text;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Images;

/// <summary>
/// <c>esp_app_desc_t</c> (256 bytes), which ESP-IDF places at the very start of the first
/// (DROM) segment: version, project, secure_version for anti-rollback, IDF version, ELF hash.
/// </summary>
public sealed record AppDescription
{
    public const uint MagicWord = 0xABCD5432;
    public const int Size = 256;

    /// <summary>Offset of the description in an app image: image header plus one segment header.</summary>
    public const int ImageOffset = ImageHeader.Size + ImageSegment.HeaderSize;

    public uint Magic { get; init; } = MagicWord;
    public uint SecureVersion { get; init; }
    public string Version { get; init; } = "";
    public string ProjectName { get; init; } = "";
    public string Time { get; init; } = "";
    public string Date { get; init; } = "";
    public string IdfVersion { get; init; } = "";
    public byte[] AppElfSha256 { get; init; } = new byte[32];
    public ushort MinEfuseBlockRevisionFull { get; init; }
    public ushort MaxEfuseBlockRevisionFull { get; init; } = 0xFFFF;
    /// <summary>log2 of the MMU page size the app was built for (16 = 64 KiB); 0 in older images.</summary>
    public byte MmuPageSizeLog2 { get; init; } = 16;

    /// <summary>The description starting at <paramref name="raw"/>, or null when the magic word is absent.</summary>
    public static AppDescription? TryParse(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(raw) != MagicWord) return null;
        return new AppDescription
        {
            Magic = MagicWord,
            SecureVersion = BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]),
            Version = ReadString(raw.Slice(16, 32)),
            ProjectName = ReadString(raw.Slice(48, 32)),
            Time = ReadString(raw.Slice(80, 16)),
            Date = ReadString(raw.Slice(96, 16)),
            IdfVersion = ReadString(raw.Slice(112, 32)),
            AppElfSha256 = raw.Slice(144, 32).ToArray(),
            MinEfuseBlockRevisionFull = BinaryPrimitives.ReadUInt16LittleEndian(raw[176..]),
            MaxEfuseBlockRevisionFull = BinaryPrimitives.ReadUInt16LittleEndian(raw[178..]),
            MmuPageSizeLog2 = raw[180],
        };
    }

    public byte[] ToBytes()
    {
        var raw = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(raw, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(4), SecureVersion);
        WriteString(raw.AsSpan(16, 32), Version, nameof(Version));
        WriteString(raw.AsSpan(48, 32), ProjectName, nameof(ProjectName));
        WriteString(raw.AsSpan(80, 16), Time, nameof(Time));
        WriteString(raw.AsSpan(96, 16), Date, nameof(Date));
        WriteString(raw.AsSpan(112, 32), IdfVersion, nameof(IdfVersion));
        if (AppElfSha256.Length != 32) throw new Esp32FormatException(FormatError.ImageBuild, "app_elf_sha256 must be 32 bytes");
        AppElfSha256.CopyTo(raw, 144);
        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(176), MinEfuseBlockRevisionFull);
        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(178), MaxEfuseBlockRevisionFull);
        raw[180] = MmuPageSizeLog2;
        return raw;
    }

    private static string ReadString(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? field[..nul] : field);
    }

    /// <summary>Fixed-size C string: the build truncates, but a silently cut version string would mislead, so refuse.</summary>
    private static void WriteString(Span<byte> field, string value, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > field.Length)
        {
            throw new Esp32FormatException(FormatError.ImageBuild,
                $"{name} '{value}' is {bytes.Length} bytes; esp_app_desc_t holds at most {field.Length}");
        }
        bytes.CopyTo(field);
    }
}

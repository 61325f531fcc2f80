using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NfOta.McuBoot.Images;

/// <summary>
/// MCUboot's image version (struct image_version, 8 bytes): major and minor bytes, a 16-bit
/// revision and a 32-bit build number, printed by imgtool as <c>major.minor.revision+build</c>.
/// </summary>
public readonly partial record struct ImageVersion(byte Major, byte Minor, ushort Revision, uint Build)
{
    /// <summary>Bytes of the version in a header or a dependency TLV.</summary>
    public const int Size = 8;

    /// <summary>Reads the 8 little-endian bytes at the start of <paramref name="bytes"/>.</summary>
    public static ImageVersion Read(ReadOnlySpan<byte> bytes) => new(
        bytes[0],
        bytes[1],
        BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]));

    /// <summary>Writes the 8 little-endian bytes at the start of <paramref name="bytes"/>.</summary>
    public void Write(Span<byte> bytes)
    {
        bytes[0] = Major;
        bytes[1] = Minor;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], Revision);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], Build);
    }

    /// <summary>
    /// imgtool's <c>--version</c> text: <c>major[.minor[.revision[+build]]]</c>, decimal without
    /// leading zeros (imgtool's version.py), each part within its field's width.
    /// </summary>
    /// <exception cref="FormatException">Not of that form, or a part too large for its field.</exception>
    public static ImageVersion Parse(string text)
    {
        var match = VersionText().Match(text);
        if (!match.Success)
            throw new FormatException($"version '{text}' is not maj.min.rev+build (later parts optional, decimal, no leading zeros)");
        return new ImageVersion(
            (byte)Part(match.Groups[1], byte.MaxValue, "major", text),
            (byte)Part(match.Groups[3], byte.MaxValue, "minor", text),
            (ushort)Part(match.Groups[5], ushort.MaxValue, "revision", text),
            (uint)Part(match.Groups[7], uint.MaxValue, "build", text));
    }

    private static ulong Part(Group group, ulong max, string name, string text)
    {
        if (!group.Success) return 0;
        if (!ulong.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            throw new FormatException($"version '{text}': the {name} {group.Value} does not fit MCUboot's field (at most {max})");
        return value;
    }

    /// <summary>imgtool's version_re.</summary>
    [GeneratedRegex(@"^([1-9][0-9]*|0)(\.([1-9][0-9]*|0)(\.([1-9][0-9]*|0)(\+([1-9][0-9]*|0))?)?)?$")]
    private static partial Regex VersionText();

    /// <summary>imgtool's form: <c>1.2.3+4</c>.</summary>
    public override string ToString() => $"{Major}.{Minor}.{Revision}+{Build}";
}

using NfOta.McuBoot.Images;
using NfOta.McuBoot.Tlvs;

namespace NfOta.McuBoot.Writing;

/// <summary>How the image is laid out, as imgtool sign's options of the same names set it.</summary>
public sealed record SignOptions
{
    /// <summary><c>--version</c>.</summary>
    public required ImageVersion Version { get; init; }

    /// <summary><c>--header-size</c>: where the payload starts (32 to 65535).</summary>
    public required int HeaderSize { get; init; }

    /// <summary><c>--pad-header</c>: prepend <see cref="HeaderSize"/> erased bytes; without it the input must start with that many zeros.</summary>
    public bool PadHeader { get; init; }

    /// <summary><c>--align</c>: the flash write size (1, 2, 4, 8, 16 or 32); it sizes the slot trailer only.</summary>
    public int Align { get; init; } = 1;

    /// <summary><c>--max-align</c> (8, 16 or 32); null: the larger of 8 and <see cref="Align"/>.</summary>
    public int? MaxAlign { get; init; }

    /// <summary><c>--security-counter</c> (see <see cref="SecurityCounters"/> for <c>auto</c>); null: no SEC_CNT TLV.</summary>
    public uint? SecurityCounter { get; init; }

    /// <summary><c>--dependencies</c>: DEPENDENCY TLVs, in order, after the security counter.</summary>
    public IReadOnlyList<ImageDependency> Dependencies { get; init; } = [];

    /// <summary><c>--public-key-format</c>: a KEYHASH TLV (hash) or the whole key (full).</summary>
    public PublicKeyFormat PublicKeyFormat { get; init; } = PublicKeyFormat.Hash;

    /// <summary><c>--slot-size</c>; 0: no slot (no size check, no padding).</summary>
    public uint SlotSize { get; init; }

    /// <summary><c>--pad</c>: fill to <see cref="SlotSize"/> with the erased value, the trailer's magic at the end.</summary>
    public bool Pad { get; init; }

    /// <summary><c>--confirm</c>: padded, with image_ok set (implies <see cref="Pad"/>).</summary>
    public bool Confirm { get; init; }

    /// <summary><c>--test</c>: padded for a test swap, image_ok left erased (implies <see cref="Pad"/>).</summary>
    public bool Test { get; init; }

    /// <summary><c>--overwrite-only</c>: the smaller trailer of overwrite-only upgrades.</summary>
    public bool OverwriteOnly { get; init; }

    /// <summary><c>--max-sectors</c>: sectors the swap status covers (imgtool's default 128).</summary>
    public int MaxSectors { get; init; } = 128;

    /// <summary>imgtool's erased value (its default, 0xff): header padding and slot padding.</summary>
    public byte ErasedValue { get; init; } = 0xFF;

    /// <summary>True when the output is padded to the slot: --pad, --confirm or --test.</summary>
    public bool Padded => Pad || Confirm || Test;
}

/// <summary>imgtool's <c>--public-key-format</c>.</summary>
public enum PublicKeyFormat
{
    /// <summary>KEYHASH TLV (0x01): SHA-256 of the public key.</summary>
    Hash,

    /// <summary>PUBKEY TLV (0x02): the SubjectPublicKeyInfo DER.</summary>
    Full,
}

/// <summary>imgtool's <c>--security-counter auto</c>.</summary>
public static class SecurityCounters
{
    /// <summary>The counter imgtool derives from the version: major &lt;&lt; 24 + minor &lt;&lt; 16 + revision (the build is left out).</summary>
    public static uint FromVersion(ImageVersion version) => ((uint)version.Major << 24) + ((uint)version.Minor << 16) + version.Revision;
}

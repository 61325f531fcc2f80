namespace NfOta.Esp32.SecureBoot;

/// <summary>The 4 KiB sector after a signed image: up to three signature blocks, then 0xFF.</summary>
public static class SignatureSector
{
    public const int Size = 4096;
    public const int MaxBlocks = 3;

    /// <summary>The valid blocks in the first <paramref name="maxBlocks"/> slots, each with its slot index.</summary>
    public static IReadOnlyList<(int Index, SignatureBlock Block)> ValidBlocks(ReadOnlySpan<byte> sector, int maxBlocks = MaxBlocks)
    {
        var blocks = new List<(int, SignatureBlock)>();
        for (var i = 0; i < Math.Min(maxBlocks, MaxBlocks); i++)
        {
            var start = i * SignatureBlock.Size;
            if (start + SignatureBlock.Size > sector.Length) break;
            if (SignatureBlock.TryParse(sector.Slice(start, SignatureBlock.Size)) is { } block) blocks.Add((i, block));
        }
        return blocks;
    }
}

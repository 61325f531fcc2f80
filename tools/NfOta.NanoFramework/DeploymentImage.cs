namespace NfOta.NanoFramework;

/// <summary>
/// The managed app in a board's deployment region: .pe assemblies one after another, each padded to
/// a multiple of 4 bytes, the rest erased. <see cref="Walk"/> reads a region the way nanoCLR's
/// start-up does (CLRStartup.cpp, ContiguousBlockAssemblies), so it finds exactly the assemblies
/// nanoCLR would load, and says why it skips anything else.
/// </summary>
public static class DeploymentImage
{
    /// <summary>
    /// One step of the walk: an assembly nanoCLR loads, or bytes it skips and why. <paramref name="Code"/>
    /// is set when the skipped bytes had a good header, so they were an assembly nanoCLR refused
    /// (a damaged body, one cut short), not just bytes that are no assembly.
    /// </summary>
    public sealed record Entry(int Offset, PeAssembly? Assembly, string? Skipped, string? Code = null);

    /// <summary>
    /// Lays out checked assemblies contiguously, each padded with 0xFF to a multiple of 4 bytes.
    /// Throws <see cref="PeFormatException"/> naming the assembly nanoCLR would refuse.
    /// </summary>
    public static byte[] Build(IReadOnlyList<byte[]> assemblies)
    {
        var image = new List<byte>();
        for (var i = 0; i < assemblies.Count; i++)
        {
            PeAssembly pe;
            try
            {
                pe = PeAssembly.Parse(assemblies[i]);
            }
            catch (PeFormatException e)
            {
                throw new PeFormatException(e.Code, $"assembly {i + 1} of {assemblies.Count}: {e.Message}");
            }
            if (pe.TotalSize != assemblies[i].Length)
            {
                throw new PeFormatException("pe-trailing-bytes", $"assembly {i + 1} of {assemblies.Count}: {assemblies[i].Length - pe.TotalSize} bytes follow its end");
            }
            image.AddRange(assemblies[i]);
            while (image.Count % 4 != 0) image.Add(0xFF);
        }
        return [.. image];
    }

    /// <summary>
    /// nanoCLR's walk: read a header; when it checks, read the assembly (rounded up to 4 bytes) and
    /// load it if its CRC checks, then go on after it; when the header does not check, go on 124
    /// bytes further. It stops when fewer than a header's bytes are left or an assembly runs past
    /// the region's end.
    /// </summary>
    public static IReadOnlyList<Entry> Walk(ReadOnlySpan<byte> region)
    {
        var entries = new List<Entry>();
        var at = 0;
        var skippedFrom = -1;
        while (region.Length - at >= PeAssembly.HeaderSize)
        {
            var header = region.Slice(at, PeAssembly.HeaderSize);
            if (PeAssembly.CheckHeader(header) is not null)
            {
                if (skippedFrom < 0) skippedFrom = at;
                at += PeAssembly.HeaderSize;
                continue;
            }
            var total = PeAssembly.DeclaredSize(header);
            if (skippedFrom >= 0)
            {
                entries.Add(new Entry(skippedFrom, null, $"{at - skippedFrom} bytes with no assembly header"));
                skippedFrom = -1;
            }
            var size = (int)Math.Min(int.MaxValue, ((long)total + 3) & ~3L);
            if (size > region.Length - at)
            {
                entries.Add(new Entry(at, null, $"an assembly of {size} bytes runs past the region's end; nanoCLR stops here", "pe-truncated"));
                return entries;
            }
            try
            {
                entries.Add(new Entry(at, PeAssembly.Parse(region.Slice(at, size)), null));
            }
            catch (PeFormatException e)
            {
                entries.Add(new Entry(at, null, e.Message, e.Code));
            }
            at += size;
        }
        if (skippedFrom >= 0 && region[skippedFrom..].ContainsAnyExcept((byte)0xFF))
        {
            entries.Add(new Entry(skippedFrom, null, $"{region.Length - skippedFrom} bytes with no assembly header"));
        }
        return entries;
    }
}

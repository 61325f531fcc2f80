using System.Security.Cryptography;
using NfOta.NanoFramework;

namespace NfOta.Packaging;

/// <summary>
/// The managed-app part of a release: a nanoFramework deployment image (the .pe files one after
/// another, each padded to 4 bytes, as nanoCLR walks its deploy partition), every assembly
/// checked as nanoCLR checks it, and the native assemblies the app needs from its firmware.
/// </summary>
public sealed record AppPart(byte[] Image, IReadOnlyList<PeAssembly> Assemblies)
{
    public byte[] Sha256 { get; } = SHA256.HashData(Image);

    /// <summary>What the app needs from its firmware: each assembly with native methods, by name and checksum.</summary>
    public NativeAssemblyTable Needs => AppBinding.Needs(Assemblies);

    /// <summary>
    /// From .pe files (laid out in the order given) or one deployment image (a file that is not a
    /// .pe: walked as nanoCLR walks it, and refused unless it is nothing but whole assemblies).
    /// </summary>
    public static AppPart FromFiles(IReadOnlyList<(string Path, byte[] Bytes)> files)
    {
        if (files.Count == 0)
        {
            throw new PackagingException("bad-argument", "--app needs at least one .pe file or a deployment image");
        }
        if (files.Count == 1 && !files[0].Path.EndsWith(".pe", StringComparison.OrdinalIgnoreCase))
        {
            return FromDeploymentImage(files[0].Path, files[0].Bytes);
        }
        var assemblies = new List<byte[]>();
        foreach (var (path, bytes) in files)
        {
            try
            {
                var pe = PeAssembly.Parse(bytes);
                if (pe.TotalSize != bytes.Length)
                {
                    throw new PeFormatException("pe-trailing-bytes", $"{bytes.Length - pe.TotalSize} bytes follow the assembly's end");
                }
            }
            catch (PeFormatException e)
            {
                throw new PackagingException(e.Code, $"{Path.GetFileName(path)}: {e.Message}; nanoCLR would not load it", e);
            }
            assemblies.Add(bytes);
        }
        var image = DeploymentImage.Build(assemblies);
        return new AppPart(image, [.. assemblies.Select(a => PeAssembly.Parse(a))]);
    }

    private static AppPart FromDeploymentImage(string path, byte[] bytes)
    {
        var walk = DeploymentImage.Walk(bytes);
        var skipped = walk.FirstOrDefault(e => e.Skipped is not null);
        if (skipped is not null)
        {
            throw new PackagingException("deployment-invalid", $"{Path.GetFileName(path)} at byte {skipped.Offset}: {skipped.Skipped}; nanoCLR would not load what follows");
        }
        var assemblies = walk.Select(e => e.Assembly!).ToList();
        if (assemblies.Count == 0)
        {
            throw new PackagingException("deployment-invalid", $"{Path.GetFileName(path)} holds no .pe assembly");
        }
        var end = walk[^1].Offset + ((assemblies[^1].TotalSize + 3) & ~3);
        // Erased padding after the last assembly is not part of the app.
        return new AppPart(bytes[..Math.Min(end, bytes.Length)], assemblies);
    }
}

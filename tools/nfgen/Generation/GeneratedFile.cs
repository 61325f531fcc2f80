namespace NfGen.Generation;

/// <summary>One file nfgen writes: where (relative to the output root it belongs to) and its exact text.</summary>
internal sealed record GeneratedFile(string Path, string Content);

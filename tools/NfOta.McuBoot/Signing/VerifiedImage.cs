using NfOta.McuBoot.Images;

namespace NfOta.McuBoot.Signing;

/// <summary>An image whose hash matched, and whose signature was checked when a key was given.</summary>
public sealed record VerifiedImage(McuBootImage Image, byte[] Digest, bool SignatureChecked);

namespace NfOta.McuBoot.Tlvs;

/// <summary>TLV types and area magics of MCUboot v2.3.0 (bootutil/image.h).</summary>
public static class TlvTypes
{
    public const ushort KeyHash = 0x01;
    public const ushort PublicKey = 0x02;
    public const ushort Sha256 = 0x10;
    public const ushort Sha384 = 0x11;
    public const ushort Sha512 = 0x12;
    public const ushort Rsa2048Pss = 0x20;
    public const ushort Ecdsa224 = 0x21;
    public const ushort EcdsaSignature = 0x22;
    public const ushort Rsa3072Pss = 0x23;
    public const ushort Ed25519 = 0x24;
    public const ushort SignaturePure = 0x25;
    public const ushort Dependency = 0x40;
    public const ushort SecurityCounter = 0x50;

    /// <summary>IMAGE_TLV_INFO_MAGIC: the unprotected area.</summary>
    public const ushort InfoMagic = 0x6907;

    /// <summary>IMAGE_TLV_PROT_INFO_MAGIC: the protected area, covered by the image hash.</summary>
    public const ushort ProtectedInfoMagic = 0x6908;

    /// <summary>Signature TLVs of schemes this reader does not verify.</summary>
    public static bool IsOtherSignature(ushort type) =>
        type is Rsa2048Pss or Ecdsa224 or Rsa3072Pss or Ed25519 or SignaturePure;
}

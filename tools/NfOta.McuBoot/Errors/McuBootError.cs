namespace NfOta.McuBoot.Errors;

/// <summary>
/// Every way an MCUboot image is refused, read or written. The name in kebab case is the stable code scripts
/// match (<c>McubootHashMismatch</c> is <c>mcuboot-hash-mismatch</c>): never renamed or reused.
/// </summary>
public enum McuBootError
{
    /// <summary>The bytes end before the structure the header and TLV areas declare.</summary>
    McubootTruncated,

    /// <summary>The first four bytes are not IMAGE_MAGIC (0x96f3b83d).</summary>
    McubootBadMagic,

    /// <summary>ih_hdr_size is smaller than the 32-byte header itself.</summary>
    McubootHeaderSize,

    /// <summary>ih_protect_tlv_size and the protected TLV area (magic 0x6908) disagree.</summary>
    McubootProtectedTlvMismatch,

    /// <summary>No unprotected TLV area (magic 0x6907) where the header puts it.</summary>
    McubootTlvInfoMagic,

    /// <summary>A TLV area's total is smaller than its own info, or a TLV runs past the area.</summary>
    McubootTlvOverrun,

    /// <summary>No SHA-256 TLV (0x10).</summary>
    McubootHashMissing,

    /// <summary>A SHA-256 TLV whose length is not 32.</summary>
    McubootHashLength,

    /// <summary>The SHA-256 of header, payload and protected TLVs differs from the TLV.</summary>
    McubootHashMismatch,

    /// <summary>Signatures are there, but none follows a key hash or key of the given key.</summary>
    McubootKeyMismatch,

    /// <summary>A key was given and the image carries no signature at all.</summary>
    McubootSignatureMissing,

    /// <summary>The signature for the given key does not verify.</summary>
    McubootSignatureInvalid,

    /// <summary>The image is signed only with a scheme other than ECDSA P-256 (RSA, Ed25519, pure).</summary>
    McubootSignatureUnsupported,

    /// <summary>A dependency TLV (0x40) whose length is not 12.</summary>
    McubootDependencyLength,

    /// <summary>A security counter TLV (0x50) whose length is not 4.</summary>
    McubootSecurityCounterLength,

    /// <summary>The key text is not a P-256 key in PEM.</summary>
    McubootInvalidKey,

    /// <summary>Signing: the key is RSA, Ed25519, X25519, another curve than P-256, or password-protected.</summary>
    McubootKeyUnsupported,

    /// <summary>Signing: the key is a public key; signing takes the private key imgtool keygen wrote.</summary>
    McubootKeyNotPrivate,

    /// <summary>Signing without --pad-header: the input does not start with header-size zero bytes (or is shorter).</summary>
    McubootHeaderNotZero,

    /// <summary>Signing: image and trailer do not fit the slot size (imgtool's check_trailer).</summary>
    McubootSlotOverflow,

    /// <summary>Signing: a field does not fit its MCUboot width (a TLV area over 65535 bytes, a payload over 4 GiB).</summary>
    McubootTooLarge,
}

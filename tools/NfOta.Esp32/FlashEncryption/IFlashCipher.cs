using NfOta.Esp32.Chips;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// Flash encryption as the chip's hardware applies it: the same plaintext encrypts differently at
/// every flash address. Input and output may be the same buffer. Address and length must be
/// multiples of 16.
/// </summary>
public interface IFlashCipher : IDisposable
{
    FlashEncryptionScheme Scheme { get; }

    /// <summary>Encrypts <paramref name="plaintext"/> as it would be stored at <paramref name="flashAddress"/>.</summary>
    void Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, uint flashAddress);

    /// <summary>Decrypts <paramref name="ciphertext"/> read from <paramref name="flashAddress"/>.</summary>
    void Decrypt(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, uint flashAddress);
}

namespace NfOta.Esp32.Chips;

/// <summary>Secure boot v2 signature schemes.</summary>
[Flags]
public enum SecureBootScheme
{
    None = 0,
    Rsa3072 = 1,
    EcdsaP256 = 2,
    EcdsaP384 = 4,
}

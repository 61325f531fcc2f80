using NfOta.Esp32.Errors;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>Argument checks shared by both flash ciphers, with messages a user can act on.</summary>
internal static class FlashCipherArguments
{
    public static void Check(ReadOnlySpan<byte> input, Span<byte> output, uint flashAddress)
    {
        if (flashAddress % 16 != 0)
        {
            throw new Esp32FormatException(FormatError.Alignment,
                $"flash address 0x{flashAddress:X} is not a multiple of 16; flash encryption works on 16-byte blocks");
        }
        if (input.Length % 16 != 0)
        {
            throw new Esp32FormatException(FormatError.Alignment,
                $"data length {input.Length} is not a multiple of 16; pad the data to a 16-byte boundary");
        }
        if (output.Length < input.Length)
        {
            throw new Esp32FormatException(FormatError.InvalidArgument,
                $"output buffer holds {output.Length} bytes but {input.Length} are needed");
        }
        if ((ulong)flashAddress + (ulong)input.Length > 0x1_0000_0000UL)
        {
            throw new Esp32FormatException(FormatError.InvalidArgument,
                $"range 0x{flashAddress:X}+{input.Length} runs past the 4 GiB flash address space");
        }
    }
}

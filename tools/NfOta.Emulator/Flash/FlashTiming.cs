namespace NfOta.Emulator.Flash;

/// <summary>
/// How long flash commands take, from datasheet figures. The defaults are the typical values of
/// a common 4 MiB SPI NOR part (Winbond W25Q32JV: page program 0.4 ms, first byte 30 µs, 4 KiB
/// sector erase 45 ms, 64 KiB block erase 150 ms) on ESP32's default 40 MHz bus (dual I/O
/// reads, single-line writes).
/// </summary>
public sealed record FlashTiming
{
    public const int PageSize = 256;
    public const int SectorSize = 0x1000;
    public const int BlockSize = 0x10000;

    /// <summary>tPP: programming a whole 256-byte page.</summary>
    public TimeSpan PageProgram { get; init; } = TimeSpan.FromMicroseconds(400);

    /// <summary>tBP1: the fixed cost of any program command, however few bytes.</summary>
    public TimeSpan ProgramSetup { get; init; } = TimeSpan.FromMicroseconds(30);

    /// <summary>tSE: erasing one 4 KiB sector.</summary>
    public TimeSpan SectorErase { get; init; } = TimeSpan.FromMilliseconds(45);

    /// <summary>tBE2: erasing one 64 KiB block.</summary>
    public TimeSpan BlockErase { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Bytes per second the bus moves when reading (40 MHz, two data lines).</summary>
    public double ReadBytesPerSecond { get; init; } = 10_000_000;

    /// <summary>Bytes per second the bus moves when programming (40 MHz, one data line).</summary>
    public double WriteBytesPerSecond { get; init; } = 5_000_000;

    /// <summary>Opcode, address and dummy cycles of each command.</summary>
    public TimeSpan CommandOverhead { get; init; } = TimeSpan.FromMicroseconds(1);

    public static FlashTiming Default { get; } = new();

    public TimeSpan Read(int bytes) => CommandOverhead + TimeSpan.FromSeconds(bytes / ReadBytesPerSecond);

    /// <summary>
    /// One program command of <paramref name="bytes"/> within a page: the setup cost plus a share of
    /// the full-page time proportional to the bytes, plus moving them over the bus.
    /// </summary>
    public TimeSpan Program(int bytes) =>
        CommandOverhead + ProgramSetup + (PageProgram - ProgramSetup) * (bytes / (double)PageSize)
        + TimeSpan.FromSeconds(bytes / WriteBytesPerSecond);

    public TimeSpan Erase(FlashOperationKind kind) => CommandOverhead + (kind == FlashOperationKind.EraseBlock ? BlockErase : SectorErase);

    /// <summary>
    /// The datasheet limit for storing <paramref name="bytes"/> bytes from a sector boundary in
    /// programs of <paramref name="rowSize"/> bytes (the encryption engine's write unit, or a page
    /// when writing plaintext): the fewest erases that cover them (64 KiB blocks first, then
    /// sectors) and one program per row.
    /// </summary>
    public TimeSpan MinimumWriteTime(long bytes, int rowSize = PageSize) => MinimumWriteTime(bytes, rowSize, blockErases: true);

    /// <summary>
    /// As <see cref="MinimumWriteTime(long, int)"/>, erasing 4 KiB sectors only: the limit for writing
    /// that erases as it goes (ESP-IDF's OTA_WITH_SEQUENTIAL_WRITES), which never blocks for a
    /// 64 KiB block erase.
    /// </summary>
    public TimeSpan MinimumSectorwiseWriteTime(long bytes, int rowSize = PageSize) => MinimumWriteTime(bytes, rowSize, blockErases: false);

    private TimeSpan MinimumWriteTime(long bytes, int rowSize, bool blockErases)
    {
        var erased = (bytes + SectorSize - 1) / SectorSize * SectorSize;
        var blocks = blockErases ? erased / BlockSize : 0;
        var sectors = (erased - blocks * BlockSize) / SectorSize;
        var erase = blocks * Erase(FlashOperationKind.EraseBlock) + sectors * Erase(FlashOperationKind.EraseSector);
        var fullRows = bytes / rowSize;
        var rest = (int)(bytes - fullRows * rowSize);
        var program = fullRows * Program(rowSize) + (rest > 0 ? Program(rest) : TimeSpan.Zero);
        return erase + program;
    }
}

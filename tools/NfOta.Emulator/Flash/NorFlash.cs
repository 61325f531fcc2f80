namespace NfOta.Emulator.Flash;

/// <summary>
/// SPI NOR flash: erase sets whole 4 KiB sectors or 64 KiB blocks to 0xFF, program can only
/// clear bits (the stored value is the AND of old and new). Programming a bit from 0 to 1 is
/// physically impossible; it is recorded as a <see cref="Violation"/>. Every command is logged
/// and charged device time from a <see cref="FlashTiming"/> model. Power can be cut at any
/// program or erase, including part-way through one, which leaves the bits that operation was
/// changing in an unpredictable (seeded) state.
/// </summary>
public sealed class NorFlash
{
    public static readonly int[] SupportedSizes = [4 << 20, 8 << 20, 16 << 20];

    private readonly FlashPages _cells;
    private readonly List<FlashOperation> _log = [];
    private readonly List<Violation> _violations = [];
    private PowerCut? _armedCut;
    private int _mutationsSinceArmed;

    public NorFlash(int size = 4 << 20, FlashTiming? timing = null)
    {
        if (!SupportedSizes.Contains(size))
        {
            throw new ArgumentException($"flash size {size} is not one of 4, 8 or 16 MiB", nameof(size));
        }
        _cells = new FlashPages(size);
        Timing = timing ?? FlashTiming.Default;
    }

    private NorFlash(FlashPages cells, FlashTiming timing)
    {
        _cells = cells;
        Timing = timing;
    }

    public int Size => _cells.Size;

    public FlashTiming Timing { get; }

    /// <summary>Device time all commands so far have taken, by the timing model.</summary>
    public TimeSpan Elapsed { get; private set; }

    public IReadOnlyList<FlashOperation> Log => _log;

    /// <summary>Programs and erases so far (reads excluded).</summary>
    public int MutationCount { get; private set; }

    /// <summary>Attempts to program a 0 bit back to 1 without an erase.</summary>
    public IReadOnlyList<Violation> Violations => _violations;

    /// <summary>False after a power cut, until the device is powered on again.</summary>
    public bool Powered { get; private set; } = true;

    /// <summary>The cut that last took power away since a cut was armed (null: none fired).</summary>
    public PowerLossException? LastPowerLoss { get; private set; }

    /// <summary>Keep only mutations in the log (reads can be millions of entries in long fault runs).</summary>
    public bool LogReads { get; set; } = true;

    /// <summary>
    /// Called before each program or erase with what it is about to do; a power-cut run records
    /// the flash before every mutation this way (null: nothing is told).
    /// </summary>
    public Action<MutationRecord>? BeforeMutation { get; set; }

    /// <summary>A copy of the raw cells, as a flash dump would show them.</summary>
    public byte[] Dump()
    {
        var dump = new byte[Size];
        _cells.Read(0, dump);
        return dump;
    }

    /// <summary>
    /// Another chip holding exactly these cells, powered, with an empty log (pages shared
    /// copy-on-write, so this is cheap whatever the size).
    /// </summary>
    public NorFlash Copy() => new(_cells.Copy(), Timing);

    /// <summary>Loads raw bytes, as esptool write_flash would (no erase semantics, no log).</summary>
    public void Load(uint address, ReadOnlySpan<byte> data)
    {
        CheckRange(address, data.Length);
        _cells.Write(address, data);
    }

    public void ClearLog()
    {
        _log.Clear();
        _violations.Clear();
        Elapsed = TimeSpan.Zero;
    }

    /// <summary>Arms a power cut, counting mutations from now.</summary>
    public void ArmPowerCut(PowerCut cut) => ArmPowerCut(cut, alreadyCounted: 0);

    /// <summary>
    /// Arms a power cut as if <paramref name="alreadyCounted"/> mutations had happened since it was
    /// armed: a run restarted from a checkpoint then cuts the same mutation, leaving the same bits.
    /// </summary>
    public void ArmPowerCut(PowerCut cut, int alreadyCounted)
    {
        if (cut.Operation < 1) throw new ArgumentOutOfRangeException(nameof(cut), "mutations are counted from 1");
        if (alreadyCounted < 0 || alreadyCounted >= cut.Operation) throw new ArgumentOutOfRangeException(nameof(alreadyCounted), "the cut must still be ahead");
        _armedCut = cut;
        _mutationsSinceArmed = alreadyCounted;
        LastPowerLoss = null;
    }

    /// <summary>Runs a recorded mutation again (program or erase), armed cuts and all.</summary>
    public void Apply(MutationRecord mutation)
    {
        switch (mutation.Kind)
        {
            case FlashOperationKind.Program: Program(mutation.Address, mutation.Data); break;
            case FlashOperationKind.EraseSector: EraseSector(mutation.Address); break;
            case FlashOperationKind.EraseBlock: EraseBlock(mutation.Address); break;
            default: throw new ArgumentException($"{mutation.Kind} is not a mutation", nameof(mutation));
        }
    }

    public void DisarmPowerCut() => _armedCut = null;

    public void PowerOn() => Powered = true;

    public void Read(uint address, Span<byte> destination)
    {
        EnsurePowered();
        CheckRange(address, destination.Length);
        _cells.Read(address, destination);
        var cost = Timing.Read(destination.Length);
        Elapsed += cost;
        if (LogReads) _log.Add(new FlashOperation(_log.Count, FlashOperationKind.Read, address, destination.Length, cost));
    }

    /// <summary>One program command; it must stay within one 256-byte page, as SPI NOR requires.</summary>
    public void Program(uint address, ReadOnlySpan<byte> data)
    {
        EnsurePowered();
        CheckRange(address, data.Length);
        if (data.Length == 0) return;
        if (address / FlashTiming.PageSize != (address + (uint)data.Length - 1) / FlashTiming.PageSize)
        {
            throw new ArgumentException($"program of {data.Length} bytes at 0x{address:X} crosses a 256-byte page; split it", nameof(data));
        }
        BeforeMutation?.Invoke(new MutationRecord(FlashOperationKind.Program, address, data.ToArray()));
        var completed = BeginMutation(out var cutFraction);
        var unsettled = completed ? null : UnsettledBits.For(_armedCut!.Value);
        var cells = _cells.Writable(address, data.Length);
        var everyBitSettled = true;
        for (var i = 0; i < data.Length; i++)
        {
            var result = (byte)(cells[i] & data[i]);
            if (result != data[i] && _violations.Count < 10_000)
            {
                _violations.Add(new Violation(address + (uint)i, cells[i], data[i], result));
            }
            // Interrupted: each bit the program was clearing may or may not have cleared.
            if (unsettled is not null)
            {
                var partial = (byte)(cells[i] & ~(cells[i] & ~data[i] & unsettled.Next()));
                everyBitSettled &= partial == result;
                result = partial;
            }
            cells[i] = result;
        }
        var cost = Timing.Program(data.Length);
        Finish(FlashOperationKind.Program, address, data.Length, cost, completed, cutFraction, everyBitSettled);
    }

    public void EraseSector(uint address) => Erase(address, FlashTiming.SectorSize, FlashOperationKind.EraseSector);

    public void EraseBlock(uint address) => Erase(address, FlashTiming.BlockSize, FlashOperationKind.EraseBlock);

    private void Erase(uint address, int size, FlashOperationKind kind)
    {
        EnsurePowered();
        if (address % size != 0) throw new ArgumentException($"erase address 0x{address:X} is not aligned to 0x{size:X}", nameof(address));
        CheckRange(address, size);
        BeforeMutation?.Invoke(new MutationRecord(kind, address, []));
        var completed = BeginMutation(out var cutFraction);
        var everyBitSettled = true;
        if (completed)
        {
            for (var page = 0; page < size; page += FlashPages.PageSize) _cells.Erase(address + (uint)page);
        }
        else
        {
            // The whole sector erases at once: each 0 bit may or may not have reached 1.
            var unsettled = UnsettledBits.For(_armedCut!.Value);
            for (var page = 0; page < size; page += FlashPages.PageSize)
            {
                var region = _cells.Writable(address + (uint)page, FlashPages.PageSize);
                for (var i = 0; i < region.Length; i++)
                {
                    region[i] |= (byte)(~region[i] & unsettled.Next());
                    everyBitSettled &= region[i] == 0xFF;
                }
            }
        }
        Finish(kind, address, size, Timing.Erase(kind), completed, cutFraction, everyBitSettled);
    }

    private bool BeginMutation(out double fraction)
    {
        fraction = 1.0;
        MutationCount++;
        if (_armedCut is not { } cut) return true;
        _mutationsSinceArmed++;
        if (_mutationsSinceArmed != cut.Operation) return true;
        fraction = Math.Clamp(cut.Fraction, 0.0, 1.0);
        return fraction >= 1.0;
    }

    private void Finish(FlashOperationKind kind, uint address, int length, TimeSpan cost, bool completed, double fraction, bool everyBitSettled)
    {
        var cutNow = _armedCut is { } cut && _mutationsSinceArmed == cut.Operation;
        var operation = new FlashOperation(_log.Count, kind, address, length, completed ? cost : cost * fraction, Interrupted: !completed);
        Elapsed += operation.Duration;
        _log.Add(operation);
        if (cutNow)
        {
            var armed = _armedCut!.Value;
            _armedCut = null;
            Powered = false;
            LastPowerLoss = new PowerLossException(armed, operation, everyBitSettled);
            throw LastPowerLoss;
        }
    }

    private void EnsurePowered()
    {
        if (!Powered) throw new InvalidOperationException("the device is powered off (power was cut); power it on to continue");
    }

    private void CheckRange(uint address, int length)
    {
        if (length < 0 || (ulong)address + (ulong)length > (ulong)_cells.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:X}+{length} is outside the {_cells.Size >> 20} MiB flash");
        }
    }

    /// <summary>A program that asked for a 1 bit where flash held 0.</summary>
    public readonly record struct Violation(uint Address, byte Before, byte Requested, byte Stored)
    {
        public override string ToString() => $"0x{Address:X6}: held 0x{Before:X2}, asked 0x{Requested:X2}, stored 0x{Stored:X2}";
    }
}

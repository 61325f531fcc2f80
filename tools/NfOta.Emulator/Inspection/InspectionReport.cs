namespace NfOta.Emulator.Inspection;

/// <summary>
/// What <c>nfota inspect</c> found in a flash dump. Property names are the stable JSON schema
/// (camelCase): add fields, never rename or remove them.
/// </summary>
public sealed record InspectionReport
{
    public required string Chip { get; init; }
    public required int FlashSize { get; init; }
    public required bool KeyGiven { get; init; }
    /// <summary>True when the dump is flash-encrypted (its partition table only parses after decryption).</summary>
    public required bool FlashEncrypted { get; init; }
    public required TableInfo PartitionTable { get; init; }
    public OtadataInfo? Otadata { get; init; }
    public IReadOnlyList<SlotInfo> Slots { get; init; } = [];
    public required BootInfo Boot { get; init; }
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>
    /// Set when nothing in the dump can be read: it is encrypted and no key was given
    /// (<c>dump-encrypted</c>), or the key given does not decrypt it (<c>key-does-not-decrypt</c>).
    /// The rest of the report then predicts nothing.
    /// </summary>
    public Finding? Unreadable { get; init; }

    public sealed record TableInfo(uint Offset, bool Valid, bool Encrypted, string? Error, IReadOnlyList<PartitionInfo> Entries);

    /// <summary><see cref="Type"/> and <see cref="Subtype"/> are gen_esp32part's words (an unknown number in decimal); the ids are the numbers.</summary>
    public sealed record PartitionInfo(string Name, string Type, string Subtype, uint Offset, uint Size, bool Encrypted, bool ReadOnly)
    {
        public int TypeId { get; init; }

        public int SubtypeId { get; init; }

        /// <summary>The name of a kind ESP-IDF has no keyword for ("nanoFramework deploy", "nfota_key"); null otherwise.</summary>
        public string? KnownAs { get; init; }
    }

    public sealed record OtadataInfo(uint Offset, IReadOnlyList<OtadataSector> Sectors, int ActiveIndex, string? ActiveSlot);

    /// <summary>One otadata sector: as the bootloader sees it (decrypted when encrypted) and as the raw bytes read.</summary>
    public sealed record OtadataSector(int Index, uint Address, EntryInfo AsBootloaderSees, EntryInfo Raw, string Verdict);

    public sealed record EntryInfo(bool Erased, uint Seq, string State, uint Crc, bool CrcOk, bool Valid, string? Slot);

    public sealed record SlotInfo(
        string Name, uint Offset, uint Size, bool ImagePresent, string Status, string? Error,
        string? ImageChip, int? Length, string? Version, string? Project, uint? SecureVersion, string? IdfVersion,
        string? Sha256, bool? HashAppended, SignatureInfo? Signature)
    {
        /// <summary>The app this slot's firmware runs; null when the table has no deploy partition or the slot holds no image.</summary>
        public PairedAppInfo? App { get; init; }

        /// <summary>State of the otadata entry that selects this slot, as the predicted boot leaves it (VALID, INVALID, ...); null when none does.</summary>
        public string? OtadataState { get; init; }

        /// <summary>Every otadata entry that selects this slot is INVALID or ABORTED: the bootloader will not select it.</summary>
        public bool RolledBack { get; init; }

        /// <summary>What the bootloader does with a valid image it will not select (<see cref="Status"/> is the image check alone); null otherwise.</summary>
        public string? Verdict { get; init; }
    }

    /// <summary>
    /// The managed app in the deploy partition a slot's firmware maps: its assemblies as nanoCLR's walk
    /// finds them, nf-ota's release record, and whether it binds to the slot's firmware (null when
    /// the firmware's native table cannot be read from its image: a real nanoCLR build).
    /// </summary>
    public sealed record PairedAppInfo(string Partition, IReadOnlyList<AssemblyInfo> Assemblies, IReadOnlyList<string> Skipped, string? Release, bool? Binds, IReadOnlyList<string> Problems);

    public sealed record AssemblyInfo(string Name, string Version, string NativeChecksum, int Size);

    public sealed record SignatureInfo(bool Present, int Blocks, string? Scheme, string? KeyDigest, bool? SelfConsistent, bool? Trusted, string Detail);

    public sealed record BootInfo(string? Partition, string? Version, string Reason, IReadOnlyList<string> Log, bool SecureBootChecked);

    /// <summary>A plain-language diagnosis; <see cref="Code"/> is stable for scripts.</summary>
    public sealed record Finding(string Severity, string Code, string Message);
}

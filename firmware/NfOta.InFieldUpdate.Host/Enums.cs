namespace nanoFramework.Runtime.InFieldUpdate;

// The values are the contract with the natives (nf_ota_ifu.h): the library's own.

/// <summary>Which image: the firmware (nanoCLR) or the deployment (the C# app).</summary>
public enum ImageType
{
    NanoClr = 0,
    Deployment = 1,
}

/// <summary>The slot that runs (primary) or the other one (secondary).</summary>
public enum SlotId
{
    Primary = 0,
    Secondary = 1,
}

public enum UpdateStatus
{
    Confirmed = 0,
    Testing = 1,
    TestPending = 2,
    PermanentPending = 3,
    RollbackPending = 4,
    Unknown = 255,
}

public enum UpdateSessionOwner
{
    None = 0,
    Managed = 1,
    WireProtocol = 2,
    Native = 3,
}

public enum UpdateSessionResult
{
    Success = 0,
    Busy = 1,
    BadToken = 2,
    BadOffset = 3,
    TooLarge = 4,
    FlashError = 5,
    BadMagic = 6,
    SwapInFlight = 7,
    NoImage = 8,
    HeaderMismatch = 9,
    Incomplete = 10,
    BadTlv = 11,
    HashMismatch = 12,
    BadArgument = 13,
    NoSlot = 14,
}

namespace NfOta.Emulator.Flash;

public enum FlashOperationKind
{
    Read,
    Program,
    EraseSector,
    EraseBlock,
}

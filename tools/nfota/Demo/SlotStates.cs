using NfOta.Interop;

namespace NfOta.Cli.Demo;

/// <summary>NativeOta.GetSlotState values by their ESP-IDF names.</summary>
public static class SlotStates
{
    public static string Name(int state) => state switch
    {
        NativeOtaStatus.StateNew => "NEW",
        NativeOtaStatus.StatePendingVerify => "PENDING_VERIFY",
        NativeOtaStatus.StateValid => "VALID",
        NativeOtaStatus.StateInvalid => "INVALID",
        NativeOtaStatus.StateAborted => "ABORTED",
        NativeOtaStatus.StateUndefined => "UNDEFINED",
        _ => $"status {state}",
    };
}

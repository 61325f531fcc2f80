namespace NfOta.Rollback
{
    /// <summary>The result of one start-up check of the running firmware.</summary>
    public sealed class GuardResult
    {
        public GuardOutcome Outcome { get; internal set; }

        /// <summary>The running slot's label.</summary>
        public string Slot { get; internal set; }

        /// <summary>The running slot's otadata state before the guard ran (NativeOtaStatus.State*), or a negative status.</summary>
        public int StateBefore { get; internal set; }

        /// <summary>The check that failed (or did not finish in time); null when none did.</summary>
        public string FailedCheck { get; internal set; }

        /// <summary>Why the firmware was rejected, or what the state means; for logs.</summary>
        public string Message { get; internal set; }

        public override string ToString()
        {
            return Outcome.ToString() + " (" + Slot + "): " + Message;
        }
    }
}

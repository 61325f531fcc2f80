using System;

namespace NfOta
{
    /// <summary>
    /// Every failure of an update or of the rollback guard: a stable <see cref="Error"/>, a message
    /// that says what to do, and for native failures the status and raw esp_err_t behind it.
    /// When an update fails the running firmware and otadata are untouched.
    /// </summary>
    public class OtaException : Exception
    {
        public OtaException(OtaError error, string message)
            : base(message)
        {
            Error = error;
        }

        public OtaException(OtaError error, string message, Exception inner)
            : base(message, inner)
        {
            Error = error;
        }

        public OtaError Error { get; private set; }

        /// <summary>The stable code, e.g. "hash-mismatch".</summary>
        public string Code
        {
            get { return OtaErrors.Code(Error); }
        }

        /// <summary>True when trying again later may succeed (network failures, 5xx answers).</summary>
        public bool IsTransient { get; set; }

        /// <summary>The HTTP status for <see cref="OtaError.HttpStatus"/>, otherwise 0.</summary>
        public int HttpStatus { get; set; }

        /// <summary>The NativeOtaStatus code for failures reported by the native component, otherwise 0.</summary>
        public int NativeStatus { get; set; }

        /// <summary>The esp_err_t behind a native failure, otherwise 0.</summary>
        public int EspError { get; set; }

        public override string ToString()
        {
            return "OtaException [" + Code + "]: " + Message;
        }
    }
}

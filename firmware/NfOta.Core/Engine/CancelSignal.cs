using System.Threading;

namespace NfOta.Engine
{
    /// <summary>Lets another thread stop an update between two chunks (the device's mscorlib has no CancellationToken).</summary>
    public sealed class CancelSignal
    {
        // Interlocked rather than volatile: nanoFramework's mscorlib has no IsVolatile modifier.
        private int _cancelled;

        public bool IsCancelled
        {
            get { return Interlocked.CompareExchange(ref _cancelled, 0, 0) != 0; }
        }

        public void Cancel()
        {
            Interlocked.Exchange(ref _cancelled, 1);
        }
    }
}

using NfOta.Interop;

namespace NfOta.Engine
{
    /// <summary>
    /// The update slot's open native session, appended to a chunk at a time. Erasing ahead is a
    /// native call of its own (<see cref="NativeOta.EraseAhead"/>: one 64 KiB block or a few sectors,
    /// at most ~150 ms), never folded into a write, so no single call keeps the flash (and with it
    /// Wi-Fi) busy for longer than one block erase; a write then only programs its chunk.
    /// </summary>
    internal sealed class SlotWriter
    {
        private int _handle;
        // Bytes from the append position known to be erased: until they run out, no erase call.
        private int _erasedAhead;

        /// <summary>The native handle (0: none open). A new one starts with nothing known erased.</summary>
        public int Handle
        {
            get { return _handle; }
            set
            {
                _handle = value;
                _erasedAhead = 0;
            }
        }

        /// <summary>Appends chunk[0 .. count). Returns 0 or a negative native status (the caller says what failed).</summary>
        public int Write(byte[] chunk, int count)
        {
            while (_erasedAhead < count)
            {
                int erased = NativeOta.EraseAhead(_handle, count);
                if (erased < 0)
                {
                    return erased;
                }
                if (erased <= _erasedAhead)
                {
                    // Nothing more to erase (the write would pass the image's end): Write says why.
                    break;
                }
                _erasedAhead = erased;
            }
            int status = NativeOta.Write(_handle, chunk, 0, count);
            if (status >= 0)
            {
                _erasedAhead = _erasedAhead > count ? _erasedAhead - count : 0;
            }
            return status;
        }

        /// <summary>
        /// Give the handle back after a failure (it is then 0). The first failure is the one to
        /// report; if the abort fails too (the chip is restarting, the handle is gone) that adds
        /// nothing to it.
        /// </summary>
        public void AbortQuietly()
        {
            try
            {
                NativeOta.Abort(_handle);
            }
            catch (System.Exception)
            {
            }
            Handle = 0;
        }
    }
}

using NfOta.Device;
using NfOta.Interop;

namespace NfOta.Engine
{
    /// <summary>
    /// The deploy partition paired with the update slot, written a chunk at a time and erased just
    /// ahead of the writes: a whole 64 KiB block at a time where the block is aligned on the flash
    /// and lies inside the app's span (one block erase, ~150 ms, instead of sixteen of ~45 ms),
    /// otherwise a sector. Every erase is a native call of its own.
    /// </summary>
    internal sealed class AppSlotWriter
    {
        /// <summary>A flash block: what one block erase takes.</summary>
        private const int EraseBlock = 0x10000;

        private readonly string _slot;
        // The partition's flash address (blocks are aligned on the flash, not in the partition).
        private readonly int _address;
        // Where the app's sectors end: nothing past it is erased ahead in blocks.
        private readonly int _span;
        // Erased up to here.
        private int _erased;

        /// <param name="slot">The OTA slot whose paired deploy partition is written.</param>
        /// <param name="address">The deploy partition's flash address.</param>
        /// <param name="span">Where the app's sectors end (at most the release record's sector).</param>
        public AppSlotWriter(string slot, int address, int span)
        {
            _slot = slot;
            _address = address;
            _span = span;
        }

        /// <summary>In bulk, as esp_ota_begin erases the firmware: the app's whole span in one call.</summary>
        public void EraseSpanAtOnce()
        {
            if (_span == 0)
            {
                return;
            }
            int status = NativeOta.EraseApp(_slot, 0, _span, 0);
            if (status < 0)
            {
                throw NativeFailure.From(status, "erasing the app partition");
            }
            _erased = _span;
        }

        /// <summary>Erase up to <paramref name="end"/> (rounded up to a sector), from where erasing stopped.</summary>
        public void EraseTo(int end, int flags)
        {
            int to = Sectors(end);
            while (_erased < to)
            {
                int length = (_address + _erased) % EraseBlock == 0 && _erased + EraseBlock <= _span ? EraseBlock : Model.AppRecord.SectorSize;
                int status = NativeOta.EraseApp(_slot, _erased, length, flags);
                if (status < 0)
                {
                    // The message is built only on failure: the chunk loop allocates nothing.
                    throw NativeFailure.From(status, "erasing the app partition at byte " + _erased.ToString());
                }
                _erased += length;
            }
        }

        /// <summary>One chunk, its sectors erased first; a short last chunk is padded with 0xFF to 16 bytes (the encrypted path's unit).</summary>
        public void WriteChunk(int offset, byte[] chunk, int count)
        {
            EraseTo(offset + count, 0);
            int padded = (count + 15) & ~15;
            for (int i = count; i < padded; i++)
            {
                chunk[i] = 0xFF;
            }
            int status = NativeOta.WriteApp(_slot, offset, chunk, 0, padded);
            if (status < 0)
            {
                throw NativeFailure.From(status, "writing the app at byte " + offset.ToString());
            }
        }

        public static int Sectors(int bytes)
        {
            return (bytes + Model.AppRecord.SectorSize - 1) & ~(Model.AppRecord.SectorSize - 1);
        }
    }
}

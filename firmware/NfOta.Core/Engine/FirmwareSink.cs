using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;

namespace NfOta.Engine
{
    /// <summary>
    /// The firmware image into the update slot's handle, checked block by block against the signed
    /// manifest's block hashes when it has them: a block that reads back wrong is written again from
    /// its start, and fetched alone again, once; twice is the server's image, not the network.
    /// </summary>
    internal sealed class FirmwareSink : ChunkSink
    {
        private readonly SlotWriter _writer;
        private readonly string _slot;
        private readonly UpdateManifest _manifest;
        private readonly UpdateResult _result;
        private readonly byte[] _digest;
        // A block that failed its check once and is being fetched again.
        private int _failingBlock = -1;

        public FirmwareSink(SlotWriter writer, string slot, UpdateManifest manifest, UpdateResult result)
        {
            _writer = writer;
            _slot = slot;
            _manifest = manifest;
            _result = result;
            _digest = manifest.BlockSize > 0 ? new byte[32] : null;
        }

        public override void Write(int offset, byte[] chunk, int count)
        {
            int status = _writer.Write(chunk, count);
            if (status < 0)
            {
                // The message is built only on failure: the chunk loop allocates nothing.
                throw NativeFailure.From(status, "writing the image at byte " + offset.ToString());
            }
            _result.NativeWrites++;
            _result.BytesWritten = offset + count;
        }

        public override int Written(int written)
        {
            int size = _manifest.Size;
            if (_digest == null || !(written % _manifest.BlockSize == 0 || (written == size && size % 16 == 0)))
            {
                return -1;
            }
            int block = (written - 1) / _manifest.BlockSize;
            int start = block * _manifest.BlockSize;
            if (SlotReadBack.BlockMatches(_slot, _manifest, block, start, written - start, _digest))
            {
                _failingBlock = -1;
                return -1;
            }
            if (block == _failingBlock || _manifest.IsEncrypted)
            {
                throw new OtaException(OtaError.HashMismatch,
                    "block " + block.ToString() + " (bytes " + start.ToString() + " to " + (written - 1).ToString() + ") of " + _manifest.Url
                    + (_manifest.IsEncrypted ? " does not match the manifest's block-sha256 (a pre-encrypted image is decrypted in one pass, so the block cannot be fetched again alone): the image on the server is not the one signed for"
                                             : " does not match the manifest's block-sha256 twice in a row: the image on the server is not the one signed for"));
            }
            _failingBlock = block;
            _result.BlockRefetches++;
            Rewind(block, start, size);
            return start;
        }

        /// <summary>A new handle that writes from <paramref name="start"/>, in place of the current one.</summary>
        private void Rewind(int block, int start, int size)
        {
            // Resume before the old handle goes: the native side erases the header of a slot whose
            // last session was aborted with its whole image written (as when the last block is the
            // bad one), unless another handle carries on.
            int resumed = NativeOta.Resume(_slot, start, size);
            _writer.AbortQuietly();
            if (resumed == NativeOtaStatus.NotSupported)
            {
                throw new OtaException(OtaError.HashMismatch,
                    "block " + block.ToString() + " of " + _manifest.Url + " was damaged on the way, and ESP-IDF before 5.5 cannot rewrite one block: run the update again");
            }
            _writer.Handle = NativeFailure.Check(resumed, "rewriting block " + block.ToString() + " of " + _slot);
            _result.BytesWritten = start;
        }
    }
}

namespace NfOta.Engine
{
    /// <summary>Where the download loop puts each whole chunk: the firmware slot or the paired deploy partition.</summary>
    internal abstract class ChunkSink
    {
        /// <summary>Write chunk[0 .. count) at <paramref name="offset"/> of the image.</summary>
        public abstract void Write(int offset, byte[] chunk, int count);

        /// <summary>
        /// After a write that brought the image to <paramref name="written"/> bytes: -1 to go on, or
        /// the offset to write again from (a block that read back wrong; its bytes are fetched again).
        /// </summary>
        public virtual int Written(int written)
        {
            return -1;
        }
    }
}

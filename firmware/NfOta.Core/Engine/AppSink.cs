namespace NfOta.Engine
{
    /// <summary>The app into the deploy partition paired with the update slot.</summary>
    internal sealed class AppSink : ChunkSink
    {
        private readonly AppSlotWriter _app;

        public AppSink(AppSlotWriter app)
        {
            _app = app;
        }

        public override void Write(int offset, byte[] chunk, int count)
        {
            _app.WriteChunk(offset, chunk, count);
        }
    }
}

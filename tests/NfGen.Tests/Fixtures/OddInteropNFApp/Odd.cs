using System.Runtime.CompilerServices;

namespace OddInteropNFApp
{
    public static class TakesObjects
    {
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Send(object payload);
    }

    public static class Overloaded
    {
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Read(byte[] buffer);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Read(byte[] buffer, int offset);
    }
}

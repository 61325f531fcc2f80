using System.Runtime.CompilerServices;

namespace NfgMiscNFApp
{
    public enum Level : byte
    {
        Low = 1,
        High = 200,
    }

    public enum Flags : long
    {
        None = 0,
        Big = 0x100000000,
    }

    public class Settings
    {
        [AccessedThroughProperty("Owner")]
        private object _owner;

        private int _version;

        public int Retries { get; set; }

        public string Label { get; private set; }

        public Level Level { get; set; }

        public static int Instances { get; private set; }

        public object Owner
        {
            get { return _owner; }
            set { _owner = value; }
        }

        public Settings()
        {
            Instances++;
            Label = ThisAssembly.AssemblyVersion;
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void NativeApply(object target, Level level, Flags flags);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern object NativeGet(string key, object fallback);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void NativeSave(Settings settings, object[] extra);
    }

    public struct Window
    {
        public int Left { get; set; }

        public int Width { get; private set; }

        private short _z;

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern bool NativeContains(int x, int y);
    }
}
